// The application side of the handshake: a tiny HTTP server that answers pusher-js's channel authorization
// and user authentication requests with the real `pusher` SDK (pusher-http-node), exactly as an app would.
//
// pusher-js POSTs form bodies (socket_id, channel_name, plus the `params` configured on the client). The
// test tells the endpoint what to sign through those params, so one endpoint serves every client:
//   /pusher/auth       presence channels: user_id, user_info (JSON text); presence=signed-in → sign without
//                      presence data (§3.4); private-encrypted-*: the SDK adds shared_secret itself.
//   /pusher/user-auth  user_id, user_info (JSON text), watchlist (JSON text), extra (JSON object merged into
//                      user_data).

import http from 'node:http';
import Pusher from 'pusher';
import { DEFAULT_APP } from './server.mjs';

/** A random 32-byte master key, base64: enough for one test run. */
export const ENCRYPTION_MASTER_KEY_BASE64 = Buffer.from(
  Array.from({ length: 32 }, (_, i) => (i * 37 + 11) % 256),
).toString('base64');

/** The server SDK pointed at `server` for `appCreds` (default app). */
export function sdk(server, appCreds = DEFAULT_APP) {
  return new Pusher({
    appId: appCreds.id,
    key: appCreds.key,
    secret: appCreds.secret,
    host: '127.0.0.1',
    port: String(server.port),
    useTLS: false,
    encryptionMasterKeyBase64: ENCRYPTION_MASTER_KEY_BASE64,
  });
}

function readForm(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', () => resolve(Object.fromEntries(new URLSearchParams(body))));
    req.on('error', reject);
  });
}

/** Starts the app's auth endpoints for one app; returns { url, channelEndpoint, userEndpoint, requests, close() }. */
export async function startAuthServer(server, appCreds = DEFAULT_APP) {
  const pusher = sdk(server, appCreds);
  const requests = [];
  const srv = http.createServer(async (req, res) => {
    try {
      const form = await readForm(req);
      requests.push({ path: req.url, form });
      let body;
      if (req.url === '/pusher/auth') {
        const channel = form.channel_name;
        if (channel.startsWith('presence-') && form.presence !== 'signed-in') {
          const presenceData = { user_id: form.user_id || 'anonymous' };
          if (form.user_info !== undefined) presenceData.user_info = JSON.parse(form.user_info);
          body = pusher.authorizeChannel(form.socket_id, channel, presenceData);
        } else {
          body = pusher.authorizeChannel(form.socket_id, channel);
        }
      } else if (req.url === '/pusher/user-auth') {
        const userData = { id: form.user_id };
        if (form.user_info !== undefined) userData.user_info = JSON.parse(form.user_info);
        if (form.watchlist !== undefined) userData.watchlist = JSON.parse(form.watchlist);
        if (form.extra !== undefined) Object.assign(userData, JSON.parse(form.extra));
        body = pusher.authenticateUser(form.socket_id, userData);
      } else {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err && err.message));
    }
  });
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${srv.address().port}`;
  return {
    url,
    pusher,
    requests,
    channelEndpoint: `${url}/pusher/auth`,
    userEndpoint: `${url}/pusher/user-auth`,
    close: () =>
      new Promise((resolve) => {
        srv.closeAllConnections?.();
        srv.close(() => resolve());
      }),
  };
}
