// The Kubernetes pod spec (deploy/kubernetes, the trial overlay rendered by kubectl kustomize and checked by
// deploy/kubernetes/check.py) run by `podman kube play` with the image of the Dockerfile: it starts as the
// spec says (non-root, read-only root filesystem, /tmp an emptyDir), joins the Redis it is given, answers
// /up and serves pusher-js and the `pusher` SDK. Probes and preStop are not run by podman here (it turns
// httpGet probes into a curl the image does not carry, and needs systemd for their timers): /up is checked
// from outside, and the spec's probes and shutdown budget by check.py.
//
// Env (set by deploy/test.sh): SHIP_PODMAN (podman with its global flags), SHIP_KUBE_RENDER (kubectl
// kustomize of the trial overlay), SHIP_IMAGE, SHIP_WORK (a folder for the adapted spec).

import assert from 'node:assert/strict';
import { execFileSync, execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { startRedis } from '../lib/cluster.mjs';
import { freePort, REPO_ROOT } from '../lib/server.mjs';
import { until } from '../lib/wait.mjs';
import { servesPusherClients } from './smoke.mjs';

const { SHIP_PODMAN: PODMAN, SHIP_KUBE_RENDER: RENDER, SHIP_IMAGE: IMAGE, SHIP_WORK: WORK } = process.env;
if (!PODMAN || !RENDER || !IMAGE || !WORK) throw new Error('run through deploy/test.sh (SHIP_PODMAN, SHIP_KUBE_RENDER, SHIP_IMAGE, SHIP_WORK unset)');
const podman = (args) => execSync(`${PODMAN} --log-level=error ${args}`, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const POD = path.join(WORK, 'pod.yaml');

const stops = [];
after(async () => {
  try {
    if (fs.existsSync(POD)) podman(`kube down '${POD}'`);
  } catch (err) {
    console.error('podman kube down:', err.message);
  }
  for (const s of stops.reverse()) await s();
});

describe('kubernetes pod spec under podman kube play', () => {
  test('the Deployment runs, joins its Redis and serves pusher-js and the pusher SDK', async () => {
    const redis = await startRedis();
    stops.push(() => redis.stop());
    const [PORT, metricsPort] = [await freePort(), await freePort()];
    execFileSync('python3', [path.join(REPO_ROOT, 'deploy', 'kubernetes', 'check.py'), '--overlay', 'trial',
      '--podman-out', POD, '--image', IMAGE, '--redis', redis.url, '--port', String(PORT), '--metrics-port', String(metricsPort)],
    { input: fs.readFileSync(RENDER), stdio: ['pipe', 'inherit', 'inherit'] });
    podman(`kube play '${POD}'`);
    const node = { port: PORT, host: '127.0.0.1' };
    let body;
    await until(async () => {
      try {
        const res = await fetch(`http://127.0.0.1:${PORT}/up`, { signal: AbortSignal.timeout(1000) });
        body = await res.json();
        return res.status === 200;
      } catch {
        return false;
      }
    }, { timeout: 60000, interval: 200, what: `GET /up 200 on the pod's port ${PORT}` });
    assert.equal(body.ok, true);
    assert.equal(typeof body.live_nodes, 'number', 'a cluster member on the Redis it was given');
    await servesPusherClients(node);

    const [user, readOnly] = podman(`inspect switchboard-pod-0-switchboard --format '{{.Config.User}} {{.HostConfig.ReadonlyRootfs}}'`).trim().split(' ');
    assert.equal(user, '10001:10001');
    assert.equal(readOnly, 'true');
  });
});
