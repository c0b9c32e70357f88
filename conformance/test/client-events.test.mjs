// Point 3 — client events: relay on private and presence channels, no echo, user_id on presence, refusals
// (public channel, app setting off, not subscribed) and the per-connection rate limit (4301).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setup, subscribed } from '../lib/harness.mjs';
import { dataOf } from '../lib/raw.mjs';
import { app } from '../lib/server.mjs';
import { nextEvent, record } from '../lib/wait.mjs';

const NO_CLIENT = app({ id: 'app-noclient', key: 'key-noclient', secret: 'secret-noclient', enable_client_messages: false });
const RATE = app({ id: 'app-rate', key: 'key-rate', secret: 'secret-rate', max_client_events_per_second: 5 });

let h;
let sdk;
before(async () => {
  h = await setup({ apps: [app(), NO_CLIENT, RATE] });
  sdk = h.sdk();
});
after(() => h?.close());

let n = 0;
const uniq = (prefix) => `${prefix}${process.pid}-${++n}`;

describe('3. client events', () => {
  for (const prefix of ['private-', 'presence-']) {
    test(`${prefix}: channel.trigger('client-x') reaches the other client and is not echoed to the sender`, async () => {
      const a = await h.connectedClient({ channelParams: { user_id: 'sender' } });
      const b = await h.connectedClient({ channelParams: { user_id: 'receiver' } });
      const name = uniq(prefix);
      const chA = await subscribed(a, name);
      const chB = await subscribed(b, name);
      const echoes = record(chA, 'client-typing');
      const got = nextEvent(chB, 'client-typing');
      assert.equal(chA.trigger('client-typing', { chars: 3 }), true, 'pusher-js sent the client event');
      const { data, metadata } = await got;
      assert.deepEqual(data, { chars: 3 });
      if (prefix === 'presence-') {
        assert.equal(metadata?.user_id, 'sender', 'receiver sees the sender id as metadata.user_id');
      }
      const marker = nextEvent(chA, 'marker');
      await sdk.trigger(name, 'marker', {});
      await marker;
      assert.equal(echoes.length, 0, 'client event must not be echoed to its sender');
    });
  }

  test('raw: relayed on presence with top-level user_id of the sender, data unchanged; no user_id on private', async () => {
    const sender = await h.raw();
    const receiver = await h.raw();
    const pres = uniq('presence-');
    const cdS = JSON.stringify({ user_id: 'raw-sender' });
    const cdR = JSON.stringify({ user_id: 'raw-receiver' });
    await sender.subscribeOk(pres, { auth: sender.presenceAuth(pres, cdS), channel_data: cdS });
    await receiver.subscribeOk(pres, { auth: receiver.presenceAuth(pres, cdR), channel_data: cdR });
    sender.send({ event: 'client-obj', channel: pres, data: { nested: { a: 1 } }, user_id: 'forged-id' });
    const f = await receiver.expect('client-obj');
    assert.equal(f.channel, pres);
    assert.equal(f.user_id, 'raw-sender', 'user_id comes from the membership, never from the client frame');
    assert.deepEqual(dataOf(f), { nested: { a: 1 } });

    const priv = uniq('private-');
    await sender.subscribeOk(priv, { auth: sender.privateAuth(priv) });
    await receiver.subscribeOk(priv, { auth: receiver.privateAuth(priv) });
    sender.send({ event: 'client-str', channel: priv, data: 'just a string' });
    const g = await receiver.expect('client-str');
    assert.equal(g.data, 'just a string');
    assert.ok(!('user_id' in g), `no user_id on private: ${JSON.stringify(g)}`);
  });

  test('public channel (raw) → pusher:error; the other subscriber does not get it; connection survives', async () => {
    const sender = await h.raw();
    const other = await h.raw();
    const name = uniq('public-');
    await sender.subscribeOk(name);
    await other.subscribeOk(name);
    sender.send({ event: 'client-nope', channel: name, data: {} });
    await sender.error();
    await sdk.trigger(name, 'marker', {});
    await other.expect('marker');
    await sender.expect('marker');
    assert.equal(other.seen('client-nope').length, 0);
  });

  test('client event on a channel the sender is not subscribed to → pusher:error, not relayed', async () => {
    const sender = await h.raw();
    const other = await h.raw();
    const name = uniq('private-');
    await other.subscribeOk(name, { auth: other.privateAuth(name) });
    sender.send({ event: 'client-sneak', channel: name, data: {} });
    await sender.error();
    await sdk.trigger(name, 'marker', {});
    await other.expect('marker');
    assert.equal(other.seen('client-sneak').length, 0);
  });

  test('app with enable_client_messages false → pusher:error, not relayed', async () => {
    const sender = await h.raw(NO_CLIENT.key);
    const other = await h.raw(NO_CLIENT.key);
    const name = uniq('private-');
    const creds = { key: NO_CLIENT.key, secret: NO_CLIENT.secret };
    await sender.subscribeOk(name, { auth: sender.privateAuth(name, creds) });
    await other.subscribeOk(name, { auth: other.privateAuth(name, creds) });
    sender.send({ event: 'client-off', channel: name, data: {} });
    await sender.error();
    await h.sdk(NO_CLIENT).trigger(name, 'marker', {});
    await other.expect('marker');
    assert.equal(other.seen('client-off').length, 0);
  });

  test('pusher-js: client events disabled → the sender gets a connection error event (PusherError)', async () => {
    const a = await h.connectedClient({ app: NO_CLIENT });
    const name = uniq('private-');
    const ch = await subscribed(a, name);
    const err = nextEvent(a.connection, 'error');
    ch.trigger('client-off', { x: 1 });
    const { data } = await err;
    assert.equal(data.type, 'PusherError');
    assert.equal(a.connection.state, 'connected');
  });

  test('rate limit: more than max_client_events_per_second → pusher:error 4301, connection stays open and still receives events', async () => {
    const sender = await h.connectedClient({ app: RATE });
    const receiver = await h.connectedClient({ app: RATE });
    const name = uniq('private-');
    const chS = await subscribed(sender, name);
    const chR = await subscribed(receiver, name);
    const relayed = record(chR, 'client-burst');
    const errors = [];
    sender.connection.bind('error', (e) => errors.push(e));
    const firstLimitError = nextEvent(sender.connection, 'error', { filter: (e) => e?.data?.code === 4301 });
    for (let i = 0; i < 30; i++) chS.trigger('client-burst', { i });
    const { data } = await firstLimitError;
    assert.equal(data.type, 'PusherError');
    assert.equal(typeof data.data.message, 'string');

    // Still connected and still receiving, on both sides.
    const markerS = nextEvent(chS, 'marker');
    const markerR = nextEvent(chR, 'marker');
    await h.sdk(RATE).trigger(name, 'marker', { after: 'burst' });
    await markerS;
    await markerR;
    assert.equal(sender.connection.state, 'connected');
    assert.ok(relayed.length >= 1, 'events within the limit are relayed');
    assert.ok(relayed.length < 30, `the burst must be cut (relayed ${relayed.length} of 30)`);
  });

  test('raw: rate-limit error frame is {"event":"pusher:error","data":{"code":4301,...}} and the socket is not closed', async () => {
    const s = await h.raw(RATE.key);
    const name = uniq('private-');
    await s.subscribeOk(name, { auth: s.privateAuth(name, { key: RATE.key, secret: RATE.secret }) });
    for (let i = 0; i < 30; i++) s.send({ event: 'client-burst', channel: name, data: { i } });
    const err = await s.error('pusher:error 4301');
    assert.equal(err.code, 4301);
    await s.ping();
    assert.ok(s.isOpen);
  });
});

