// Native TLS (issue 12): pusher-js with forceTLS over wss, trusting a CA made for this run through
// NODE_EXTRA_CA_CERTS; https on the TLS port; a certificate reload on SIGHUP while the client stays connected.
// The CA and the certificates are made here with the openssl command: no key is committed.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Pusher from 'pusher';
import { DEFAULT_APP, freePort, startServer } from '../lib/server.mjs';
import { until, withTimeout, DEFAULT_TIMEOUT_MS } from '../lib/wait.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-tls-conformance-'));
const file = (name) => path.join(dir, name);
const openssl = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

function makeAuthority() {
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key',
    '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Switchboard Conformance CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  fs.writeFileSync(file('server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n'
    + 'keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n');
}

/** Issues a certificate with this CN and installs it as cert.pem / key.pem, each file replaced by a rename. */
function install(cn) {
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${cn}.key`,
    '-out', `${cn}.csr`, '-subj', `/CN=${cn}`);
  openssl('x509', '-req', '-in', `${cn}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
    '-out', `${cn}.pem`, '-days', '2', '-extfile', 'server.ext');
  for (const [from, to] of [[`${cn}.key`, 'key.pem'], [`${cn}.pem`, 'cert.pem']]) {
    fs.copyFileSync(file(from), file(`${to}.tmp`));
    fs.renameSync(file(`${to}.tmp`), file(to));
  }
}

/** GET over https trusting only our CA; resolves with the status and the CN the server presented. */
function httpsGet(port, p) {
  return new Promise((resolve, reject) => {
    // servername: SNI may not be an IP address (RFC 6066); the certificate names localhost as well.
    const req = https.get({ host: '127.0.0.1', servername: 'localhost', port, path: p, ca: fs.readFileSync(file('ca.pem')), agent: false }, (res) => {
      const cn = res.socket.getPeerCertificate().subject.CN;
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, cn }));
    });
    req.on('error', reject);
  });
}

/** The pusher-js child (lib/tls-client.mjs) and the lines it has printed. */
function startClient(port, channel) {
  const child = spawn(process.execPath, [path.join(here, '..', 'lib', 'tls-client.mjs'), String(port), DEFAULT_APP.key, channel], {
    env: { ...process.env, NODE_EXTRA_CA_CERTS: file('ca.pem') },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = [];
  readline.createInterface({ input: child.stdout }).on('line', (l) => lines.push(JSON.parse(l)));
  return {
    lines,
    wait: (pred, what) => until(() => lines.some(pred), { what: `${what}; client said ${JSON.stringify(lines)}` }),
    async stop() {
      const gone = new Promise((r) => child.on('exit', r));
      child.stdin.end();
      await withTimeout(gone, DEFAULT_TIMEOUT_MS, 'tls client exit').catch(() => child.kill('SIGKILL'));
    },
  };
}

let server;
let tlsPort;
let sdk;
before(async () => {
  makeAuthority();
  install('first');
  tlsPort = await freePort();
  server = await startServer({
    settings: { tls_cert: file('cert.pem'), tls_key: file('key.pem'), tls_port: tlsPort, tls_watch_seconds: 0 },
  });
  sdk = new Pusher({ appId: DEFAULT_APP.id, key: DEFAULT_APP.key, secret: DEFAULT_APP.secret,
    host: '127.0.0.1', port: String(server.port), useTLS: false });
});
after(async () => {
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('TLS', () => {
  test('https on the TLS port presents the certificate; the plain port still answers', async () => {
    assert.deepEqual(await httpsGet(tlsPort, '/up'), { status: 200, cn: 'first' });
    assert.equal((await fetch(server.httpUrl('/up'))).status, 200);
  });

  test('pusher-js with forceTLS connects over wss, receives, and stays connected across a SIGHUP reload', async () => {
    const client = startClient(tlsPort, 'tls-news');
    try {
      await client.wait((l) => l.subscribed === 'tls-news', 'subscription over wss');
      const connected = client.lines.find((l) => l.state === 'connected');
      assert.ok(connected, 'connected over wss');

      await sdk.trigger('tls-news', 'story', { n: 1 });
      await client.wait((l) => l.event === 'story' && l.data?.n === 1, 'first event');

      install('second');
      server.signal('SIGHUP');
      await until(async () => (await httpsGet(tlsPort, '/up')).cn === 'second', { what: 'new certificate after SIGHUP' });
      assert.ok(server.running, 'SIGHUP reloads; it does not stop the server');

      await sdk.trigger('tls-news', 'story', { n: 2 });
      await client.wait((l) => l.event === 'story' && l.data?.n === 2, 'event after the reload');
      // Still the one connection from before the reload: no state change since it connected ('connecting'
      // fires inside the constructor, before the child can bind).
      const states = client.lines.filter((l) => l.state).map((l) => l.state);
      assert.deepEqual(states.slice(states.indexOf('connected')), ['connected']);
      assert.equal(client.lines.filter((l) => l.state === 'connected').at(-1).socket_id, connected.socket_id);
    } finally {
      await client.stop();
    }
  });

  test('a second pusher-js client after the reload connects with the new certificate', async () => {
    const client = startClient(tlsPort, 'tls-after');
    try {
      await client.wait((l) => l.subscribed === 'tls-after', 'subscription over wss after the reload');
    } finally {
      await client.stop();
    }
  });
});
