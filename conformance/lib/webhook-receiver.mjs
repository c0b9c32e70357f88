// The app's webhook endpoint: a real Node HTTP server on a free port that keeps every POST as received
// (headers, exact body text, arrival time) and checks it with the `pusher` SDK (pusher-http-node 5.3.4)
// the way an app would: `pusher.webhook({ headers, rawBody }).isValid()`.
//
//   const hooks = await startWebhookReceiver({ 'app-id': sdkForApp1, 'app-2': sdkForApp2 });
//   app({ webhooks: [{ url: hooks.urlFor('app-id') }] })
//   const ev = await hooks.event((e) => e.name === 'channel_occupied' && e.channel === 'news');
//
// One receiver serves several apps: each app's target URL ends in its id, and the request is checked with
// that app's SDK instance (each app signs with its own secret). The SDK instances may be created after the
// receiver started (their port is the server's): pass a function `appId → Pusher`.

import http from 'node:http';
import { DEFAULT_TIMEOUT_MS, until } from './wait.mjs';

/**
 * Starts the receiver. `sdkFor(appId)` returns the `pusher` SDK instance that verifies that app's requests.
 * Every request is answered 200 (whatever its validity: the test asserts on validity, the server must not
 * retry). Returns { urlFor(appId), requests, events(), event(pred), all(pred), close() }.
 */
export async function startWebhookReceiver(sdkFor) {
  /** { appId, path, headers, rawBody, at (performance.now()), valid, events (null when invalid) } */
  const requests = [];
  const srv = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const appId = decodeURIComponent(req.url.replace(/^\/hooks\//, ''));
      const entry = { appId, method: req.method, path: req.url, headers: req.headers, rawBody, at: performance.now() };
      try {
        const webhook = sdkFor(appId).webhook({ headers: req.headers, rawBody });
        entry.valid = webhook.isValid();
        entry.events = entry.valid ? webhook.getEvents() : null;
        entry.timeMs = entry.valid ? webhook.getTime().getTime() : null;
      } catch (err) {
        entry.valid = false;
        entry.error = String(err && err.message);
      }
      requests.push(entry);
      res.writeHead(200).end();
    });
  });
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${srv.address().port}`;

  /** Every event of every valid request (optionally of one app), each with its request's arrival time. */
  function events(appId) {
    const out = [];
    for (const r of requests) {
      if (!r.valid || (appId !== undefined && r.appId !== appId)) continue;
      for (const e of r.events) out.push({ ...e, _at: r.at, _appId: r.appId });
    }
    return out;
  }

  return {
    url: base,
    urlFor: (appId) => `${base}/hooks/${encodeURIComponent(appId)}`,
    requests,
    events,
    /** Waits for the first event (of any valid request so far or to come) matching `pred`; returns it. */
    async event(pred, { timeout = DEFAULT_TIMEOUT_MS, what = 'a webhook event' } = {}) {
      try {
        return await until(() => events().find(pred), { timeout, what });
      } catch (err) {
        err.message += `; webhook events received: ${summary(events())}`;
        throw err;
      }
    },
    /** All events received so far that match `pred`. */
    all(pred) {
      return events().filter(pred);
    },
    /** Requests that failed verification or lacked the exact Content-Type (for a final assertion). */
    rejected() {
      return requests.filter((r) => !r.valid || r.headers['content-type'] !== 'application/json' || r.method !== 'POST');
    },
    close: () =>
      new Promise((resolve) => {
        srv.closeAllConnections?.();
        srv.close(() => resolve());
      }),
  };
}

function summary(evs) {
  const s = JSON.stringify(evs.map(({ _at, _appId, ...e }) => e));
  return s.length > 1500 ? `${s.slice(0, 1500)}…` : s;
}
