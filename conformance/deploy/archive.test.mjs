// The release archive (scripts/release), unpacked by deploy/test.sh in a temporary folder: its
// bin/switchboard runs the server on the archive's own runtime with a PATH that holds no java and no mvn,
// and pusher-js and the `pusher` SDK work against it, with the example config too.
//
// Env (set by deploy/test.sh): SHIP_ARCHIVE_DIR (the unpacked archive), SHIP_BARE_PATH (the PATH to run it
// with: bash and the few tools the launcher uses, no java, no mvn).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { startServer } from '../lib/server.mjs';
import { servesPusherClients } from './smoke.mjs';

const DIR = process.env.SHIP_ARCHIVE_DIR;
const BARE = process.env.SHIP_BARE_PATH;
if (!DIR || !BARE) throw new Error('run through deploy/test.sh (SHIP_ARCHIVE_DIR and SHIP_BARE_PATH unset)');

const stops = [];
after(async () => {
  for (const s of stops.reverse()) await s();
});

const launcher = path.join(DIR, 'bin', 'switchboard');
const bare = (more = '') => `exec env PATH='${BARE}' ${more} '${launcher}'`;

describe('release archive', () => {
  test('the PATH it runs with has no java and no mvn', () => {
    for (const tool of ['java', 'mvn']) {
      assert.throws(() => execFileSync('bash', ['-c', `command -v ${tool}`], { env: { PATH: BARE }, stdio: 'pipe' }),
        `${tool} must not be on the bare PATH`);
    }
  });

  test('bin/switchboard runs the archive\'s own runtime', () => {
    const out = execFileSync('bash', ['-c', bare('SWITCHBOARD_PRINT_JVM=1')], { encoding: 'utf8' });
    assert.equal(out.split('\n')[0], path.join(DIR, 'runtime', 'bin', 'java'));
    assert.match(out, /-XX:\+UseCompactObjectHeaders/, 'the runtime is JDK 25: compact headers accepted');
  });

  test('pusher-js and the pusher SDK against the unpacked server', async () => {
    const node = await startServer({ cmd: bare() });
    stops.push(() => node.stop());
    await servesPusherClients(node);
  });

  test('with the example config of the archive', async () => {
    const config = path.join(DIR, 'config', 'switchboard.example.json');
    const node = await startServer({ cmd: bare(`SWITCHBOARD_CONFIG='${config}'`) });
    stops.push(() => node.stop());
    await servesPusherClients(node, node, { id: 'my-app', key: 'my-app-key', secret: 'change-me-to-a-long-random-secret' });
  });
});
