// Clients already in a given state, built on one test file's harness (`setup()`): shared by the test files
// of a topic that is split over several files, so that each states only its tests.

import { signedIn, subscribed } from '../lib/harness.mjs';

/** A pusher-js client signed in as `id` (user_info / watchlist optional). */
export async function signedInClient(h, id, { info, watchlist, channelParams, beforeSignin } = {}) {
  const userParams = { user_id: id };
  if (info !== undefined) userParams.user_info = JSON.stringify(info);
  if (watchlist !== undefined) userParams.watchlist = JSON.stringify(watchlist);
  const c = await h.connectedClient({ userParams, channelParams });
  if (beforeSignin) beforeSignin(c);
  const done = signedIn(c);
  c.signin();
  await done;
  return c;
}

/** A raw socket signed in as `id`. */
export async function rawSignedIn(h, id, extra = {}) {
  const s = await h.raw();
  s.send(s.signinFrame(JSON.stringify({ id, ...extra })));
  await s.expect('pusher:signin_success', `signin_success for ${id}`);
  return s;
}

/** One pusher-js client per user id (of the app `creds`), each subscribed to presence channel `name`. */
export async function presenceMembers(h, name, userIds, creds) {
  const chans = [];
  for (const id of userIds) {
    const c = await h.connectedClient({ app: creds, channelParams: { user_id: id } });
    chans.push(await subscribed(c, name));
  }
  return chans;
}
