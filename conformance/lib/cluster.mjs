// A cluster for one test file: a real redis-server on a free port, N Switchboard nodes joined to it with
// --redis, optionally HAProxy in front of them, and pusher-js clients that pick their node.
//
//   const c = await startCluster({ nodes: 3, haproxy: true });
//   const ann = await c.connectedClient({ node: 2, channelParams: { user_id: 'ann' } });
//   const viaLb = await c.connectedClient({ node: 'lb' });
//   await c.sdk(1).trigger('news', 'flash', {});       // the HTTP API of node 1
//   await c.close();
//
// HAProxy is the Debian package `haproxy`: installed with apt-get when it is missing and the suite runs as
// root (as CI does), otherwise the start fails with a message that says how to install it.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { connected, PusherJS, pusherOptions } from './harness.mjs';
import { sdk as sdkFor, startAuthServer } from './auth-server.mjs';
import { RawSocket } from './raw.mjs';
import { DEFAULT_APP, freePort, REPO_ROOT, startServer } from './server.mjs';
import { until } from './wait.mjs';

function ping(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    let answer = '';
    s.setTimeout(1000, () => s.destroy());
    s.on('connect', () => s.write('PING\r\n'));
    s.on('data', (d) => {
      answer += d.toString();
      if (answer.includes('\r\n')) s.end();
    });
    s.on('close', () => resolve(answer.startsWith('+PONG')));
    s.on('error', () => resolve(false));
  });
}

/** A real redis-server on a free port, keeping nothing on disk: { port, url, kill(), restart(), stop() }. */
export async function startRedis() {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-redis-'));
  let proc = null;
  async function launch() {
    proc = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no',
      '--dir', dir, '--logfile', path.join(dir, 'redis.log')], { stdio: 'ignore' });
    const spawned = proc;
    let failed = null;
    spawned.on('error', (err) => (failed = err));
    await until(async () => {
      if (failed) throw new Error(`cannot run redis-server (Debian package redis-server): ${failed.message}`);
      return ping(port);
    }, { timeout: 20000, interval: 20, what: `redis-server PONG on port ${port}` });
  }
  async function kill() {
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGKILL');
    await gone;
  }
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill,
    async restart() {
      await kill();
      await launch();
    },
    async stop() {
      await kill();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The haproxy binary, installed with apt-get when missing and running as root; else a clear error. */
export function ensureHaproxy() {
  const found = () => spawnSync('sh', ['-c', 'command -v haproxy'], { encoding: 'utf8' }).stdout.trim();
  let bin = found();
  if (bin) return bin;
  if (typeof process.getuid === 'function' && process.getuid() === 0) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['install', '-y', '-qq', 'haproxy'], { env, stdio: 'inherit' });
    bin = found();
    if (!bin) {
      execFileSync('apt-get', ['update', '-qq'], { env, stdio: 'inherit' });
      execFileSync('apt-get', ['install', '-y', '-qq', 'haproxy'], { env, stdio: 'inherit' });
      bin = found();
    }
  }
  if (!bin) {
    throw new Error('haproxy is not installed and this run is not root: install it with `sudo apt-get install -y haproxy`');
  }
  return bin;
}

/**
 * HAProxy in front of `ports` on a free port: round robin over the nodes, /up as the health check, and
 * WebSocket-friendly timeouts (an upgraded connection lives under `timeout tunnel`, far longer than the
 * activity timeout pusher-js pings within). Returns { port, stop() }.
 */
export async function startHaproxy(ports) {
  const bin = ensureHaproxy();
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-haproxy-'));
  const cfg = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(cfg, haproxyConfig(port, ports));
  const log = fs.openSync(path.join(dir, 'haproxy.log'), 'a');
  const proc = spawn(bin, ['-db', '-f', cfg], { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  let exit = null;
  proc.on('exit', (code, signal) => (exit = { code, signal }));
  try {
    await until(async () => {
      if (exit) return true; // reported below, without waiting out the deadline
      const res = await fetch(`http://127.0.0.1:${port}/up`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      return res.status === 200;
    }, { timeout: 15000, interval: 50, what: `GET /up through haproxy on port ${port}` });
    if (exit) throw new Error(`haproxy exited at start (${JSON.stringify(exit)})`);
  } catch (err) {
    proc.kill('SIGKILL');
    throw new Error(`${err.message}\n--- haproxy output ---\n${fs.readFileSync(path.join(dir, 'haproxy.log'), 'utf8')}`);
  }
  return {
    port,
    async stop() {
      if (!exit) {
        const gone = new Promise((resolve) => proc.once('exit', resolve));
        proc.kill('SIGTERM');
        await gone;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The configuration scripts/cluster runs HAProxy with (one source for the script, the README and this test). */
export function haproxyConfig(port, ports) {
  return execFileSync('bash', [path.join(REPO_ROOT, 'scripts', 'cluster'), 'haproxy-config', String(port), ...ports.map(String)],
    { encoding: 'utf8' });
}

/**
 * Starts redis, `nodes` Switchboard nodes on it (apps/settings as in startServer) and, with `haproxy`,
 * HAProxy in front of them. Clients are made with `client({ node })`: node 1..N, or 'lb' for HAProxy.
 */
export async function startCluster({ nodes = 3, apps, settings, haproxy = false } = {}) {
  const redis = await startRedis();
  const servers = [];
  const clients = [];
  const raws = [];
  let lb = null;
  let auth = null;
  try {
    // One at a time: on two cores, JVMs starting together take longer than in a row.
    for (let i = 0; i < nodes; i++) servers.push(await startServer({ apps, settings, args: ['--redis', redis.url] }));
    auth = await startAuthServer(servers[0], DEFAULT_APP);
    if (haproxy) lb = await startHaproxy(servers.map((s) => s.port));
  } catch (err) {
    await Promise.all(servers.map((s) => s.stop()));
    await redis.stop();
    throw err;
  }
  const portOf = (node) => (node === 'lb' ? lb.port : servers[node - 1].port);

  const c = {
    redis,
    servers,
    auth,
    get lbPort() {
      return lb && lb.port;
    },
    /** The server SDK for the default app, pointed at node `node` (1-based) or 'lb'. */
    sdk: (node = 1) => sdkFor({ port: portOf(node) }),
    /** A pusher-js client on `node` (not yet awaited); params as in harness.mjs. */
    client({ node = 1, channelParams = {}, userParams = {}, options = {} } = {}) {
      const pusher = new PusherJS(DEFAULT_APP.key, pusherOptions(portOf(node), auth, { channelParams, userParams, options }));
      clients.push(pusher);
      return pusher;
    },
    connectedClient(opts) {
      return connected(c.client(opts));
    },
    /** A raw socket on `node`, connection_established received. */
    async raw(node = 1) {
      const s = await RawSocket.connect(`ws://127.0.0.1:${portOf(node)}/app/${DEFAULT_APP.key}?protocol=7&client=js&version=8.6.0&flash=false`);
      raws.push(s);
      return s;
    },
    /** Node output tails, for a failure message. */
    logs: () => servers.map((s, i) => `--- node${i + 1} ---\n${s.log()}`).join('\n'),
    async close() {
      for (const p of clients) {
        try {
          p.disconnect();
        } catch {
          /* ignore */
        }
      }
      for (const s of raws) s.close();
      if (lb) await lb.stop();
      await auth.close();
      await Promise.all(servers.map((s) => s.stop()));
      await redis.stop();
    },
  };
  return c;
}
