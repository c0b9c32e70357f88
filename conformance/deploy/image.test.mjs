// The container image (Dockerfile, built by deploy/test.sh with podman): a node in it serves pusher-js and
// the `pusher` SDK; a node in it with --redis on a redis-server of the host forms a cluster with a node
// outside the container, and events cross between them both ways.
//
// Env (set by deploy/test.sh): SHIP_PODMAN_RUN, the `podman … run` command with its runtime, storage,
// network (host) and ulimit flags; SHIP_IMAGE, the image built.

import assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { startRedis } from '../lib/cluster.mjs';
import { freePort, startServer } from '../lib/server.mjs';
import { until } from '../lib/wait.mjs';
import { servesPusherClients } from './smoke.mjs';

const RUN = process.env.SHIP_PODMAN_RUN;
const PODMAN = process.env.SHIP_PODMAN;
const IMAGE = process.env.SHIP_IMAGE;
if (!RUN || !IMAGE) throw new Error('run through deploy/test.sh (SHIP_PODMAN_RUN and SHIP_IMAGE unset)');

const stops = [];
after(async () => {
  for (const s of stops.reverse()) await s();
});

/**
 * The server command of the harness, run in the container: the port, metrics settings and config file the
 * harness chose are passed in (the config mounted read-only); `--rm` and a name of its own, so a node that
 * outlives its test is removed by deploy/test.sh.
 */
function inContainer(name, extra = '') {
  return `exec ${RUN} --rm --name ${name} -e SWITCHBOARD_PORT -e SWITCHBOARD_METRICS_PORT -e SWITCHBOARD_METRICS_TOKEN `
    + `\${SWITCHBOARD_CONFIG:+-v "$SWITCHBOARD_CONFIG:/etc/switchboard.json:ro" -e SWITCHBOARD_CONFIG=/etc/switchboard.json} `
    + `${extra} ${IMAGE}`;
}

async function up(server) {
  const res = await fetch(server.httpUrl('/up'));
  return res.json();
}

describe('container image', () => {
  test('non-root, HEALTHCHECK on /up passes, SIGTERM stops it cleanly', async () => {
    const name = `ship-test-${process.pid}-h`;
    const port = await freePort();
    execSync(`${RUN} -d --name ${name} -e SWITCHBOARD_PORT=${port} -e SWITCHBOARD_METRICS_PORT=-1 ${IMAGE}`, { stdio: 'pipe' });
    stops.push(() => execSync(`${PODMAN} rm -f ${name}`, { stdio: 'ignore' }));
    await until(async () => {
      try {
        return (await fetch(`http://127.0.0.1:${port}/up`)).status === 200;
      } catch {
        return false;
      }
    }, { timeout: 60000, interval: 200, what: `/up of the container on ${port}` });
    assert.equal(execSync(`${PODMAN} exec ${name} id -u`, { encoding: 'utf8' }).trim(), '10001');
    execSync(`${PODMAN} --log-level=error healthcheck run ${name}`, { stdio: 'pipe' }); // throws unless healthy
    execSync(`${PODMAN} stop -t 30 ${name}`, { stdio: 'pipe' });
    // 143: the JVM's exit after a SIGTERM it handled (the shutdown hook ran); a kill after the timeout is 137.
    assert.equal(execSync(`${PODMAN} inspect ${name} --format '{{.State.ExitCode}}'`, { encoding: 'utf8' }).trim(), '143');
  });

  test('a soketi env file alone (podman run --env-file) configures the node in the container', async () => {
    const port = await freePort();
    const name = `ship-test-${process.pid}-s`;
    const soketi = {
      SOKETI_PORT: String(port), SOKETI_METRICS_SERVER_PORT: '-1', SOKETI_DEFAULT_APP_ID: 'from-soketi',
      SOKETI_DEFAULT_APP_KEY: 'from-soketi-key', SOKETI_DEFAULT_APP_SECRET: 'from-soketi-secret',
    };
    const envFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ship-soketi-')), 'soketi.env');
    fs.writeFileSync(envFile, Object.entries(soketi).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
    const node = await startServer({ onlyEnv: {}, port, cmd: `exec ${RUN} --rm --name ${name} --env-file '${envFile}' ${IMAGE}` });
    stops.push(() => node.stop());
    await servesPusherClients(node, node, { id: 'from-soketi', key: 'from-soketi-key', secret: 'from-soketi-secret' });
    // The HEALTHCHECK finds the port soketi's variable gave.
    execSync(`${PODMAN} --log-level=error healthcheck run ${name}`, { stdio: 'pipe' });
  });

  test('one node in the container serves pusher-js and the pusher SDK', async () => {
    const node = await startServer({ cmd: inContainer(`ship-test-${process.pid}-a`) });
    stops.push(() => node.stop());
    await servesPusherClients(node);
  });

  test('a node in the container with --redis forms a cluster with a node outside it', async () => {
    const redis = await startRedis();
    stops.push(() => redis.stop());
    const inside = await startServer({
      cmd: inContainer(`ship-test-${process.pid}-b`, `-e SWITCHBOARD_REDIS_URL=${redis.url}`),
    });
    stops.push(() => inside.stop());
    const outside = await startServer({ args: ['--redis', redis.url] });
    stops.push(() => outside.stop());
    await until(async () => (await up(inside)).live_nodes === 2 && (await up(outside)).live_nodes === 2,
      { timeout: 15000, what: 'both nodes count 2 live nodes' });
    await servesPusherClients(outside, inside);
    await servesPusherClients(inside, outside);
    assert.notEqual((await up(inside)).node, (await up(outside)).node);
  });
});
