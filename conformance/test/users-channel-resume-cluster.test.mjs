// Issue 25 item 1 — channel resume with the stock pusher-js across a cluster: three nodes on one Redis behind
// HAProxy (balance roundrobin). A signed-in user whose socket drops (not unsubscribed) and whose pusher-js
// reconnects through HAProxy lands on ANOTHER node and still gets the channel events it missed there, in order,
// once, then live ones — the windows and the noted places live in Redis, not in the node that lost the socket.
//
// Steering: every pusher-js socket of this file goes through HAProxy and the HTTP API is called on node 1
// directly, so the only connections HAProxy balances are this file's sockets, one at a time: round robin sends
// a reconnect to the next node. Which node a socket reached is read from the nodes' own counters
// (switchboard_connections_opened), and every test asserts the reconnect landed on a node other than the one
// that lost the socket. The replay is also shown to come from that node (its switchboard_resume_replayed).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connected, signedIn, subscribed } from '../lib/harness.mjs';
import { startCluster } from '../lib/cluster.mjs';
import { signedRequest } from '../lib/http.mjs';
import { app } from '../lib/server.mjs';
import { nextEvent, record, until } from '../lib/wait.mjs';

/** The window keeps 25 events: 20 missed fit, 40 missed lose 15. */
const MAX_EVENTS = 25;

let c;
let n = 0;
const uid = (prefix) => `${prefix}-${process.pid}-${++n}`;

before(async () => {
  c = await startCluster({
    nodes: 3,
    haproxy: true,
    apps: [app({ channel_resume_seconds: 60, channel_resume_max_events: MAX_EVENTS,
      channel_resume_prefixes: ['private-orders-', 'presence-room-'] })],
  });
});
after(() => c?.close());

/** A default-app counter of every node, in node order. */
async function counters(name) {
  const re = new RegExp(`^${name}_total\\{app="app-id"\\} (\\S+)$`, 'm');
  return Promise.all(c.servers.map(async (s) => {
    const m = re.exec(await s.metrics());
    return m ? Number(m[1]) : 0;
  }));
}

/** Runs `connect` (which resolves once connected) and returns the node (1-based) whose accepted count grew by one. */
async function landing(connect) {
  const before = await counters('switchboard_connections_opened');
  await connect();
  let grew = [];
  // The counter may be bumped just after connection_established went out: awaited, not read once.
  await until(async () => {
    grew = (await counters('switchboard_connections_opened')).map((v, i) => v - before[i]);
    return grew.some((d) => d !== 0);
  }, { what: 'a node to count the new socket' });
  assert.deepEqual(grew.filter((d) => d !== 0), [1], `exactly one node accepted one socket: ${grew}`);
  return grew.indexOf(1) + 1;
}

/** A pusher-js client through HAProxy, signed in as `id` (its presence membership is `id` too); and its node. */
async function signedInViaLb(id) {
  let client;
  // Made inside: pusher-js opens its socket in the constructor.
  const node = await landing(() => connected(client = c.client({ node: 'lb', userParams: { user_id: id },
    channelParams: { user_id: id, user_info: JSON.stringify({ name: id }) } })));
  const done = signedIn(client);
  client.signin();
  await done;
  return { client, node };
}

/** Reconnects a dropped pusher-js client through HAProxy; resolves once it is signed in again; returns its node. */
async function reconnect(client) {
  const again = signedIn(client);
  const node = await landing(async () => {
    client.connect();
    await connected(client);
  });
  await again;
  return node;
}

async function connectionsOf(id) {
  const res = await signedRequest(c.servers[0], 'GET', `/users/${id}`);
  return res.status === 404 ? 0 : res.json.connections;
}

/** Drops the socket (pusher-js keeps its subscriptions) and waits until the cluster let that connection go. */
async function drop(client, id, left = 0) {
  client.disconnect();
  await until(async () => (await connectionsOf(id)) === left, { what: `the user to have ${left} connection(s)` });
}

const sdk = () => c.sdk(1);
const ns = (calls) => calls.map((call) => call.data.n);
const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const sum = (xs) => xs.reduce((a, b) => a + b, 0);

