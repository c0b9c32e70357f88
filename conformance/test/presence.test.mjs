// Point 2 — presence channels: members, me, member_added / member_removed, one member per user id across
// connections, the subscription_succeeded payload, and the presence limits.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setup, subscribed } from '../lib/harness.mjs';
import { dataOf } from '../lib/raw.mjs';
import { app } from '../lib/server.mjs';
import { nextEvent, record } from '../lib/wait.mjs';

const SMALL = app({ id: 'app-small', key: 'key-small', secret: 'secret-small', max_presence_members: 2 });

let h;
let sdk;
before(async () => {
  h = await setup({ apps: [app(), SMALL] });
  sdk = h.sdk();
});
after(() => h?.close());

let n = 0;
const room = () => `presence-room-${process.pid}-${++n}`;

function member(userId, info) {
  const channelParams = { user_id: userId };
  if (info !== undefined) channelParams.user_info = JSON.stringify(info);
  return h.connectedClient({ channelParams });
}

describe('2. presence channels', () => {
  test('subscription_succeeded gives members with count and me (id and info from channel_data)', async () => {
    const alice = await member('alice', { name: 'Alice' });
    const name = room();
    const channel = await subscribed(alice, name);
    assert.equal(channel.members.count, 1);
    assert.equal(channel.members.me?.id, 'alice');
    assert.deepEqual(channel.members.me?.info, { name: 'Alice' });
  });

  test('a second member: the first gets pusher:member_added {id, info}; the second sees both members', async () => {
    const alice = await member('alice', { name: 'Alice' });
    const bob = await member('bob', { name: 'Bob' });
    const name = room();
    const chA = await subscribed(alice, name);
    const added = nextEvent(chA, 'pusher:member_added');
    const chB = await subscribed(bob, name);
    const { data } = await added;
    assert.deepEqual(data, { id: 'bob', info: { name: 'Bob' } });
    assert.equal(chA.members.count, 2);
    assert.equal(chB.members.count, 2);
    assert.deepEqual(chB.members.get('alice'), { id: 'alice', info: { name: 'Alice' } });
    assert.equal(chB.members.me.id, 'bob');
  });

  test('member leaves (unsubscribe, then disconnect): the others get pusher:member_removed', async () => {
    const alice = await member('alice');
    const bob = await member('bob');
    const carol = await member('carol');
    const name = room();
    const chA = await subscribed(alice, name);
    await subscribed(bob, name);
    await subscribed(carol, name);
    const bobGone = nextEvent(chA, 'pusher:member_removed', { filter: (m) => m.id === 'bob' });
    bob.unsubscribe(name);
    await bobGone;
    const carolGone = nextEvent(chA, 'pusher:member_removed', { filter: (m) => m.id === 'carol' });
    carol.disconnect();
    await carolGone;
    assert.equal(chA.members.count, 1);
  });

  test('one member per user id: two connections of the same user → member_added once, member_removed only after the last leaves', async () => {
    const watcher = await member('watcher');
    const name = room();
    const ch = await subscribed(watcher, name);
    const added = record(ch, 'pusher:member_added');
    const removed = record(ch, 'pusher:member_removed');

    const dup1 = await member('dup', { n: 1 });
    const dup2 = await member('dup', { n: 2 });
    await subscribed(dup1, name);
    await subscribed(dup2, name);
    // Marker: another user joins after both dup connections; its member_added must arrive after any dup one.
    const marker1 = await member('marker-1');
    const m1 = nextEvent(ch, 'pusher:member_added', { filter: (m) => m.id === 'marker-1' });
    await subscribed(marker1, name);
    await m1;
    assert.deepEqual(added.map((c) => c.data.id), ['dup', 'marker-1'], 'dup added exactly once');

    dup1.disconnect();
    const marker1Gone = nextEvent(ch, 'pusher:member_removed', { filter: (m) => m.id === 'marker-1' });
    marker1.disconnect(); // disconnects are processed in order too
    await marker1Gone;
    assert.deepEqual(removed.map((c) => c.data.id), ['marker-1'], 'dup not removed while a connection remains');
    assert.equal(ch.members.count, 2);

    const dupGone = nextEvent(ch, 'pusher:member_removed', { filter: (m) => m.id === 'dup' });
    dup2.disconnect();
    await dupGone;
    assert.equal(ch.members.count, 1);
  });

  test('raw: subscription_succeeded data is {"presence":{"ids","hash","count"}} with string ids, hash keyed by id, self included', async () => {
    const other = await h.raw();
    const name = room();
    const cdOther = JSON.stringify({ user_id: 'u-other', user_info: { name: 'O' } });
    await other.subscribeOk(name, { auth: other.presenceAuth(name, cdOther), channel_data: cdOther });

    const s = await h.raw();
    const cd = JSON.stringify({ user_id: 'u-self', user_info: { name: 'S', tags: ['a'] } });
    s.subscribe(name, { auth: s.presenceAuth(name, cd), channel_data: cd });
    const f = await s.expect((x) => x.event === 'pusher_internal:subscription_succeeded' && x.channel === name, 'subscription_succeeded');
    assert.equal(typeof f.data, 'string', 'presence subscription data is a JSON string');
    const { presence } = dataOf(f);
    assert.deepEqual([...presence.ids].sort(), ['u-other', 'u-self']);
    assert.deepEqual(presence.hash, { 'u-other': { name: 'O' }, 'u-self': { name: 'S', tags: ['a'] } });
    assert.equal(presence.count, 2);

    const added = await other.expect('pusher_internal:member_added');
    assert.equal(added.channel, name);
    assert.deepEqual(dataOf(added), { user_id: 'u-self', user_info: { name: 'S', tags: ['a'] } });
    await s.ping();
    assert.equal(s.seen('pusher_internal:member_added').length, 0, 'no member_added to the joining socket itself');

    s.close();
    const removed = await other.expect('pusher_internal:member_removed');
    assert.deepEqual(dataOf(removed), { user_id: 'u-self' });
  });

  test('raw: a member without user_info is in hash with null (members.me must not be null)', async () => {
    const s = await h.raw();
    const name = room();
    const cd = JSON.stringify({ user_id: 'no-info' });
    const data = await s.subscribeOk(name, { auth: s.presenceAuth(name, cd), channel_data: cd });
    assert.ok(Object.hasOwn(data.presence.hash, 'no-info'), JSON.stringify(data));
    assert.equal(data.presence.hash['no-info'], null);
    assert.deepEqual(data.presence.ids, ['no-info']);
  });

  test('raw: a numeric user_id in channel_data is normalised to a string id', async () => {
    const s = await h.raw();
    const name = room();
    const cd = JSON.stringify({ user_id: 7, user_info: { n: 7 } });
    const data = await s.subscribeOk(name, { auth: s.presenceAuth(name, cd), channel_data: cd });
    assert.deepEqual(data.presence.ids, ['7']);
    assert.deepEqual(data.presence.hash, { 7: { n: 7 } });
  });

  test('user_id 7 (number) and "7" (string) on two connections are one member', async () => {
    const watcher = await h.raw();
    const name = room();
    const cdW = JSON.stringify({ user_id: 'w' });
    await watcher.subscribeOk(name, { auth: watcher.presenceAuth(name, cdW), channel_data: cdW });
    const a = await h.raw();
    const cdA = JSON.stringify({ user_id: 7 });
    await a.subscribeOk(name, { auth: a.presenceAuth(name, cdA), channel_data: cdA });
    const b = await h.raw();
    const cdB = JSON.stringify({ user_id: '7' });
    const data = await b.subscribeOk(name, { auth: b.presenceAuth(name, cdB), channel_data: cdB });
    assert.equal(data.presence.count, 2, JSON.stringify(data));
    await watcher.ping();
    assert.equal(watcher.seen('pusher_internal:member_added').length, 1, watcher.describe());
  });

  test('race: five connections of one user join at once → one member_added; all leave at once → one member_removed', async () => {
    const watcher = await h.raw();
    const name = room();
    const cdW = JSON.stringify({ user_id: 'race-watcher' });
    await watcher.subscribeOk(name, { auth: watcher.presenceAuth(name, cdW), channel_data: cdW });
    const socks = await Promise.all(Array.from({ length: 5 }, () => h.raw()));
    const cd = JSON.stringify({ user_id: 'racer', user_info: { r: 1 } });
    for (const s of socks) s.subscribe(name, { auth: s.presenceAuth(name, cd), channel_data: cd });
    await Promise.all(socks.map((s) => s.expect('pusher_internal:subscription_succeeded')));
    for (const s of socks) s.close();
    await Promise.all(socks.map((s) => s.waitClose()));
    await watcher.expect('pusher_internal:member_removed', 'member_removed after the last racer left');
    // Marker: a later member's join must come after anything the racers caused.
    const late = await h.raw();
    const cdL = JSON.stringify({ user_id: 'late' });
    await late.subscribeOk(name, { auth: late.presenceAuth(name, cdL), channel_data: cdL });
    await watcher.expect((f) => f.event === 'pusher_internal:member_added' && dataOf(f).user_id === 'late', 'member_added late');
    const racerEvents = watcher.frames
      .filter((f) => f.event.startsWith('pusher_internal:member_') && dataOf(f).user_id === 'racer')
      .map((f) => f.event.replace('pusher_internal:', ''));
    assert.deepEqual(racerEvents, ['member_added', 'member_removed']);
  });

  test('presence events from the HTTP API reach members', async () => {
    const alice = await member('alice');
    const name = room();
    const ch = await subscribed(alice, name);
    const got = nextEvent(ch, 'announce');
    await sdk.trigger(name, 'announce', { x: 1 });
    assert.deepEqual((await got).data, { x: 1 });
  });
});

