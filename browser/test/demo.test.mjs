// The demo app in two browser contexts (two people): an order's status reaches only its customer, and a
// banned chat user is disconnected and refused at the next sign-in.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, personPage } from '../lib/browser.mjs';
import Pusher from 'pusher';
import { APP, startStack } from '../lib/stack.mjs';

let stack;
let browser;

before(async () => {
  stack = await startStack('demo');
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (stack) await stack.stop();
});

async function signIn(person, name, role) {
  const { page } = person;
  await page.goto(stack.demoUrl);
  await page.fill('#name', name);
  await page.selectOption('#role', role);
  await page.click('#login-form button[type=submit]');
  await page.locator('#signin-state', { hasText: 'Signed in to Switchboard' }).waitFor();
  await page.locator('#conn-state', { hasText: 'connected' }).waitFor();
}

test('an order status reaches only its customer', async () => {
  const alice = await personPage(browser, 'alice');
  const kitchen = await personPage(browser, 'kitchen');
  await signIn(alice, 'Alice', 'customer');
  await signIn(kitchen, 'Kim', 'kitchen');

  await alice.page.fill('#item', 'Margherita pizza');
  await alice.page.click('#order-form button[type=submit]');
  const myOrder = alice.page.locator('#my-orders li').first();
  await myOrder.locator('.status', { hasText: 'placed' }).waitFor();
  // The kitchen sees it on its private channel, and moves it on.
  const row = kitchen.page.locator('#kitchen-orders tbody tr', { hasText: 'Margherita pizza' });
  await row.waitFor();
  await row.locator('button.advance').click();
  await myOrder.locator('.status', { hasText: 'preparing' }).waitFor();
  await row.locator('button.advance').click();
  await myOrder.locator('.status', { hasText: 'on the way' }).waitFor();
  await alice.page.locator('#order-updates', { hasText: '3' }).waitFor();
  await kitchen.page.locator('#kitchen-orders tbody tr td.status', { hasText: 'on the way' }).waitFor();

  // The kitchen is signed in too, yet got none of Alice's order-status events.
  assert.equal(await kitchen.page.textContent('#order-updates'), '0');
  assert.equal(await kitchen.page.locator('#my-orders li').count(), 0);

  await alice.screenshot('demo-order-customer.png');
  await kitchen.screenshot('demo-order-kitchen.png');
  alice.assertNoErrors();
  kitchen.assertNoErrors();
  await alice.context.close();
  await kitchen.context.close();
});

test('a banned user is disconnected and cannot sign in again', async () => {
  const mod = await personPage(browser, 'moderator');
  const dan = await personPage(browser, 'dan');
  await signIn(mod, 'Mo', 'moderator');
  await signIn(dan, 'Dan', 'customer');

  // Presence through sign-in: each sees the other as a member, with the name from user-auth.
  await mod.page.locator('#chat-state', { hasText: 'joined' }).waitFor();
  await dan.page.locator('#chat-state', { hasText: 'joined' }).waitFor();
  await mod.page.locator('#members li[data-user="dan"]', { hasText: 'Dan' }).waitFor();
  await dan.page.locator('#members li[data-user="mo"]', { hasText: 'Mo' }).waitFor();

  await dan.page.fill('#chat-text', 'buy cheap watches');
  await dan.page.click('#chat-form button[type=submit]');
  await mod.page.locator('#messages li', { hasText: 'Dan: buy cheap watches' }).waitFor();
  await mod.screenshot('demo-chat-moderator.png');

  await mod.page.click('#members li[data-user="dan"] button.ban');
  await dan.page.locator('#notice', { hasText: '4009' }).waitFor();
  await dan.page.locator('#conn-state', { hasText: 'disconnected' }).waitFor();
  await mod.page.locator('#members li[data-user="dan"]').waitFor({ state: 'detached' });
  await mod.page.locator('#messages li.system', { hasText: 'dan was banned by Mo' }).waitFor();
  // The moderator banned through Switchboard (terminate with ban_seconds): the server holds the ban too, so a
  // stale auth path of the app could not let Dan back.
  const api = new Pusher({ appId: APP.id, key: APP.key, secret: APP.secret, host: '127.0.0.1',
    port: String(stack.serverPort), useTLS: false });
  const held = await (await api.get({ path: '/users/dan' })).json();
  assert.ok(held.banned_until_ms > Date.now(), JSON.stringify(held));

  // A reload signs in again: the demo's user-auth endpoint now refuses (the browser logs the 403).
  await dan.expectErrors(/status of 403/, async () => {
    await dan.page.reload();
    await dan.page.locator('#signin-state', { hasText: 'Sign-in refused (403)' }).waitFor();
  });
  assert.equal(await dan.page.locator('#chat-state').textContent(), 'not joined');
  await dan.screenshot('demo-chat-banned.png');

  mod.assertNoErrors();
  dan.assertNoErrors();
  await mod.context.close();
  await dan.context.close();
});
