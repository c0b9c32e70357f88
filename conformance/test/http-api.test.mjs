// Point 4 — the HTTP API driven by the `pusher` SDK (pusher-http-node 5.3.4), and its error answers driven
// by self-signed raw requests.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setup, subscribed } from '../lib/harness.mjs';
import { jsonOf, sdkError, signedRequest } from '../lib/http.mjs';
import { dataOf } from '../lib/raw.mjs';
import { app } from '../lib/server.mjs';
import { nextEvent, record, until } from '../lib/wait.mjs';

const DISABLED = app({ id: 'app-off', key: 'key-off', secret: 'secret-off', enabled: false });
const COUNTED = app({ id: 'app-counted', key: 'key-counted', secret: 'secret-counted', enable_subscription_count: true });

let h;
let sdk;
before(async () => {
  h = await setup({ apps: [app(), COUNTED, DISABLED] });
  sdk = h.sdk();
});
after(() => h?.close());

let n = 0;
const uniq = (prefix) => `${prefix}${process.pid}-${++n}`;

async function presenceMembers(name, userIds, creds) {
  const chans = [];
  for (const id of userIds) {
    const c = await h.connectedClient({ app: creds, channelParams: { user_id: id } });
    chans.push(await subscribed(c, name));
  }
  return chans;
}

