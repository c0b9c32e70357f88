// Issue 3 — the users model: watchlist events (initial state, online/offline edges, races, limits).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setup } from '../lib/harness.mjs';
import { dataOf } from '../lib/raw.mjs';
import { app } from '../lib/server.mjs';
import { nextEvent, record } from '../lib/wait.mjs';
import { rawSignedIn, signedInClient } from './clients.mjs';

const NOWATCH = app({ id: 'app-nowatch', key: 'key-nowatch', secret: 'secret-nowatch', enable_watchlist_events: false });

let h;
before(async () => {
  h = await setup({ apps: [app(), NOWATCH] });
});
after(() => h?.close());

let n = 0;
const uid = (prefix = 'user') => `${prefix}-${process.pid}-${++n}`;

describe('users: watchlist', () => {
  test('A watching B: initial offline state after sign-in, online when B signs in, offline when B disconnects', async () => {
    const bId = uid('b');
    let initialOffline;
    const a = await signedInClient(h, uid('a'), {
      watchlist: [bId],
      beforeSignin: (c) => {
        initialOffline = nextEvent(c.user.watchlist, 'offline');
      },
    });
    const first = await initialOffline;
    assert.deepEqual(first.data.user_ids, [bId]);
    assert.equal(first.data.name, 'offline');

    const online = nextEvent(a.user.watchlist, 'online', { filter: (e) => e.user_ids.includes(bId) });
    const b = await signedInClient(h, bId);
    assert.deepEqual((await online).data.user_ids, [bId]);

    const offline = nextEvent(a.user.watchlist, 'offline', { filter: (e) => e.user_ids.includes(bId) });
    b.disconnect();
    await offline;
  });

  test('initial state right after sign-in lists the watched users that are already online', async () => {
    const onId = uid('on');
    const offId = uid('off');
    await signedInClient(h, onId);
    let on;
    let off;
    await signedInClient(h, uid('watcher'), {
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
    const b1 = await signedInClient(h, bId);
    const b2 = await signedInClient(h, bId);
    const markerId = uid('marker');
    const marker = await signedInClient(h, markerId);
    let initialOnline;
    const a = await signedInClient(h, uid('a2'), {
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
    await rawSignedIn(h, watched);
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
    const w = await rawSignedIn(h, uid('racy-watcher'), { watchlist: [watched, marker] });
    const socks = await Promise.all(Array.from({ length: 5 }, () => h.raw()));
    for (const s of socks) s.send(s.signinFrame(JSON.stringify({ id: watched })));
    await Promise.all(socks.map((s) => s.expect('pusher:signin_success')));
    for (const s of socks) s.close();
    await Promise.all(socks.map((s) => s.waitClose()));
    const wentOffline = (f) =>
      f.event === 'pusher_internal:watchlist_events' && dataOf(f).events.some((e) => e.user_ids.includes(watched) && e.name === 'offline');
    await w.expect(wentOffline, 'initial offline state');
    await w.expect(wentOffline, 'offline after the last racer left');
    const m = await rawSignedIn(h, marker);
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
    const w1 = await rawSignedIn(h, watcherId, { watchlist: [watched] });
    const w2 = await rawSignedIn(h, watcherId, { watchlist: [watched] });
    await rawSignedIn(h, watched);
    const isOnline = (f) => f.event === 'pusher_internal:watchlist_events' && dataOf(f).events.some((e) => e.name === 'online' && e.user_ids.includes(watched));
    await w1.expect(isOnline, 'online on the first watcher connection');
    await w2.expect(isOnline, 'online on the second watcher connection');
  });

  test('signing in again with a new watchlist replaces the old one', async () => {
    const oldId = uid('old-watched');
    const newId = uid('new-watched');
    const me = uid('rewatcher');
    const s = await rawSignedIn(h, me, { watchlist: [oldId] });
    s.send(s.signinFrame(JSON.stringify({ id: me, watchlist: [newId] })));
    await s.expect('pusher:signin_success');
    await rawSignedIn(h, oldId);
    await rawSignedIn(h, newId);
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
