// The soak run behind scripts/soak: one Switchboard node (the built jar, as the conformance suite starts
// it) under mixed load from the real clients, sampled every --sample-s seconds:
//   fan-out        --subscribers pusher-js clients on one channel, --publish-rate events/s through the SDK
//   presence churn --churners pusher-js clients, each signed in (pusher.signin), joining a presence channel
//                  through the signed-in user and leaving again, over and over
//   API calls      --api-rate requests/s: channel list, channel info, presence users, user data
//   conn churn     --conn-churn-rate new pusher-js clients/s, each signing in, subscribing and leaving after 1–3 s
// Per sample: server RSS, live heap after a full GC (jcmd GC.run + GC.heap_info), open fds, CPU % of one
// core, deliveries seen, errors. Output: --out JSON and --chart SVG.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const requireFromSuite = createRequire(path.join(root, 'conformance', 'package.json'));
const PusherJS = requireFromSuite('pusher-js');
const Pusher = requireFromSuite('pusher');
const { startServer, app } = await import(path.join(root, 'conformance', 'lib', 'server.mjs'));

const DEFAULTS = {
  'duration-min': 30, 'sample-s': 60, subscribers: 200, 'publish-rate': 20, churners: 40,
  'api-rate': 20, 'conn-churn-rate': 5,
  out: path.join(root, 'bench', 'results', `soak-${new Date().toISOString().slice(0, 16).replace(/[-:]/g, '')}Z.json`),
  chart: path.join(root, 'BENCHMARKS-soak.svg'),
};
const opts = { ...DEFAULTS };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const k = argv[i].replace(/^--/, '');
  if (k === 'help') {
    console.log(`scripts/soak [options]\n${Object.entries(DEFAULTS).map(([o, v]) => `  --${o} (default ${v})`).join('\n')}`);
    process.exit(0);
  }
  if (!(k in DEFAULTS)) throw new Error(`unknown option --${k}`);
  opts[k] = typeof DEFAULTS[k] === 'number' ? Number(argv[++i]) : argv[++i];
}

const server = await startServer({ apps: [app()] });
const pid = server.proc.pid;
const sdk = new Pusher({ appId: 'app-id', key: 'app-key', secret: 'app-secret', host: '127.0.0.1',
  port: String(server.port), useTLS: false });
console.error(`soak: server pid ${pid} on port ${server.port}; ${opts['duration-min']} min, sample every ${opts['sample-s']} s`);

const counts = { deliveries: 0, published: 0, joins: 0, leaves: 0, signins: 0, api: 0, apiErrors: 0,
  connChurned: 0, errors: 0 };
const live = new Set();
let stopping = false;

function client(userId) {
  const c = new PusherJS('app-key', {
    cluster: 'mt1', wsHost: '127.0.0.1', wsPort: server.port, forceTLS: false, enabledTransports: ['ws'],
    disableStats: true,
    channelAuthorization: { customHandler: ({ socketId, channelName }, cb) =>
      cb(null, sdk.authorizeChannel(socketId, channelName)) },
    userAuthentication: { customHandler: ({ socketId }, cb) =>
      cb(null, sdk.authenticateUser(socketId, { id: userId, user_info: { name: `user ${userId}` } })) },
  });
  c.connection.bind('error', () => { if (!stopping) counts.errors++; });
  live.add(c);
  return c;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const connected = (c) => new Promise((resolve) => {
  if (c.connection.state === 'connected') return resolve();
  c.connection.bind('connected', resolve);
});

// Fan-out subscribers.
for (let i = 0; i < opts.subscribers; i++) {
  const c = client(`s${i}`);
  c.subscribe('soak-fanout').bind('tick', () => counts.deliveries++);
}
await Promise.all([...live].map(connected));
console.error(`soak: ${opts.subscribers} subscribers connected`);

// Presence churners: signed in, joining through the signed-in user (no channel_data), leaving, again.
async function churn(i) {
  const id = `p${i}`;
  const c = client(id);
  c.connection.bind('message', (ev) => { if (ev.event === 'pusher:signin_success') counts.signins++; });
  c.signin();
  await connected(c);
  while (!stopping) {
    const name = `presence-soak-${i % 5}`;
    const ch = c.subscribe(name);
    await new Promise((resolve) => {
      ch.bind('pusher:subscription_succeeded', resolve);
      ch.bind('pusher:subscription_error', () => { counts.errors++; resolve(); });
    });
    counts.joins++;
    await sleep(200 + Math.random() * 1800);
    c.unsubscribe(name);
    counts.leaves++;
    await sleep(100 + Math.random() * 400);
  }
}
const churners = Array.from({ length: opts.churners }, (_, i) => churn(i));

function every(ratePerSecond, fn) {
  if (ratePerSecond <= 0) return null;
  return setInterval(() => { if (!stopping) fn(); }, 1000 / ratePerSecond);
}
const timers = [
  every(opts['publish-rate'], () => {
    counts.published++;
    sdk.trigger('soak-fanout', 'tick', { t: Date.now() }).catch(() => counts.errors++);
  }),
  every(opts['api-rate'], () => {
    const paths = ['/channels', '/channels/soak-fanout', `/channels/presence-soak-${counts.api % 5}/users`,
      `/users/p${counts.api % Math.max(1, opts.churners)}`];
    const p = paths[counts.api++ % paths.length];
    sdk.get({ path: p }).then((r) => { if (r.status !== 200) counts.apiErrors++; }, (e) => {
      // A user between sign-ins is 404; anything else is an error.
      if (e.status !== 404) counts.apiErrors++;
    });
  }),
  every(opts['conn-churn-rate'], async () => {
    const c = client(`t${counts.connChurned}`);
    counts.connChurned++;
    c.connection.bind('message', (ev) => { if (ev.event === 'pusher:signin_success') counts.signins++; });
    c.signin();
    c.subscribe(`churn-${counts.connChurned % 20}`);
    await sleep(1000 + Math.random() * 2000);
    c.disconnect();
    live.delete(c);
  }),
];

// Sampling.
const ticks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
function cpuMicros() {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).trim().split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1e6) / ticks;
}
const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const fds = () => fs.readdirSync(`/proc/${pid}/fd`).length;
function liveHeapMb() {
  try {
    execFileSync('jcmd', [String(pid), 'GC.run'], { stdio: 'ignore' });
    const info = execFileSync('jcmd', [String(pid), 'GC.heap_info']).toString();
    // G1: "garbage-first heap total 262144K, used 12345K"; Serial/Parallel: one line per generation.
    return [...info.matchAll(/total \d+K, used (\d+)K/g)].reduce((s, m) => s + Number(m[1]), 0) / 1024;
  } catch {
    return -1;
  }
}