describe('4. HTTP API: trigger', () => {
  test('trigger to one channel → 200 with a JSON object body; the subscriber gets the event', async () => {
    const c = await h.connectedClient();
    const name = uniq('one-');
    const ch = await subscribed(c, name);
    const got = nextEvent(ch, 'ev');
    const { status, body } = await jsonOf(sdk.trigger(name, 'ev', { one: 1 }));
    assert.equal(status, 200);
    assert.equal(typeof body, 'object');
    assert.deepEqual((await got).data, { one: 1 });
  });

  test('trigger to many channels → every channel gets it once', async () => {
    const names = [uniq('many-'), uniq('many-'), uniq('many-')];
    const c = await h.connectedClient();
    const chans = [];
    for (const name of names) chans.push(await subscribed(c, name));
    const gots = chans.map((ch) => nextEvent(ch, 'fan'));
    const counts = chans.map((ch) => record(ch, 'fan'));
    await sdk.trigger(names, 'fan', { fan: true });
    for (const g of gots) assert.deepEqual((await g).data, { fan: true });
    const markers = chans.map((ch) => nextEvent(ch, 'marker'));
    await sdk.trigger(names, 'marker', {});
    await Promise.all(markers);
    assert.deepEqual(counts.map((c) => c.length), [1, 1, 1]);
  });

  test('socket_id exclusion: the excluded pusher-js client does not get the event, another one does', async () => {
    const excluded = await h.connectedClient();
    const other = await h.connectedClient();
    const name = uniq('exclude-');
    const chX = await subscribed(excluded, name);
    const chO = await subscribed(other, name);
    const seenByExcluded = record(chX, 'not-for-you');
    const gotOther = nextEvent(chO, 'not-for-you');
    await sdk.trigger(name, 'not-for-you', { x: 1 }, { socket_id: excluded.connection.socket_id });
    await gotOther;
    const marker = nextEvent(chX, 'marker');
    await sdk.trigger(name, 'marker', {});
    await marker;
    assert.equal(seenByExcluded.length, 0);
  });

  test("trigger with info 'user_count,subscription_count' → channels map with user_count (presence) and subscription_count (non-presence)", async () => {
    const counted = h.sdk(COUNTED);
    const pres = uniq('presence-info-');
    const pub = uniq('public-info-');
    await presenceMembers(pres, ['u1', 'u2'], COUNTED);
    const c = await h.connectedClient({ app: COUNTED });
    await subscribed(c, pub);
    const c2 = await h.connectedClient({ app: COUNTED });
    await subscribed(c2, pub);
    const { status, body } = await jsonOf(counted.trigger([pres, pub], 'ev', {}, { info: 'user_count,subscription_count' }));
    assert.equal(status, 200);
    assert.equal(body.channels?.[pres]?.user_count, 2, JSON.stringify(body));
    assert.equal(body.channels?.[pub]?.subscription_count, 2, JSON.stringify(body));
  });

  test('triggerBatch: each item reaches its channel with its own data', async () => {
    const a = uniq('batch-a-');
    const b = uniq('batch-b-');
    const c = await h.connectedClient();
    const chA = await subscribed(c, a);
    const chB = await subscribed(c, b);
    const gotA = nextEvent(chA, 'ev-a');
    const gotB = nextEvent(chB, 'ev-b');
    const { status } = await jsonOf(
      sdk.triggerBatch([
        { channel: a, name: 'ev-a', data: { item: 'a' } },
        { channel: b, name: 'ev-b', data: { item: 'b' } },
      ]),
    );
    assert.equal(status, 200);
    assert.deepEqual((await gotA).data, { item: 'a' });
    assert.deepEqual((await gotB).data, { item: 'b' });
  });

  test('triggerBatch with info → {"batch":[…]} index-aligned attributes', async () => {
    const pres = uniq('presence-batch-');
    await presenceMembers(pres, ['b1', 'b2', 'b3']);
    const plain = uniq('plain-batch-');
    const { body } = await jsonOf(
      sdk.triggerBatch([
        { channel: plain, name: 'x', data: {} },
        { channel: pres, name: 'x', data: {}, info: 'user_count' },
      ]),
    );
    assert.ok(Array.isArray(body.batch), JSON.stringify(body));
    assert.equal(body.batch.length, 2);
    assert.equal(body.batch[1].user_count, 3);
  });

  test('trigger with the single "channel" field (raw) is accepted', async () => {
    const c = await h.connectedClient();
    const name = uniq('single-');
    const ch = await subscribed(c, name);
    const got = nextEvent(ch, 'solo');
    const r = await signedRequest(h.server, 'POST', '/events', { body: { name: 'solo', channel: name, data: '{"s":1}' } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual((await got).data, { s: 1 });
  });
});

describe('4. HTTP API: trigger routing details', () => {
  test('trigger to #server-to-user-<id> (raw, as sendToUser posts it) honours socket_id exclusion', async () => {
    const id = uniq('excl-user-');
    const a = await h.raw();
    const b = await h.raw();
    for (const s of [a, b]) {
      s.send(s.signinFrame(JSON.stringify({ id })));
      await s.expect('pusher:signin_success');
    }
    const r = await signedRequest(h.server, 'POST', '/events', {
      body: { name: 'dm', channels: [`#server-to-user-${id}`], data: '{}', socket_id: a.socketId },
    });
    assert.equal(r.status, 200, r.text);
    await b.expect('dm');
    await sdk.sendToUser(id, 'marker', {});
    await a.expect('marker');
    assert.equal(a.seen('dm').length, 0);
  });

  test('triggerBatch honours a per-item socket_id', async () => {
    const excluded = await h.connectedClient();
    const other = await h.connectedClient();
    const name = uniq('batch-excl-');
    const chX = await subscribed(excluded, name);
    const chO = await subscribed(other, name);
    const seen = record(chX, 'b-ev');
    const got = nextEvent(chO, 'b-ev');
    await sdk.triggerBatch([{ channel: name, name: 'b-ev', data: {}, socket_id: excluded.connection.socket_id }]);
    await got;
    const marker = nextEvent(chX, 'marker');
    await sdk.trigger(name, 'marker', {});
    await marker;
    assert.equal(seen.length, 0);
  });

  test('user ids with every allowed character (=@,.;-_) work for sendToUser and terminateUserConnections', async () => {
    const id = `u=1;a,b@c.d-e_${process.pid}`;
    const s = await h.raw();
    s.send(s.signinFrame(JSON.stringify({ id })));
    await s.expect('pusher:signin_success');
    await sdk.sendToUser(id, 'odd-id', { ok: 1 });
    const f = await s.expect('odd-id');
    assert.equal(f.channel, `#server-to-user-${id}`);
    const res = await sdk.terminateUserConnections(id);
    assert.equal(res.status, 200);
    assert.equal((await s.waitClose()).code, 4009);
  });
});

describe('4. HTTP API: delivery guarantees', () => {
  test('sequential triggers arrive in order at every subscriber (30 events, 20 raw subscribers)', async () => {
    const name = uniq('order-');
    const subs = [];
    for (let i = 0; i < 20; i++) {
      const s = await h.raw();
      await s.subscribeOk(name);
      subs.push(s);
    }
    for (let i = 0; i < 30; i++) await sdk.trigger(name, 'seq', { i });
    for (const s of subs) {
      for (let i = 0; i < 30; i++) {
        const f = await s.expect('seq');
        assert.equal(dataOf(f).i, i, `subscriber got ${dataOf(f).i} where ${i} was due`);
      }
    }
    for (const s of subs) s.close();
  });

  test('a channel listed twice in one trigger is published once', async () => {
    const c = await h.connectedClient();
    const name = uniq('dup-');
    const ch = await subscribed(c, name);
    const calls = record(ch, 'once');
    await sdk.trigger([name, name], 'once', {});
    const marker = nextEvent(ch, 'marker');
    await sdk.trigger(name, 'marker', {});
    await marker;
    assert.equal(calls.length, 1);
  });

  test('a batch with one invalid item is refused whole (400) and nothing is delivered', async () => {
    const c = await h.connectedClient();
    const name = uniq('batch-all-');
    const ch = await subscribed(c, name);
    const calls = record(ch, 'partial');
    const r = await signedRequest(h.server, 'POST', '/batch_events', {
      body: { batch: [{ channel: name, name: 'partial', data: '{}' }, { channel: 'bad name!', name: 'partial', data: '{}' }] },
    });
    assert.equal(r.status, 400, r.text);
    const marker = nextEvent(ch, 'marker');
    await sdk.trigger(name, 'marker', {});
    await marker;
    assert.equal(calls.length, 0);
  });

  test('event data limit counts UTF-8 bytes: 5121 × "é" (10242 bytes) → 413; multi-byte data arrives intact', async () => {
    const err = await sdkError(sdk.trigger(uniq('utf-'), 'big', 'é'.repeat(5121)));
    assert.equal(err.status, 413);
    const c = await h.connectedClient();
    const name = uniq('utf-ok-');
    const ch = await subscribed(c, name);
    const text = 'é€😀'.repeat(500);
    const got = nextEvent(ch, 'utf');
    await sdk.trigger(name, 'utf', { text });
    assert.equal((await got).data.text, text);
  });

  test('after the last subscriber leaves, the channel is no longer occupied', async () => {
    const c = await h.connectedClient();
    const name = uniq('vacate-');
    await subscribed(c, name);
    const { body } = await jsonOf(sdk.get({ path: `/channels/${name}` }));
    assert.equal(body.occupied, true);
    c.disconnect();
    await until(async () => (await jsonOf(sdk.get({ path: `/channels/${name}` }))).body.occupied === false, {
      what: `${name} unoccupied after disconnect`,
    });
    const { body: list } = await jsonOf(sdk.get({ path: '/channels' }));
    assert.ok(!(name in list.channels));
  });
});

describe('4. HTTP API: channel queries', () => {
  test("get /channels {filter_by_prefix:'presence-', info:'user_count'} → only presence channels with user_count", async () => {
    const pres = uniq('presence-list-');
    await presenceMembers(pres, ['l1', 'l2']);
    const c = await h.connectedClient();
    const pub = uniq('not-presence-');
    await subscribed(c, pub);
    const { status, body } = await jsonOf(sdk.get({ path: '/channels', params: { filter_by_prefix: 'presence-', info: 'user_count' } }));
    assert.equal(status, 200);
    assert.deepEqual(body.channels[pres], { user_count: 2 });
    for (const name of Object.keys(body.channels)) assert.ok(name.startsWith('presence-'), name);
  });

  test('get /channels lists occupied channels only ({} per channel), never #server-to-user-*', async () => {
    const c = await h.connectedClient();
    const pub = uniq('occupied-');
    const ch = await subscribed(c, pub);
    const { body } = await jsonOf(sdk.get({ path: '/channels' }));
    assert.deepEqual(body.channels[pub], {});
    for (const name of Object.keys(body.channels)) assert.ok(!name.startsWith('#'), name);
    c.unsubscribe(ch.name);
    const gone = uniq('never-');
    const { body: again } = await jsonOf(sdk.get({ path: '/channels' }));
    assert.ok(!(gone in again.channels));
  });

  test('get /channels with info=user_count but no presence- prefix → 400', async () => {
    const err = await sdkError(sdk.get({ path: '/channels', params: { info: 'user_count' } }));
    assert.equal(err.status, 400);
  });

  test('get /channels/<public name> → {occupied:true}; unknown channel → {occupied:false}', async () => {
    const c = await h.connectedClient();
    const pub = uniq('info-');
    await subscribed(c, pub);
    const { body } = await jsonOf(sdk.get({ path: `/channels/${pub}` }));
    assert.equal(body.occupied, true);
    const { status, body: empty } = await jsonOf(sdk.get({ path: `/channels/${uniq('empty-')}` }));
    assert.equal(status, 200);
    assert.deepEqual(empty, { occupied: false });
  });

  test('get /channels/<presence name> info=user_count → user_count', async () => {
    const pres = uniq('presence-one-');
    await presenceMembers(pres, ['x1', 'x2', 'x2']);
    const { body } = await jsonOf(sdk.get({ path: `/channels/${pres}`, params: { info: 'user_count' } }));
    assert.equal(body.occupied, true);
    assert.equal(body.user_count, 2);
  });

  test('get /channels/<name> info=subscription_count (feature on) → subscription_count', async () => {
    const counted = h.sdk(COUNTED);
    const pub = uniq('sc-');
    for (let i = 0; i < 3; i++) await subscribed(await h.connectedClient({ app: COUNTED }), pub);
    const { body } = await jsonOf(counted.get({ path: `/channels/${pub}`, params: { info: 'subscription_count' } }));
    assert.equal(body.occupied, true);
    assert.equal(body.subscription_count, 3);
  });

  test('get /channels/<presence name> info=subscription_count signed with percent-encoded values (Java SDK style) is accepted', async () => {
    const pres = uniq('presence-enc-');
    await presenceMembers(pres, ['e1']);
    const r = await signedRequest(h.server, 'GET', `/channels/${pres}`, { params: { info: 'user_count' }, encodeValues: true });
    assert.equal(r.status, 200, r.text);
    const r2 = await signedRequest(h.server, 'GET', '/channels', {
      params: { filter_by_prefix: 'presence-', info: 'user_count' },
      encodeValues: true,
    });
    assert.equal(r2.status, 200, r2.text);
  });

  test('get /channels/<cache name> info=cache → {cache:{data, ttl}} after a trigger', async () => {
    const name = uniq('cache-q-');
    await sdk.trigger(name, 'cached-ev', { c: 1 });
    const r = await signedRequest(h.server, 'GET', `/channels/${name}`, { params: { info: 'cache' } });
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.cache, r.text);
    assert.equal(typeof r.json.cache.ttl, 'number');
    assert.ok(String(r.json.cache.data).includes('"c":1'), r.text);
  });

  test('get /channels/<presence name>/users → {users:[{id}]} distinct users', async () => {
    const pres = uniq('presence-users-');
    await presenceMembers(pres, ['p1', 'p2', 'p1']);
    const { status, body } = await jsonOf(sdk.get({ path: `/channels/${pres}/users` }));
    assert.equal(status, 200);
    assert.deepEqual(body.users.map((u) => u.id).sort(), ['p1', 'p2']);
    for (const u of body.users) assert.deepEqual(Object.keys(u), ['id']);
  });

  test('get /channels/<unoccupied presence>/users → 200 {users:[]}', async () => {
    const { status, body } = await jsonOf(sdk.get({ path: `/channels/${uniq('presence-nobody-')}/users` }));
    assert.equal(status, 200);
    assert.deepEqual(body, { users: [] });
  });

  test('get /channels/<non-presence>/users → 400', async () => {
    const err = await sdkError(sdk.get({ path: `/channels/${uniq('public-')}/users` }));
    assert.equal(err.status, 400);
  });
});

describe('4. HTTP API: errors', () => {
  function assertJsonError(r, status) {
    assert.equal(r.status, status, `status ${r.status}: ${r.text}`);
    assert.ok(r.json !== undefined && typeof r.json === 'object', `error body must be JSON, got: ${r.text}`);
  }

  test('event data over 10 KB → 413 (SDK trigger)', async () => {
    const err = await sdkError(sdk.trigger(uniq('big-'), 'big', 'x'.repeat(10 * 1024 + 1)));
    assert.equal(err.status, 413, err.body);
  });

  test('event data of exactly 10 KB is accepted', async () => {
    const { status } = await jsonOf(sdk.trigger(uniq('big-'), 'big', 'x'.repeat(10 * 1024)));
    assert.equal(status, 200);
  });

  test('batch item data over 10 KB → 413', async () => {
    const err = await sdkError(sdk.triggerBatch([{ channel: uniq('b-'), name: 'big', data: 'x'.repeat(10 * 1024 + 1) }]));
    assert.equal(err.status, 413, err.body);
  });

  test('bad signature → 401 with a JSON body', async () => {
    const r = await signedRequest(h.server, 'POST', '/events', {
      body: { name: 'x', channels: ['c'], data: '{}' },
      signWith: 'wrong-secret',
    });
    assertJsonError(r, 401);
  });

  test('SDK with a wrong secret → 401', async () => {
    const bad = h.sdk({ id: 'app-id', key: 'app-key', secret: 'not-the-secret' });
    const err = await sdkError(bad.trigger('c', 'x', {}));
    assert.equal(err.status, 401);
  });

  test('wrong auth_key for the app → 401', async () => {
    const r = await signedRequest(h.server, 'GET', '/channels', { creds: { id: 'app-id', key: 'key-counted', secret: 'secret-counted' } });
    assertJsonError(r, 401);
  });

  test('expired auth_timestamp (now − 3600 s, correctly signed) → 401', async () => {
    const r = await signedRequest(h.server, 'GET', '/channels', { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    assertJsonError(r, 401);
  });

  test('auth_timestamp in the future (now + 3600 s) → 401', async () => {
    const r = await signedRequest(h.server, 'GET', '/channels', { timestamp: Math.floor(Date.now() / 1000) + 3600 });
    assertJsonError(r, 401);
  });

  test('body_md5 not matching the body → rejected (401 or 400)', async () => {
    const r = await signedRequest(h.server, 'POST', '/events', {
      body: { name: 'x', channels: ['c'], data: '{}' },
      bodyMd5: '0'.repeat(32),
    });
    assert.ok(r.status === 401 || r.status === 400, `status ${r.status}: ${r.text}`);
  });

  test('unknown app id → 404', async () => {
    const r = await signedRequest(h.server, 'GET', '/channels', { creds: { id: 'no-such-app', key: 'app-key', secret: 'app-secret' } });
    assert.equal(r.status, 404, r.text);
  });

  test('bad JSON body (correctly signed) → 400 with a JSON body', async () => {
    const r = await signedRequest(h.server, 'POST', '/events', { body: '{"name":"x","channels":["c"],"data":' });
    assertJsonError(r, 400);
  });

  test('body without name / channels → 400', async () => {
    const r1 = await signedRequest(h.server, 'POST', '/events', { body: { channels: ['c'], data: '{}' } });
    assertJsonError(r1, 400);
    const r2 = await signedRequest(h.server, 'POST', '/events', { body: { name: 'x', data: '{}' } });
    assertJsonError(r2, 400);
  });

  test('more than 100 channels in one trigger → 400', async () => {
    const channels = Array.from({ length: 101 }, (_, i) => `ch-${i}`);
    const r = await signedRequest(h.server, 'POST', '/events', { body: { name: 'x', channels, data: '{}' } });
    assertJsonError(r, 400);
  });

  test('more than 10 events in a batch → 400', async () => {
    const batch = Array.from({ length: 11 }, (_, i) => ({ channel: `ch-${i}`, name: 'x', data: '{}' }));
    const r = await signedRequest(h.server, 'POST', '/batch_events', { body: { batch } });
    assertJsonError(r, 400);
  });

  test('invalid channel name in a trigger → 400', async () => {
    const r = await signedRequest(h.server, 'POST', '/events', { body: { name: 'x', channels: ['bad name!'], data: '{}' } });
    assertJsonError(r, 400);
  });

  test('socket_id not matching ^\\d+\\.\\d+$ → 400', async () => {
    const r = await signedRequest(h.server, 'POST', '/events', { body: { name: 'x', channels: ['c'], data: '{}', socket_id: 'abc' } });
    assertJsonError(r, 400);
  });

  test('event name over 200 characters → 400', async () => {
    const r = await signedRequest(h.server, 'POST', '/events', { body: { name: 'e'.repeat(201), channels: ['c'], data: '{}' } });
    assertJsonError(r, 400);
  });

  test('a # channel other than #server-to-user- → 400', async () => {
    const r = await signedRequest(h.server, 'POST', '/events', { body: { name: 'x', channels: ['#internal'], data: '{}' } });
    assertJsonError(r, 400);
  });

  test('private-encrypted- channel together with another channel → 400', async () => {
    const r = await signedRequest(h.server, 'POST', '/events', {
      body: { name: 'x', channels: ['private-encrypted-a', 'plain'], data: '{"nonce":"","ciphertext":""}' },
    });
    assertJsonError(r, 400);
  });

  test('info=user_count on a non-presence channel → 400', async () => {
    const err = await sdkError(sdk.get({ path: `/channels/${uniq('pub-')}`, params: { info: 'user_count' } }));
    assert.equal(err.status, 400);
  });

  test('GET on /events (known path, wrong method) → 405', async () => {
    const r = await signedRequest(h.server, 'GET', '/events');
    assert.equal(r.status, 405, r.text);
  });

  test('disabled app → 403', async () => {
    const err = await sdkError(h.sdk(DISABLED).trigger('c', 'x', {}));
    assert.equal(err.status, 403, err.body);
  });

  test('auth_timestamp 500 s old (inside the 600 s window) is accepted', async () => {
    const r = await signedRequest(h.server, 'GET', '/channels', { timestamp: Math.floor(Date.now() / 1000) - 500 });
    assert.equal(r.status, 200, r.text);
  });

  test('auth_version other than 1.0 → 401', async () => {
    const r = await signedRequest(h.server, 'GET', '/channels', { tamper: (q) => q.replace('auth_version=1.0', 'auth_version=2.0') });
    assertJsonError(r, 401);
  });

  test('request body over max_http_body_bytes (256 KB) → 413', async () => {
    const r = await signedRequest(h.server, 'POST', '/events', { body: { name: 'x', channels: ['c'], data: 'y'.repeat(300 * 1024) } });
    assert.equal(r.status, 413, r.text.slice(0, 200));
  });

  test('request without any auth params → 401', async () => {
    const res = await fetch(h.server.httpUrl('/apps/app-id/channels'));
    assert.equal(res.status, 401);
  });
});
