// deploy/grafana: every metric the dashboard and the alert rules query exists in the /metrics of a running
// node — a lone node and a cluster member, both with an apps database and an app with webhooks, after some
// traffic of pusher-js and the `pusher` SDK. Cluster and Redis series (switchboard_cluster_*,
// switchboard_redis_*) are required of the cluster member; all others of both. `up` is Prometheus's own.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { startRedis } from '../lib/cluster.mjs';
import { app, REPO_ROOT, startServer } from '../lib/server.mjs';
import { servesPusherClients } from './smoke.mjs';

const GRAFANA = path.join(REPO_ROOT, 'deploy', 'grafana');
const DB = `sb_ship_metrics_${process.pid}`;
const psql = (sql) => execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'postgres', '-q', '-c', sql], { stdio: 'pipe' });

const stops = [];
after(async () => {
  for (const s of stops.reverse()) await s();
});

/** Every expression of the dashboard (panels and template queries) and of the alert rules. */
function expressions() {
  const dash = JSON.parse(fs.readFileSync(path.join(GRAFANA, 'switchboard-dashboard.json'), 'utf8'));
  const exprs = [];
  const walk = (panels) => {
    for (const p of panels) {
      for (const t of p.targets || []) exprs.push(t.expr);
      if (p.panels) walk(p.panels);
    }
  };
  walk(dash.panels);
  for (const v of dash.templating.list) if (v.type === 'query') exprs.push(v.query.query ?? v.query);
  const rules = fs.readFileSync(path.join(GRAFANA, 'switchboard-alerts.yml'), 'utf8');
  for (const m of rules.matchAll(/^\s+expr:\s*(.+)$/gm)) exprs.push(m[1]);
  return exprs;
}

/** Series names in the Prometheus text format. */
function seriesNames(text) {
  return new Set(text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(/[{ ]/)[0]));
}

describe('grafana dashboard and alert rules', () => {
  test('every metric they use is served by a lone node and a cluster member', async () => {
    const exprs = expressions();
    assert.ok(exprs.length >= 30, `expressions found: ${exprs.length}`);
    const used = new Set(exprs.flatMap((e) => e.match(/\bswitchboard_[a-z0-9_]+/g) || []));
    // Anything else used as a series selector must be Prometheus's own `up`.
    for (const e of exprs) {
      for (const m of e.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)) {
        assert.ok(m[1].startsWith('switchboard_') || m[1] === 'up' || m[1] === 'label_values', `unknown series ${m[1]} in ${e}`);
      }
    }

    psql(`CREATE DATABASE ${DB}`);
    stops.push(() => psql(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`));
    const appsFrom = ['--apps-from', `postgresql://postgres@127.0.0.1:5432/${DB}`, '--apps-migrate'];
    const apps = [app({ webhooks: [{ url: 'http://127.0.0.1:9/hook', event_types: ['channel_occupied'] }] })];
    const redis = await startRedis();
    stops.push(() => redis.stop());
    const lone = await startServer({ apps, args: appsFrom });
    stops.push(() => lone.stop());
    const member = await startServer({ apps, args: [...appsFrom, '--redis', redis.url] });
    stops.push(() => member.stop());
    await servesPusherClients(lone);
    await servesPusherClients(member);

    const served = { lone: seriesNames(await lone.metrics()), member: seriesNames(await member.metrics()) };
    const missing = [];
    for (const name of used) {
      const clusterOnly = /^switchboard_(cluster|redis)_/.test(name);
      for (const [which, names] of Object.entries(served)) {
        if (which === 'lone' && clusterOnly) continue;
        if (!names.has(name)) missing.push(`${name} (${which})`);
      }
    }
    assert.deepEqual(missing, [], `metrics used by deploy/grafana but not served; used: ${[...used].join(', ')}`);
  });
});
