// One per test file: a server, the app's auth endpoints, the SDK, and pusher-js / raw clients that are
// all cleaned up in `close()` so `node --test` exits.
//
//   let h; before(async () => { h = await setup(); }); after(() => h.close());

import PusherJS from 'pusher-js'; // in Node the main export is the encryption-capable build (nacl set)
import { sdk, startAuthServer } from './auth-server.mjs';
import { RawSocket } from './raw.mjs';
import { DEFAULT_APP, startServer } from './server.mjs';
import { DEFAULT_TIMEOUT_MS, withTimeout } from './wait.mjs';

PusherJS.logToConsole = process.env.CONFORMANCE_PUSHER_LOG === '1';

export { PusherJS };

/**
 * pusher-js options for a server on 127.0.0.1:`port` whose app endpoints are `auth` (auth-server.mjs):
 * plain ws only (never Pusher's hosts), no stats; `options` override.
 */
export function pusherOptions(port, auth, { channelParams = {}, userParams = {}, options = {} } = {}) {
  return {
    cluster: 'mt1',
    wsHost: '127.0.0.1',
    wsPort: port,
    forceTLS: false,
    enabledTransports: ['ws'],
    disableStats: true,
    channelAuthorization: { endpoint: auth.channelEndpoint, transport: 'ajax', params: channelParams },
    userAuthentication: { endpoint: auth.userEndpoint, transport: 'ajax', params: userParams },
    ...options,
  };
}

/** Resolves once the pusher-js client's connection state is `connected`. */
export function connected(client, timeout = DEFAULT_TIMEOUT_MS) {
  if (client.connection.state === 'connected') return Promise.resolve(client);
  let handler;
  const p = new Promise((resolve) => {
    handler = ({ current }) => current === 'connected' && resolve(client);
    client.connection.bind('state_change', handler);
  });
  return withTimeout(p, timeout, 'pusher-js state connected').finally(() => client.connection.unbind('state_change', handler));
}

/** Resolves once the client's state is `state`. */
export function reachesState(client, state, timeout = DEFAULT_TIMEOUT_MS) {
  if (client.connection.state === state) return Promise.resolve(client);
  let handler;
  const p = new Promise((resolve) => {
    handler = ({ current }) => current === state && resolve(client);
    client.connection.bind('state_change', handler);
  });
  return withTimeout(p, timeout, `pusher-js state ${state} (now ${client.connection.state})`).finally(() =>
    client.connection.unbind('state_change', handler),
  );
}

/** Subscribes with pusher-js and waits for pusher:subscription_succeeded; returns the channel. */
export async function subscribed(client, name, timeout = DEFAULT_TIMEOUT_MS) {
  const channel = client.subscribe(name);
  if (channel.subscribed) return channel;
  let ok;
  let bad;
  const p = new Promise((resolve, reject) => {
    ok = () => resolve(channel);
    bad = (e) => reject(new Error(`pusher:subscription_error on ${name}: ${JSON.stringify(e)}`));
    channel.bind('pusher:subscription_succeeded', ok);
    channel.bind('pusher:subscription_error', bad);
  });
  return withTimeout(p, timeout, `subscription_succeeded on ${name}`).finally(() => {
    channel.unbind('pusher:subscription_succeeded', ok);
    channel.unbind('pusher:subscription_error', bad);
  });
}

/** Resolves on the next pusher:signin_success frame seen by the client (pusher.user.user_data is then set). */
export function signedIn(client, timeout = DEFAULT_TIMEOUT_MS) {
  let handler;
  const p = new Promise((resolve) => {
    handler = (ev) => ev.event === 'pusher:signin_success' && resolve(client);
    client.connection.bind('message', handler);
  });
  return withTimeout(p, timeout, 'pusher:signin_success').finally(() => client.connection.unbind('message', handler));
}

export async function setup({ apps, settings } = {}) {
  const server = await startServer({ apps, settings });
  const authServers = new Map();
  const clients = [];
  const raws = [];

  async function authFor(creds = DEFAULT_APP) {
    if (!authServers.has(creds.key)) authServers.set(creds.key, await startAuthServer(server, creds));
    return authServers.get(creds.key);
  }
  const defaultAuth = await authFor(DEFAULT_APP);

  const h = {
    server,
    auth: defaultAuth,
    /** The SDK for the default app (or `creds`). */
    sdk: (creds) => (creds ? sdk(server, creds) : defaultAuth.pusher),
    authFor,

    /**
     * A pusher-js client (not yet awaited). `channelParams` / `userParams` travel to the auth endpoints
     * (see auth-server.mjs). `app` selects the app credentials.
     */
    async client({ app = DEFAULT_APP, channelParams = {}, userParams = {}, options = {} } = {}) {
      const auth = await authFor(app);
      const c = new PusherJS(app.key, pusherOptions(server.port, auth, { channelParams, userParams, options }));
      clients.push(c);
      return c;
    },

    /** A connected pusher-js client. */
    async connectedClient(opts) {
      return connected(await h.client(opts));
    },

    /** A connected raw socket (connection_established received). */
    async raw(key = DEFAULT_APP.key, query) {
      const s = await RawSocket.connect(server.wsUrl(key, query));
      raws.push(s);
      return s;
    },

    /** A raw socket that is not awaited (for close-code tests). */
    rawUnopened(url) {
      const s = new RawSocket(url);
      raws.push(s);
      return s;
    },

    async close() {
      for (const c of clients) {
        try {
          c.disconnect();
        } catch {
          /* ignore */
        }
      }
      for (const s of raws) s.close();
      for (const a of authServers.values()) await a.close();
      await server.stop();
    },
  };
  return h;
}
