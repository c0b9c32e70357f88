// Issue 3 — the users model: server-to-user events (sendToUser, #server-to-user-<id>) and terminating
// a user's connections.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { reachesState, setup, subscribed } from '../lib/harness.mjs';
import { dataOf } from '../lib/raw.mjs';
import { app } from '../lib/server.mjs';
import { nextEvent, record } from '../lib/wait.mjs';
import { rawSignedIn, signedInClient } from './clients.mjs';

let h;
let sdk;
before(async () => {
  h = await setup({ apps: [app()] });
  sdk = h.sdk();
});
after(() => h?.close());

let n = 0;
const uid = (prefix = 'user') => `${prefix}-${process.pid}-${++n}`;

describe('users: server-to-user events', () => {
  test('sendToUser reaches every connection signed in as that user (three) and nobody else', async () => {
    const id = uid('multi');
    const otherId = uid('other');
    const mine = [await signedInClient(h, id), await signedInClient(h, id), await signedInClient(h, id)];
    const other = await signedInClient(h, otherId);
    const anon = await h.raw();
    const gots = mine.map((c) => nextEvent(c.user, 'note'));
    const otherNotes = record(other.user, 'note');
    await sdk.sendToUser(id, 'note', { hello: id });
    for (const g of gots) assert.deepEqual((await g).data, { hello: id });
    const marker = nextEvent(other.user, 'marker');
    await sdk.sendToUser(otherId, 'marker', {});
    await marker;
    assert.equal(otherNotes.length, 0, 'another user does not get it');
    await anon.ping();
    assert.equal(anon.seen((f) => f.channel === `#server-to-user-${id}`).length, 0, 'an unsigned socket does not get it');
  });

  test('a pusher-js client subscribed to #server-to-user-<id> gets each sendToUser event exactly once', async () => {
    const id = uid('once');
    const c = await h.connectedClient({ userParams: { user_id: id } });
    const confirmed = nextEvent(c.connection, 'message', {
      filter: (ev) => ev.event === 'pusher_internal:subscription_succeeded' && ev.channel === `#server-to-user-${id}`,
    });
    c.signin();
    await confirmed;
    const calls = record(c.user, 'single');
    await sdk.sendToUser(id, 'single', { k: 1 });
    const marker = nextEvent(c.user, 'marker');
    await sdk.sendToUser(id, 'marker', {});
    await marker;
    assert.equal(calls.length, 1, `delivered ${calls.length} times`);
  });

  test('raw: the server-to-user frame is {event, channel:"#server-to-user-<id>", data}', async () => {
    const id = uid();
    const s = await rawSignedIn(h, id);
    await sdk.sendToUser(id, 'direct', { d: 1 });
    const f = await s.expect('direct');
    assert.equal(f.channel, `#server-to-user-${id}`);
    assert.deepEqual(dataOf(f), { d: 1 });
  });

  test('user.bind does not receive events sent to another user', async () => {
    const a = await signedInClient(h, uid('a'));
    const bId = uid('b');
    const b = await signedInClient(h, bId);
    const aCalls = record(a.user, 'private-note');
    const got = nextEvent(b.user, 'private-note');
    await sdk.sendToUser(bId, 'private-note', {});
    await got;
    const marker = nextEvent(a.user, 'marker');
    await sdk.sendToUser(a.user.user_data.id, 'marker', {});
    await marker;
    assert.equal(aCalls.length, 0);
  });

  test('raw: subscribing to #server-to-user-<id> when not signed in, or signed in as someone else → pusher:error', async () => {
    const target = uid('target');
    const anon = await h.raw();
    anon.subscribe(`#server-to-user-${target}`);
    await anon.error();
    const someone = await rawSignedIn(h, uid('someone'));
    someone.subscribe(`#server-to-user-${target}`);
    await someone.error();
    await someone.ping();
    assert.equal(someone.seen('pusher_internal:subscription_succeeded').length, 0);
    await sdk.sendToUser(target, 'leak', {});
    await anon.ping();
    await someone.ping();
    assert.equal(anon.seen('leak').length + someone.seen('leak').length, 0);
  });
});

describe('users: terminate connections', () => {
  test('terminateUserConnections closes every connection of the user with 4009; pusher-js → disconnected, no reconnect; presence-only use of the id is not closed', async () => {
    const id = uid('term');
    const presenceName = `presence-term-${process.pid}-${n}`;
    const c1 = await signedInClient(h, id);
    const c2 = await signedInClient(h, id);
    const states1 = [];
    c1.connection.bind('state_change', ({ current }) => states1.push(current));
    const raw = await rawSignedIn(h, id);
    // Same id, but only as presence channel_data, never signed in.
    const presenceOnly = await h.connectedClient({ channelParams: { user_id: id } });
    const pch = await subscribed(presenceOnly, presenceName);

    const res = await sdk.terminateUserConnections(id);
    assert.equal(res.status, 200);
    const { code } = await raw.waitClose();
    assert.equal(code, 4009);
    await reachesState(c1, 'disconnected');
    await reachesState(c2, 'disconnected');

    const marker = nextEvent(pch, 'marker');
    await sdk.trigger(presenceName, 'marker', {});
    await marker;
    assert.equal(presenceOnly.connection.state, 'connected');
    assert.ok(!states1.includes('connecting'), `pusher-js must not reconnect after 4009: ${states1.join(' → ')}`);
    assert.equal(c1.connection.state, 'disconnected');
  });

  test('raw: terminate sends pusher:error code 4009 before the close', async () => {
    const id = uid('term-raw');
    const s = await rawSignedIn(h, id);
    await sdk.terminateUserConnections(id);
    await s.waitClose();
    const err = s.seen('pusher:error').map(dataOf);
    assert.equal(err[0]?.code, 4009, s.describe());
  });

  test('terminate side effects: presence members get member_removed, watchers get offline', async () => {
    const id = uid('term-fx');
    const name = `presence-term-fx-${process.pid}-${n}`;
    const victim = await signedInClient(h, id, { channelParams: { presence: 'signed-in' } });
    await subscribed(victim, name);
    const watcher = await signedInClient(h, uid('watcher'), { watchlist: [id] });
    const pres = await h.connectedClient({ channelParams: { user_id: 'observer' } });
    const ch = await subscribed(pres, name);
    assert.ok(ch.members.get(id), 'victim is a member');
    const removed = nextEvent(ch, 'pusher:member_removed', { filter: (m) => m.id === id });
    const offline = nextEvent(watcher.user.watchlist, 'offline', { filter: (e) => e.user_ids.includes(id) });
    await sdk.terminateUserConnections(id);
    await removed;
    await offline;
  });

  test('terminate for a user with no connections → 200', async () => {
    const res = await sdk.terminateUserConnections(uid('nobody'));
    assert.equal(res.status, 200);
  });
});
