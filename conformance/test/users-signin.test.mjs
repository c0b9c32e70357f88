// Issue 3 — the users model: sign-in, presence through sign-in, bad sign-in inputs, authorized connections.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setup, signedIn, subscribed } from '../lib/harness.mjs';
import { dataOf } from '../lib/raw.mjs';
import { app } from '../lib/server.mjs';
import { nextEvent } from '../lib/wait.mjs';
import { rawSignedIn, signedInClient } from './clients.mjs';

const AUTHZ = app({
  id: 'app-authz',
  key: 'key-authz',
  secret: 'secret-authz',
  require_authorized_connections: true,
  user_authentication_timeout_seconds: 1,
});

let h;
let sdk;
before(async () => {
  h = await setup({ apps: [app(), AUTHZ] });
  sdk = h.sdk();
});
after(() => h?.close());

let n = 0;
const uid = (prefix = 'user') => `${prefix}-${process.pid}-${++n}`;

describe('users: sign-in', () => {
  test('pusher.signin() with the user-auth endpoint → signin_success, pusher.user.user_data has the id', async () => {
    const id = uid();
    const c = await signedInClient(h, id, { info: { name: 'Ann' } });
    assert.equal(c.user.user_data?.id, id);
    assert.deepEqual(c.user.user_data?.user_info, { name: 'Ann' });
  });

  test('raw: signin_success data is an object whose user_data is the exact string sent', async () => {
    const s = await h.raw();
    const userData = `{"id":"${uid()}","user_info":{"b":2,"a":1},"extra":true}`;
    s.send(s.signinFrame(userData));
    const f = await s.expect('pusher:signin_success');
    assert.equal(typeof f.data, 'object', 'signin_success data is an object, not a string');
    assert.equal(f.data.user_data, userData);
  });

  test('raw: signing in again as the same user succeeds', async () => {
    const id = uid();
    const s = await rawSignedIn(h, id);
    s.send(s.signinFrame(JSON.stringify({ id, user_info: { v: 2 } })));
    await s.expect('pusher:signin_success');
  });

  test('after sign-in pusher-js subscribes #server-to-user-<id> and the server confirms it', async () => {
    const id = uid();
    const c = await h.connectedClient({ userParams: { user_id: id } });
    const frames = [];
    c.connection.bind('message', (ev) => frames.push(ev));
    c.signin();
    await signedIn(c);
    const marker = nextEvent(c.connection, 'message', {
      filter: (ev) => ev.event === 'pusher_internal:subscription_succeeded' && ev.channel === `#server-to-user-${id}`,
    });
    await marker;
  });
});

describe('users: presence through sign-in', () => {
  test('auth endpoint returns only auth for the presence channel; signed-in client → member id is the user id, info from sign-in', async () => {
    const id = uid('signed');
    const name = `presence-signed-${process.pid}-${n}`;
    const observer = await h.raw();
    const cd = JSON.stringify({ user_id: 'observer' });
    await observer.subscribeOk(name, { auth: observer.presenceAuth(name, cd), channel_data: cd });

    const c = await signedInClient(h, id, { info: { name: 'Signed' }, channelParams: { presence: 'signed-in' } });
    const ch = await subscribed(c, name);
    assert.equal(ch.members.me?.id, id);
    assert.deepEqual(ch.members.me?.info, { name: 'Signed' });
    const added = await observer.expect('pusher_internal:member_added');
    assert.deepEqual(dataOf(added), { user_id: id, user_info: { name: 'Signed' } });
  });

  test('pusher-js subscribes before sign-in completes: the presence subscription waits for it', async () => {
    const id = uid('early');
    const name = `presence-early-${process.pid}-${n}`;
    const c = await h.connectedClient({ userParams: { user_id: id }, channelParams: { presence: 'signed-in' } });
    c.signin();
    const ch = await subscribed(c, name);
    assert.equal(ch.members.me?.id, id);
  });
});

