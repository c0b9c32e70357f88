// Point 2 — channels: public, private, private-encrypted, cache variants, subscription_count, name rules,
// subscription authorization failures. (Presence lives in presence.test.mjs.)

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setup, subscribed } from '../lib/harness.mjs';
import { dataOf } from '../lib/raw.mjs';
import { app } from '../lib/server.mjs';
import { nextEvent, record, until } from '../lib/wait.mjs';
import { signedRequest } from '../lib/http.mjs';

const SHORT_CACHE = app({ id: 'app-shortcache', key: 'key-shortcache', secret: 'secret-shortcache', cache_ttl_seconds: 1 });
const COUNTED = app({ id: 'app-counted', key: 'key-counted', secret: 'secret-counted', enable_subscription_count: true });

let h;
let sdk;
before(async () => {
  h = await setup({ apps: [app(), COUNTED, SHORT_CACHE] });
  sdk = h.sdk();
});
after(() => h?.close());

let n = 0;
const uniq = (prefix) => `${prefix}${process.pid}-${++n}`;

describe('2. channels: public and private', () => {
  test('public channel: subscribe with pusher-js, event from pusher.trigger arrives with its data', async () => {
    const client = await h.connectedClient();
    const name = uniq('public-');
    const channel = await subscribed(client, name);
    const got = nextEvent(channel, 'greeting');
    await sdk.trigger(name, 'greeting', { hello: 'world', n: 1 });
    const { data } = await got;
    assert.deepEqual(data, { hello: 'world', n: 1 });
  });

  test('raw: subscription_succeeded for a public channel carries data "{}" and the channel name', async () => {
    const s = await h.raw();
    const name = uniq('raw-public-');
    s.subscribe(name);
    const ok = await s.expect((f) => f.event === 'pusher_internal:subscription_succeeded', 'subscription_succeeded');
    assert.equal(ok.channel, name);
    assert.deepEqual(dataOf(ok), {});
  });

  test('raw: an HTTP event arrives as {event, channel, data} with data exactly the string triggered', async () => {
    const s = await h.raw();
    const name = uniq('raw-event-');
    await s.subscribeOk(name);
    await sdk.trigger(name, 'my-event', { a: [1, 2, 3] });
    const f = await s.expect('my-event');
    assert.equal(f.channel, name);
    assert.equal(f.data, JSON.stringify({ a: [1, 2, 3] }));
    assert.ok(!('user_id' in f), 'no user_id on server events');
  });

  test('private channel: pusher-js authorizes through the auth endpoint, receives events', async () => {
    const client = await h.connectedClient();
    const name = uniq('private-');
    const channel = await subscribed(client, name);
    const got = nextEvent(channel, 'secret-event');
    await sdk.trigger(name, 'secret-event', { ok: true });
    assert.deepEqual((await got).data, { ok: true });
  });

  test('unsubscribe: events on the channel stop arriving (marker on another channel)', async () => {
    const client = await h.connectedClient();
    const name = uniq('leave-');
    const marker = uniq('marker-');
    const channel = await subscribed(client, name);
    const calls = record(channel, 'after-leave');
    client.unsubscribe(name);
    const markerChannel = await subscribed(client, marker); // subscribe after unsubscribe: ordered on the socket
    const gotMarker = nextEvent(markerChannel, 'marker');
    await sdk.trigger(name, 'after-leave', {});
    await sdk.trigger(marker, 'marker', {});
    await gotMarker;
    assert.equal(calls.length, 0);
  });

  test('subscribing twice to the same channel → pusher:error (code null), first subscription intact', async () => {
    const s = await h.raw();
    const name = uniq('twice-');
    await s.subscribeOk(name);
    s.subscribe(name);
    const err = await s.error();
    assert.equal(err.code, null);
    assert.equal(typeof err.message, 'string');
    await sdk.trigger(name, 'still-here', {});
    await s.expect('still-here');
  });

  test('pusher:unsubscribe gets no reply; unsubscribing an unknown channel is ignored silently', async () => {
    const s = await h.raw();
    const name = uniq('quiet-');
    await s.subscribeOk(name);
    const before = s.frames.length;
    s.send({ event: 'pusher:unsubscribe', data: { channel: name } });
    s.send({ event: 'pusher:unsubscribe', data: { channel: uniq('never-subscribed-') } });
    await s.ping();
    assert.deepEqual(s.frames.slice(before).map((f) => f.event), ['pusher:pong'], s.describe());
  });
});

