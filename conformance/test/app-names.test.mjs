// Issue 21: app ids and keys beyond ASCII. pusher-js in Node writes a non-ASCII key into the WebSocket path as
// raw UTF-8 (a browser escapes it); the server reads both as UTF-8. npm `pusher` puts the app id into the HTTP
// path (a quote unescaped, a non-ASCII letter escaped): one decoding finds the same app.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setup, subscribed } from '../lib/harness.mjs';
import { app } from '../lib/server.mjs';
import { nextEvent } from '../lib/wait.mjs';

const NON_ASCII = app({ id: "zürich's-app", key: 'ключ-приложения', secret: 'secret-non-ascii' });

let h;
before(async () => {
  h = await setup({ apps: [app(), NON_ASCII] });
});
after(() => h?.close());

describe('app ids and keys beyond ASCII', () => {
  test('pusher-js in Node connects with a non-ASCII key and gets what npm pusher triggers to an id with a quote and ü', async () => {
    const client = await h.connectedClient({ app: NON_ASCII });
    assert.equal(client.connection.state, 'connected');
    const channel = await subscribed(client, 'news');
    const got = nextEvent(channel, 'flash');
    const res = await h.sdk(NON_ASCII).trigger('news', 'flash', { n: 1 });
    assert.equal(res.status, 200);
    assert.deepEqual((await got).data, { n: 1 });
  });

  test('npm pusher queries the app by its id: the channel is listed', async () => {
    const client = await h.connectedClient({ app: NON_ASCII });
    await subscribed(client, 'listed');
    const res = await h.sdk(NON_ASCII).get({ path: '/channels' });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.ok('listed' in body.channels, JSON.stringify(body));
  });
});
