// nkey and JWT authentication in headless Chromium: the page signs the
// server's nonce with the browser's WebCrypto Ed25519 (pages/auth.html).
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

import { makeJwtSetup, makeKey, nkeyUsersConfig } from '../harness/auth_keys.mjs';
import { launchBrowser, withPage } from '../harness/browser.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { startStaticServer } from '../harness/static-server.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const user = makeKey('user');
const jwtSetup = makeJwtSetup();
let nkeySrv;
let jwtSrv;
let web;
let browser;

before(async () => {
  await Promise.all([
    startServer('auth.conf', { extraConfig: nkeyUsersConfig(user.publicKey) }).then((s) => { nkeySrv = s; }),
    startServer('auth.conf', { extraConfig: jwtSetup.serverConfig }).then((s) => { jwtSrv = s; }),
    startStaticServer(REPO_ROOT).then((s) => { web = s; }),
    launchBrowser().then((b) => { browser = b; }),
  ]);
});

after(async () => {
  await Promise.allSettled([browser?.close(), web?.close(), nkeySrv?.stop(), jwtSrv?.stop()]);
});

test('auth.html: nkey seed, a wrong seed, and a .creds file, signed by WebCrypto in the page', async () => {
  const q = new URLSearchParams({
    nkeyWs: nkeySrv.wsUrl, seed: user.seed, wrongSeed: makeKey('user').seed, jwtWs: jwtSrv.wsUrl,
    creds: jwtSetup.creds,
  });
  await withPage(browser, `${web.url}/tests/browser/pages/auth.html?${q}`, async (page) => {
    await page.waitForFunction(() => window.done === true || window.failure !== undefined, null, { timeout: 30_000 });
    assert.equal(await page.evaluate(() => window.failure), undefined);
    const r = await page.evaluate(() => window.results);
    assert.deepEqual(r, {
      secureContext: true,
      nkey: { nonce: true, data: 'signed in' },
      wrongSeed: 'AuthorizationError',
      creds: 'signed in',
    });
  });
});
