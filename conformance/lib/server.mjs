// Starts one Switchboard server process per test file on a free port, waits for GET /up, and stops it.
//
//   const server = await startServer({ apps: [app({ id: 'app-2', key: 'key-2', secret: 'secret-2' })] });
//   ... server.port, server.wsUrl('app-key'), server.httpUrl('/up') ...
//   await server.stop();                       // SIGTERM, then wait for the exit
//
// Apps are written to a temporary JSON config file (snake_case keys of AppConfig / ServerConfig) and
// passed with --config. Every app is written in full (each AppConfig field, with the server's defaults
// below), so the test does not depend on how the loader fills missing keys.
//
// Developer aid: CONFORMANCE_SERVER_CMD replaces the java command (run through bash, the port in
// SWITCHBOARD_PORT and PEER_PORT, the config path in SWITCHBOARD_CONFIG) and CONFORMANCE_READY_PATH the
// readiness path, e.g. to dry-run the suite against another Pusher-compatible server.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { until, withTimeout } from './wait.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '..', '..');
export const METRICS_TOKEN = 'conformance-metrics-token-0123456789';
export const JAR = process.env.SWITCHBOARD_JAR || path.join(REPO_ROOT, 'switchboard-server', 'target', 'switchboard.jar');

export const DEFAULT_APP = Object.freeze({ id: 'app-id', key: 'app-key', secret: 'app-secret' });

/** AppConfig defaults (AppConfig.defaults in switchboard-server), snake_case. */
export const APP_DEFAULTS = Object.freeze({
  enabled: true,
  enable_client_messages: true,
  max_connections: -1,
  require_authorized_connections: false,
  user_authentication_timeout_seconds: 30,
  enable_watchlist_events: true,
  max_watchlist_size: 100,
  enable_subscription_count: false,
  subscription_count_on_presence: false,
  send_subscription_errors: false,
  max_presence_members: 100,
  max_presence_user_info_bytes: 1024,
  max_user_id_length: 128,
  max_event_data_bytes: 10 * 1024,
  max_channels_per_trigger: 100,
  max_batch_events: 10,
  max_event_name_length: 200,
  max_channel_name_length: 164,
  max_client_events_per_second: 10,
  max_channels_per_connection: 1000,
  max_api_requests_per_second: -1,
  cache_ttl_seconds: 1800,
  user_inbox_ttl_seconds: 0,
  user_inbox_max_events: 100,
  allowed_origins: [],
  webhooks: [],
});

/** A full app entry for the config file: defaults, then the default app's credentials, then `overrides`. */
export function app(overrides = {}) {
  return { ...APP_DEFAULTS, ...DEFAULT_APP, ...overrides };
}

/** A free TCP port on the loopback interface (bind port 0, read it, release it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts the server. `apps`: app entries (use `app()`); when given, the default app is NOT implied — pass
 * `app()` too if the test needs it. `settings`: server-level snake_case settings (activity_timeout_seconds,
 * max_frame_bytes, ...). With neither, no config file is passed and the built-in default app is used.
 * `args`: more command-line flags for the server (e.g. `['--redis', url]`; not passed to CONFORMANCE_SERVER_CMD).
 * `onlyEnv` with `port`: the server's whole environment is `onlyEnv` (plus PATH and HOME), none of the
 * settings above, and it is expected to listen on `port` (a soketi env file says where: migration test).
 * `cmd`: as CONFORMANCE_SERVER_CMD, for this server only (deploy/ tests: the image, the release archive);
 * `env`: more environment for it (e.g. SWITCHBOARD_REDIS_URL).
 */
