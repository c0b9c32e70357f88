// Debian's chromium under playwright-core, and pages that fail the test on any console error.
//
// Playwright's launch() gives each browser a new, empty profile directory of its own (it passes
// --user-data-dir itself and refuses one in args), so every run starts from a fresh user-data-dir.

import assert from 'node:assert/strict';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { OUTPUT } from './stack.mjs';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const WAIT_MS = Number(process.env.BROWSER_TIMEOUT_MS || 10000);

export async function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

/**
 * A page in a new context (its own cookies: one person), recording console errors and uncaught exceptions.
 * `expectErrors(re, fn)` runs `fn` and lets through console errors matching `re` that happen during it (the
 * browser's own line for a refused request the test provokes); `assertNoErrors()` fails on any other.
 */
export async function personPage(browser, name) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  context.setDefaultTimeout(WAIT_MS);
  const page = await context.newPage();
  const errors = [];
  let allowed = null;
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (allowed && allowed.re.test(m.text())) { allowed.seen.push(m.text()); return; }
    errors.push(`${name}: console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`${name}: uncaught: ${e.message}`));
  return {
    page,
    context,
    async expectErrors(re, fn) {
      const expected = { re, seen: [] };
      allowed = expected;
      try {
        await fn();
        // The refusal the test provoked is logged by the browser itself; wait for that line, so that it
        // cannot trail into the errors that fail the test.
        const deadline = Date.now() + WAIT_MS;
        while (expected.seen.length === 0 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 20));
        }
        assert.ok(expected.seen.length > 0, `${name}: expected a console line matching ${re}`);
      } finally {
        allowed = null;
      }
    },
    assertNoErrors() {
      assert.deepEqual(errors, [], 'no page may log a console error');
    },
    async screenshot(file) {
      await page.screenshot({ path: path.join(OUTPUT, file), fullPage: true });
    },
  };
}
