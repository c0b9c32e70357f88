// What every way of running Switchboard must do for its users (deploy/test.sh: the container image, the
// release archive, the Kubernetes pod spec): pusher-js connects, a private channel is authorized by the
// `pusher` SDK, the SDK's trigger reaches it, a presence channel lists its member, and the HTTP API answers.

import assert from 'node:assert/strict';
import { PusherJS, connected, pusherOptions, subscribed } from '../lib/harness.mjs';
import { sdk, startAuthServer } from '../lib/auth-server.mjs';
import { DEFAULT_APP } from '../lib/server.mjs';
import { nextEvent } from '../lib/wait.mjs';

let n = 0;
const uniq = (prefix) => `${prefix}${process.pid}-${++n}`;

/**
 * pusher-js on `listen` (a started server) receives what the SDK triggers on `trigger` (the same server, or
 * another node of its cluster). Returns a cleanup function.
 */
export async function servesPusherClients(listen, trigger = listen, creds = DEFAULT_APP) {
  const auth = await startAuthServer(listen, creds);
  const client = new PusherJS(creds.key, pusherOptions(listen.port, auth, { channelParams: { user_id: 'ship-1' } }));
  try {
    await connected(client);
    const privateName = uniq('private-ship-');
    const channel = await subscribed(client, privateName);
    const got = nextEvent(channel, 'shipped');
    const res = await sdk(trigger, creds).trigger(privateName, 'shipped', { where: trigger.port });
    assert.equal(res.status, 200);
    assert.deepEqual((await got).data, { where: trigger.port });

    const presence = await subscribed(client, uniq('presence-ship-'));
    assert.equal(presence.members.count, 1);
    assert.equal(presence.members.me.id, 'ship-1');

    const info = await sdk(trigger, creds).get({ path: `/channels/${privateName}` });
    assert.equal(info.status, 200);
    assert.equal((await info.json()).occupied, true);
  } finally {
    client.disconnect();
    await auth.close();
  }
}