describe('2. channels: private-encrypted', () => {
  test('pusher-js (Node build has nacl) decrypts an event triggered by the SDK with encryptionMasterKeyBase64', async () => {
    const client = await h.connectedClient();
    assert.ok(client.config.nacl, 'pusher-js Node build must carry nacl');
    const name = uniq('private-encrypted-');
    const channel = await subscribed(client, name);
    const got = nextEvent(channel, 'sealed');
    await sdk.trigger(name, 'sealed', { card: '4242', note: 'ünïcode' });
    assert.deepEqual((await got).data, { card: '4242', note: 'ünïcode' });
  });

  test('the server forwards ciphertext only: a raw subscriber sees {nonce, ciphertext}, no plaintext', async () => {
    const s = await h.raw();
    const name = uniq('private-encrypted-');
    await s.subscribeOk(name, { auth: s.privateAuth(name) });
    await sdk.trigger(name, 'sealed', { plaintext: 'top-secret-value' });
    const f = await s.expect('sealed');
    const d = dataOf(f);
    assert.equal(typeof d.nonce, 'string');
    assert.equal(typeof d.ciphertext, 'string');
    assert.ok(!f.data.includes('top-secret-value'));
  });
});

describe('2. channels: cache channels', () => {
  for (const prefix of ['cache-', 'private-cache-', 'presence-cache-']) {
    test(`${prefix}: subscribe before any event → pusher:cache_miss`, async () => {
      const client = await h.connectedClient({ channelParams: { user_id: 'cache-user' } });
      const name = uniq(prefix);
      const channel = client.subscribe(name);
      const miss = nextEvent(channel, 'pusher:cache_miss');
      await miss;
    });

    test(`${prefix}: after a trigger, a new subscriber receives the last event at once (and no cache_miss)`, async () => {
      const name = uniq(prefix);
      await sdk.trigger(name, 'first', { v: 1 });
      await sdk.trigger(name, 'last', { v: 2 });
      const client = await h.connectedClient({ channelParams: { user_id: 'cache-user-2' } });
      const channel = client.subscribe(name);
      const misses = record(channel, 'pusher:cache_miss');
      const firsts = record(channel, 'first');
      const { data } = await nextEvent(channel, 'last');
      assert.deepEqual(data, { v: 2 });
      assert.equal(misses.length, 0, 'no cache_miss when the cache holds an event');
      assert.equal(firsts.length, 0, 'only the last event is cached');
    });
  }

  test('raw cache-: subscription_succeeded comes first, then the cached event with its channel and data', async () => {
    const name = uniq('cache-');
    await sdk.trigger(name, 'cached', 'plain string payload');
    const s = await h.raw();
    s.subscribe(name);
    await s.expect('pusher_internal:subscription_succeeded');
    const f = await s.expect('cached');
    assert.equal(f.channel, name);
    assert.equal(f.data, 'plain string payload');
    const iSucc = s.frames.findIndex((x) => x.event === 'pusher_internal:subscription_succeeded');
    const iCached = s.frames.findIndex((x) => x.event === 'cached');
    assert.ok(iSucc < iCached, `order: ${s.describe()}`);
  });

  test('client events are never cached: private-cache- new subscriber gets cache_miss, not the client event', async () => {
    const a = await h.raw();
    const b = await h.raw();
    const name = uniq('private-cache-');
    await a.subscribeOk(name, { auth: a.privateAuth(name) });
    await a.expect('pusher:cache_miss');
    await b.subscribeOk(name, { auth: b.privateAuth(name) });
    await b.expect('pusher:cache_miss');
    a.send({ event: 'client-not-cached', channel: name, data: {} });
    await b.expect('client-not-cached');
    const c = await h.raw();
    await c.subscribeOk(name, { auth: c.privateAuth(name) });
    await c.expect('pusher:cache_miss', 'cache_miss for the third subscriber');
    assert.equal(c.seen('client-not-cached').length, 0);
  });

  test('cache_ttl_seconds: once the cached event expires, a new subscriber gets cache_miss', async () => {
    const short = h.sdk(SHORT_CACHE);
    const name = uniq('cache-ttl-');
    await short.trigger(name, 'soon-gone', {});
    const first = await h.raw(SHORT_CACHE.key);
    first.subscribe(name);
    await first.expect('soon-gone', 'cached event while fresh');
    await until(
      async () => {
        const r = await signedRequest(h.server, 'GET', `/channels/${name}`, { creds: SHORT_CACHE, params: { info: 'cache' } });
        return r.status === 200 && r.json.cache === null;
      },
      { timeout: 5000, interval: 100, what: 'info=cache null after the TTL' },
    );
    const later = await h.raw(SHORT_CACHE.key);
    later.subscribe(name);
    await later.expect('pusher:cache_miss');
    assert.equal(later.seen('soon-gone').length, 0);
  });

  test('raw cache-: cache_miss frame is channel-scoped', async () => {
    const s = await h.raw();
    const name = uniq('cache-');
    s.subscribe(name);
    const f = await s.expect('pusher:cache_miss');
    assert.equal(f.channel, name);
  });
});

