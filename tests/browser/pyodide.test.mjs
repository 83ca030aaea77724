// Python in Pyodide in headless Chromium: the page installs the nats_wasm
// wheel from the local server and runs pub/sub and request/reply.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

import { launchBrowser, withPage } from '../harness/browser.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { startStaticServer } from '../harness/static-server.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

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

test('Pyodide in Chromium installs the wheel and runs pub/sub and request/reply', async () => {
  const wheel = readdirSync(path.join(REPO_ROOT, 'dist')).find((f) => f.endsWith('.whl'));
  assert.ok(wheel, 'dist/ has no wheel: run npm run build:wheel');
  const url = `${web.url}/tests/browser/pages/pyodide.html?ws=${encodeURIComponent(nats.wsUrl)}`
    + `&wheel=${encodeURIComponent(`/dist/${wheel}`)}`;
  await withPage(browser, url, async (page) => {
    await page.waitForFunction(() => window.done || window.failure, null, { timeout: 90_000 });
    assert.equal(await page.evaluate(() => window.failure), undefined);
    const r = await page.evaluate(() => window.results);
    assert.deepEqual(r.pubsub, [['page.py.0', 'm0', '0'], ['page.py.1', 'm1', '1'], ['page.py.2', 'm2', '2']]);
    assert.equal(r.big_ok, true);
    assert.equal(r.reply, 'pong:ping');
    assert.equal(r.no_responders, 'NoRespondersError');
    assert.equal(r.closed, true);
  });
});
