// Issue 8 — three nodes on one Redis behave as one big node for pusher-js and the `pusher` SDK: a publish on
// one node reaches the other nodes' clients once, presence is one roster with one member_added / removed per
// user whatever node its connections use, sendToUser reaches the user on every node; and the same through
// HAProxy in front of the three nodes. Events are recorded, and watched for a quiet period, so that "exactly
// once" is shown.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { signedIn, subscribed } from '../lib/harness.mjs';
import { haproxyConfig, startCluster } from '../lib/cluster.mjs';
import { REPO_ROOT } from '../lib/server.mjs';
import { nextEvent, record, until } from '../lib/wait.mjs';

/** How long an event that must not come (a duplicate) is watched for. */
const QUIET_MS = 1000;
const quiet = () => new Promise((r) => setTimeout(r, QUIET_MS));

let c;
let n = 0;
const uid = (prefix) => `${prefix}-${process.pid}-${++n}`;

function member(node, userId) {
  return c.connectedClient({ node, channelParams: { user_id: userId, user_info: JSON.stringify({ name: userId }) } });
}

async function signedInOn(node, userId) {
  const client = await c.connectedClient({ node, userParams: { user_id: userId } });
  const done = signedIn(client);
  client.signin();
  await done;
  return client;
}

const count = (calls, id) => calls.filter(({ data }) => data.id === id).length;

describe('cluster: three nodes on one Redis', () => {
  before(async () => {
    c = await startCluster({ nodes: 3, haproxy: true });
  });
  after(() => c?.close());

  test('an event triggered on node 1 reaches subscribers on nodes 2 and 3 exactly once', async () => {
    const channel = uid('news');
    const subs = [];
    for (const node of [2, 3, 3]) subs.push(await subscribed(await c.connectedClient({ node }), channel));
    const calls = subs.map((ch) => record(ch, 'flash'));

    await c.sdk(1).trigger(channel, 'flash', { n: 1 });

    await until(() => calls.every((l) => l.length === 1), { what: 'flash on every subscriber' });
    await quiet();
    assert.deepEqual(calls.map((l) => l.length), [1, 1, 1]);
    assert.deepEqual(calls[0][0].data, { n: 1 });
  });

  test('presence: one member_added per user for its first connection anywhere, one member_removed after its last', async () => {
    const room = `presence-${uid('room')}`;
    const ann = uid('ann');
    const watchers = [];
    for (const node of [1, 2, 3]) watchers.push(await subscribed(await member(node, uid('w')), room));
    const added = watchers.map((ch) => record(ch, 'pusher:member_added'));
    const removed = watchers.map((ch) => record(ch, 'pusher:member_removed'));

    const annOn2 = await member(2, ann);
    await subscribed(annOn2, room);
    const annOn3 = await member(3, ann);
    const annRoom = await subscribed(annOn3, room);
    await until(() => added.every((l) => count(l, ann) === 1), { what: 'member_added for ann on every node' });
    assert.equal(annRoom.members.count, 4);
    assert.equal(watchers[0].members.count, 4);

    annOn2.disconnect();
    await quiet();
    assert.deepEqual(removed.map((l) => count(l, ann)), [0, 0, 0]);
    annOn3.disconnect();
    await until(() => removed.every((l) => count(l, ann) === 1), { what: 'member_removed for ann on every node' });
    await quiet();
    assert.deepEqual(added.map((l) => count(l, ann)), [1, 1, 1]);
    assert.deepEqual(removed.map((l) => count(l, ann)), [1, 1, 1]);
    assert.equal(watchers[2].members.count, 3);
  });

  test('sendToUser through node 1 reaches the user on nodes 2 and 3 once per connection', async () => {
    const bob = uid('bob');
    const onTwo = await signedInOn(2, bob);
    const onThree = await signedInOn(3, bob);
    const got2 = record(onTwo.user, 'ding');
    const got3 = record(onThree.user, 'ding');

    await c.sdk(1).sendToUser(bob, 'ding', { x: 1 });

    await until(() => got2.length === 1 && got3.length === 1, { what: 'ding on both connections' });
    await quiet();
    assert.equal(got2.length, 1);
    assert.equal(got3.length, 1);
    assert.deepEqual(got3[0].data, { x: 1 });
  });

  test('through HAProxy: clients spread over the nodes share presence, publishes and sendToUser', async () => {
    const room = `presence-${uid('lb')}`;
    const ids = [uid('a'), uid('b'), uid('c')];
    const channels = [];
    // Round robin: three connections in a row land on three different nodes.
    for (const id of ids) channels.push(await subscribed(await member('lb', id), room));
    await until(() => channels.every((ch) => ch.members.count === 3), { what: 'a roster of 3 on every client' });

    const flashes = channels.map((ch) => record(ch, 'flash'));
    await c.sdk('lb').trigger(room, 'flash', { via: 'haproxy' });
    await until(() => flashes.every((l) => l.length === 1), { what: 'flash through haproxy' });

    const carol = uid('carol');
    const carolClients = [await signedInOn('lb', carol), await signedInOn('lb', carol)];
    const dings = carolClients.map((cl) => record(cl.user, 'ding'));
    await c.sdk('lb').sendToUser(carol, 'ding', {});
    await until(() => dings.every((l) => l.length === 1), { what: 'ding on both of carol\'s connections' });

    const res = await c.sdk('lb').get({ path: `/channels/${room}`, params: { info: 'user_count' } });
    assert.equal((await res.json()).user_count, 3);
    await quiet();
    assert.deepEqual(flashes.map((l) => l.length), [1, 1, 1]);
    assert.deepEqual(dings.map((l) => l.length), [1, 1]);
  });

  test('a presence member added through node 3 is announced once to a pusher-js client on node 1', async () => {
    const room = `presence-${uid('edge')}`;
    const watcher = await subscribed(await member(1, uid('w')), room);
    const dave = uid('dave');
    const joined = nextEvent(watcher, 'pusher:member_added', { filter: (m) => m.id === dave });
    await subscribed(await member(3, dave), room);
    const { data } = await joined;
    assert.deepEqual(data.info, { name: dave });
  });
});

test('the README shows the HAProxy configuration that scripts/cluster runs', () => {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const block = readme.match(/<<'CFG'\n([\s\S]*?)CFG\n/);
  assert.ok(block, 'README has the HAProxy heredoc');
  assert.equal(block[1], haproxyConfig(6001, [6101, 6102, 6103]));
});
