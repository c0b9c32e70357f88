// Issue 25 — bans the server enforces and re-auth on demand, with the unmodified pusher-js and pusher-http-node:
// terminate_connections with {"ban_seconds": N}, the refused sign-in as pusher-js sees it, GET/DELETE of the ban,
// and POST /users/{id}/reconnect (4200: pusher-js reconnects at once and signs in again).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { reachesState, setup, signedIn } from '../lib/harness.mjs';
import { signedRequest } from '../lib/http.mjs';
import { app } from '../lib/server.mjs';
import { nextEvent, until } from '../lib/wait.mjs';
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

describe('users: bans (Switchboard extension)', () => {
  test('terminate with ban_seconds: pusher-js disconnected, a later sign-in the auth endpoint signs is refused with pusher:error and the connection stays; DELETE lifts it', async () => {
    const id = uid('troll');
    const victim = await signedInClient(h, id);

    const res = await sdk.post({ path: `/users/${id}/terminate_connections`, body: { ban_seconds: 600 } });
    assert.equal(res.status, 200);
    const { banned_until_ms: until } = await res.json();
    assert.ok(until > Date.now(), `banned_until_ms ${until}`);
    await reachesState(victim, 'disconnected');

    // A new pusher-js client: the auth endpoint signs, the server refuses (code null, as any refused sign-in).
    const again = await h.connectedClient({ userParams: { user_id: id } });
    const refused = nextEvent(again.connection, 'error', { filter: (e) => /banned/.test(e?.data?.message ?? '') });
    again.signin();
    const err = await refused;
    assert.equal(err.data.code ?? null, null);
    assert.ok(!again.user.user_data, "pusher-js holds no signed-in user");
    assert.equal(again.connection.state, 'connected');

    const got = await signedRequest(h.server, 'GET', `/users/${id}`);
    assert.equal(got.status, 200, got.text);
    assert.equal(got.json.banned_until_ms, until);
    assert.equal(got.json.online, false);

    const lifted = await signedRequest(h.server, 'DELETE', `/users/${id}/ban`);
    assert.deepEqual(lifted.json, { lifted: true });
    assert.deepEqual((await signedRequest(h.server, 'DELETE', `/users/${id}/ban`)).json, { lifted: false });
    const back = await signedInClient(h, id);
    assert.equal(back.user.user_data.id, id);
  });

  test('a short ban ends by itself', async () => {
    const id = uid('brief');
    const res = await sdk.post({ path: `/users/${id}/terminate_connections`, body: { ban_seconds: 1 } });
    assert.equal(res.status, 200);
    const raw = await h.raw();
    raw.send(raw.signinFrame(JSON.stringify({ id })));
    assert.match((await raw.error('the ban refusal')).message, /banned/);
    await until(async () => (await signedRequest(h.server, 'GET', `/users/${id}`)).status === 404,
      { timeout: 10000, interval: 100, what: 'the ban to end' });
    await rawSignedIn(h, id);
  });

  test('bad ban_seconds → 400 with an error, nobody banned', async () => {
    const id = uid('spared');
    for (const body of [{ ban_seconds: 0 }, { ban_seconds: -1 }, { ban_seconds: 2.5 }, { ban_seconds: '60' },
      { ban_seconds: 86401 }]) {
      const r = await signedRequest(h.server, 'POST', `/users/${id}/terminate_connections`, { body });
      assert.equal(r.status, 400, `${JSON.stringify(body)} → ${r.text}`);
      assert.equal(typeof r.json.error, 'string');
    }
    await rawSignedIn(h, id);
  });
});

describe('users: reconnect (Switchboard extension)', () => {
  test('POST /users/{id}/reconnect closes with 4200; pusher-js reconnects at once and signs in again', async () => {
    const id = uid('role');
    const c = await signedInClient(h, id);
    const before = c.connection.socket_id;
    const raw = await rawSignedIn(h, id);
    const again = signedIn(c, 10000);

    const r = await signedRequest(h.server, 'POST', `/users/${id}/reconnect`, { body: {} });
    assert.equal(r.status, 200, r.text);
    assert.equal((await raw.waitClose()).code, 4200);
    await again;
    assert.notEqual(c.connection.socket_id, before);
    assert.equal(c.user.user_data.id, id);
  });
});
