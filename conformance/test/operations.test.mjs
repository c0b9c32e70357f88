// Point 6 — operations: health endpoint and graceful shutdown (SIGTERM → close 4200 for every socket).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { reachesState, setup, subscribed } from '../lib/harness.mjs';
import { RawSocket } from '../lib/raw.mjs';
import { waitExit } from '../lib/server.mjs';

let h;
before(async () => {
  h = await setup();
});
after(() => h?.close());

describe('6. operations', () => {
  test('GET /up → 200', async () => {
    const res = await fetch(h.server.httpUrl('/up'));
    await res.arrayBuffer();
    assert.equal(res.status, 200);
  });

  test('unknown HTTP path → 404', async () => {
    const res = await fetch(h.server.httpUrl('/definitely/not/here'));
    await res.arrayBuffer();
    assert.equal(res.status, 404);
  });

  test('a plain HTTP GET (no upgrade) on /app/<key> is answered with a 4xx, and the server keeps serving', async () => {
    const res = await fetch(h.server.httpUrl('/app/app-key?protocol=7'));
    await res.arrayBuffer();
    assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
    const up = await fetch(h.server.httpUrl('/up'));
    await up.arrayBuffer();
    assert.equal(up.status, 200);
  });

  // Last: it stops this file's server.
  test('SIGTERM: every connected socket gets close code 4200, then the process exits', async () => {
    const sockets = [await h.raw(), await h.raw(), await h.raw()];
    await sockets[1].subscribeOk(`ops-${process.pid}`);
    const client = await h.connectedClient();
    await subscribed(client, `ops-js-${process.pid}`);
    const states = [];
    client.connection.bind('state_change', ({ current }) => states.push(current));
    h.server.signal('SIGTERM');
    const closes = await Promise.all(sockets.map((s) => s.waitClose(15000)));
    for (const c of closes) assert.equal(c.code, 4200, `close ${c.code} ${c.reason}`);
    // pusher-js treats 4200 as "reconnect at once": it leaves connected and starts connecting again.
    await reachesState(client, 'connecting', 15000);
    const exit = await waitExit(h.server, 30000);
    assert.ok(exit.code === 0 || exit.signal === 'SIGTERM' || exit.code === 143, `exit ${JSON.stringify(exit)}`);
  });
});

describe('6. operations: liveness (activity_timeout_seconds 1, pong_timeout_seconds 1)', () => {
  let live;
  before(async () => {
    live = await setup({ settings: { activity_timeout_seconds: 1, pong_timeout_seconds: 1 } });
  });
  after(() => live?.close());

  test('connection_established announces the configured activity_timeout', async () => {
    const s = await live.raw();
    assert.equal(JSON.parse(s.frames[0].data).activity_timeout, 1);
  });

  test('a silent socket that answers WebSocket pings stays open; one that does not is closed 4201', async () => {
    const url = live.server.wsUrl();
    const answering = await RawSocket.connect(url);
    const pings = [];
    answering.ws.on('ping', () => pings.push(Date.now()));
    const deaf = await RawSocket.connect(url, { autoPong: false });
    try {
      const { code } = await deaf.waitClose(10000);
      assert.equal(code, 4201);
      assert.ok(pings.length >= 1, 'the server pinged the silent socket with a WebSocket ping frame');
      await answering.ping();
      assert.ok(answering.isOpen);
    } finally {
      answering.close();
      deaf.close();
    }
  });

  test('pusher-js stays connected across several activity periods', async () => {
    const client = await live.connectedClient();
    const states = [];
    client.connection.bind('state_change', ({ current }) => states.push(current));
    const url = live.server.wsUrl();
    const deaf = await RawSocket.connect(url, { autoPong: false });
    try {
      await deaf.waitClose(10000); // at least activity + pong timeout have passed
    } finally {
      deaf.close();
    }
    assert.equal(client.connection.state, 'connected');
    assert.deepEqual(states, [], `pusher-js state changes: ${states.join(' → ')}`);
  });
});
