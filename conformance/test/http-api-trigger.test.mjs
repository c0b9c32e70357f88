// Point 4 — the HTTP API: trigger and triggerBatch, their routing details and delivery guarantees, driven
// by the `pusher` SDK (pusher-http-node 5.3.4) and by self-signed raw requests.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setup, subscribed } from '../lib/harness.mjs';
import { jsonOf, sdkError, signedRequest } from '../lib/http.mjs';
import { dataOf } from '../lib/raw.mjs';
import { app } from '../lib/server.mjs';
import { nextEvent, record, until } from '../lib/wait.mjs';
import { presenceMembers } from './clients.mjs';

const COUNTED = app({ id: 'app-counted', key: 'key-counted', secret: 'secret-counted', enable_subscription_count: true });

let h;
let sdk;
before(async () => {
  h = await setup({ apps: [app(), COUNTED] });
  sdk = h.sdk();
});
after(() => h?.close());

let n = 0;
const uniq = (prefix) => `${prefix}${process.pid}-${++n}`;

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
    await presenceMembers(h, pres, ['u1', 'u2'], COUNTED);
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
    await presenceMembers(h, pres, ['b1', 'b2', 'b3']);
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