describe('users: bad sign-in inputs (raw)', () => {
  const cases = [
    ['user_data not JSON', 'not json at all'],
    ['user_data without id', JSON.stringify({ user_info: {} })],
    ['numeric id', JSON.stringify({ id: 42 })],
    ['empty id', JSON.stringify({ id: '' })],
    ['id with a space', JSON.stringify({ id: 'has space' })],
    ['id with #', JSON.stringify({ id: 'x#y' })],
    ['watchlist not a list', JSON.stringify({ id: 'wl-1', watchlist: 'abc' })],
    ['watchlist with non-strings', JSON.stringify({ id: 'wl-2', watchlist: [1, 2] })],
    ['user_data a JSON array', '[]'],
  ];
  for (const [label, userData] of cases) {
    test(`${label} (correctly signed) → pusher:error, connection stays usable`, async () => {
      const s = await h.raw();
      s.send(s.signinFrame(userData));
      const err = await s.error();
      assert.equal(typeof err.message, 'string');
      await s.ping();
      assert.equal(s.seen('pusher:signin_success').length, 0);
      const id = uid('recover');
      s.send(s.signinFrame(JSON.stringify({ id })));
      await s.expect('pusher:signin_success', 'a correct sign-in afterwards');
    });
  }

  test('forged signature → pusher:error, not signed in, connection usable', async () => {
    const s = await h.raw();
    const id = uid('forged');
    s.send({ event: 'pusher:signin', data: { auth: `app-key:${'a'.repeat(64)}`, user_data: JSON.stringify({ id }) } });
    await s.error();
    await sdk.sendToUser(id, 'leak', {});
    await s.ping();
    assert.equal(s.seen('leak').length, 0);
    s.send(s.signinFrame(JSON.stringify({ id })));
    await s.expect('pusher:signin_success');
  });

  test('auth without key: prefix / with another key → pusher:error', async () => {
    const s = await h.raw();
    const userData = JSON.stringify({ id: uid('k') });
    const good = s.signinFrame(userData);
    s.send({ event: 'pusher:signin', data: { auth: good.data.auth.split(':')[1], user_data: userData } });
    await s.error();
    s.send({ event: 'pusher:signin', data: { auth: `key-authz:${good.data.auth.split(':')[1]}`, user_data: userData } });
    await s.error();
    await s.ping();
    assert.equal(s.seen('pusher:signin_success').length, 0);
  });

  test('sign-in as a different user after one succeeded → pusher:error; the first identity stays', async () => {
    const first = uid('first');
    const s = await rawSignedIn(h, first);
    s.send(s.signinFrame(JSON.stringify({ id: uid('second') })));
    await s.error();
    await s.ping();
    assert.equal(s.seen('pusher:signin_success').length, 1);
    await sdk.sendToUser(first, 'still-me', {});
    await s.expect('still-me');
  });
});

describe('users: authorized connections (require_authorized_connections)', () => {
  test('a socket that neither signs in nor subscribes privately is closed 4009 after the timeout; one that signed in stays', async () => {
    const creds = { key: AUTHZ.key, secret: AUTHZ.secret };
    const idle = await h.raw(AUTHZ.key);
    const good = await h.raw(AUTHZ.key);
    good.send(good.signinFrame(JSON.stringify({ id: uid('authz') }), creds));
    await good.expect('pusher:signin_success');
    const priv = await h.raw(AUTHZ.key);
    const name = `private-authz-${process.pid}`;
    await priv.subscribeOk(name, { auth: priv.privateAuth(name, creds) });

    const { code } = await idle.waitClose(10000);
    assert.equal(code, 4009);
    const err = idle.seen('pusher:error').map(dataOf)[0];
    assert.equal(err?.code, 4009, idle.describe());
    await good.ping();
    await priv.ping();
    assert.ok(good.isOpen && priv.isOpen);
  });
});