describe('2. channels: subscription_count', () => {
  test('app with enable_subscription_count: pusher:subscription_count reaches subscribers as the count changes', async () => {
    const a = await h.connectedClient({ app: COUNTED });
    const b = await h.connectedClient({ app: COUNTED });
    const name = uniq('counted-');
    const chA = a.subscribe(name);
    const one = nextEvent(chA, 'pusher:subscription_count', { filter: (d) => d.subscription_count === 1 });
    await one;
    const two = nextEvent(chA, 'pusher:subscription_count', { filter: (d) => d.subscription_count === 2 });
    await subscribed(b, name);
    await two;
    assert.equal(chA.subscriptionCount, 2);
    const back = nextEvent(chA, 'pusher:subscription_count', { filter: (d) => d.subscription_count === 1 });
    b.unsubscribe(name);
    await back;
  });

  test('raw: subscription_count frame shape is {"subscription_count":N} as a JSON string', async () => {
    const s = await h.raw(COUNTED.key);
    const name = uniq('counted-raw-');
    s.subscribe(name);
    const f = await s.expect((x) => x.event === 'pusher_internal:subscription_count' && x.channel === name, 'subscription_count');
    assert.deepEqual(dataOf(f), { subscription_count: 1 });
  });

  test('app with the feature: no subscription_count on presence channels (subscription_count_on_presence off)', async () => {
    const s = await h.raw(COUNTED.key);
    const name = uniq('presence-counted-');
    const cd = JSON.stringify({ user_id: 'c1' });
    await s.subscribeOk(name, { auth: s.presenceAuth(name, cd, { key: COUNTED.key, secret: COUNTED.secret }), channel_data: cd });
    await s.ping();
    assert.equal(s.seen('pusher_internal:subscription_count').length, 0, s.describe());
  });

  test('app without the feature: no pusher_internal:subscription_count is sent', async () => {
    const s = await h.raw();
    const name = uniq('uncounted-');
    await s.subscribeOk(name);
    await s.ping();
    assert.equal(s.seen('pusher_internal:subscription_count').length, 0, s.describe());
  });
});

