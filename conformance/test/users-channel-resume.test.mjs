// Issue 25 item 1 — channel resume with the stock pusher-js on one node: a signed-in client whose socket drops
// (not unsubscribed) gets the channel events it missed, in order, once, then live ones, when pusher-js reconnects
// (it resubscribes and signs in again by itself); a gap the window no longer covers gets
// switchboard:resume_incomplete, which a bound callback receives.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connected, signedIn, setup, subscribed } from '../lib/harness.mjs';
import { signedRequest } from '../lib/http.mjs';
import { app } from '../lib/server.mjs';
import { record, until } from '../lib/wait.mjs';

const SMALL = { id: 'resume-small', key: 'resume-small-key', secret: 'resume-small-secret' };

let h;
before(async () => {
  h = await setup({
    apps: [
      app({ channel_resume_seconds: 60, channel_resume_prefixes: ['private-orders-'] }),
      app({ ...SMALL, channel_resume_seconds: 60, channel_resume_max_events: 5, channel_resume_prefixes: ['private-orders-'] }),
    ],
  });
});
after(() => h?.close());

let n = 0;
const uid = (prefix) => `${prefix}-${process.pid}-${++n}`;

async function signedInClient(creds, id) {
  const c = await h.connectedClient({ app: creds, userParams: { user_id: id } });
  const done = signedIn(c);
  c.signin();
  await done;
  return c;
}

/** Drops the socket (pusher-js keeps its subscriptions) and waits until the server let the user go. */
async function drop(c, creds, id) {
  c.disconnect();
  await until(async () => {
    const res = await signedRequest(h.server, 'GET', `/users/${id}`, { creds });
    return res.status === 404 || res.json.connections === 0;
  }, { what: 'the user to have no connection' });
}

describe('channel resume with pusher-js', () => {
  test('a dropped socket gets the 20 missed events in order, once, then live ones', async () => {
    const creds = { id: 'app-id', key: 'app-key', secret: 'app-secret' };
    const id = uid('resume');
    const name = `private-orders-${id}`;
    const sdk = h.sdk();
    const c = await signedInClient(creds, id);
    const channel = await subscribed(c, name);
    const got = record(channel, 'status');
    await sdk.trigger(name, 'status', { n: 0 });
    await until(() => got.length === 1, { what: 'the first live event' });

    await drop(c, creds, id);
    for (let i = 1; i <= 20; i++) await sdk.trigger(name, 'status', { n: i });
    c.connect();
    await connected(c);
    await until(() => got.length >= 21, { what: 'the 20 missed events' });
    await sdk.trigger(name, 'status', { n: 21 });
    await until(() => got.length >= 22, { what: 'the live event' });
    assert.deepEqual(got.map((call) => call.data.n), Array.from({ length: 22 }, (_, i) => i));
  });

  test('past the window: one switchboard:resume_incomplete with the count lost, then what is kept, then live', async () => {
    const id = uid('gap');
    const name = `private-orders-${id}`;
    const sdk = h.sdk(SMALL);
    const c = await signedInClient(SMALL, id);
    const channel = await subscribed(c, name);
    const got = record(channel, 'status');
    const lost = record(channel, 'switchboard:resume_incomplete');

    await drop(c, SMALL, id);
    for (let i = 1; i <= 20; i++) await sdk.trigger(name, 'status', { n: i });
    c.connect();
    await until(() => got.length >= 5 && lost.length === 1, { what: 'the loss event and the kept events' });
    await sdk.trigger(name, 'status', { n: 21 });
    await until(() => got.length >= 6, { what: 'the live event' });
    assert.deepEqual(lost.map((call) => call.data.lost), [15]);
    assert.deepEqual(got.map((call) => call.data.n), [16, 17, 18, 19, 20, 21]);
  });

  test('nothing is replayed while a second connection of the user stayed subscribed, nor after an unsubscribe', async () => {
    const creds = { id: 'app-id', key: 'app-key', secret: 'app-secret' };
    const id = uid('stays');
    const name = `private-orders-${id}`;
    const sdk = h.sdk();
    const stays = await signedInClient(creds, id);
    const kept = record(await subscribed(stays, name), 'status');
    const c = await signedInClient(creds, id);
    const got = record(await subscribed(c, name), 'status');

    c.disconnect();
    for (let i = 1; i <= 5; i++) await sdk.trigger(name, 'status', { n: i });
    await until(() => kept.length === 5, { what: 'the events on the connection that stayed' });
    c.connect();
    await connected(c);
    await until(() => c.channel(name).subscribed && c.user.user_data, { what: 'resubscribed and signed in' });
    await sdk.trigger(name, 'status', { n: 6 });
    await until(() => got.length >= 1 && kept.length === 6, { what: 'the live event' });
    assert.deepEqual(got.map((call) => call.data.n), [6]);

    // An explicit unsubscribe ends the claim: after the last connection unsubscribed and left, nothing comes back.
    stays.disconnect();
    await until(async () => (await signedRequest(h.server, 'GET', `/users/${id}`, { creds: creds })).json.connections === 1,
      { what: 'the other connection to be gone' });
    c.unsubscribe(name);
    // pusher-js defers each send to the next tick and disconnect() closes at once: without this wait the
    // unsubscribe never leaves the client and the drop is a plain loss, which is (rightly) replayed.
    await until(async () => (await signedRequest(h.server, 'GET', `/channels/${name}`, { creds })).json.occupied === false,
      { what: 'the unsubscribe to vacate the channel' });
    await drop(c, creds, id);
    await sdk.trigger(name, 'status', { n: 7 });
    c.connect();
    await connected(c);
    const back = record(await subscribed(c, name), 'status');
    await sdk.trigger(name, 'status', { n: 8 });
    await until(() => back.length >= 1, { what: 'the live event after the unsubscribe' });
    assert.deepEqual(back.map((call) => call.data.n), [8]);
  });
});
