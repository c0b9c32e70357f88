// Point 4 — the HTTP API: channel queries (/channels, /channels/<name>, /channels/<name>/users) driven by
// the `pusher` SDK (pusher-http-node 5.3.4).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setup, subscribed } from '../lib/harness.mjs';
import { jsonOf, sdkError, signedRequest } from '../lib/http.mjs';
import { app } from '../lib/server.mjs';
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

describe('4. HTTP API: channel queries', () => {
  test("get /channels {filter_by_prefix:'presence-', info:'user_count'} → only presence channels with user_count", async () => {
    const pres = uniq('presence-list-');
    await presenceMembers(h, pres, ['l1', 'l2']);
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
    await presenceMembers(h, pres, ['x1', 'x2', 'x2']);
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
    await presenceMembers(h, pres, ['e1']);
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
    await presenceMembers(h, pres, ['p1', 'p2', 'p1']);
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
