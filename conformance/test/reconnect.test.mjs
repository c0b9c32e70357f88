// pusher-js recovery: when its socket drops, it reconnects with a new socket id, re-subscribes every channel
// (re-authorizing), signs in again, and the server has cleaned up the old connection.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connected, setup, signedIn, subscribed } from '../lib/harness.mjs';
import { jsonOf } from '../lib/http.mjs';
import { nextEvent, until } from '../lib/wait.mjs';

let h;
let sdk;
before(async () => {
  h = await setup();
  sdk = h.sdk();
});
after(() => h?.close());

/** Drops pusher-js's WebSocket from the client side (as a network blip would), without telling pusher-js. */
function dropSocket(client) {
  client.connection.connection.transport.socket.close();
}

describe('reconnect', () => {
  test('after a dropped socket pusher-js reconnects, re-subscribes public/private/presence, signs in again; the old connection is gone server-side', async () => {
    const id = `rc-${process.pid}`;
    const pub = `rc-public-${process.pid}`;
    const priv = `private-rc-${process.pid}`;
    const pres = `presence-rc-${process.pid}`;
    const client = await h.connectedClient({ userParams: { user_id: id }, channelParams: { user_id: id } });
    const s = signedIn(client);
    client.signin();
    await s;
    const chans = [await subscribed(client, pub), await subscribed(client, priv), await subscribed(client, pres)];
    const firstSocketId = client.connection.socket_id;

    const resubscribed = chans.map((ch) => nextEvent(ch, 'pusher:subscription_succeeded', { timeout: 15000 }));
    const resigned = signedIn(client, 15000);
    dropSocket(client);
    await until(() => client.connection.state === 'connected' && client.connection.socket_id !== firstSocketId, {
      timeout: 15000,
      what: 'pusher-js connected again with a new socket id',
    });
    await connected(client);
    await Promise.all(resubscribed);
    await resigned;

    for (const ch of chans) {
      const got = nextEvent(ch, 'after-reconnect');
      await sdk.trigger(ch.name, 'after-reconnect', { ch: ch.name });
      assert.deepEqual((await got).data, { ch: ch.name });
    }
    const dm = nextEvent(client.user, 'dm');
    await sdk.sendToUser(id, 'dm', {});
    await dm;

    await until(
      async () => {
        const res = await sdk.get({ path: `/users/${id}` });
        return (await res.json()).connections === 1;
      },
      { what: `/users/${id} shows exactly one connection` },
    );
    const { body } = await jsonOf(sdk.get({ path: `/channels/${pres}/users` }));
    assert.deepEqual(body.users, [{ id }]);
    await until(
      async () => (await jsonOf(sdk.get({ path: `/channels/${pub}`, params: { info: 'subscription_count' } }))).body.subscription_count === 1,
      { what: `${pub} subscription_count back to 1` },
    );
  });
});
