// Issue 3 — the users model: sign-in, server-to-user events, terminate, watchlist, presence through sign-in,
// bad sign-in inputs, the user data API, authorized connections.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { reachesState, setup, signedIn, subscribed } from '../lib/harness.mjs';
import { signedRequest } from '../lib/http.mjs';
import { dataOf } from '../lib/raw.mjs';
import { app } from '../lib/server.mjs';
import { nextEvent, record } from '../lib/wait.mjs';

const NOWATCH = app({ id: 'app-nowatch', key: 'key-nowatch', secret: 'secret-nowatch', enable_watchlist_events: false });
const AUTHZ = app({
  id: 'app-authz',
  key: 'key-authz',
  secret: 'secret-authz',
  require_authorized_connections: true,
  user_authentication_timeout_seconds: 1,
});

let h;
let sdk;
before(async () => {
  h = await setup({ apps: [app(), AUTHZ, NOWATCH] });
  sdk = h.sdk();
});
after(() => h?.close());

let n = 0;
const uid = (prefix = 'user') => `${prefix}-${process.pid}-${++n}`;

/** A pusher-js client signed in as `id` (user_info / watchlist optional). */
async function signedInClient(id, { info, watchlist, channelParams, beforeSignin } = {}) {
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
async function rawSignedIn(id, extra = {}) {
  const s = await h.raw();
  s.send(s.signinFrame(JSON.stringify({ id, ...extra })));
  await s.expect('pusher:signin_success', `signin_success for ${id}`);
  return s;
}

describe('users: sign-in', () => {
  test('pusher.signin() with the user-auth endpoint → signin_success, pusher.user.user_data has the id', async () => {
    const id = uid();
    const c = await signedInClient(id, { info: { name: 'Ann' } });
    assert.equal(c.user.user_data?.id, id);
    assert.deepEqual(c.user.user_data?.user_info, { name: 'Ann' });
  });

  test('raw: signin_success data is an object whose user_data is the exact string sent', async () => {
    const s = await h.raw();
    const userData = `{"id":"${uid()}","user_info":{"b":2,"a":1},"extra":true}`;
    s.send(s.signinFrame(userData));
    const f = await s.expect('pusher:signin_success');
    assert.equal(typeof f.data, 'object', 'signin_success data is an object, not a string');
    assert.equal(f.data.user_data, userData);
  });

  test('raw: signing in again as the same user succeeds', async () => {
    const id = uid();
    const s = await rawSignedIn(id);
    s.send(s.signinFrame(JSON.stringify({ id, user_info: { v: 2 } })));
    await s.expect('pusher:signin_success');
  });

  test('after sign-in pusher-js subscribes #server-to-user-<id> and the server confirms it', async () => {
    const id = uid();
    const c = await h.connectedClient({ userParams: { user_id: id } });
    const frames = [];
    c.connection.bind('message', (ev) => frames.push(ev));
    c.signin();
    await signedIn(c);
    const marker = nextEvent(c.connection, 'message', {
      filter: (ev) => ev.event === 'pusher_internal:subscription_succeeded' && ev.channel === `#server-to-user-${id}`,
    });
    await marker;
  });
});

describe('users: server-to-user events', () => {
  test('sendToUser reaches every connection signed in as that user (three) and nobody else', async () => {
    const id = uid('multi');
    const otherId = uid('other');
    const mine = [await signedInClient(id), await signedInClient(id), await signedInClient(id)];
    const other = await signedInClient(otherId);
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
    const s = await rawSignedIn(id);
    await sdk.sendToUser(id, 'direct', { d: 1 });
    const f = await s.expect('direct');
    assert.equal(f.channel, `#server-to-user-${id}`);
    assert.deepEqual(dataOf(f), { d: 1 });
  });

  test('user.bind does not receive events sent to another user', async () => {
    const a = await signedInClient(uid('a'));
    const bId = uid('b');
    const b = await signedInClient(bId);
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
    const someone = await rawSignedIn(uid('someone'));
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
    const c1 = await signedInClient(id);
    const c2 = await signedInClient(id);
    const states1 = [];
    c1.connection.bind('state_change', ({ current }) => states1.push(current));
    const raw = await rawSignedIn(id);
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
    const s = await rawSignedIn(id);
    await sdk.terminateUserConnections(id);
    await s.waitClose();
    const err = s.seen('pusher:error').map(dataOf);
    assert.equal(err[0]?.code, 4009, s.describe());
  });

  test('terminate side effects: presence members get member_removed, watchers get offline', async () => {
    const id = uid('term-fx');
    const name = `presence-term-fx-${process.pid}-${n}`;
    const victim = await signedInClient(id, { channelParams: { presence: 'signed-in' } });
    await subscribed(victim, name);
    const watcher = await signedInClient(uid('watcher'), { watchlist: [id] });
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

describe('users: watchlist', () => {
  test('A watching B: initial offline state after sign-in, online when B signs in, offline when B disconnects', async () => {
    const bId = uid('b');
    let initialOffline;
    const a = await signedInClient(uid('a'), {
      watchlist: [bId],
      beforeSignin: (c) => {
        initialOffline = nextEvent(c.user.watchlist, 'offline');
      },
    });
    const first = await initialOffline;
    assert.deepEqual(first.data.user_ids, [bId]);
    assert.equal(first.data.name, 'offline');

    const online = nextEvent(a.user.watchlist, 'online', { filter: (e) => e.user_ids.includes(bId) });
    const b = await signedInClient(bId);
    assert.deepEqual((await online).data.user_ids, [bId]);

    const offline = nextEvent(a.user.watchlist, 'offline', { filter: (e) => e.user_ids.includes(bId) });
    b.disconnect();
    await offline;
  });

  test('initial state right after sign-in lists the watched users that are already online', async () => {
    const onId = uid('on');
    const offId = uid('off');
    await signedInClient(onId);
    let on;
    let off;
    await signedInClient(uid('watcher'), {
      watchlist: [onId, offId],
      beforeSignin: (c) => {
        on = nextEvent(c.user.watchlist, 'online');
        off = nextEvent(c.user.watchlist, 'offline');
      },
    });
    assert.deepEqual((await on).data.user_ids, [onId]);
    assert.deepEqual((await off).data.user_ids, [offId]);
  });

  test('a watched user with two connections goes offline only when the last one leaves', async () => {
    const bId = uid('b2');
    const b1 = await signedInClient(bId);
    const b2 = await signedInClient(bId);
    const markerId = uid('marker');
    const marker = await signedInClient(markerId);
    let initialOnline;
    const a = await signedInClient(uid('a2'), {
      watchlist: [bId, markerId],
      beforeSignin: (c) => {
        initialOnline = nextEvent(c.user.watchlist, 'online');
      },
    });
    await initialOnline;
    const offlines = record(a.user.watchlist, 'offline');
    b1.disconnect();
    const markerOff = nextEvent(a.user.watchlist, 'offline', { filter: (e) => e.user_ids.includes(markerId) });
    marker.disconnect();
    await markerOff;
    assert.ok(!offlines.some((c) => c.data.user_ids.includes(bId)), 'b still has a connection');
    const bOff = nextEvent(a.user.watchlist, 'offline', { filter: (e) => e.user_ids.includes(bId) });
    b2.disconnect();
    await bOff;
  });

  test('raw: watchlist frame is pusher_internal:watchlist_events with data.events[] of {name, user_ids}', async () => {
    const watched = uid('w');
    const s = await h.raw();
    s.send(s.signinFrame(JSON.stringify({ id: uid('watcher'), watchlist: [watched] })));
    await s.expect('pusher:signin_success');
    await rawSignedIn(watched);
    const f = await s.expect(
      (x) => x.event === 'pusher_internal:watchlist_events' && dataOf(x).events?.some((e) => e.name === 'online'),
      'watchlist online event',
    );
    assert.ok(!('channel' in f) || f.channel == null, 'connection-level frame');
    const ev = dataOf(f).events.find((e) => e.name === 'online');
    assert.deepEqual(ev.user_ids, [watched]);
  });

  test('race: a watched user signs in on five connections at once and they all drop → one online, one offline', async () => {
    const watched = uid('racy');
    const marker = uid('racy-marker');
    const w = await rawSignedIn(uid('racy-watcher'), { watchlist: [watched, marker] });
    const socks = await Promise.all(Array.from({ length: 5 }, () => h.raw()));
    for (const s of socks) s.send(s.signinFrame(JSON.stringify({ id: watched })));
    await Promise.all(socks.map((s) => s.expect('pusher:signin_success')));
    for (const s of socks) s.close();
    await Promise.all(socks.map((s) => s.waitClose()));
    const wentOffline = (f) =>
      f.event === 'pusher_internal:watchlist_events' && dataOf(f).events.some((e) => e.user_ids.includes(watched) && e.name === 'offline');
    await w.expect(wentOffline, 'initial offline state');
    await w.expect(wentOffline, 'offline after the last racer left');
    const m = await rawSignedIn(marker);
    const aboutMarker = (f) => f.event === 'pusher_internal:watchlist_events' && dataOf(f).events.some((e) => e.user_ids.includes(marker) && e.name === 'online');
    await w.expect(aboutMarker, 'online for the marker user');
    const events = w.frames
      .filter((f) => f.event === 'pusher_internal:watchlist_events')
      .flatMap((f) => dataOf(f).events)
      .filter((e) => e.user_ids.includes(watched))
      .map((e) => e.name);
    // The first is the initial state after sign-in (offline), then exactly one online and one offline.
    assert.deepEqual(events, ['offline', 'online', 'offline']);
    m.close();
  });

  test('every connection of the watcher gets the online event', async () => {
    const watcherId = uid('multi-watcher');
    const watched = uid('multi-watched');
    const w1 = await rawSignedIn(watcherId, { watchlist: [watched] });
    const w2 = await rawSignedIn(watcherId, { watchlist: [watched] });
    await rawSignedIn(watched);
    const isOnline = (f) => f.event === 'pusher_internal:watchlist_events' && dataOf(f).events.some((e) => e.name === 'online' && e.user_ids.includes(watched));
    await w1.expect(isOnline, 'online on the first watcher connection');
    await w2.expect(isOnline, 'online on the second watcher connection');
  });

  test('signing in again with a new watchlist replaces the old one', async () => {
    const oldId = uid('old-watched');
    const newId = uid('new-watched');
    const me = uid('rewatcher');
    const s = await rawSignedIn(me, { watchlist: [oldId] });
    s.send(s.signinFrame(JSON.stringify({ id: me, watchlist: [newId] })));
    await s.expect('pusher:signin_success');
    await rawSignedIn(oldId);
    await rawSignedIn(newId);
    const mentions = (id) => (f) => f.event === 'pusher_internal:watchlist_events' && dataOf(f).events.some((e) => e.name === 'online' && e.user_ids.includes(id));
    await s.expect(mentions(newId), 'online for the new watched id');
    assert.equal(s.seen(mentions(oldId)).length, 0, `no online for the dropped id: ${s.describe()}`);
  });

  test('app with enable_watchlist_events false: no watchlist frames', async () => {
    const creds = { key: NOWATCH.key, secret: NOWATCH.secret };
    const watched = uid('nw');
    const w = await h.raw(NOWATCH.key);
    w.send(w.signinFrame(JSON.stringify({ id: uid('nw-watcher'), watchlist: [watched] }), creds));
    await w.expect('pusher:signin_success');
    const b = await h.raw(NOWATCH.key);
    b.send(b.signinFrame(JSON.stringify({ id: watched }), creds));
    await b.expect('pusher:signin_success');
    b.close();
    await b.waitClose();
    await w.ping();
    assert.equal(w.seen('pusher_internal:watchlist_events').length, 0, w.describe());
  });

  test('watchlist over 100 ids → signin_success and pusher:error 4302 (raw)', async () => {
    const s = await h.raw();
    const watchlist = Array.from({ length: 101 }, (_, i) => `w-${process.pid}-${i}`);
    s.send(s.signinFrame(JSON.stringify({ id: uid('greedy'), watchlist })));
    await s.expect('pusher:signin_success');
    const err = await s.error('pusher:error 4302');
    assert.equal(err.code, 4302);
    await s.ping();
    assert.ok(s.isOpen);
  });
});

describe('users: presence through sign-in', () => {
  test('auth endpoint returns only auth for the presence channel; signed-in client → member id is the user id, info from sign-in', async () => {
    const id = uid('signed');
    const name = `presence-signed-${process.pid}-${n}`;
    const observer = await h.raw();
    const cd = JSON.stringify({ user_id: 'observer' });
    await observer.subscribeOk(name, { auth: observer.presenceAuth(name, cd), channel_data: cd });

    const c = await signedInClient(id, { info: { name: 'Signed' }, channelParams: { presence: 'signed-in' } });
    const ch = await subscribed(c, name);
    assert.equal(ch.members.me?.id, id);
    assert.deepEqual(ch.members.me?.info, { name: 'Signed' });
    const added = await observer.expect('pusher_internal:member_added');
    assert.deepEqual(dataOf(added), { user_id: id, user_info: { name: 'Signed' } });
  });

  test('pusher-js subscribes before sign-in completes: the presence subscription waits for it', async () => {
    const id = uid('early');
    const name = `presence-early-${process.pid}-${n}`;
    const c = await h.connectedClient({ userParams: { user_id: id }, channelParams: { presence: 'signed-in' } });
    c.signin();
    const ch = await subscribed(c, name);
    assert.equal(ch.members.me?.id, id);
  });
});

describe('users: bad sign-in inputs (raw)', () => {
  const cases = [
    ['user_data not JSON', 'not json at all'],
    ['user_data without id', JSON.stringify({ user_info: {} })],
    ['numeric id', JSON.stringify({ id: 42 })],
    ['empty id', JSON.stringify({ id: '' })],
    ['id with a space', JSON.stringify({ id: 'has space' })],
    ['id with #', JSON.stringify({ id: 'x#y' })],
    ['watchlist not a list', JSON.stringify({ id: 'wl-1', watchlist: 'abc' })],
    ['watchlist with non-strings', JSON.stringify({ id: 'wl-2', watchlist: [1, 2] })],
    ['user_data a JSON array', '[]'],
  ];
  for (const [label, userData] of cases) {
    test(`${label} (correctly signed) → pusher:error, connection stays usable`, async () => {
      const s = await h.raw();
      s.send(s.signinFrame(userData));
      const err = await s.error();
      assert.equal(typeof err.message, 'string');
      await s.ping();
      assert.equal(s.seen('pusher:signin_success').length, 0);
      const id = uid('recover');
      s.send(s.signinFrame(JSON.stringify({ id })));
      await s.expect('pusher:signin_success', 'a correct sign-in afterwards');
    });
  }

  test('forged signature → pusher:error, not signed in, connection usable', async () => {
    const s = await h.raw();
    const id = uid('forged');
    s.send({ event: 'pusher:signin', data: { auth: `app-key:${'a'.repeat(64)}`, user_data: JSON.stringify({ id }) } });
    await s.error();
    await sdk.sendToUser(id, 'leak', {});
    await s.ping();
    assert.equal(s.seen('leak').length, 0);
    s.send(s.signinFrame(JSON.stringify({ id })));
    await s.expect('pusher:signin_success');
  });

  test('auth without key: prefix / with another key → pusher:error', async () => {
    const s = await h.raw();
    const userData = JSON.stringify({ id: uid('k') });
    const good = s.signinFrame(userData);
    s.send({ event: 'pusher:signin', data: { auth: good.data.auth.split(':')[1], user_data: userData } });
    await s.error();
    s.send({ event: 'pusher:signin', data: { auth: `key-authz:${good.data.auth.split(':')[1]}`, user_data: userData } });
    await s.error();
    await s.ping();
    assert.equal(s.seen('pusher:signin_success').length, 0);
  });

  test('sign-in as a different user after one succeeded → pusher:error; the first identity stays', async () => {
    const first = uid('first');
    const s = await rawSignedIn(first);
    s.send(s.signinFrame(JSON.stringify({ id: uid('second') })));
    await s.error();
    await s.ping();
    assert.equal(s.seen('pusher:signin_success').length, 1);
    await sdk.sendToUser(first, 'still-me', {});
    await s.expect('still-me');
  });
});

describe('users: user data API', () => {
  test('GET /users/<id> → {id, online, connections, user_info, watchlist, channels}', async () => {
    const id = uid('api');
    const watched = uid('watched');
    const c1 = await signedInClient(id, { info: { name: 'Api' }, watchlist: [watched] });
    await signedInClient(id, { info: { name: 'Api' }, watchlist: [watched] });
    const chName = `api-chan-${process.pid}-${n}`;
    await subscribed(c1, chName);
    const res = await sdk.get({ path: `/users/${id}` });
    assert.equal(res.status, 200);
    const body = await res.json();
    for (const k of ['id', 'online', 'connections', 'user_info', 'watchlist', 'channels']) assert.ok(k in body, `missing ${k}: ${JSON.stringify(body)}`);
    assert.equal(body.id, id);
    assert.equal(body.online, true);
    assert.equal(body.connections, 2);
    assert.deepEqual(body.user_info, { name: 'Api' });
    assert.deepEqual(body.watchlist, [watched]);
    assert.ok(body.channels.includes(chName), JSON.stringify(body.channels));
  });

  test('GET /users/<unknown> → 404', async () => {
    const r = await signedRequest(h.server, 'GET', `/users/${uid('ghost')}`);
    assert.equal(r.status, 404, r.text);
  });

  test('GET /users → {users:[{id}], total, next_cursor} including online users', async () => {
    const id = uid('listed');
    await signedInClient(id);
    const res = await sdk.get({ path: '/users' });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.ok(Array.isArray(body.users), JSON.stringify(body));
    assert.equal(typeof body.total, 'number');
    assert.ok('next_cursor' in body);
    for (const u of body.users) assert.equal(typeof u.id, 'string');
    if (body.next_cursor === null) assert.ok(body.users.some((u) => u.id === id), JSON.stringify(body));
    assert.ok(body.total >= 1);
  });

  test('PUT /users/<id> {"user_info":{...}} → 200 and GET shows it', async () => {
    const id = uid('put');
    await signedInClient(id, { info: { v: 1 } });
    const r = await signedRequest(h.server, 'PUT', `/users/${id}`, { body: { user_info: { v: 2, name: 'Updated' } } });
    assert.equal(r.status, 200, r.text);
    const g = await signedRequest(h.server, 'GET', `/users/${id}`);
    assert.deepEqual(g.json?.user_info, { v: 2, name: 'Updated' }, g.text);
  });

  test('PUT user_info is used by a later presence join through sign-in', async () => {
    const id = uid('put-pres');
    const c = await signedInClient(id, { info: { v: 'signin' }, channelParams: { presence: 'signed-in' } });
    const r = await signedRequest(h.server, 'PUT', `/users/${id}`, { body: { user_info: { v: 'put' } } });
    assert.equal(r.status, 200, r.text);
    const ch = await subscribed(c, `presence-put-${process.pid}-${n}`);
    assert.deepEqual(ch.members.me?.info, { v: 'put' });
  });

  test('PUT user_info over 1 KB → 413', async () => {
    const id = uid('put-big');
    await signedInClient(id);
    const r = await signedRequest(h.server, 'PUT', `/users/${id}`, { body: { user_info: { blob: 'x'.repeat(2000) } } });
    assert.equal(r.status, 413, r.text);
  });

  test('PUT / DELETE for an unknown user → 404', async () => {
    const r1 = await signedRequest(h.server, 'PUT', `/users/${uid('ghost')}`, { body: { user_info: { a: 1 } } });
    assert.equal(r1.status, 404, r1.text);
    const r2 = await signedRequest(h.server, 'DELETE', `/users/${uid('ghost')}`);
    assert.equal(r2.status, 404, r2.text);
  });

  test('GET /users pages with limit and cursor, in id order, next_cursor null on the last page', async () => {
    const prefix = `page-${process.pid}-`;
    const ids = [`${prefix}a`, `${prefix}b`, `${prefix}c`];
    for (const id of ids) await rawSignedIn(id);
    const seen = [];
    let cursor;
    let pages = 0;
    for (;;) {
      const params = { limit: '2' };
      if (cursor) params.cursor = cursor;
      const res = await sdk.get({ path: '/users', params });
      const body = await res.json();
      assert.ok(body.users.length <= 2, JSON.stringify(body));
      seen.push(...body.users.map((u) => u.id));
      pages++;
      if (body.next_cursor === null) break;
      assert.equal(body.next_cursor, body.users[body.users.length - 1].id);
      cursor = body.next_cursor;
      assert.ok(pages < 1000, 'pagination terminates');
    }
    assert.ok(pages >= 2);
    assert.deepEqual(seen, [...seen].sort(), 'id order');
    for (const id of ids) assert.ok(seen.includes(id), `${id} listed`);
    assert.equal(new Set(seen).size, seen.length, 'no duplicates across pages');
  });

  test('PUT with a bad body → 400', async () => {
    const id = uid('putbad');
    await signedInClient(id);
    const r = await signedRequest(h.server, 'PUT', `/users/${id}`, { body: '{"user_info":' });
    assert.equal(r.status, 400, r.text);
  });

  test('DELETE /users/<id> → 200 {"erased":{...}} and the user connections are closed 4009', async () => {
    const id = uid('erase');
    const s = await rawSignedIn(id);
    const c = await signedInClient(id);
    const r = await signedRequest(h.server, 'DELETE', `/users/${id}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(typeof r.json?.erased, 'object', r.text);
    assert.ok(r.json.erased !== null);
    const { code } = await s.waitClose();
    assert.equal(code, 4009);
    await reachesState(c, 'disconnected');
    const g = await signedRequest(h.server, 'GET', `/users/${id}`);
    assert.equal(g.status, 404, `after DELETE: ${g.status} ${g.text}`);
  });

  test('PUT / DELETE with a bad signature → 401', async () => {
    const id = uid('sig');
    const r1 = await signedRequest(h.server, 'PUT', `/users/${id}`, { body: { user_info: {} }, signWith: 'nope' });
    assert.equal(r1.status, 401, r1.text);
    const r2 = await signedRequest(h.server, 'DELETE', `/users/${id}`, { signWith: 'nope' });
    assert.equal(r2.status, 401, r2.text);
  });
});

describe('users: authorized connections (require_authorized_connections)', () => {
  test('a socket that neither signs in nor subscribes privately is closed 4009 after the timeout; one that signed in stays', async () => {
    const creds = { key: AUTHZ.key, secret: AUTHZ.secret };
    const idle = await h.raw(AUTHZ.key);
    const good = await h.raw(AUTHZ.key);
    good.send(good.signinFrame(JSON.stringify({ id: uid('authz') }), creds));
    await good.expect('pusher:signin_success');
    const priv = await h.raw(AUTHZ.key);
    const name = `private-authz-${process.pid}`;
    await priv.subscribeOk(name, { auth: priv.privateAuth(name, creds) });

    const { code } = await idle.waitClose(10000);
    assert.equal(code, 4009);
    const err = idle.seen('pusher:error').map(dataOf)[0];
    assert.equal(err?.code, 4009, idle.describe());
    await good.ping();
    await priv.ping();
    assert.ok(good.isOpen && priv.isOpen);
  });
});
