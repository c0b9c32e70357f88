// Starts a Switchboard server and the demo app, each on a free port the process picks itself (port 0, the
// bound port read from its first log line), and stops both. One stack per test file.
//
//   const stack = await startStack();   // stack.serverPort, stack.demoUrl, stack.dashboardUrl, stack.token
//   await stack.stop();

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '..', '..');
export const OUTPUT = process.env.BROWSER_OUTPUT || path.join(ROOT, 'browser', 'output');
const SERVER_JAR = process.env.SWITCHBOARD_JAR || path.join(ROOT, 'switchboard-server', 'target', 'switchboard.jar');
const DEMO_JAR = process.env.DEMO_JAR || path.join(ROOT, 'switchboard-demo', 'target', 'switchboard-demo.jar');
export const APP = Object.freeze({ id: 'app-id', key: 'app-key', secret: 'app-secret' });

/** Spawns `java -jar jar`, resolves with the child and the first match of `ready` in its output. */
function launch(name, jar, args, env, ready, logFile) {
  if (!fs.existsSync(jar)) throw new Error(`${jar} is missing: build with mvn -B -q -DskipTests package`);
  const child = spawn('java', ['-XX:+UseSerialGC', '-Xmx256m', '-jar', jar, ...args], {
    env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = fs.createWriteStream(logFile);
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 60 s; see ${logFile}`)), 60000);
    const onData = (chunk) => {
      log.write(chunk);
      if (timer._done) return;
      seen += chunk.toString();
      const m = ready.exec(seen);
      if (m) {
        timer._done = true;
        clearTimeout(timer);
        resolve({ child, match: m });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      log.end();
      if (!timer._done) {
        clearTimeout(timer);
        reject(new Error(`${name} exited with ${code} before it was ready; see ${logFile}`));
      }
    });
  });
}

function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 15000);
    child.once('exit', () => { clearTimeout(kill); resolve(); });
    child.kill('SIGTERM');
  });
}

export async function startStack(name) {
  fs.mkdirSync(OUTPUT, { recursive: true });
  const token = crypto.randomBytes(24).toString('base64url');
  const server = await launch('switchboard', SERVER_JAR, ['--host', '127.0.0.1', '--port', '0'],
    { SWITCHBOARD_DASHBOARD_TOKEN: token }, /listening on 127\.0\.0\.1:(\d+)/, path.join(OUTPUT, `${name}-server.log`));
  const serverPort = Number(server.match[1]);
  let demo;
  try {
    demo = await launch('demo', DEMO_JAR, [], { DEMO_PORT: '0', SWITCHBOARD_PORT: String(serverPort) },
      /Demo listening on (http:\/\/127\.0\.0\.1:\d+\/)/, path.join(OUTPUT, `${name}-demo.log`));
  } catch (e) {
    await stop(server.child);
    throw e;
  }
  return {
    token,
    serverPort,
    demoUrl: demo.match[1],
    dashboardUrl: `http://127.0.0.1:${serverPort}/dashboard/`,
    async stop() { await Promise.all([stop(demo.child), stop(server.child)]); },
  };
}
