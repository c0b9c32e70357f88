// Point 1 — connecting: handshake frame, socket id, protocol/version/path/key checks, app state, quotas, ping.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { reachesState, setup } from '../lib/harness.mjs';
import { connectExpectClose, dataOf, RawSocket } from '../lib/raw.mjs';
import { app } from '../lib/server.mjs';

const SOCKET_ID = /^\d+\.\d+$/;
const DISABLED = app({ id: 'app-disabled', key: 'key-disabled', secret: 'secret-disabled', enabled: false });
const LIMITED = app({ id: 'app-limited', key: 'key-limited', secret: 'secret-limited', max_connections: 1 });

let h;
before(async () => {
  h = await setup({ apps: [app(), DISABLED, LIMITED] });
});
after(() => h?.close());

const q = (s) => `?${s}`;

describe('1. connection', () => {
  test('pusher-js connects: state connected and socket_id matches ^\\d+\\.\\d+$', async () => {
    const client = await h.connectedClient();
    assert.equal(client.connection.state, 'connected');
    assert.match(client.connection.socket_id, SOCKET_ID);
  });

  test('two pusher-js connections get different socket ids', async () => {
    const a = await h.connectedClient();
    const b = await h.connectedClient();
    assert.notEqual(a.connection.socket_id, b.connection.socket_id);
  });

  test('raw: first frame is pusher:connection_established, data a JSON string with socket_id and activity_timeout > 0', async () => {
    const s = await h.raw();
    const first = s.frames[0];
    assert.equal(first.event, 'pusher:connection_established');
    assert.equal(typeof first.data, 'string', 'data must be double-encoded (a JSON string)');
    const data = JSON.parse(first.data);
    assert.match(data.socket_id, SOCKET_ID);
    assert.equal(typeof data.activity_timeout, 'number');
    assert.ok(data.activity_timeout > 0, `activity_timeout ${data.activity_timeout} must be > 0`);
  });

  for (const protocol of [5, 6, 7]) {
    test(`protocol ${protocol} is accepted`, async () => {
      const s = await h.raw('app-key', q(`protocol=${protocol}&client=js&version=8.6.0&flash=false`));
      assert.equal(s.frames[0].event, 'pusher:connection_established');
      const pong = await s.ping();
      assert.equal(pong.event, 'pusher:pong');
    });
  }

  test('missing protocol parameter → close 4008', async () => {
    const r = await connectExpectClose(h.server.wsUrl('app-key', q('client=conformance&version=1.0.0')));
    assert.equal(r.code, 4008, `close ${r.code} ${r.reason}; frames ${r.texts.join(' | ')}`);
  });

  test('protocol 3 (unsupported) → close 4007', async () => {
    const r = await connectExpectClose(h.server.wsUrl('app-key', q('protocol=3&client=js&version=8.6.0')));
    assert.equal(r.code, 4007, `close ${r.code} ${r.reason}; frames ${r.texts.join(' | ')}`);
  });

  test('malformed version string → close 4006', async () => {
    const r = await connectExpectClose(h.server.wsUrl('app-key', q('protocol=7&client=js&version=%21%21%21')));
    assert.equal(r.code, 4006, `close ${r.code} ${r.reason}; frames ${r.texts.join(' | ')}`);
  });

  test('unknown WebSocket path → close 4005', async () => {
    const r = await connectExpectClose(`ws://127.0.0.1:${h.server.port}/nope/app-key?protocol=7&client=js&version=8.6.0`);
    assert.equal(r.code, 4005, `close ${r.code} ${r.reason}; error ${r.error?.message}; frames ${r.texts.join(' | ')}`);
  });

  test('unknown app key → close 4001', async () => {
    const r = await connectExpectClose(h.server.wsUrl('no-such-key'));
    assert.equal(r.code, 4001, `close ${r.code} ${r.reason}; frames ${r.texts.join(' | ')}`);
  });

  test('protocol 5 (Java client) gets pusher:error with the code before the close frame', async () => {
    const r = await connectExpectClose(h.server.wsUrl('no-such-key', q('client=java-client&protocol=5&version=2.4.4')));
    assert.equal(r.code, 4001);
    const err = r.frames.find((f) => f.event === 'pusher:error');
    assert.ok(err, `expected a pusher:error before the close, got ${r.texts.join(' | ')}`);
    assert.equal(dataOf(err).code, 4001);
  });

  test('pusher-js with an unknown key stops (state disconnected, no reconnect loop)', async () => {
    const client = await h.client({ app: { key: 'no-such-key', id: 'x', secret: 'x' } });
    await reachesState(client, 'disconnected');
  });

  test('disabled app (config enabled:false) → close 4003', async () => {
    const r = await connectExpectClose(h.server.wsUrl(DISABLED.key));
    assert.equal(r.code, 4003, `close ${r.code} ${r.reason}; frames ${r.texts.join(' | ')}`);
  });

  test('over max_connections → close 4004, the connection within quota stays open', async () => {
    const first = await h.raw(LIMITED.key);
    const r = await connectExpectClose(h.server.wsUrl(LIMITED.key));
    assert.equal(r.code, 4004, `close ${r.code} ${r.reason}; frames ${r.texts.join(' | ')}`);
    await first.ping();
    assert.ok(first.isOpen);
  });

  test('a browser-like client offering permessage-deflate connects, subscribes and receives events', async () => {
    const s = new RawSocket(h.server.wsUrl(), { perMessageDeflate: true });
    try {
      await s.expect('pusher:connection_established');
      const name = `deflate-${process.pid}`;
      s.subscribe(name);
      await s.expect('pusher_internal:subscription_succeeded');
      await h.sdk().trigger(name, 'compressed', { text: 'z'.repeat(2000) });
      const f = await s.expect('compressed');
      assert.equal(dataOf(f).text.length, 2000);
    } finally {
      s.close();
    }
  });

  test('a text message sent in two WebSocket fragments is reassembled', async () => {
    const s = await h.raw();
    const text = JSON.stringify({ event: 'pusher:ping', data: {} });
    s.ws.send(text.slice(0, 10), { fin: false });
    s.ws.send(text.slice(10), { fin: true });
    await s.expect('pusher:pong');
  });

  test('pusher:ping → pusher:pong', async () => {
    const s = await h.raw();
    s.send({ event: 'pusher:ping', data: {} });
    const pong = await s.expect('pusher:pong');
    assert.equal(pong.event, 'pusher:pong');
    assert.ok('data' in pong, 'pong carries a data field');
  });

  test('every server frame carries an event string and a data field (pusher-websocket-java throws on a missing data)', async () => {
    const sdk = h.sdk();
    const a = await h.raw('app-key', q('client=java-client&protocol=5&version=2.4.4'));
    const b = await h.raw();
    const pres = `presence-wire-${process.pid}`;
    const cdA = JSON.stringify({ user_id: 'wire-a' });
    const cdB = JSON.stringify({ user_id: 'wire-b' });
    await a.subscribeOk(pres, { auth: a.presenceAuth(pres, cdA), channel_data: cdA });
    await b.subscribeOk(pres, { auth: b.presenceAuth(pres, cdB), channel_data: cdB });
    await a.expect('pusher_internal:member_added');
    b.close();
    await a.expect('pusher_internal:member_removed');
    a.subscribe(`cache-wire-${process.pid}`);
    await a.expect('pusher:cache_miss');
    a.send({ event: 'pusher:subscribe', data: { channel: 'bad name' } });
    await a.error();
    a.send(a.signinFrame(JSON.stringify({ id: 'wire-a', watchlist: ['wire-watched'] })));
    await a.expect('pusher:signin_success');
    await a.expect('pusher_internal:watchlist_events');
    a.subscribe('#server-to-user-wire-a');
    await a.expect((f) => f.event === 'pusher_internal:subscription_succeeded' && f.channel === '#server-to-user-wire-a', 'server-to-user subscription');
    await sdk.sendToUser('wire-a', 'to-user', { u: 1 });
    await a.expect('to-user');
    await a.ping();
    for (const f of a.frames) {
      assert.equal(typeof f.event, 'string', JSON.stringify(f));
      assert.ok('data' in f && f.data !== null && f.data !== undefined, `frame without data: ${JSON.stringify(f)}`);
    }
  });

  test('pusher:ping without a data key (Java client) → pusher:pong', async () => {
    const s = await h.raw();
    s.send({ event: 'pusher:ping' });
    await s.expect('pusher:pong');
  });
});
