// Point 5 — bad input on the socket (raw `ws`): each gets pusher:error (or, for an oversized frame, the
// documented close), the connection survives where it should, and another connected client is unaffected.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { setup, subscribed } from '../lib/harness.mjs';
import { app } from '../lib/server.mjs';
import { nextEvent } from '../lib/wait.mjs';

const MAX_FRAME = 4096;

let h;
let sdk;
let bystander;
let bystanderChannel;
before(async () => {
  h = await setup({ apps: [app()], settings: { max_frame_bytes: MAX_FRAME } });
  sdk = h.sdk();
  bystander = await h.connectedClient();
  bystanderChannel = await subscribed(bystander, `bystander-${process.pid}`);
});
after(() => h?.close());

let n = 0;
const uniq = (prefix) => `${prefix}${process.pid}-${++n}`;

/** The other client still works: it receives an event triggered now. */
async function bystanderUnaffected() {
  const got = nextEvent(bystanderChannel, 'still-alive', { filter: (d) => d.n === n });
  await sdk.trigger(bystanderChannel.name, 'still-alive', { n });
  await got;
  assert.equal(bystander.connection.state, 'connected');
}

/** The bad socket is still usable: pong, then a subscription and an event on it. */
async function stillUsable(s) {
  await s.ping();
  const name = uniq('after-bad-');
  await s.subscribeOk(name);
  await sdk.trigger(name, 'ok', {});
  await s.expect('ok');
}

const badFrames = [
  ['malformed JSON', '{"event":"pusher:subscribe","data":{'],
  ['JSON that is not an object (array)', '[1,2,3]'],
  ['JSON that is not an object (string)', '"pusher:ping"'],
  ['JSON null', 'null'],
  ['frame without event', '{"data":{}}'],
  ['event not a string', '{"event":5,"data":{}}'],
  ['unknown pusher: event', '{"event":"pusher:nonsense","data":{}}'],
  ['unknown non-client event', '{"event":"whatever","channel":"x","data":{}}'],
  ['subscribe with a numeric channel', '{"event":"pusher:subscribe","data":{"channel":5}}'],
  ['subscribe without data', '{"event":"pusher:subscribe"}'],
  ['subscribe with data not an object', '{"event":"pusher:subscribe","data":42}'],
  ['subscribe with auth not a string', '{"event":"pusher:subscribe","data":{"channel":"private-x","auth":123}}'],
  ['presence subscribe with channel_data an object', '{"event":"pusher:subscribe","data":{"channel":"presence-x","auth":"app-key:00","channel_data":{"user_id":"1"}}}'],
  ['signin with data not an object', '{"event":"pusher:signin","data":"nope"}'],
  ['signin without user_data', '{"event":"pusher:signin","data":{"auth":"app-key:00"}}'],
  ['client event without channel', '{"event":"client-x","data":{}}'],
];

describe('5. bad input on the socket', () => {
  beforeEach(() => n++);

  for (const [label, text] of badFrames) {
    test(`${label} → pusher:error, connection survives, other client unaffected`, async () => {
      const s = await h.raw();
      s.send(text);
      const err = await s.error(`pusher:error after ${label}`);
      assert.equal(typeof err.message, 'string');
      assert.ok(err.code === null || Number.isInteger(err.code), `code must be an integer or null: ${JSON.stringify(err)}`);
      await stillUsable(s);
      await bystanderUnaffected();
    });
  }

  test('binary frame → pusher:error, connection survives, other client unaffected', async () => {
    const s = await h.raw();
    s.sendBinary(Buffer.from('{"event":"pusher:ping","data":{}}'));
    await s.error('pusher:error after a binary frame');
    await stillUsable(s);
    await bystanderUnaffected();
  });

  test(`frame over max_frame_bytes (${MAX_FRAME}) → socket closed (1009 or 4102), other client unaffected`, async () => {
    const s = await h.raw();
    const huge = JSON.stringify({ event: 'client-big', channel: 'private-x', data: 'x'.repeat(MAX_FRAME + 100) });
    s.send(huge);
    const { code } = await s.waitClose();
    assert.ok(code === 1009 || code === 4102, `close code ${code}, expected 1009 (too big) or 4102`);
    await bystanderUnaffected();
  });

  test('text frame with invalid UTF-8 → closed 1007 or pusher:error; other client unaffected', async () => {
    const s = await h.raw();
    s.ws.send(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), { binary: false });
    const outcome = await Promise.race([
      s.closed.then((c) => `close ${c.code}`),
      s.expect('pusher:error').then(() => 'error'),
    ]);
    assert.ok(outcome === 'close 1007' || outcome === 'error', outcome);
    await bystanderUnaffected();
  });

  test('frame just under max_frame_bytes is processed normally', async () => {
    const s = await h.raw();
    const name = uniq('near-limit-');
    const frame = JSON.stringify({ event: 'pusher:subscribe', data: { auth: '', channel: name, pad: 'p'.repeat(MAX_FRAME - 200) } });
    assert.ok(frame.length < MAX_FRAME);
    s.send(frame);
    await s.expect((f) => f.event === 'pusher_internal:subscription_succeeded' && f.channel === name, 'subscription_succeeded');
  });

  test('subscribe with a forged signature → pusher:error code null, connection survives, other client unaffected', async () => {
    const s = await h.raw();
    s.subscribe(uniq('private-'), { auth: `app-key:${'f'.repeat(64)}` });
    const err = await s.error();
    assert.equal(err.code, null);
    await stillUsable(s);
    await bystanderUnaffected();
  });

  test('client event on a public channel → pusher:error, connection survives, other client unaffected', async () => {
    const s = await h.raw();
    const name = uniq('pub-');
    await s.subscribeOk(name);
    s.send({ event: 'client-hi', channel: name, data: {} });
    await s.error();
    await stillUsable(s);
    await bystanderUnaffected();
  });

  test('a burst of 20 malformed frames: each answered, the socket survives, other client unaffected', async () => {
    const s = await h.raw();
    for (let i = 0; i < 20; i++) s.send(`{broken ${i}`);
    for (let i = 0; i < 20; i++) await s.error(`pusher:error #${i + 1}`);
    await stillUsable(s);
    await bystanderUnaffected();
  });
});
