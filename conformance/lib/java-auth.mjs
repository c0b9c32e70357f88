// The app's auth endpoints served by a small Java program (`conformance/java-auth/AuthServer.java`) that uses
// Switchboard's Java SDK, so pusher-js subscribes and signs in with what `SwitchboardClient.authorizeChannel`
// / `authenticateUser` return.
//
//   const javaAuth = await startJavaAuthServer({ server, app: DEFAULT_APP, masterKeyBase64 });
//   new PusherJS(key, { channelAuthorization: { endpoint: javaAuth.channelEndpoint, transport: 'ajax' }, … });
//   await javaAuth.trigger(channel, event, dataText);   // SwitchboardClient.trigger from the Java side
//   await javaAuth.close();
//
// The classpath is the SDK's and the protocol module's compiled classes plus their runtime dependencies
// (Jackson), from Maven: `mvn -pl switchboard-sdk -am compile dependency:build-classpath` (offline first,
// then online if the offline build cannot resolve something). JAVA_AUTH_CLASSPATH overrides it.

import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './server.mjs';
import { withTimeout } from './wait.mjs';

const run = promisify(execFile);
export const AUTH_SERVER_SOURCE = path.join(REPO_ROOT, 'conformance', 'java-auth', 'AuthServer.java');
const CP_FILE = 'target/conformance-java-auth.classpath'; // relative: each module of the reactor writes its own

let classpathPromise = null;

/** The classpath for AuthServer.java (computed once per process). */
export function javaAuthClasspath() {
  if (process.env.JAVA_AUTH_CLASSPATH) return Promise.resolve(process.env.JAVA_AUTH_CLASSPATH);
  classpathPromise ??= computeClasspath();
  return classpathPromise;
}

async function computeClasspath() {
  const args = [
    '-q', '-B', '-pl', 'switchboard-sdk', '-am',
    // compile in the same session: the reactor then resolves switchboard-protocol to its target/classes,
    // never to a stale copy in ~/.m2
    'compile', 'dependency:build-classpath',
    `-Dmdep.outputFile=${CP_FILE}`, '-Dmdep.includeScope=runtime', '-Dmdep.excludeGroupIds=dev.switchboard',
  ];
  const attempts = [];
  for (const offline of [true, false]) {
    try {
      await run('mvn', offline ? ['-o', ...args] : args, { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 });
      attempts.length = 0;
      break;
    } catch (err) {
      attempts.push(`mvn ${offline ? '-o ' : ''}${args.join(' ')}: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
    }
  }
  if (attempts.length) throw new Error(`could not compute the Java SDK classpath:\n${attempts.join('\n')}`);
  const deps = fs.readFileSync(path.join(REPO_ROOT, 'switchboard-sdk', CP_FILE), 'utf8').trim();
  const own = ['switchboard-sdk', 'switchboard-protocol'].map((m) => path.join(REPO_ROOT, m, 'target', 'classes'));
  for (const dir of own) {
    if (!fs.existsSync(dir)) throw new Error(`${dir} is missing after the Maven build`);
  }
  return [...own, ...(deps ? deps.split(path.delimiter) : [])].join(path.delimiter);
}

/**
 * Starts AuthServer.java for `app` ({id, key, secret}) of `server` on a free port. Returns
 * { url, channelEndpoint, userEndpoint, requests, trigger(), sendToUser(), close() }; `requests` lists
 * {path, form} of every request the Java process answered.
 */
export async function startJavaAuthServer({ server, app, masterKeyBase64, startTimeoutMs = 60000 }) {
  const classpath = await javaAuthClasspath();
  const proc = spawn(
    'java',
    ['-cp', classpath, AUTH_SERVER_SOURCE, '0', app.id, app.key, app.secret, masterKeyBase64, String(server.port)],
    { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const requests = [];
  let stderr = '';
  let exitInfo = null;
  const exited = new Promise((resolve) => {
    proc.on('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
  });
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (t) => (stderr += t));

  const listening = new Promise((resolve, reject) => {
    let buffered = '';
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk) => {
      buffered += chunk;
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl).trim();
        buffered = buffered.slice(nl + 1);
        if (line.startsWith('LISTENING ')) resolve(Number(line.slice('LISTENING '.length)));
        else if (line.startsWith('REQUEST ')) requests.push(JSON.parse(line.slice('REQUEST '.length)));
      }
    });
    proc.on('error', reject);
    exited.then((info) => reject(new Error(`AuthServer.java exited before listening (${JSON.stringify(info)}):\n${stderr}`)));
  });

  const close = async () => {
    if (exitInfo === null) {
      proc.stdin.end(); // the program exits on stdin EOF
      const killer = setTimeout(() => proc.kill('SIGKILL'), 10000);
      await exited;
      clearTimeout(killer);
    }
  };

  let port;
  try {
    port = await withTimeout(listening, startTimeoutMs, 'AuthServer.java to listen');
  } catch (err) {
    await close();
    throw new Error(`${err.message}\n--- AuthServer.java stderr ---\n${stderr}`);
  }
  const url = `http://127.0.0.1:${port}`;

  const post = async (p, form) => {
    const res = await fetch(`${url}${p}`, { method: 'POST', body: new URLSearchParams(form) });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${p} answered ${res.status}: ${text}`);
    return JSON.parse(text);
  };

  return {
    url,
    proc,
    requests,
    stderr: () => stderr,
    channelEndpoint: `${url}/pusher/auth`,
    userEndpoint: `${url}/pusher/user-auth`,
    /** SwitchboardClient.trigger(channel, event, data) in the Java process; `data` text is sent as is. */
    trigger: (channel, event, data) => post('/trigger', { channel, event, data }),
    /** SwitchboardClient.sendToUser(userId, event, data) in the Java process. */
    sendToUser: (userId, event, data) => post('/send-to-user', { user_id: userId, event, data }),
    close,
  };
}
