// Issue 3 — the users model: the user data HTTP API (GET/list/PUT/DELETE /users).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { reachesState, setup, subscribed } from '../lib/harness.mjs';
import { signedRequest } from '../lib/http.mjs';
import { app } from '../lib/server.mjs';
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

describe('users: user data API', () => {
  test('GET /users/<id> → {id, online, connections, user_info, watchlist, channels}', async () => {
    const id = uid('api');
    const watched = uid('watched');
    const c1 = await signedInClient(h, id, { info: { name: 'Api' }, watchlist: [watched] });
    await signedInClient(h, id, { info: { name: 'Api' }, watchlist: [watched] });
    const chName = `api-chan-${process.pid}-${n}`;
    await subscribed(c1, chName);
    const res = await sdk.get({ path: `/users/${id}` });
    assert.equal(res.status, 200);
    const body = await res.json();
    for (const k of ['id', 'online', 'connections', 'user_info', 'watchlist', 'channels']) assert.ok(k in body, `missing ${k}: ${JSON.stringify(body)}`);
    assert.equal(body.id, id);
    assert.equal(body.online, true);
    assert.equal(body.connections, 2);
    assert.deepEqual(body.user_info, { name: 'Api' });
    assert.deepEqual(body.watchlist, [watched]);
    assert.ok(body.channels.includes(chName), JSON.stringify(body.channels));
  });

  test('GET /users/<unknown> → 404', async () => {
    const r = await signedRequest(h.server, 'GET', `/users/${uid('ghost')}`);
    assert.equal(r.status, 404, r.text);
  });

  test('GET /users → {users:[{id}], total, next_cursor} including online users', async () => {
    const id = uid('listed');
    await signedInClient(h, id);
    const res = await sdk.get({ path: '/users' });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.ok(Array.isArray(body.users), JSON.stringify(body));
    assert.equal(typeof body.total, 'number');
    assert.ok('next_cursor' in body);
    for (const u of body.users) assert.equal(typeof u.id, 'string');
    if (body.next_cursor === null) assert.ok(body.users.some((u) => u.id === id), JSON.stringify(body));
    assert.ok(body.total >= 1);
  });

  test('PUT /users/<id> {"user_info":{...}} → 200 and GET shows it', async () => {
    const id = uid('put');
    await signedInClient(h, id, { info: { v: 1 } });
    const r = await signedRequest(h.server, 'PUT', `/users/${id}`, { body: { user_info: { v: 2, name: 'Updated' } } });
    assert.equal(r.status, 200, r.text);
    const g = await signedRequest(h.server, 'GET', `/users/${id}`);
    assert.deepEqual(g.json?.user_info, { v: 2, name: 'Updated' }, g.text);
  });

  test('PUT user_info is used by a later presence join through sign-in', async () => {
    const id = uid('put-pres');
    const c = await signedInClient(h, id, { info: { v: 'signin' }, channelParams: { presence: 'signed-in' } });
    const r = await signedRequest(h.server, 'PUT', `/users/${id}`, { body: { user_info: { v: 'put' } } });
    assert.equal(r.status, 200, r.text);
    const ch = await subscribed(c, `presence-put-${process.pid}-${n}`);
    assert.deepEqual(ch.members.me?.info, { v: 'put' });
  });

  test('PUT user_info over 1 KB → 413', async () => {
    const id = uid('put-big');
    await signedInClient(h, id);
    const r = await signedRequest(h.server, 'PUT', `/users/${id}`, { body: { user_info: { blob: 'x'.repeat(2000) } } });
    assert.equal(r.status, 413, r.text);
  });

  test('PUT / DELETE for an unknown user → 404', async () => {
    const r1 = await signedRequest(h.server, 'PUT', `/users/${uid('ghost')}`, { body: { user_info: { a: 1 } } });
    assert.equal(r1.status, 404, r1.text);
    const r2 = await signedRequest(h.server, 'DELETE', `/users/${uid('ghost')}`);
    assert.equal(r2.status, 404, r2.text);
  });

  test('GET /users pages with limit and cursor, in id order, next_cursor null on the last page', async () => {
    const prefix = `page-${process.pid}-`;
    const ids = [`${prefix}a`, `${prefix}b`, `${prefix}c`];
    for (const id of ids) await rawSignedIn(h, id);
    const seen = [];
    let cursor;
    let pages = 0;
    for (;;) {
      const params = { limit: '2' };
      if (cursor) params.cursor = cursor;
      const res = await sdk.get({ path: '/users', params });
      const body = await res.json();
      assert.ok(body.users.length <= 2, JSON.stringify(body));
      seen.push(...body.users.map((u) => u.id));
      pages++;
      if (body.next_cursor === null) break;
      assert.equal(body.next_cursor, body.users[body.users.length - 1].id);
      cursor = body.next_cursor;
      assert.ok(pages < 1000, 'pagination terminates');
    }
    assert.ok(pages >= 2);
    assert.deepEqual(seen, [...seen].sort(), 'id order');
    for (const id of ids) assert.ok(seen.includes(id), `${id} listed`);
    assert.equal(new Set(seen).size, seen.length, 'no duplicates across pages');
  });

  test('PUT with a bad body → 400', async () => {
    const id = uid('putbad');
    await signedInClient(h, id);
    const r = await signedRequest(h.server, 'PUT', `/users/${id}`, { body: '{"user_info":' });
    assert.equal(r.status, 400, r.text);
  });

  test('DELETE /users/<id> → 200 {"erased":{...}} and the user connections are closed 4009', async () => {
    const id = uid('erase');
    const s = await rawSignedIn(h, id);
    const c = await signedInClient(h, id);
    const r = await signedRequest(h.server, 'DELETE', `/users/${id}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(typeof r.json?.erased, 'object', r.text);
    assert.ok(r.json.erased !== null);
    const { code } = await s.waitClose();
    assert.equal(code, 4009);
    await reachesState(c, 'disconnected');
    const g = await signedRequest(h.server, 'GET', `/users/${id}`);
    assert.equal(g.status, 404, `after DELETE: ${g.status} ${g.text}`);
  });

  test('PUT / DELETE with a bad signature → 401', async () => {
    const id = uid('sig');
    const r1 = await signedRequest(h.server, 'PUT', `/users/${id}`, { body: { user_info: {} }, signWith: 'nope' });
    assert.equal(r1.status, 401, r1.text);
    const r2 = await signedRequest(h.server, 'DELETE', `/users/${id}`, { signWith: 'nope' });
    assert.equal(r2.status, 401, r2.text);
  });
});
