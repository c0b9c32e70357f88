// From soketi, unchanged (issue 24, docs/migrating-from-soketi.md): a node whose whole environment is a
// soketi 1.6 env file, with its apps in soketi's own apps table on PostgreSQL and on MariaDB (soketi's
// column names and types, NULL limits, smallint/tinyint booleans, soketi-shaped webhooks), serves pusher-js
// and the `pusher` SDK for those apps; a disabled row is refused; what cannot be honoured is one warning.
// Also the default app of soketi's array driver from the env alone. Needs the machine's PostgreSQL
// (127.0.0.1:5432, user postgres, trust) and MariaDB (127.0.0.1:3306, root without password), as the JUnit
// database tests do; each test makes its own database (and MariaDB user) and drops them.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { PusherJS, connected, pusherOptions, subscribed } from '../lib/harness.mjs';
import { sdk, startAuthServer } from '../lib/auth-server.mjs';
import { connectExpectClose } from '../lib/raw.mjs';
import { freePort, startServer } from '../lib/server.mjs';
import { nextEvent } from '../lib/wait.mjs';

const suffix = `${process.pid}_${Date.now() % 100000}`;
const DB = `sb_soketi_${suffix}`;
const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) {
    try {
      await c();
    } catch (err) {
      console.error('cleanup:', err.message);
    }
  }
});

const psql = (db, sql) =>
  execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', db, '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql], { stdio: 'pipe' });
const maria = (sql) => execFileSync('mariadb', ['-h', '127.0.0.1', '-u', 'root', '-e', sql], { stdio: 'pipe' });

/** soketi's apps table as its PostgreSQL app manager expects it (column names and types of soketi 1.6). */
const PG_TABLE = `CREATE TABLE apps (
  id varchar(255) PRIMARY KEY, "key" varchar(255) NOT NULL, secret varchar(255) NOT NULL,
  max_connections integer NOT NULL, enable_client_messages smallint NOT NULL, "enabled" smallint NOT NULL,
  max_backend_events_per_sec integer NOT NULL, max_client_events_per_sec integer NOT NULL,
  max_read_req_per_sec integer NOT NULL, webhooks json,
  max_presence_members_per_channel integer DEFAULT NULL, max_presence_member_size_in_kb integer DEFAULT NULL,
  max_channel_name_length integer DEFAULT NULL, max_event_channels_at_once integer DEFAULT NULL,
  max_event_name_length integer DEFAULT NULL, max_event_payload_in_kb integer DEFAULT NULL,
  max_event_batch_size integer DEFAULT NULL, enable_user_authentication smallint NOT NULL)`;

/** The same for its MySQL app manager (tinyint(1) booleans and limits, as soketi's own fixture has them). */
const MARIA_TABLE = `CREATE TABLE apps (
  \`id\` varchar(255) NOT NULL, \`key\` varchar(255) NOT NULL, \`secret\` varchar(255) NOT NULL,
  \`max_connections\` integer(10) NOT NULL, \`enabled\` tinyint(1) NOT NULL, \`enable_client_messages\` tinyint(1) NOT NULL,
  \`max_backend_events_per_sec\` integer(10) NOT NULL, \`max_client_events_per_sec\` integer(10) NOT NULL,
  \`max_read_req_per_sec\` integer(10) NOT NULL, \`webhooks\` json,
  \`max_presence_members_per_channel\` tinyint(1) NULL, \`max_presence_member_size_in_kb\` tinyint(1) NULL,
  \`max_channel_name_length\` tinyint(1) NULL, \`max_event_channels_at_once\` tinyint(1) NULL,
  \`max_event_name_length\` tinyint(1) NULL, \`max_event_payload_in_kb\` tinyint(1) NULL,
  \`max_event_batch_size\` tinyint(1) NULL, \`enable_user_authentication\` tinyint(1) NOT NULL,
  PRIMARY KEY (\`id\`))`;

