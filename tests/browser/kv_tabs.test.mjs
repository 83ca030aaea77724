// examples/kv-tabs.html in headless Chromium: two tabs of one browser share
// a KV bucket; what one tab puts or deletes through the page's form shows up
// in the other through its watch, and so do writes from Node.
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';

import { connect } from '../../js/src/index.mjs';
import { Kvm } from '../../js/src/kv/index.mjs';
import { launchBrowser } from '../harness/browser.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { startStaticServer } from '../harness/static-server.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WAIT = { timeout: 15_000 };

describe('examples/kv-tabs.html (Chromium, two tabs)', () => {
  let nats;
  let web;
  let browser;

  before(async () => {
    await Promise.all([
      startServer('default.conf').then((s) => { nats = s; }),
      startStaticServer(REPO_ROOT).then((s) => { web = s; }),
      launchBrowser().then((b) => { browser = b; }),
    ]);
  });

  after(async () => {
    await Promise.allSettled([browser?.close(), web?.close(), nats?.stop()]);
  });

  /** A tab on the page, failing the test on any page error or console warning. */
  async function openTab(context, url, errors) {
    const page = await context.newPage();
    page.on('pageerror', (err) => errors.push(String(err)));
    page.on('console', (m) => {
      // (the browser's own favicon request is the one 404 a static page gets)
      if (['error', 'warning'].includes(m.type()) && !/Failed to load resource/.test(m.text())) {
        errors.push(`${m.type()}: ${m.text()}`);
      }
    });
    await page.goto(url);
    await page.waitForFunction(() => window.kvTabsReady || window.kvTabsFailure, null, WAIT);
    assert.equal(await page.evaluate(() => window.kvTabsFailure), undefined);
    return page;
  }

  /** Waits until the tab's row for key shows value (or, for null, is gone). */
  async function waitForRow(page, key, value) {
    await page.waitForFunction(([k, v]) => {
      const td = document.querySelector(`#entries tr[data-key="${k}"] td.value`);
      return v === null ? td === null : td?.textContent === v;
    }, [key, value], WAIT);
    return page.evaluate((k) => {
      const tr = document.querySelector(`#entries tr[data-key="${k}"]`);
      return tr && { revision: Number(tr.dataset.revision), mine: tr.querySelector('td.mine').textContent };
    }, key);
  }

  async function submit(page, key, value, button = '#put') {
    await page.fill('#key', key);
    await page.fill('#value', value);
    await page.click(button);
  }

  test('each tab shows the other tab\'s puts and deletes live, and writes from Node', async () => {
    const bucket = `TABS_${process.pid}`;
    const url = `${web.url}/examples/kv-tabs.html?ws=${encodeURIComponent(nats.wsUrl)}&bucket=${bucket}`;
    const context = await browser.newContext();
    const errors = [];
    const nc = await connect({ servers: nats.wsUrl });
    try {
      const [a, b] = [await openTab(context, url, errors), await openTab(context, url, errors)];

      await submit(a, 'theme', 'dark');
      assert.deepEqual(await waitForRow(b, 'theme', 'dark'), { revision: 1, mine: '' });
      await a.waitForFunction(() => document.querySelector('#entries tr[data-key="theme"] td.mine')?.textContent === 'this tab');

      await submit(b, 'theme', 'light');
      assert.deepEqual(await waitForRow(a, 'theme', 'light'), { revision: 2, mine: '' });

      // A third client, the JS package under Node, writes to the same bucket.
      const kv = await new Kvm(nc).open(bucket);
      assert.equal(await kv.put('rate', '250'), 3);
      assert.deepEqual(await waitForRow(a, 'rate', '250'), { revision: 3, mine: '' });
      assert.deepEqual(await waitForRow(b, 'rate', '250'), { revision: 3, mine: '' });

      await submit(b, 'theme', '', '#delete');
      assert.equal(await waitForRow(a, 'theme', null), null);
      assert.match(await a.textContent('#log'), /DEL theme \(rev 4, another client\)/);
      assert.equal((await kv.get('theme')).operation, 'DEL');

      // A tab opened now starts from the bucket's current values.
      const c = await openTab(context, url, errors);
      assert.deepEqual(await waitForRow(c, 'rate', '250'), { revision: 3, mine: '' });
      assert.equal(await c.$('#entries tr[data-key="theme"]'), null);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
      await nc.close();
    }
  });
});