describe('2. presence limits', () => {
  async function joinRaw(key, secret, name, userId, info) {
    const s = await h.raw(key);
    const cd = JSON.stringify(info === undefined ? { user_id: userId } : { user_id: userId, user_info: info });
    s.subscribe(name, { auth: s.presenceAuth(name, cd, { key, secret }), channel_data: cd });
    return s;
  }

  test('max_presence_members (2): a third user gets pusher:error and no subscription; a same-user second connection is fine', async () => {
    const name = room();
    const a = await joinRaw(SMALL.key, SMALL.secret, name, 'm1');
    await a.expect('pusher_internal:subscription_succeeded');
    const b = await joinRaw(SMALL.key, SMALL.secret, name, 'm2');
    await b.expect('pusher_internal:subscription_succeeded');
    const c = await joinRaw(SMALL.key, SMALL.secret, name, 'm3');
    const err = await c.error('pusher:error for the member over the limit');
    assert.equal(typeof err.message, 'string');
    await c.ping();
    assert.equal(c.seen('pusher_internal:subscription_succeeded').length, 0);
    await a.ping();
    assert.equal(a.seen((f) => f.event === 'pusher_internal:member_added' && dataOf(f).user_id === 'm3').length, 0);

    const a2 = await joinRaw(SMALL.key, SMALL.secret, name, 'm1');
    await a2.expect('pusher_internal:subscription_succeeded', 'same user on a second connection is not an extra member');
  });

  test('user_info over max_presence_user_info_bytes (1 KB) → pusher:error, connection survives', async () => {
    const name = room();
    const s = await joinRaw('app-key', 'app-secret', name, 'big', { blob: 'x'.repeat(2000) });
    await s.error();
    await s.ping();
    assert.equal(s.seen('pusher_internal:subscription_succeeded').length, 0);
  });

  test('user_id longer than 128 characters → pusher:error', async () => {
    const name = room();
    const s = await joinRaw('app-key', 'app-secret', name, 'u'.repeat(129));
    await s.error();
    await s.ping();
    assert.equal(s.seen('pusher_internal:subscription_succeeded').length, 0);
  });

  for (const [label, cd] of [
    ['channel_data not JSON', 'not json'],
    ['channel_data without user_id', JSON.stringify({ user_info: {} })],
    ['channel_data with empty user_id', JSON.stringify({ user_id: '' })],
    ['channel_data a JSON array', '[1,2]'],
  ]) {
    test(`${label} (correctly signed) → pusher:error, connection survives`, async () => {
      const s = await h.raw();
      const name = room();
      s.subscribe(name, { auth: s.presenceAuth(name, cd), channel_data: cd });
      await s.error();
      await s.ping();
      assert.equal(s.seen('pusher_internal:subscription_succeeded').length, 0);
    });
  }

  test('presence without channel_data on a connection that is not signed in → pusher:error', async () => {
    const s = await h.raw();
    const name = room();
    s.subscribe(name, { auth: s.privateAuth(name) });
    await s.error();
    await s.ping();
    assert.equal(s.seen('pusher_internal:subscription_succeeded').length, 0);
  });
});