const APP = { id: 'soketi-app', key: 'soketi-key', secret: 'soketi-secret' };
const OFF = { id: 'soketi-off', key: 'soketi-off-key', secret: 'soketi-off-secret' };
// A soketi webhook with a channel filter; nothing listens there, it only has to be read as ours.
const HOOKS = JSON.stringify([{ url: 'http://127.0.0.1:9/hook', event_types: ['channel_occupied'], filter: { channel_name_starts_with: 'private-' } }]);
const q = (quote) => `INSERT INTO apps (id, ${quote('key')}, secret, max_connections, ${quote('enabled')}, enable_client_messages,
  max_backend_events_per_sec, max_client_events_per_sec, max_read_req_per_sec, webhooks,
  max_presence_members_per_channel, max_presence_member_size_in_kb, max_channel_name_length, max_event_channels_at_once,
  max_event_name_length, max_event_payload_in_kb, max_event_batch_size, enable_user_authentication) VALUES
  ('${APP.id}', '${APP.key}', '${APP.secret}', 200, 1, 1, -1, -1, -1, '${HOOKS}', NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0),
  ('${OFF.id}', '${OFF.key}', '${OFF.secret}', 200, 0, 1, -1, -1, -1, '[]', 50, 2, NULL, NULL, NULL, 100, 10, 0)`;

/** A soketi .env file, as its users keep it, parsed the way dotenv reads such a file. */
function envFile(lines) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sb-soketi-')), '.env');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  cleanups.push(() => fs.rmSync(path.dirname(file), { recursive: true, force: true }));
  const env = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = line.match(/^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/);
    if (m) env[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return env;
}

/** Starts a node from `env` on its SOKETI_PORT, then checks what every soketi user needs of it. */
async function servesSoketiApps(env, port, metricsPort) {
  const server = await startServer({ onlyEnv: env, port });
  cleanups.push(() => server.stop());
  const log = server.log();
  const warnings = log.split('\n').filter((l) => l.includes('soketi settings not honoured'));
  assert.equal(warnings.length, 1, `one warning at start; log:\n${log}`);
  assert.match(warnings[0], /SOKETI_DEBUG/);
  assert.match(warnings[0], /SOKETI_METRICS_PROMETHEUS_PREFIX/);
  assert.doesNotMatch(warnings[0], /SOKETI_DB_|SOKETI_APP_MANAGER_DRIVER|SOKETI_PORT/);

  // pusher-js subscribes to a private channel (authorized by the `pusher` SDK), the SDK triggers into it.
  const auth = await startAuthServer(server, APP);
  cleanups.push(() => auth.close());
  const client = new PusherJS(APP.key, pusherOptions(port, auth));
  cleanups.push(() => client.disconnect());
  await connected(client);
  const channel = await subscribed(client, `private-soketi-${suffix}`);
  const got = nextEvent(channel, 'moved');
  await sdk(server, APP).trigger(`private-soketi-${suffix}`, 'moved', { from: 'soketi' });
  assert.deepEqual((await got).data, { from: 'soketi' });
  const res = await sdk(server, APP).get({ path: '/channels', params: { filter_by_prefix: 'private-' } });
  assert.equal(res.status, 200);
  assert.ok((await res.json()).channels[`private-soketi-${suffix}`], 'the channel is listed by the HTTP API');

  // A row with enabled = 0 is refused as soketi refuses it (4003), and an unknown key as unknown (4001).
  assert.equal((await connectExpectClose(server.wsUrl(OFF.key))).code, 4003);
  assert.equal((await connectExpectClose(server.wsUrl('no-such-key'))).code, 4001);

  // Metrics where SOKETI_METRICS_SERVER_PORT says.
  const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
  assert.equal(metrics.status, 200);
  assert.match(await metrics.text(), /switchboard_/);
}

