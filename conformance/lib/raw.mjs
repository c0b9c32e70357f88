// A raw WebSocket client (the `ws` package) that records every frame, for the tests that must see exact
// frames, send what pusher-js never would, or watch close codes.

import crypto from 'node:crypto';
import WebSocket from 'ws';
import { DEFAULT_TIMEOUT_MS, withTimeout } from './wait.mjs';

/** `data` of a server frame, decoded when it is a JSON string (double encoding, §0). */
export function dataOf(frame) {
  if (typeof frame.data === 'string') {
    try {
      return JSON.parse(frame.data);
    } catch {
      return frame.data;
    }
  }
  return frame.data;
}

export function hmac(secret, text) {
  return crypto.createHmac('sha256', Buffer.from(secret, 'utf8')).update(Buffer.from(text, 'utf8')).digest('hex');
}

export class RawSocket {
  constructor(url, wsOptions = {}) {
    this.url = url;
    this.frames = []; // every parsed text frame, in order
    this.texts = []; // raw texts
    this.nonJson = [];
    this.consumed = new Set();
    this.waiters = [];
    this.closeInfo = null;
    this.ws = new WebSocket(url, { perMessageDeflate: false, ...wsOptions });
    this.ws.on('message', (buf, isBinary) => {
      const text = buf.toString('utf8');
      this.texts.push(text);
      let frame;
      try {
        frame = JSON.parse(text);
      } catch {
        this.nonJson.push({ text, isBinary });
        return;
      }
      this.frames.push(frame);
      this._notify();
    });
    this.closed = new Promise((resolve) => {
      this.ws.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString('utf8') };
        this._notify();
        resolve(this.closeInfo);
      });
    });
    this.ws.on('error', (err) => {
      this.error = err;
    });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', resolve);
      this.ws.once('error', reject);
      this.ws.once('unexpected-response', (req, res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
    });
    this.opened.catch(() => {});
  }

  /** Opens a socket and waits for pusher:connection_established; returns the socket (socketId set). */
  static async connect(url, opts) {
    const s = new RawSocket(url, opts);
    await withTimeout(s.opened, DEFAULT_TIMEOUT_MS, `WebSocket open ${url}`);
    const established = await s.expect((f) => f.event === 'pusher:connection_established', 'pusher:connection_established');
    s.socketId = dataOf(established).socket_id;
    return s;
  }

  _notify() {
    for (const w of [...this.waiters]) w();
  }

  get isOpen() {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(obj) {
    this.ws.send(typeof obj === 'string' ? obj : JSON.stringify(obj));
  }

  sendBinary(buf) {
    this.ws.send(buf, { binary: true });
  }

  /**
   * Resolves with the first not-yet-consumed frame matching `pred` (past or future) and marks it consumed,
   * so successive calls return successive matches. Rejects if the socket closes or the time runs out first.
   */
  expect(pred, what = 'a matching frame', timeout = DEFAULT_TIMEOUT_MS) {
    const match = typeof pred === 'string' ? (f) => f.event === pred : pred;
    const p = new Promise((resolve, reject) => {
      const check = () => {
        for (let i = 0; i < this.frames.length; i++) {
          if (!this.consumed.has(i) && match(this.frames[i])) {
            this.consumed.add(i);
            this.waiters = this.waiters.filter((w) => w !== check);
            resolve(this.frames[i]);
            return;
          }
        }
        if (this.closeInfo) {
          this.waiters = this.waiters.filter((w) => w !== check);
          reject(new Error(`socket closed (${this.closeInfo.code} ${this.closeInfo.reason}) while waiting for ${what}; frames: ${this.describe()}`));
        }
      };
      this.waiters.push(check);
      check();
    });
    return withTimeout(p, timeout, `${what}; frames so far: ${this.describe()}`);
  }

  /** Frames matching `pred` received so far (consumed or not). */
  seen(pred) {
    const match = typeof pred === 'string' ? (f) => f.event === pred : pred;
    return this.frames.filter(match);
  }

  /** Round trip marker: everything the server sent in reply to earlier frames has arrived after this. */
  async ping() {
    this.send({ event: 'pusher:ping', data: {} });
    return this.expect('pusher:pong', 'pusher:pong');
  }

  /** Waits for the next pusher:error and returns its data object. */
  async error(what = 'pusher:error') {
    return dataOf(await this.expect('pusher:error', what));
  }

  subscribe(channel, extra = {}) {
    this.send({ event: 'pusher:subscribe', data: { auth: '', channel, ...extra } });
  }

  /** Subscribes and waits for subscription_succeeded on that channel; returns its decoded data. */
  async subscribeOk(channel, extra = {}) {
    this.subscribe(channel, extra);
    const f = await this.expect(
      (x) => x.event === 'pusher_internal:subscription_succeeded' && x.channel === channel,
      `subscription_succeeded on ${channel}`,
    );
    return dataOf(f);
  }

  /** Private-channel auth computed here (the SDK algorithm, §3.1). */
  privateAuth(channel, { key = 'app-key', secret = 'app-secret' } = {}) {
    return `${key}:${hmac(secret, `${this.socketId}:${channel}`)}`;
  }

  presenceAuth(channel, channelData, { key = 'app-key', secret = 'app-secret' } = {}) {
    return `${key}:${hmac(secret, `${this.socketId}:${channel}:${channelData}`)}`;
  }

  /** pusher:signin payload signed like pusherServer.authenticateUser but over an arbitrary user_data string. */
  signinFrame(userDataText, { key = 'app-key', secret = 'app-secret' } = {}) {
    return {
      event: 'pusher:signin',
      data: { auth: `${key}:${hmac(secret, `${this.socketId}::user::${userDataText}`)}`, user_data: userDataText },
    };
  }

  /** Waits for the close frame; returns {code, reason}. */
  waitClose(timeout = DEFAULT_TIMEOUT_MS) {
    return withTimeout(this.closed, timeout, `close of ${this.url}; frames: ${this.describe()}`);
  }

  close() {
    if (this.ws.readyState === WebSocket.CONNECTING || this.ws.readyState === WebSocket.OPEN) {
      try {
        this.ws.terminate();
      } catch {
        /* ignore */
      }
    }
  }

  describe() {
    const s = this.texts.map((t) => (t.length > 200 ? t.slice(0, 200) + '…' : t));
    return s.length ? s.join(' | ') : '(none)';
  }
}

/** Opens a socket that is expected to be closed by the server; returns {code, reason, frames}. */
export async function connectExpectClose(url, timeout = DEFAULT_TIMEOUT_MS) {
  const s = new RawSocket(url);
  try {
    const info = await withTimeout(s.closed, timeout, `close of ${url}; frames: ${s.describe()}`);
    return { ...info, frames: s.frames, texts: s.texts, error: s.error };
  } finally {
    s.close();
  }
}
