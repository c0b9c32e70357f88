// The dashboard in Debian's chromium: a wrong token is refused, the figures follow clients as they connect,
// the console shows an event triggered over the HTTP API, and terminate from the page disconnects a
// pusher-js client (the demo page, signed in as a user).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Pusher from 'pusher';
import { launchBrowser, personPage } from '../lib/browser.mjs';
import { APP, startStack } from '../lib/stack.mjs';

let stack;
let browser;

before(async () => {
  stack = await startStack('dashboard');
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (stack) await stack.stop();
});

test('a wrong token is refused and shows nothing of an app', async () => {
  const op = await personPage(browser, 'operator');
  await op.page.goto(stack.dashboardUrl);
  await op.expectErrors(/status of 401/, async () => {
    await op.page.fill('#token', 'not-the-token');
    await op.page.click('#login-form button[type=submit]');
    await op.page.locator('#login-error', { hasText: 'Wrong token.' }).waitFor();
  });
  assert.equal(await op.page.locator('#board').isHidden(), true);
  assert.equal(await op.page.locator('#app-select option').count(), 0);
  assert.doesNotMatch(await op.page.content(), /app-key/);
  await op.screenshot('dashboard-login-refused.png');
  op.assertNoErrors();
  await op.context.close();
});

test('figures, console, user lookup and terminate', async () => {
  const op = await personPage(browser, 'operator');
  await op.page.goto(stack.dashboardUrl + '#token=' + stack.token);
  await op.page.locator('#live-state', { hasText: 'live' }).waitFor();
  assert.equal(new URL(op.page.url()).hash, '', 'the token is taken out of the address');
  await op.page.locator('#fig-connections', { hasText: /^0$/ }).waitFor();

  // A pusher-js client: the demo page, signed in as Dan, in the chat room.
  const dan = await personPage(browser, 'dan');
  await dan.page.goto(stack.demoUrl);
  await dan.page.fill('#name', 'Dan');
  await dan.page.click('#login-form button[type=submit]');
  await dan.page.locator('#chat-state', { hasText: 'joined' }).waitFor();
  await op.page.locator('#fig-connections', { hasText: /^1$/ }).waitFor();
  await op.page.locator('#fig-users', { hasText: /^1$/ }).waitFor();
  await op.page.locator('#channels tbody tr', { hasText: 'presence-chat' }).waitFor();

  // An event over the HTTP API, signed by the npm pusher package, shows in the console with its origin.
  const api = new Pusher({ appId: APP.id, key: APP.key, secret: APP.secret, host: '127.0.0.1',
    port: String(stack.serverPort), useTLS: false });
  await api.trigger('prices', 'price-changed', { sku: 'pizza', price: 9 });
  const row = op.page.locator('#console tbody tr', { hasText: 'price-changed' });
  await row.waitFor();
  assert.match(await row.textContent(), /http api/);
  assert.match(await row.textContent(), /prices/);

  // Filter and pause are the page's own.
  await op.page.fill('#filter-event', 'no-such-event');
  await row.waitFor({ state: 'hidden' });
  await op.page.fill('#filter-event', 'price');
  await row.waitFor({ state: 'visible' });
  await op.page.fill('#filter-event', '');
  await op.page.click('#pause');
  await api.trigger('prices', 'while-paused', {});
  await op.page.locator('#console-state', { hasText: '1 waiting' }).waitFor();
  assert.equal(await op.page.locator('#console tbody tr', { hasText: 'while-paused' }).count(), 0);
  await op.page.click('#pause');
  await op.page.locator('#console tbody tr', { hasText: 'while-paused' }).waitFor();

  // A chat message from the demo passes too (the demo's server triggers it over the HTTP API).
  await dan.page.fill('#chat-text', 'hello');
  await dan.page.click('#chat-form button[type=submit]');
  await op.page.locator('#console tbody tr', { hasText: 'presence-chat' }).filter({ hasText: 'message' }).waitFor();

  // The user: looked up, sent an event, terminated from the page.
  await op.page.fill('#user-id', 'dan');
  await op.page.click('#user-form button[type=submit]');
  await op.page.locator('#user-online', { hasText: 'yes' }).waitFor();
  assert.equal(await op.page.textContent('#user-connections'), '1');
  assert.match(await op.page.textContent('#user-channels'), /presence-chat/);
  assert.match(await op.page.textContent('#user-info'), /"name": "Dan"/);
  await op.page.locator('#chart').scrollIntoViewIfNeeded();
  await op.screenshot('dashboard.png');

  await op.page.fill('#send-event', 'order-status');
  await op.page.fill('#send-data', '{"id":99,"item":"Tiramisu","status":"on the way","done":false}');
  await op.page.click('#send-form button[type=submit]');
  await dan.page.locator('#my-orders li', { hasText: 'Tiramisu' }).waitFor();

  // Terminate with a ban (issue 25): the demo's own auth endpoint still signs Dan's next sign-in, and
  // Switchboard refuses it until the operator lifts the ban.
  await op.page.fill('#ban-seconds', '600');
  await op.page.click('#terminate');
  await op.page.locator('#user-message', { hasText: 'Terminated dan and banned it for 600 s' }).waitFor();
  await dan.page.locator('#notice', { hasText: '4009' }).waitFor();
  await dan.page.locator('#conn-state', { hasText: 'disconnected' }).waitFor();
  await op.page.locator('#fig-connections', { hasText: /^0$/ }).waitFor();
  await op.screenshot('dashboard-after-terminate.png');
  await op.page.click('#user-form button[type=submit]');
  await op.page.locator('#user-banned', { hasText: /^\d{4}-/ }).waitFor();

  const dan2 = await personPage(browser, 'dan-again');
  await dan2.page.goto(stack.demoUrl);
  await dan2.page.fill('#name', 'Dan');
  await dan2.page.click('#login-form button[type=submit]');
  await dan2.page.locator('#signin-state', { hasText: 'Sign-in refused by Switchboard' }).waitFor();
  assert.match(await dan2.page.textContent('#signin-state'), /banned/);
  await op.page.click('#unban');
  await op.page.locator('#user-message', { hasText: 'Lifted the ban of dan' }).waitFor();
  await dan2.context.close();

  op.assertNoErrors();
  dan.assertNoErrors();
  await op.context.close();
  await dan.context.close();
});