export async function startServer({ apps, settings, args: extraArgs = [], startTimeoutMs = 60000, onlyEnv, port: givenPort,
  cmd: serverCmd = process.env.CONFORMANCE_SERVER_CMD, env: extraEnv = {} } = {}) {
  const port = givenPort ?? await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-conformance-'));
  const logFile = path.join(dir, 'server.log');
  let configFile = null;
  if (apps || settings) {
    configFile = path.join(dir, 'config.json');
    const config = { ...(settings || {}), apps: apps || [app()] };
    fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  }

  // No metrics listener (several servers run at once and 9601 is one port); /metrics is read on the client port
  // with the token instead, which is the path of the two that needs a test from outside.
  const env = onlyEnv ? { PATH: process.env.PATH, HOME: process.env.HOME, ...onlyEnv } : {
    SWITCHBOARD_METRICS_PORT: '-1', SWITCHBOARD_METRICS_TOKEN: METRICS_TOKEN,
    ...process.env, ...extraEnv, SWITCHBOARD_PORT: String(port), PEER_PORT: String(port),
  };
  let cmd;
  let args;
  if (serverCmd) {
    cmd = 'bash';
    args = ['-c', serverCmd];
    if (configFile) env.SWITCHBOARD_CONFIG = configFile;
  } else {
    if (!fs.existsSync(JAR)) {
      throw new Error(`server jar not found at ${JAR}: build it first (mvn -B -q -DskipTests package at the repo root, or conformance/run.sh)`);
    }
    cmd = 'java';
    args = ['-jar', JAR];
    if (configFile) args.push('--config', configFile);
    args.push(...extraArgs);
  }

  const log = fs.openSync(logFile, 'a');
  const inherit = process.env.CONFORMANCE_SERVER_LOG === 'inherit';
  const proc = spawn(cmd, args, {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', inherit ? 'inherit' : log, inherit ? 'inherit' : log],
    detached: true, // own process group, so stop() also reaches children of a wrapper script
  });
  fs.closeSync(log);

  let exitInfo = null;
  const exited = new Promise((resolve) => {
    proc.on('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
  });
  const tail = () => {
    try {
      return fs.readFileSync(logFile, 'utf8').slice(-4000);
    } catch {
      return '';
    }
  };

  const readyPath = process.env.CONFORMANCE_READY_PATH || '/up';
  const server = {
    port,
    host: '127.0.0.1',
    proc,
    exited,
    logFile,
    configFile,
    httpUrl: (p = '/') => `http://127.0.0.1:${port}${p}`,
    /** The Prometheus text, read on the client port with the metrics token. */
    metrics: async () => {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      if (res.status !== 200) throw new Error(`GET /metrics: ${res.status} ${await res.text()}`);
      return res.text();
    },
    wsUrl: (key = DEFAULT_APP.key, query = '?protocol=7&client=js&version=8.6.0&flash=false') =>
      `ws://127.0.0.1:${port}/app/${key}${query}`,
    log: tail,
    get running() {
      return exitInfo === null;
    },
    /** Sends a signal to the server process group. */
    signal(sig) {
      if (exitInfo === null) {
        try {
          process.kill(-proc.pid, sig);
        } catch {
          /* already gone */
        }
      }
    },
    /** SIGTERM, wait for the exit (SIGKILL after 15 s), remove the temp dir. Idempotent. */
    async stop() {
      if (exitInfo === null) {
        server.signal('SIGTERM');
        const killer = setTimeout(() => server.signal('SIGKILL'), 15000);
        await exited;
        clearTimeout(killer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };

  try {
    await until(
      async () => {
        if (exitInfo) throw new Error(`server exited early (${JSON.stringify(exitInfo)})`);
        const res = await fetch(server.httpUrl(readyPath), { signal: AbortSignal.timeout(1000) });
        await res.arrayBuffer();
        return res.status === 200;
      },
      { timeout: startTimeoutMs, interval: 50, what: `GET ${readyPath} 200 on port ${port}` },
    );
  } catch (err) {
    const out = tail();
    await server.stop();
    throw new Error(`${err.message}\n--- server output ---\n${out}`);
  }
  return server;
}

/** Waits for the server process to exit (used after SIGTERM). */
export function waitExit(server, ms = 20000) {
  return withTimeout(server.exited, ms, 'server process exit');
}
