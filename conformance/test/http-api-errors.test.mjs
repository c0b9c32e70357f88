// Point 4 — the HTTP API: its error answers (413, 401, 404, 400, 405, 403), driven by the `pusher` SDK and
// by self-signed raw requests.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setup } from '../lib/harness.mjs';
import { jsonOf, sdkError, signedRequest } from '../lib/http.mjs';
import { app } from '../lib/server.mjs';

const DISABLED = app({ id: 'app-off', key: 'key-off', secret: 'secret-off', enabled: false });

let h;
let sdk;
before(async () => {
  h = await setup({ apps: [app(), DISABLED] });
  sdk = h.sdk();
});
after(() => h?.close());

let n = 0;
const uniq = (prefix) => `${prefix}${process.pid}-${++n}`;

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
