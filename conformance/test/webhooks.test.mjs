// Webhooks (PROTOCOL.md §7, docs/webhooks.md) received by a real HTTP server in the test and checked with the
// `pusher@5.3.4` SDK exactly as an app does: `pusher.webhook({ headers, rawBody }).isValid()`, then
// `getEvents()`. pusher-js clients produce the events.
//
// The server runs with a short batch window and leave delay so the suite stays fast; "X was not sent" is
// asserted after a later marker webhook that would have come after X, never after a sleep.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sdk } from '../lib/auth-server.mjs';
import { connected, setup, signedIn, subscribed } from '../lib/harness.mjs';
import { app, DEFAULT_APP } from '../lib/server.mjs';
import { nextEvent, until } from '../lib/wait.mjs';
import { startWebhookReceiver } from '../lib/webhook-receiver.mjs';

const LEAVE_DELAY_MS = 600;
const BATCH_MS = 20;
const COUNT_APP = Object.freeze({ id: 'app-count', key: 'key-count', secret: 'secret-count' });
const CUSTOM_HEADER = 'x-conformance-target';

let seq = 0;
const uniq = (prefix) => `${prefix}-${++seq}`;

describe('webhooks verified by the pusher SDK', () => {
  let h;
  let hooks;
  const sdks = new Map();

  before(async () => {
    hooks = await startWebhookReceiver((appId) => sdks.get(appId));
    h = await setup({
      settings: { webhook_batch_millis: BATCH_MS, webhook_leave_delay_millis: LEAVE_DELAY_MS },
      apps: [
        app({ webhooks: [{ url: hooks.urlFor(DEFAULT_APP.id), headers: { [CUSTOM_HEADER]: 'default-app' } }] }),
        app({
          ...COUNT_APP,
          enable_subscription_count: true,
          webhooks: [{ url: hooks.urlFor(COUNT_APP.id), event_types: ['subscription_count'] }],
        }),
      ],
    });
    sdks.set(DEFAULT_APP.id, sdk(h.server, DEFAULT_APP));
    sdks.set(COUNT_APP.id, sdk(h.server, COUNT_APP));
  });

  after(async () => {
    await h?.close();
    await hooks?.close();
  });

  const ofChannel = (name, channel) => (e) => e.name === name && e.channel === channel && e._appId === DEFAULT_APP.id;
  const ofUser = (name, userId) => (e) => e.name === name && e.user_id === userId && e._appId === DEFAULT_APP.id;

  /** A connected pusher-js client of the default app whose presence identity is `userId`. */
  const clientAs = async (userId, info) =>
    connected(await h.client({ channelParams: { user_id: userId, user_info: JSON.stringify(info ?? { name: userId }) } }));

  /** The server's view of a user (Switchboard's user data API). */
  const userOnServer = async (userId) => {
    const res = await h.sdk().get({ path: `/users/${userId}` });
    return res.json();
  };

  /** A connected pusher-js client signed in as `userId`. */
  const signedInAs = async (userId) => {
    const c = await h.connectedClient({ userParams: { user_id: userId } });
    const done = signedIn(c);
    c.signin();
    await done;
    return c;
  };

  test('channel_occupied on the first subscriber only; channel_vacated after the last leaves, not before the leave delay', async () => {
    const channel = uniq('news');
    const a = await h.connectedClient();
    const b = await h.connectedClient();
    await subscribed(a, channel);
    const occupied = await hooks.event(ofChannel('channel_occupied', channel), { what: `channel_occupied ${channel}` });
    assert.deepEqual(
      Object.fromEntries(Object.entries(occupied).filter(([k]) => !k.startsWith('_'))),
      { name: 'channel_occupied', channel },
    );
    await subscribed(b, channel);

    b.unsubscribe(channel); // one subscriber left: nothing to report
    const lastLeft = performance.now();
    a.unsubscribe(channel);
    const vacated = await hooks.event(ofChannel('channel_vacated', channel), { what: `channel_vacated ${channel}` });

    assert.ok(
      vacated._at - lastLeft >= LEAVE_DELAY_MS,
      `channel_vacated arrived ${Math.round(vacated._at - lastLeft)} ms after the last leave, before the ${LEAVE_DELAY_MS} ms delay`,
    );
    assert.equal(hooks.all(ofChannel('channel_occupied', channel)).length, 1, 'one channel_occupied for two subscribers');
    assert.equal(hooks.all(ofChannel('channel_vacated', channel)).length, 1);
  });

  test('member_added / member_removed carry channel and user_id; a user is one member across connections', async () => {
    const channel = uniq('presence-room');
    const ann = uniq('ann');
    const bo = uniq('bo');
    await subscribed(await clientAs(ann), channel);
    assert.equal((await hooks.event(ofUser('member_added', ann))).channel, channel);
    await hooks.event(ofChannel('channel_occupied', channel));

    const bo1 = await clientAs(bo);
    const bo2 = await clientAs(bo);
    await subscribed(bo1, channel);
    await subscribed(bo2, channel);
    const added = await hooks.event(ofUser('member_added', bo), { what: `member_added ${bo}` });
    assert.equal(added.channel, channel);

    bo1.unsubscribe(channel); // Bo is still a member through bo2
    // The server handles a connection's frames in order: once this subscription is confirmed, it has
    // processed bo1's leave.
    await subscribed(bo1, uniq('after-leave'));
    const lastLeft = performance.now();
    bo2.disconnect();
    const removed = await hooks.event(ofUser('member_removed', bo), { what: `member_removed ${bo}` });

    assert.equal(removed.channel, channel);
    // Had bo1's leave produced a member_removed, it would have been the first one, sooner than this.
    assert.ok(removed._at - lastLeft >= LEAVE_DELAY_MS, `member_removed after ${Math.round(removed._at - lastLeft)} ms`);
    assert.equal(hooks.all(ofUser('member_added', bo)).length, 1, 'two connections of one user: one member_added');
    assert.equal(hooks.all(ofUser('member_removed', bo)).length, 1);
  });

  test('client_event on a private channel: channel, event, data as a JSON string, socket_id, no user_id', async () => {
    const channel = uniq('private-chat');
    const sender = await h.connectedClient();
    const receiver = await h.connectedClient();
    const senderChannel = await subscribed(sender, channel);
    const receiverChannel = await subscribed(receiver, channel);
    const relayed = nextEvent(receiverChannel, 'client-typing');

    assert.equal(senderChannel.trigger('client-typing', { typing: true, who: 'Zoë' }), true);
    await relayed;
    const ev = await hooks.event(ofChannel('client_event', channel), { what: `client_event on ${channel}` });

    assert.equal(ev.event, 'client-typing');
    assert.equal(typeof ev.data, 'string');
    assert.deepEqual(JSON.parse(ev.data), { typing: true, who: 'Zoë' });
    assert.equal(ev.socket_id, sender.connection.socket_id);
    assert.equal('user_id' in ev, false, 'no user_id on a private channel');
  });

  test('client_event on a presence channel carries the sender user_id', async () => {
    const channel = uniq('presence-chat');
    const ann = uniq('ann');
    const sender = await clientAs(ann);
    const receiver = await clientAs(uniq('bo'));
    const senderChannel = await subscribed(sender, channel);
    const receiverChannel = await subscribed(receiver, channel);
    const relayed = nextEvent(receiverChannel, 'client-say');

    assert.equal(senderChannel.trigger('client-say', 'hello'), true);
    assert.equal((await relayed).metadata.user_id, ann);
    const ev = await hooks.event(ofChannel('client_event', channel), { what: `client_event on ${channel}` });

    assert.equal(ev.event, 'client-say');
    assert.equal(ev.data, 'hello');
    assert.equal(ev.socket_id, sender.connection.socket_id);
    assert.equal(ev.user_id, ann);
  });

  test('cache_miss when subscribing to an empty cache channel, once per channel within its window', async () => {
    const channel = uniq('cache-prices');
    const first = await h.connectedClient();
    const miss = nextEvent(first.subscribe(channel), 'pusher:cache_miss');
    await subscribed(first, channel);
    await miss;
    const ev = await hooks.event(ofChannel('cache_miss', channel), { what: `cache_miss ${channel}` });
    assert.deepEqual(Object.keys(ev).filter((k) => !k.startsWith('_')).sort(), ['channel', 'name']);

    await subscribed(await h.connectedClient(), channel); // a second miss inside the de-duplication window
    const marker = uniq('cache-marker');
    await subscribed(await h.connectedClient(), marker);
    await hooks.event(ofChannel('cache_miss', marker), { what: `cache_miss ${marker}` });

    assert.equal(hooks.all(ofChannel('cache_miss', channel)).length, 1);
  });

  test('subscription_count on an app with enable_subscription_count, filtered by the target event_types', async () => {
    const channel = uniq('counted');
    const count = (n) => (e) => e._appId === COUNT_APP.id && e.name === 'subscription_count' && e.channel === channel && e.subscription_count === n;
    const a = await h.connectedClient({ app: COUNT_APP });
    const b = await h.connectedClient({ app: COUNT_APP });
    await subscribed(a, channel);
    await hooks.event(count(1), { what: 'subscription_count 1' });
    await subscribed(b, channel);
    await hooks.event(count(2), { what: 'subscription_count 2' });
    b.unsubscribe(channel);
    const down = await hooks.event((e) => count(1)(e) && e._at > hooks.all(count(2))[0]._at, { what: 'subscription_count back to 1' });
    assert.equal(down.subscription_count, 1);

    const ofCountApp = hooks.all((e) => e._appId === COUNT_APP.id);
    assert.deepEqual([...new Set(ofCountApp.map((e) => e.name))], ['subscription_count'], 'only the configured event type');
    // Requests of this app are signed with its own secret: verified with its own SDK instance, not the default's.
    const req = hooks.requests.find((r) => r.appId === COUNT_APP.id);
    assert.equal(req.headers['x-pusher-key'], COUNT_APP.key);
    assert.equal(sdks.get(DEFAULT_APP.id).webhook({ headers: req.headers, rawBody: req.rawBody }).isValid(), false);
  });

  test('user_online on sign-in, user_offline after the last connection closes and the leave delay (Switchboard)', async () => {
    const user = uniq('user');
    const first = await signedInAs(user);
    const online = await hooks.event(ofUser('user_online', user), { what: `user_online ${user}` });
    assert.equal('channel' in online, false);
    const second = await signedInAs(user);

    first.disconnect();
    await until(async () => (await userOnServer(user)).connections === 1, { what: `${user} down to one connection` });
    const lastLeft = performance.now();
    second.disconnect();
    const offline = await hooks.event(ofUser('user_offline', user), { what: `user_offline ${user}` });

    assert.ok(offline._at - lastLeft >= LEAVE_DELAY_MS, `user_offline after ${Math.round(offline._at - lastLeft)} ms`);
    assert.equal(hooks.all(ofUser('user_online', user)).length, 1, 'a second connection of an online user: no user_online');
    assert.equal(hooks.all(ofUser('user_offline', user)).length, 1);
  });

  test('user_terminated when the app terminates the user connections, then user_offline', async () => {
    // A raw socket signed in with the SDK's authenticateUser answer: pusher-js would do the same, but after a
    // 4009 close it leaves a 30 s close timer behind in its bundled WebSocket client, which keeps node alive.
    const user = uniq('user');
    const raw = await h.raw();
    raw.send({ event: 'pusher:signin', data: h.sdk().authenticateUser(raw.socketId, { id: user }) });
    await raw.expect('pusher:signin_success');
    await hooks.event(ofUser('user_online', user), { what: `user_online ${user}` });

    await h.sdk().terminateUserConnections(user);
    assert.equal((await raw.waitClose()).code, 4009);
    const terminated = await hooks.event(ofUser('user_terminated', user), { what: `user_terminated ${user}` });
    const offline = await hooks.event(ofUser('user_offline', user), { what: `user_offline ${user}` });

    assert.deepEqual(Object.keys(terminated).filter((k) => !k.startsWith('_')).sort(), ['name', 'user_id']);
    assert.ok(offline._at >= terminated._at, 'user_offline (held for the leave delay) after user_terminated');
  });

  test('a quick leave and rejoin within the delay sends neither vacated / member_removed nor a second occupied / member_added', async () => {
    const channel = uniq('presence-reload');
    const user = uniq('ann');
    const c = await clientAs(user);
    await subscribed(c, channel);
    await hooks.event(ofChannel('channel_occupied', channel));
    await hooks.event(ofUser('member_added', user));

    c.unsubscribe(channel);
    await subscribed(c, channel);
    // Marker: a channel occupied and left after the rejoin. Its occupied comes after any re-occupation of
    // `channel`, and its vacated after the held leave of `channel` would have been sent.
    const marker = uniq('marker');
    await subscribed(c, marker);
    c.unsubscribe(marker);
    await hooks.event(ofChannel('channel_vacated', marker), { what: `channel_vacated ${marker}` });

    assert.equal(hooks.all(ofChannel('channel_occupied', channel)).length, 1);
    assert.equal(hooks.all(ofChannel('channel_vacated', channel)).length, 0);
    assert.equal(hooks.all(ofUser('member_added', user)).length, 1);
    assert.equal(hooks.all(ofUser('member_removed', user)).length, 0);
    // The member is really there.
    const res = await h.sdk().get({ path: `/channels/${channel}/users` });
    assert.deepEqual((await res.json()).users, [{ id: user }]);
  });

  test('isValid() is false for a tampered body, signature, key or Content-Type', () => {
    const req = hooks.requests.find((r) => r.appId === DEFAULT_APP.id && r.valid);
    assert.ok(req, 'a valid request was received');
    const pusher = sdks.get(DEFAULT_APP.id);
    const valid = (headers, rawBody) => pusher.webhook({ headers, rawBody }).isValid();

    assert.equal(valid(req.headers, req.rawBody), true, 'the untouched request');
    const tamperedBody = req.rawBody.replace(/"time_ms":(\d)/, (m, d) => `"time_ms":${(Number(d) + 1) % 10}`);
    assert.notEqual(tamperedBody, req.rawBody);
    assert.equal(valid(req.headers, tamperedBody), false, 'body changed');
    assert.equal(valid(req.headers, `${req.rawBody} `), false, 'one byte appended');
    const sig = req.headers['x-pusher-signature'];
    const flipped = (sig[0] === '0' ? '1' : '0') + sig.slice(1);
    assert.equal(valid({ ...req.headers, 'x-pusher-signature': flipped }, req.rawBody), false, 'signature changed');
    assert.equal(valid({ ...req.headers, 'x-pusher-key': 'other-key' }, req.rawBody), false, 'key changed');
    assert.equal(
      valid({ ...req.headers, 'content-type': 'application/json; charset=utf-8' }, req.rawBody),
      false,
      'the SDK demands exactly application/json',
    );
  });

  test('every request: POST, exactly application/json, X-Pusher-Key, valid signature, time_ms, configured headers', () => {
    assert.ok(hooks.requests.length > 0);
    assert.deepEqual(
      hooks.rejected().map((r) => ({ path: r.path, method: r.method, headers: r.headers, body: r.rawBody, error: r.error })),
      [],
    );
    const now = Date.now();
    for (const r of hooks.requests) {
      const creds = r.appId === COUNT_APP.id ? COUNT_APP : DEFAULT_APP;
      assert.equal(r.headers['content-type'], 'application/json');
      assert.equal(r.headers['x-pusher-key'], creds.key);
      assert.match(r.headers['x-pusher-signature'], /^[0-9a-f]{64}$/);
      assert.ok(r.events.length >= 1, 'no empty batches');
      assert.ok(Math.abs(now - r.timeMs) < 120000, `time_ms ${r.timeMs} is now-ish`);
      if (creds === DEFAULT_APP) assert.equal(r.headers[CUSTOM_HEADER], 'default-app');
      else assert.equal(r.headers[CUSTOM_HEADER], undefined);
    }
  });
});
