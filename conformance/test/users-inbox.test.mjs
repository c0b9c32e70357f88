// Issue 11 — the user inbox: events sent to a user with no signed-in connection wait for its next sign-in
// and reach pusher.user.bind right after pusher:signin_success, in order, once.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { signedIn, setup } from '../lib/harness.mjs';
import { signedRequest } from '../lib/http.mjs';
import { app } from '../lib/server.mjs';
import { record, until } from '../lib/wait.mjs';

const KEEPING = { id: 'app-id', key: 'app-key', secret: 'app-secret' };
const SHORT = { id: 'inbox-short', key: 'inbox-short-key', secret: 'inbox-short-secret' };
const OFF = { id: 'inbox-off', key: 'inbox-off-key', secret: 'inbox-off-secret' };

let h;
before(async () => {
  h = await setup({
    apps: [
      app({ user_inbox_ttl_seconds: 120 }),
      app({ ...SHORT, user_inbox_ttl_seconds: 1 }),
      app({ ...OFF }),
    ],
  });
});
after(() => h?.close());

let n = 0;
const uid = (prefix) => `${prefix}-${process.pid}-${++n}`;

/** A pusher-js client of `creds` signed in as `id`, recording `event` on pusher.user from before the sign-in. */
async function signIn(creds, id, event) {
  const c = await h.connectedClient({ app: creds, userParams: { user_id: id } });
  const got = record(c.user, event);
  const done = signedIn(c);
  c.signin();
  await done;
  return { c, got };
}

const inbox = async (creds, id, params) => (await signedRequest(h.server, 'GET', `/users/${id}/inbox`, { creds, params })).json;

describe('users: the inbox keeps what an offline user was sent', () => {
  test('three sendToUser while offline arrive in order at sign-in, once; a second connection gets no replay', async () => {
    const id = uid('offline');
    const sdk = h.sdk(KEEPING);
    for (const step of ['cooking', 'on its way', 'delivered']) await sdk.sendToUser(id, 'order-status', { step });
    const held = await inbox(KEEPING, id, { with_events: 'true' });
    assert.equal(held.count, 3);
    assert.deepEqual(held.events.map((e) => JSON.parse(e.data).step), ['cooking', 'on its way', 'delivered']);
    assert.ok(held.oldest <= held.newest);

    const first = await signIn(KEEPING, id, 'order-status');
    await until(() => first.got.length >= 3, { what: 'three kept events' });
    assert.deepEqual(first.got.map((call) => call.data.step), ['cooking', 'on its way', 'delivered']);
    assert.equal((await inbox(KEEPING, id)).count, 0, 'handed over and removed');

    const second = await signIn(KEEPING, id, 'order-status');
    const marker = record(second.c.user, 'marker');
    await sdk.sendToUser(id, 'marker', {});
    await until(() => marker.length === 1, { what: 'marker on the second connection' });
    assert.equal(second.got.length, 0, 'nothing replayed to a later connection');
    await until(() => first.got.length === 3 && marker.length === 1);
    assert.equal(first.got.length, 3, 'each kept event exactly once');
    const user = (await signedRequest(h.server, 'GET', `/users/${id}`, { creds: KEEPING })).json;
    assert.equal(user.inbox, 0);
  });

  test('an event older than the TTL is not delivered', async () => {
    const id = uid('expired');
    await h.sdk(SHORT).sendToUser(id, 'stale', { n: 1 });
    assert.equal((await inbox(SHORT, id)).count, 1);
    await until(async () => (await inbox(SHORT, id)).count === 0, { timeout: 10000, what: 'the kept event to expire' });
    const { c, got } = await signIn(SHORT, id, 'stale');
    const marker = record(c.user, 'marker');
    await h.sdk(SHORT).sendToUser(id, 'marker', {});
    await until(() => marker.length === 1, { what: 'marker' });
    assert.equal(got.length, 0);
  });

  test('with user_inbox_ttl_seconds 0 (the default) nothing is kept', async () => {
    const id = uid('off');
    await h.sdk(OFF).sendToUser(id, 'lost', { n: 1 });
    assert.equal((await inbox(OFF, id)).count, 0);
    const { c, got } = await signIn(OFF, id, 'lost');
    const marker = record(c.user, 'marker');
    await h.sdk(OFF).sendToUser(id, 'marker', {});
    await until(() => marker.length === 1, { what: 'marker' });
    assert.equal(got.length, 0);
  });

  test('DELETE /users/{id} erases the inbox; DELETE /users/{id}/inbox empties it', async () => {
    const a = uid('erase');
    const b = uid('clear');
    const sdk = h.sdk(KEEPING);
    await sdk.sendToUser(a, 'x', { n: 1 });
    await sdk.sendToUser(b, 'x', { n: 2 });
    const erased = await signedRequest(h.server, 'DELETE', `/users/${a}`, { creds: KEEPING });
    assert.equal(erased.status, 200);
    assert.equal(erased.json.erased.inbox_events, 1);
    assert.equal((await inbox(KEEPING, a)).count, 0);
    const cleared = await signedRequest(h.server, 'DELETE', `/users/${b}/inbox`, { creds: KEEPING });
    assert.deepEqual(cleared.json, { cleared: 1 });
    assert.equal((await inbox(KEEPING, b)).count, 0);
  });
});