describe('2. channels: name rules (raw socket)', () => {
  async function rejected(s, channel) {
    s.subscribe(channel);
    const err = await s.error(`pusher:error for channel ${JSON.stringify(channel).slice(0, 40)}`);
    assert.equal(typeof err.message, 'string');
    await s.ping(); // connection survives
    assert.equal(s.seen((f) => f.event === 'pusher_internal:subscription_succeeded' && f.channel === channel).length, 0);
    return err;
  }

  for (const bad of ['has space', 'star*', 'slash/x', 'quote"x', 'ünicode', '']) {
    test(`invalid character channel ${JSON.stringify(bad)} → pusher:error, connection survives`, async () => {
      const s = await h.raw();
      await rejected(s, bad);
      await s.subscribeOk(uniq('fine-'));
    });
  }

  test('channel name of 165 characters (> 164) → pusher:error, connection survives', async () => {
    const s = await h.raw();
    await rejected(s, 'x'.repeat(165));
    await s.subscribeOk(uniq('fine-'));
  });

  test('channel name of exactly 164 characters is accepted', async () => {
    const s = await h.raw();
    const name = ('len164-' + process.pid + '-').padEnd(164, 'y');
    assert.equal(name.length, 164);
    await s.subscribeOk(name);
  });

  test('all allowed characters -_=@,.; are accepted', async () => {
    const s = await h.raw();
    await s.subscribeOk(uniq('Az09-_=@,.;'));
  });

  test('a #-prefixed channel other than #server-to-user- → pusher:error', async () => {
    const s = await h.raw();
    await rejected(s, '#internal-thing');
  });
});

describe('2. channels: subscription authorization', () => {
  for (const prefix of ['private-', 'presence-', 'private-encrypted-']) {
    test(`${prefix}: forged signature → pusher:error code null, no subscription_succeeded`, async () => {
      const s = await h.raw();
      const name = uniq(prefix);
      const extra = { auth: `app-key:${'0'.repeat(64)}` };
      if (prefix === 'presence-') extra.channel_data = JSON.stringify({ user_id: 'u1' });
      s.subscribe(name, extra);
      const err = await s.error();
      assert.equal(err.code, null);
      await s.ping();
      assert.equal(s.seen('pusher_internal:subscription_succeeded').length, 0);
      await sdk.trigger(name, 'leak', {});
      await s.ping();
      assert.equal(s.seen('leak').length, 0, 'no events on a refused channel');
    });

    test(`${prefix}: missing auth → pusher:error code null, no subscription_succeeded`, async () => {
      const s = await h.raw();
      const name = uniq(prefix);
      s.send({ event: 'pusher:subscribe', data: { channel: name } });
      const err = await s.error();
      assert.equal(err.code, null);
      await s.ping();
      assert.equal(s.seen('pusher_internal:subscription_succeeded').length, 0);
    });
  }

  test('private-: signature valid for another socket id → pusher:error', async () => {
    const a = await h.raw();
    const b = await h.raw();
    const name = uniq('private-');
    b.subscribe(name, { auth: a.privateAuth(name) });
    const err = await b.error();
    assert.equal(err.code, null);
    await b.ping();
    assert.equal(b.seen('pusher_internal:subscription_succeeded').length, 0);
  });

  test('private-: auth with another app key → pusher:error', async () => {
    const s = await h.raw();
    const name = uniq('private-');
    s.subscribe(name, { auth: s.privateAuth(name, { key: 'key-counted', secret: 'secret-counted' }) });
    await s.error();
    await s.ping();
    assert.equal(s.seen('pusher_internal:subscription_succeeded').length, 0);
  });

  test('private-: auth without the key: prefix → pusher:error', async () => {
    const s = await h.raw();
    const name = uniq('private-');
    s.subscribe(name, { auth: s.privateAuth(name).split(':')[1] });
    await s.error();
    await s.ping();
    assert.equal(s.seen('pusher_internal:subscription_succeeded').length, 0);
  });

  test('private-: a correct raw signature subscribes (control for the forged cases)', async () => {
    const s = await h.raw();
    const name = uniq('private-');
    await s.subscribeOk(name, { auth: s.privateAuth(name) });
  });
});
