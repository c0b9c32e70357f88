// pusher-js accepts what Switchboard's Java SDK answers on the app's auth endpoints (PROTOCOL.md §3, §5, §8):
// `channelAuthorization` / `userAuthentication` point at a Java process (conformance/java-auth/AuthServer.java)
// that answers with `SwitchboardClient.authorizeChannel(...)` / `authenticateUser(...)`. Events come from the
// Java SDK (through that process) and from the `pusher` npm SDK.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ENCRYPTION_MASTER_KEY_BASE64 } from '../lib/auth-server.mjs';
import { connected, setup, signedIn, subscribed } from '../lib/harness.mjs';
import { startJavaAuthServer } from '../lib/java-auth.mjs';
import { DEFAULT_APP } from '../lib/server.mjs';
import { nextEvent } from '../lib/wait.mjs';

let seq = 0;
const uniq = (prefix) => `${prefix}-${++seq}`;

describe('pusher-js with auth endpoints written with the Java SDK', () => {
  let h;
  let javaAuth;

  before(async () => {
    h = await setup();
    javaAuth = await startJavaAuthServer({ server: h.server, app: DEFAULT_APP, masterKeyBase64: ENCRYPTION_MASTER_KEY_BASE64 });
  });

  after(async () => {
    await h?.close();
    await javaAuth?.close();
  });

  /** A connected pusher-js client whose auth endpoints are the Java process; params travel to it. */
  const client = async ({ channelParams = {}, userParams = {} } = {}) =>
    connected(
      await h.client({
        options: {
          channelAuthorization: { endpoint: javaAuth.channelEndpoint, transport: 'ajax', params: channelParams },
          userAuthentication: { endpoint: javaAuth.userEndpoint, transport: 'ajax', params: userParams },
        },
      }),
    );

  const javaRequest = (p, socketId, channel) =>
    javaAuth.requests.find((r) => r.path === p && r.form.socket_id === socketId && (!channel || r.form.channel_name === channel));

  const signIn = async (c) => {
    const done = signedIn(c);
    c.signin();
    await done;
    return c;
  };

  test('private channel: subscribed with authorizeChannel from Java, receives events from both SDKs', async () => {
    const channel = uniq('private-orders');
    const c = await client();
    const ch = await subscribed(c, channel);
    assert.ok(javaRequest('/pusher/auth', c.connection.socket_id, channel), 'pusher-js asked the Java endpoint');

    const fromJava = nextEvent(ch, 'created');
    await javaAuth.trigger(channel, 'created', JSON.stringify({ id: 1, note: 'Zoë' }));
    assert.deepEqual((await fromJava).data, { id: 1, note: 'Zoë' });
    const fromNode = nextEvent(ch, 'updated');
    await h.sdk().trigger(channel, 'updated', { id: 2 });
    assert.deepEqual((await fromNode).data, { id: 2 });
  });

  test('presence: channel_data from PresenceData; the roster includes me with my info and the others', async () => {
    const channel = uniq('presence-room');
    const ann = await client({ channelParams: { user_id: 'ann', user_info: JSON.stringify({ name: 'Ann', tags: ['a', 'b'] }) } });
    const annChannel = await subscribed(ann, channel);
    assert.equal(annChannel.members.count, 1);
    assert.equal(annChannel.members.me.id, 'ann');
    assert.deepEqual(annChannel.members.me.info, { name: 'Ann', tags: ['a', 'b'] });
    assert.deepEqual(annChannel.members.get('ann'), { id: 'ann', info: { name: 'Ann', tags: ['a', 'b'] } });

    const added = nextEvent(annChannel, 'pusher:member_added');
    const bo = await client({ channelParams: { user_id: 'bo', user_info: JSON.stringify({ name: 'Bo' }) } });
    const boChannel = await subscribed(bo, channel);
    assert.deepEqual((await added).data, { id: 'bo', info: { name: 'Bo' } });
    assert.equal(boChannel.members.count, 2);
    assert.equal(boChannel.members.me.id, 'bo');
    assert.deepEqual(boChannel.members.get('ann').info, { name: 'Ann', tags: ['a', 'b'] });
    assert.ok(javaRequest('/pusher/auth', bo.connection.socket_id, channel));

    const toAnn = nextEvent(annChannel, 'announcement');
    const toBo = nextEvent(boChannel, 'announcement');
    await javaAuth.trigger(channel, 'announcement', JSON.stringify({ text: 'hi' }));
    assert.deepEqual((await toAnn).data, { text: 'hi' });
    assert.deepEqual((await toBo).data, { text: 'hi' });
  });

  test('private-encrypted: pusher-js decrypts with the shared_secret from Java, whichever SDK encrypted', async () => {
    const channel = uniq('private-encrypted-vault');
    const c = await client();
    const ch = await subscribed(c, channel);
    // The wire carries only ciphertext: a raw socket subscribed to the same channel sees it.
    const raw = await h.raw();
    await raw.subscribeOk(channel, { auth: raw.privateAuth(channel) });

    const fromJava = nextEvent(ch, 'secret');
    await javaAuth.trigger(channel, 'secret', JSON.stringify({ pin: '1234 Zoë' }));
    assert.deepEqual((await fromJava).data, { pin: '1234 Zoë' });
    const onWire = JSON.parse((await raw.expect((f) => f.event === 'secret' && f.channel === channel)).data);
    assert.deepEqual(Object.keys(onWire).sort(), ['ciphertext', 'nonce']);
    assert.equal(JSON.stringify(onWire).includes('1234'), false);

    // pusher-http-node derives the channel key from the same master key: the Java shared_secret must match.
    const fromNode = nextEvent(ch, 'secret-2');
    await h.sdk().trigger(channel, 'secret-2', { pin: '5678' });
    assert.deepEqual((await fromNode).data, { pin: '5678' });
  });

  test('signin with authenticateUser from Java, then user.bind receives sendToUser from both SDKs', async () => {
    const user = uniq('user');
    const c = await signIn(await client({ userParams: { user_id: user, user_info: JSON.stringify({ name: 'Ann' }), watchlist: '["w-1"]' } }));
    assert.ok(javaRequest('/pusher/user-auth', c.connection.socket_id), 'pusher-js asked the Java endpoint');
    assert.equal(c.user.user_data.id, user);
    assert.deepEqual(c.user.user_data.user_info, { name: 'Ann' });
    assert.deepEqual(c.user.user_data.watchlist, ['w-1']);

    const fromJava = nextEvent(c.user, 'note');
    await javaAuth.sendToUser(user, 'note', JSON.stringify({ text: 'Your export is ready' }));
    assert.deepEqual((await fromJava).data, { text: 'Your export is ready' });
    const fromNode = nextEvent(c.user, 'note-2');
    await h.sdk().sendToUser(user, 'note-2', { n: 2 });
    assert.deepEqual((await fromNode).data, { n: 2 });
  });

  test('presence through sign-in: authorizeChannel without PresenceData, member from the signed-in user', async () => {
    const channel = uniq('presence-lobby');
    const user = uniq('user');
    const c = await signIn(
      await client({ channelParams: { presence: 'signed-in' }, userParams: { user_id: user, user_info: JSON.stringify({ name: 'Cy' }) } }),
    );
    const ch = await subscribed(c, channel);
    const answered = javaRequest('/pusher/auth', c.connection.socket_id, channel);
    assert.equal(answered.form.presence, 'signed-in');

    assert.equal(ch.members.me.id, user);
    assert.deepEqual(ch.members.me.info, { name: 'Cy' });
    const res = await h.sdk().get({ path: `/channels/${channel}/users` });
    assert.deepEqual((await res.json()).users, [{ id: user }]);
  });
});