describe('channel resume across three nodes behind HAProxy, with pusher-js', () => {
  test('a dropped socket reconnecting on another node gets the 20 missed events of a private and a presence channel, then live ones; no membership event is replayed', async () => {
    const id = uid('resume');
    const orders = `private-orders-${id}`;
    const room = `presence-room-${id}`;
    const { client, node: first } = await signedInViaLb(id);
    const ordersCh = await subscribed(client, orders);
    const roomCh = await subscribed(client, room);
    const gotOrders = record(ordersCh, 'status');
    const gotRoom = record(roomCh, 'status');
    const joined = record(roomCh, 'pusher:member_added');
    // A member that stays, on node 2, sees the dropped user leave (membership keeps Pusher's semantics).
    const watcher = await subscribed(await c.connectedClient({ node: 2, channelParams: { user_id: uid('w') } }), room);
    await sdk().trigger(orders, 'status', { n: 0 });
    await sdk().trigger(room, 'status', { n: 0 });
    await until(() => gotOrders.length === 1 && gotRoom.length === 1, { what: 'the first live events' });

    const left = nextEvent(watcher, 'pusher:member_removed', { filter: (m) => m.id === id });
    await drop(client, id);
    await left;
    // A member joins while the user is away: the roster on return has it, but no member_added is replayed.
    const eve = uid('eve');
    await subscribed(await c.connectedClient({ node: 3, channelParams: { user_id: eve } }), room);
    for (let i = 1; i <= 20; i++) {
      await sdk().trigger(orders, 'status', { n: i });
      await sdk().trigger(room, 'status', { n: i });
    }
    const replayedBefore = await counters('switchboard_resume_replayed');

    const second = await reconnect(client);
    assert.notEqual(second, first, 'the reconnect landed on another node');
    await until(() => gotOrders.length >= 21 && gotRoom.length >= 21, { what: 'the 20 missed events on both channels' });
    await sdk().trigger(orders, 'status', { n: 21 });
    await sdk().trigger(room, 'status', { n: 21 });
    await until(() => gotOrders.length >= 22 && gotRoom.length >= 22, { what: 'the live events' });

    assert.deepEqual(ns(gotOrders), range(0, 21));
    assert.deepEqual(ns(gotRoom), range(0, 21));
    assert.ok(roomCh.members.get(eve), 'the roster after the return has the member that joined meanwhile');
    assert.deepEqual(joined.map((call) => call.data.id).filter((m) => m === eve), [], 'no member_added replayed');
    const grew = (await counters('switchboard_resume_replayed')).map((v, i) => v - replayedBefore[i]);
    assert.equal(grew[second - 1], 40, `the node it landed on replayed 40 events: ${grew}`);
    assert.equal(sum(grew), 40, `no other node replayed: ${grew}`);
  });

  test('past the window, on another node: one switchboard:resume_incomplete per channel with the count lost, then what is kept, then live', async () => {
    const id = uid('gap');
    const orders = `private-orders-${id}`;
    const room = `presence-room-${id}`;
    const { client, node: first } = await signedInViaLb(id);
    const channels = [await subscribed(client, orders), await subscribed(client, room)];
    const got = channels.map((ch) => record(ch, 'status'));
    const lost = channels.map((ch) => record(ch, 'switchboard:resume_incomplete'));

    await drop(client, id);
    for (let i = 1; i <= 40; i++) {
      await sdk().trigger(orders, 'status', { n: i });
      await sdk().trigger(room, 'status', { n: i });
    }
    const second = await reconnect(client);
    assert.notEqual(second, first, 'the reconnect landed on another node');
    await until(() => got.every((l) => l.length >= MAX_EVENTS) && lost.every((l) => l.length === 1),
      { what: 'the loss event and the kept events on both channels' });
    await sdk().trigger(orders, 'status', { n: 41 });
    await sdk().trigger(room, 'status', { n: 41 });
    await until(() => got.every((l) => l.length >= MAX_EVENTS + 1), { what: 'the live events' });

    for (const i of [0, 1]) {
      assert.deepEqual(lost[i].map((call) => call.data.lost), [40 - MAX_EVENTS]);
      assert.deepEqual(ns(got[i]), range(40 - MAX_EVENTS + 1, 41));
    }
  });

  test('nothing is replayed when a second connection of the user, on another node, stayed subscribed', async () => {
    const id = uid('stays');
    const orders = `private-orders-${id}`;
    const { client: stays, node: stayNode } = await signedInViaLb(id);
    const kept = record(await subscribed(stays, orders), 'status');
    const { client, node: first } = await signedInViaLb(id);
    assert.notEqual(first, stayNode, 'the two connections are on two nodes');
    const channel = await subscribed(client, orders);
    const got = record(channel, 'status');

    await drop(client, id, 1);
    for (let i = 1; i <= 5; i++) await sdk().trigger(orders, 'status', { n: i });
    await until(() => kept.length === 5, { what: 'the events on the connection that stayed' });
    const replayedBefore = await counters('switchboard_resume_replayed');
    const resubscribed = nextEvent(channel, 'pusher:subscription_succeeded');
    const second = await reconnect(client);
    assert.notEqual(second, first, 'the reconnect landed on another node');
    await resubscribed;
    await sdk().trigger(orders, 'status', { n: 6 });
    await until(() => got.length >= 1 && kept.length === 6, { what: 'the live event on both connections' });

    assert.deepEqual(ns(got), [6]);
    assert.deepEqual(ns(kept), range(1, 6));
    assert.deepEqual(await counters('switchboard_resume_replayed'), replayedBefore, 'no node replayed anything');
  });

  test('nothing is replayed on another node after an explicit unsubscribe', async () => {
    const id = uid('unsub');
    const orders = `private-orders-${id}`;
    const { client, node: first } = await signedInViaLb(id);
    await subscribed(client, orders);
    // pusher-js defers every send to the next tick while disconnect() closes at once, so an unsubscribe followed
    // by disconnect() in the same tick never leaves the client: that would be a plain loss (and is replayed).
    // Awaited here: the node handled the unsubscribe (the channel's only subscriber left) before the socket drops.
    client.unsubscribe(orders);
    await until(async () => {
      const res = await sdk().get({ path: `/channels/${orders}` });
      return (await res.json()).occupied === false;
    }, { what: 'the channel to be vacated by the unsubscribe' });
    await drop(client, id);
    for (let i = 1; i <= 5; i++) await sdk().trigger(orders, 'status', { n: i });
    const replayedBefore = await counters('switchboard_resume_replayed');

    const second = await reconnect(client);
    assert.notEqual(second, first, 'the reconnect landed on another node');
    const back = record(await subscribed(client, orders), 'status');
    await sdk().trigger(orders, 'status', { n: 6 });
    await until(() => back.length >= 1, { what: 'the live event after the unsubscribe' });

    assert.deepEqual(ns(back), [6]);
    assert.deepEqual(await counters('switchboard_resume_replayed'), replayedBefore, 'no node replayed anything');
  });
});
