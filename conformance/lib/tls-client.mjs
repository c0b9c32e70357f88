// A pusher-js client over wss, run as its own Node process so that NODE_EXTRA_CA_CERTS (read by Node only at
// start) can make it trust the CA that tls.test.mjs made a moment ago. It reports on stdout, one JSON object a
// line: every connection state, the subscription, and every event of CHANNEL.
//
//   NODE_EXTRA_CA_CERTS=ca.pem node lib/tls-client.mjs <wssPort> <appKey> <channel>

import PusherJS from 'pusher-js';

const [port, key, channelName] = process.argv.slice(2);
const say = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);

const pusher = new PusherJS(key, {
  cluster: 'mt1',
  wsHost: '127.0.0.1',
  wssPort: Number(port),
  forceTLS: true,
  enabledTransports: ['ws'], // pusher-js's one WebSocket transport; forceTLS makes it wss
  disableStats: true,
});
pusher.connection.bind('state_change', ({ current }) => say({ state: current, socket_id: pusher.connection.socket_id }));
pusher.connection.bind('error', (err) => say({ error: String(err?.error?.data?.message ?? err?.type ?? err) }));
const channel = pusher.subscribe(channelName);
channel.bind('pusher:subscription_succeeded', () => say({ subscribed: channelName }));
channel.bind_global((event, data) => {
  if (!event.startsWith('pusher:')) say({ event, data });
});
// The parent ends the test by closing stdin (or killing us).
process.stdin.on('end', () => {
  pusher.disconnect();
  process.exit(0);
});
process.stdin.resume();