const samples = [];
const t0 = Date.now();
let lastCpu = cpuMicros();
let lastWall = process.hrtime.bigint();
let lastCounts = { ...counts };
const end = t0 + opts['duration-min'] * 60_000;
while (Date.now() < end) {
  await sleep(Math.min(opts['sample-s'] * 1000, Math.max(0, end - Date.now())));
  const cpu = cpuMicros();
  const wall = process.hrtime.bigint();
  const cpuPercent = ((cpu - lastCpu) / (Number(wall - lastWall) / 1e3)) * 100;
  lastCpu = cpu;
  lastWall = wall;
  const delta = Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v - lastCounts[k]]));
  lastCounts = { ...counts };
  const s = { minute: +((Date.now() - t0) / 60_000).toFixed(2), rssMb: +rssMb().toFixed(1),
    liveHeapMb: +liveHeapMb().toFixed(1), fds: fds(), cpuPercent: +cpuPercent.toFixed(1),
    clients: live.size, ...delta };
  samples.push(s);
  console.error(`soak: ${JSON.stringify(s)}`);
}

stopping = true;
timers.forEach((t) => t && clearInterval(t));
for (const c of live) c.disconnect();
await Promise.race([Promise.all(churners), sleep(5000)]);
const result = { scenario: 'soak', date: new Date().toISOString(), host: os.hostname(), cpus: os.cpus().length,
  options: opts, totals: counts, samples };
await server.stop();

fs.mkdirSync(path.dirname(opts.out), { recursive: true });
fs.writeFileSync(opts.out, JSON.stringify(result, null, 2));
fs.writeFileSync(opts.chart, chart(result));
console.error(`soak: wrote ${opts.out} and ${opts.chart}`);
process.exit(0);

/** Four small panels against minutes: RSS, live heap, fds, CPU. */
function chart(r) {
  const panels = [['rssMb', 'RSS (MB)'], ['liveHeapMb', 'Live heap after GC (MB)'], ['fds', 'Open file descriptors'],
    ['cpuPercent', 'CPU (% of one core)']];
  const W = 440, H = 220, ML = 55, MR = 15, MT = 30, MB = 35;
  const xs = r.samples.map((s) => s.minute);
  const maxX = Math.max(1, ...xs);
  let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${2 * H + 30}" font-family="sans-serif" font-size="11">\n`;
  svg += '<rect width="100%" height="100%" fill="white"/>\n';
  panels.forEach(([field, title], i) => {
    const x0 = (i % 2) * W;
    const y0 = Math.floor(i / 2) * H;
    const ys = r.samples.map((s) => s[field]);
    const maxY = nice(Math.max(1, ...ys));
    const pw = W - ML - MR;
    const ph = H - MT - MB;
    const px = (x) => x0 + ML + (x / maxX) * pw;
    const py = (y) => y0 + MT + ph - (y / maxY) * ph;
    svg += `<text x="${x0 + ML}" y="${y0 + 20}" font-weight="bold">${title}</text>\n`;
    svg += `<rect x="${x0 + ML}" y="${y0 + MT}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>\n`;
    for (let k = 0; k <= 4; k++) {
      const v = (maxY * k) / 4;
      svg += `<text x="${x0 + ML - 5}" y="${py(v) + 4}" text-anchor="end">${+v.toFixed(1)}</text>\n`;
      svg += `<line x1="${x0 + ML}" x2="${x0 + ML + pw}" y1="${py(v)}" y2="${py(v)}" stroke="#eee"/>\n`;
    }
    svg += `<text x="${x0 + ML + pw / 2}" y="${y0 + H - 8}" text-anchor="middle">minutes</text>\n`;
    svg += `<text x="${x0 + ML + pw}" y="${y0 + MT + ph + 14}" text-anchor="end">${+maxX.toFixed(1)}</text>\n`;
    svg += `<text x="${x0 + ML}" y="${y0 + MT + ph + 14}">0</text>\n`;
    const pts = r.samples.map((s) => `${px(s.minute).toFixed(1)},${py(s[field]).toFixed(1)}`).join(' ');
    svg += `<polyline fill="none" stroke="#1f77b4" stroke-width="2" points="${pts}"/>\n`;
    r.samples.forEach((s) => { svg += `<circle cx="${px(s.minute).toFixed(1)}" cy="${py(s[field]).toFixed(1)}" r="2.5" fill="#1f77b4"/>\n`; });
  });
  const o = r.options;
  svg += `<text x="${ML}" y="${2 * H + 18}">Soak: ${o.subscribers} fan-out subscribers at ${o['publish-rate']} events/s, ${o.churners} signed-in presence churners, ${o['api-rate']} API calls/s, ${o['conn-churn-rate']} new connections/s; ${r.date.slice(0, 16)}</text>\n`;
  return svg + '</svg>\n';
}

function nice(v) {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}