describe('soketi drop-in: its env file and its apps table', () => {
  test('PostgreSQL app manager: soketi env file + soketi-shaped apps table', async () => {
    execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'postgres', '-q', '-c', `CREATE DATABASE ${DB}`]);
    cleanups.push(() => execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'postgres', '-q', '-c', `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`]));
    psql(DB, PG_TABLE);
    psql(DB, q((c) => `"${c}"`));
    const [port, metricsPort] = [await freePort(), await freePort()];
    const env = envFile([
      '# soketi 1.6 .env',
      `SOKETI_PORT=${port}`,
      'SOKETI_DEBUG=1',
      'SOKETI_APP_MANAGER_DRIVER=postgres',
      'SOKETI_DB_POSTGRES_HOST=127.0.0.1',
      'SOKETI_DB_POSTGRES_PORT=5432',
      'SOKETI_DB_POSTGRES_USERNAME=postgres',
      'SOKETI_DB_POSTGRES_PASSWORD=unused-with-trust-auth',
      `SOKETI_DB_POSTGRES_DATABASE=${DB}`,
      'SOKETI_APP_MANAGER_POSTGRES_VERSION=13.3',
      'SOKETI_METRICS_ENABLED=true',
      `SOKETI_METRICS_SERVER_PORT=${metricsPort}`,
      'SOKETI_METRICS_PROMETHEUS_PREFIX=acme_',
    ]);
    await servesSoketiApps(env, port, metricsPort);
  });

  test('MySQL app manager on MariaDB: soketi env file + soketi-shaped apps table', async () => {
    const user = `sb_soketi_${suffix}`;
    maria(`CREATE DATABASE ${DB}; CREATE USER '${user}'@'%' IDENTIFIED BY 'p@ss word'; GRANT ALL ON ${DB}.* TO '${user}'@'%'`);
    cleanups.push(() => maria(`DROP DATABASE IF EXISTS ${DB}; DROP USER IF EXISTS '${user}'@'%'`));
    maria(`USE ${DB}; ${MARIA_TABLE}; ${q((c) => `\`${c}\``)}`);
    const [port, metricsPort] = [await freePort(), await freePort()];
    const env = envFile([
      `SOKETI_PORT=${port}`,
      'SOKETI_DEBUG=true',
      'SOKETI_APP_MANAGER_DRIVER=mysql',
      'SOKETI_DB_MYSQL_HOST=127.0.0.1',
      `SOKETI_DB_MYSQL_USERNAME=${user}`,
      "SOKETI_DB_MYSQL_PASSWORD='p@ss word'",
      `SOKETI_DB_MYSQL_DATABASE=${DB}`,
      'SOKETI_APP_MANAGER_MYSQL_TABLE=apps',
      'SOKETI_DB_POOLING_ENABLED=true',
      'SOKETI_DB_POOLING_MAX=3',
      `SOKETI_METRICS_SERVER_PORT=${metricsPort}`,
      'SOKETI_METRICS_PROMETHEUS_PREFIX=acme_',
    ]);
    await servesSoketiApps(env, port, metricsPort);
  });

  test('array app manager: the default app from SOKETI_DEFAULT_APP_*, client events off as in soketi', async () => {
    const [port, metricsPort] = [await freePort(), await freePort()];
    const env = envFile([
      `SOKETI_PORT=${port}`,
      `SOKETI_METRICS_SERVER_PORT=${metricsPort}`,
      `SOKETI_DEFAULT_APP_ID=${APP.id}`,
      `SOKETI_DEFAULT_APP_KEY=${APP.key}`,
      `SOKETI_DEFAULT_APP_SECRET=${APP.secret}`,
      'SOKETI_DEFAULT_APP_MAX_CONNS=100',
    ]);
    const server = await startServer({ onlyEnv: env, port });
    cleanups.push(() => server.stop());
    assert.doesNotMatch(server.log(), /soketi settings not honoured/, 'nothing to warn about');
    const auth = await startAuthServer(server, APP);
    cleanups.push(() => auth.close());
    const client = new PusherJS(APP.key, pusherOptions(port, auth));
    cleanups.push(() => client.disconnect());
    await connected(client);
    const channel = await subscribed(client, `private-default-${suffix}`);
    const got = nextEvent(channel, 'hello');
    await sdk(server, APP).trigger(`private-default-${suffix}`, 'hello', { n: 1 });
    assert.deepEqual((await got).data, { n: 1 });
    // soketi's default app has client messages off: a client event is refused with a pusher:error.
    const err = nextEvent(client.connection, 'error');
    channel.trigger('client-ping', { x: 1 });
    assert.equal((await err).data.type, 'PusherError');
  });
});
