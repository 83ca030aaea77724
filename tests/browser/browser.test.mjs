// The JS package in headless Chromium: a real client scenario against
// nats-server over WebSocket (pages/basic.html) and the shared protocol
// vectors through the WASM parser (pages/vectors.html).
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';

import { launchBrowser, withPage } from '../harness/browser.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { startStaticServer } from '../harness/static-server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
// Served at /, so that pages can import '/js/src/index.mjs'.
const REPO_ROOT = path.resolve(HERE, '../..');
const VECTORS_DIR = path.join(REPO_ROOT, 'tests/vectors');
const PAGE_TIMEOUT_MS = 30_000;
const BIG_SIZE = 20 * 1024;

/** FNV-1a, as in pages/basic.html. */
function fnv1a(bytes) {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The 20 KB payload basic.html sends (same formula). */
function bigPayload() {
  const out = new Uint8Array(BIG_SIZE);
  for (let i = 0; i < out.length; i++) out[i] = (i * 31 + 7) & 0xff;
  out.set(new TextEncoder().encode('\r\nMSG x 1 2\r\nPING\r\n'), 5000);
  return out;
}

/** Waits for window.done or window.failure; fails with the page's error text. */
async function waitForPage(page) {
  await page.waitForFunction(() => window.done === true || window.failure !== undefined, null, {
    timeout: PAGE_TIMEOUT_MS,
  });
  const failure = await page.evaluate(() => window.failure);
  assert.equal(failure, undefined, `page failed: ${failure}`);
}

describe('browser (Chromium)', () => {
  let nats;
  let web;
  let browser;

  before(async () => {
    // Each handle is kept as soon as it exists, so after() can release it
    // even when another one failed to start.
    await Promise.all([
      startServer('default.conf').then((s) => { nats = s; }),
      startStaticServer(REPO_ROOT).then((s) => { web = s; }),
      launchBrowser().then((b) => { browser = b; }),
    ]);
  });

  after(async () => {
    await Promise.allSettled([browser?.close(), web?.close(), nats?.stop()]);
  });

  test('basic.html: pub/sub, 20 KB payload, request, headers, no responders, max_payload, drain', async () => {
    const url = `${web.url}/tests/browser/pages/basic.html?ws=${encodeURIComponent(nats.wsUrl)}`;
    await withPage(browser, url, async (page) => {
      await waitForPage(page);
      const r = await page.evaluate(() => window.results);

      // The server treats Chromium as a browser (frames capped at 4096 B).
      assert.match(r.userAgent, /^Mozilla\//);
      assert.equal(r.server, new URL(nats.wsUrl).host);
      assert.equal(r.maxPayload, 65536);
      assert.ok(r.errorNames.includes('NoRespondersError') && r.errorNames.includes('MaxPayloadError'));

      assert.deepEqual(r.pubsub, [
        { subject: 'browser.pubsub', data: 'message 1' },
        { subject: 'browser.pubsub', data: 'message 2' },
        { subject: 'browser.pubsub', data: 'message 3' },
      ]);
      assert.equal(r.pubsubClosed, true, 'max: 3 ends the subscription');
      assert.equal(r.pubsubProcessed, 3);

      const big = bigPayload();
      assert.deepEqual(r.big, {
        sentLength: BIG_SIZE,
        sentChecksum: fnv1a(big),
        length: BIG_SIZE,
        checksum: fnv1a(big),
        isUint8Array: true,
      });

      assert.deepEqual(r.request, { data: 'echo: hello', subject: r.request.subject });
      assert.match(r.request.subject, /^_INBOX\./);

      assert.deepEqual(r.headers.seenByResponder, {
        multi: ['first', 'second value', 'third'],
        single: 'only',
        keys: ['X-Multi', 'X-Single'],
      });
      assert.deepEqual(r.headers.replyMulti, ['first', 'second value', 'third']);
      assert.equal(r.headers.replyFirst, 'first');
      assert.equal(r.headers.replySingle, 'only');
      assert.equal(r.headers.replyEchoed, 'yes');
      assert.deepEqual(r.headers.replyKeys, ['X-Multi', 'X-Single', 'X-Echoed']);
      assert.equal(r.headers.replyHasError, false);
      assert.equal(r.headers.replyData, 'with headers');

      const nr = r.noResponders;
      assert.equal(nr.rejected, true, 'request without responders must reject');
      assert.equal(nr.name, 'RequestError');
      assert.equal(nr.isRequestError, true);
      assert.equal(nr.isNatsError, true);
      assert.equal(nr.isNoRespondersMethod, true);
      assert.equal(nr.causeName, 'NoResponders', "nats.js's name for NoRespondersError");
      assert.equal(nr.causeIsNoResponders, true);
      assert.equal(nr.causeSubject, nr.expectedSubject);
      assert.equal(nr.causeCode, 'no_responders');

      assert.equal(r.maxPayload_over.threw, true, 'publish over max_payload must throw');
      assert.equal(r.maxPayload_over.name, 'MaxPayloadError');
      assert.equal(r.maxPayload_over.isMaxPayloadError, true);
      assert.equal(r.maxPayload_over.isInvalidArgument, true);
      assert.equal(r.maxPayload_over.isNatsError, true);
      assert.deepEqual(r.maxPayload_exact, { threw: false }, 'exactly max_payload is allowed');
      assert.equal(r.usableAfterMaxPayload, true);

      assert.deepEqual(r.drain, {
        isClosed: true,
        closedValue: 'undefined',
        responderClosed: true,
        publishAfterClose: 'ClosedConnectionError',
      });
    });
  });

  test('vectors.html: every protocol vector through the WASM parser (whole, bytewise, random cuts)', async () => {
    const names = (await readdir(VECTORS_DIR))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -'.json'.length))
      .sort();
    assert.ok(names.length >= 30, `only ${names.length} vector files`);
    const url = `${web.url}/tests/browser/pages/vectors.html?files=${encodeURIComponent(names.join(','))}`;
    await withPage(browser, url, async (page) => {
      await waitForPage(page);
      // The page's mt19937 must be the standard one, or its "random" cuts
      // differ from the GoogleTest run's: the 10000th output of the default
      // seed (5489) is fixed by the C++ standard.
      const mt10000 = await page.evaluate(() => {
        const rng = window.mt19937(5489);
        let v = 0;
        for (let i = 0; i < 10000; i++) v = rng();
        return v;
      });
      assert.equal(mt10000, 4123659995);

      const r = await page.evaluate(() => window.results);
      assert.equal(r.ran, names.length);
      assert.ok(r.ran >= 30, `only ${r.ran} vectors ran`);
      assert.deepEqual(r.vectors.map((v) => v.name), names);
      const failed = r.vectors.filter((v) => !v.pass);
      assert.deepEqual(
        failed.map((v) => `${v.name}:\n  ${v.failures.join('\n  ')}`),
        [],
        `${failed.length} of ${r.ran} vectors failed`,
      );
      assert.equal(r.passed, r.ran);
    });
  });
});
