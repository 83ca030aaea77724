// The browser lifecycle hooks in real headless Chromium: a tab that comes
// back (visibilitychange, pageshow) or a network that returns (online)
// checks its connection at once instead of waiting for a throttled
// keepalive or a long backoff; while offline no attempts are burnt.
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';

import { launchBrowser, withPage } from '../harness/browser.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { startStaticServer } from '../harness/static-server.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Waits (bounded) until the page has `n` statuses of `type`. */
async function statusCount(page, type, n, timeout = 10_000) {
  try {
    await page.waitForFunction(([t, k]) => window.statuses.filter((s) => s.type === t).length >= k,
      [type, n], { timeout });
  } catch (err) {
    const seen = await page.evaluate(() => JSON.stringify({
      statuses: window.statuses, visibility: document.visibilityState,
    }));
    throw new Error(`no ${n} x ${type}: ${seen}`, { cause: err });
  }
}
const count = (page, type) => page.evaluate((t) => window.statuses.filter((s) => s.type === t).length, type);

describe('browser lifecycle (Chromium)', () => {
  let web;
  let browser;
  before(async () => {
    [web, browser] = await Promise.all([startStaticServer(REPO_ROOT), launchBrowser()]);
  });
  after(async () => {
    await Promise.allSettled([browser?.close(), web?.close()]);
  });

  test('a dead connection is found at once when the tab becomes visible again (and on pageshow)', async () => {
    const nats = await startServer('default.conf');
    try {
      const url = `${web.url}/tests/browser/pages/lifecycle.html?ws=${encodeURIComponent(nats.wsUrl)}`;
      await withPage(browser, url, async (page) => {
        await page.waitForFunction(() => window.ready === true || window.failure, null, { timeout: 30_000 });
        assert.equal(await page.evaluate(() => window.failure), undefined);
        // The server hangs (SIGSTOP): sockets stay open, nothing answers. With a
        // 10-minute keepalive the client would not notice for a long time.
        // The client checks only when the page is visible: a page that was
        // just created may not be yet (seen once under load in CI).
        await page.bringToFront();
        await page.waitForFunction(() => document.visibilityState === 'visible', null, { timeout: 10_000 });
        // Becoming visible may itself have started a check (a real
        // visibilitychange). A check already in flight makes the next one a
        // no-op, and its PONG can still arrive before the pause: a flush
        // waits for every PONG owed (they come in order), so none is.
        await page.evaluate(() => window.nc.flush());
        nats.pause();
        const { t0, visibility } = await page.evaluate(() => {
          document.dispatchEvent(new Event('visibilitychange'));
          return { t0: performance.now(), visibility: document.visibilityState };
        });
        assert.equal(visibility, 'visible', 'visible when the event came');
        await statusCount(page, 'disconnect', 1, 20_000);
        const seen = await page.evaluate(() => window.statuses);
        const lost = seen.find((s) => s.type === 'disconnect');
        // The keepalive alone would take 10 minutes: the check takes its 2 s deadline.
        assert.ok(lost.at - t0 < 10_000, `noticed after ${lost.at - t0} ms`);
        assert.ok(seen.some((s) => s.type === 'staleConnection'));
        nats.resume();
        await statusCount(page, 'reconnect', 1, 15_000);
        // pageshow (back/forward cache) does the same.
        await page.evaluate(() => window.nc.flush());
        nats.pause();
        await page.evaluate(() => window.dispatchEvent(new Event('pageshow')));
        await statusCount(page, 'disconnect', 2, 20_000);
        nats.resume();
        await statusCount(page, 'reconnect', 2, 15_000);
      });
    } finally {
      await nats.stop();
    }
  });

  test('offline stops the attempts; online reconnects at once instead of after the backoff', async () => {
    const nats = await startServer('default.conf');
    try {
      const url = `${web.url}/tests/browser/pages/lifecycle.html?ws=${encodeURIComponent(nats.wsUrl)}`;
      await withPage(browser, url, async (page) => {
        await page.waitForFunction(() => window.ready === true || window.failure, null, { timeout: 30_000 });
        await nats.kill();
        await statusCount(page, 'disconnect', 1);
        // Let the backoff grow: 0, 100, 200 ... 1600 ms and more between attempts.
        await statusCount(page, 'reconnecting', 7, 15_000);
        await page.context().setOffline(true);
        const offlineAttempts = await count(page, 'reconnecting');
        await nats.restart();
        // While offline nothing is tried, even with the server back: wait past
        // what the next attempt's pause would have been.
        await page.waitForTimeout(3000);
        assert.equal(await count(page, 'reconnecting'), offlineAttempts, 'no attempts while offline');
        assert.equal(await count(page, 'reconnect'), 0);
        const back = await page.evaluate(() => performance.now());
        await page.context().setOffline(false);
        await statusCount(page, 'reconnect', 1, 5000);
        const at = await page.evaluate(() => window.statuses.find((s) => s.type === 'reconnect').at);
        assert.ok(at - back < 2000, `reconnected ${at - back} ms after online`);
      });
    } finally {
      await nats.stop();
    }
  });
});
