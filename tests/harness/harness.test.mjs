// Self-test of the test harness: if these fail, every integration test would.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';

import { launchBrowser, withPage } from './browser.mjs';
import { startServer } from './nats-server.mjs';
import { startStaticServer } from './static-server.mjs';

/**
 * Connects over TCP and resolves with the first protocol line.
 * @param {number} port
 */
function readFirstLine(port) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      text += chunk;
      const end = text.indexOf('\r\n');
      if (end >= 0) {
        socket.destroy();
        resolve(text.slice(0, end));
      }
    });
    socket.once('error', reject);
  });
}

/** Resolves with the first WebSocket message as text. @param {string} url */
function readFirstWsMessage(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('message', (data) => {
      // 2.9.10 reports a close without a code as broken; see TOOLCHAIN.md.
      ws.close(1000);
      resolve(data.toString('utf8'));
    });
    ws.once('error', reject);
  });
}

/** @param {number} port */
function connectionRefused(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err) => resolve(err.code === 'ECONNREFUSED'));
  });
}

/** @param {string} line an `INFO {...} ` line */
function parseInfo(line) {
  return JSON.parse(line.slice('INFO '.length));
}

/**
 * GET with the path sent verbatim; fetch() would normalize "/../" away
 * before it reached the server.
 * @param {number} port
 * @param {string} rawPath
 */
function rawGet(port, rawPath) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: rawPath, agent: false }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode));
    });
    req.once('error', reject);
  });
}

describe('nats-server harness', () => {
  test('default.conf serves TCP and WebSocket clients with JetStream', async (t) => {
    const server = await startServer();
    t.after(() => server.stop());
    assert.equal(server.tcpUrl, `nats://127.0.0.1:${server.port}`);
    assert.equal(server.wsUrl, `ws://127.0.0.1:${server.wsPort}`);

    const line = await readFirstLine(server.port);
    assert.ok(line.startsWith('INFO {'), line);
    assert.equal(parseInfo(line).jetstream, true);

    const message = await readFirstWsMessage(server.wsUrl);
    assert.ok(message.startsWith('INFO'), message);
  });

  test('token.conf starts, with extraConfig applied', async (t) => {
    const server = await startServer('token.conf', { extraConfig: 'server_name: "harness-token"' });
    t.after(() => server.stop());
    const info = parseInfo(await readFirstLine(server.port));
    assert.equal(info.auth_required, true);
    assert.equal(info.server_name, 'harness-token');
  });

  test('stop() shuts the server down, removes its dir and is idempotent', async () => {
    const server = await startServer();
    await server.stop();
    assert.equal(await connectionRefused(server.port), true);
    assert.equal(await connectionRefused(server.wsPort), true);
    assert.equal(existsSync(server.dir), false);
    await server.stop();
  });

  test('a test process ended by SIGTERM (a file timeout) takes its servers with it', async () => {
    // The child starts a server, prints its ports, then waits to be killed.
    const child = spawn(process.execPath, ['--input-type=module', '-e', `
      import { startServer } from ${JSON.stringify(new URL('./nats-server.mjs', import.meta.url).href)};
      const s = await startServer();
      console.log(JSON.stringify({ port: s.port, dir: s.dir, pid: s.pid }));
      setInterval(() => {}, 1000);
    `], { stdio: ['ignore', 'pipe', 'inherit'] });
    const started = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('\n')) resolve(JSON.parse(out));
      });
      child.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
    });
    assert.equal(await connectionRefused(started.port), false, 'the server runs');
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    child.kill('SIGTERM');
    assert.deepEqual(await exited, { code: 143, signal: null }, 'exits through its hook');
    // SIGKILL was sent before the child exited; the kernel finishes it soon after.
    const alive = () => { try { process.kill(started.pid, 0); return true; } catch { return false; } };
    for (const until = Date.now() + 5000; alive() && Date.now() < until;) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(alive(), false, 'no server outlives it');
    assert.equal(existsSync(started.dir), false);
  });
});

describe('static server harness', () => {
  let root;
  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'nats-wasm-static-'));
    // Smallest valid module: magic + version.
    await writeFile(path.join(root, 'mod.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    await writeFile(path.join(root, 'lib.mjs'), 'export const x = 1;\n');
  });
  after(() => rm(root, { recursive: true, force: true }));

  test('serves files with MIME types and refuses to leave the root', async (t) => {
    const server = await startStaticServer(root);
    t.after(() => server.close());

    const wasm = await fetch(`${server.url}/mod.wasm`);
    assert.equal(wasm.status, 200);
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
    assert.equal((await wasm.arrayBuffer()).byteLength, 8);
    assert.equal(wasm.headers.get('cross-origin-embedder-policy'), null);

    const mjs = await fetch(`${server.url}/lib.mjs`);
    assert.equal(mjs.headers.get('content-type'), 'text/javascript');
    assert.equal(await mjs.text(), 'export const x = 1;\n');

    assert.equal((await fetch(`${server.url}/missing.js`)).status, 404);
    for (const p of ['/../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2f..%2fetc%2fpasswd']) {
      assert.equal(await rawGet(server.port, p), 404, p);
    }
  });

  test('routes map paths to files or handlers; coop adds isolation headers', async (t) => {
    const routes = {
      '/alias.wasm': path.join(root, 'mod.wasm'),
      '/hello': async (req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('hi');
      },
    };
    const server = await startStaticServer(root, routes, { coop: true });
    t.after(() => server.close());

    const alias = await fetch(`${server.url}/alias.wasm`);
    assert.equal(alias.headers.get('content-type'), 'application/wasm');
    assert.equal(alias.headers.get('cross-origin-opener-policy'), 'same-origin');
    assert.equal(alias.headers.get('cross-origin-embedder-policy'), 'require-corp');
    await alias.arrayBuffer();
    assert.equal(await (await fetch(`${server.url}/hello`)).text(), 'hi');
  });
});

describe('browser harness', () => {
  let root;
  let server;
  let browser;
  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'nats-wasm-page-'));
    await writeFile(path.join(root, 'title.mjs'), "console.log('hello from page');\ndocument.title = 'harness-ok';\n");
    await writeFile(path.join(root, 'index.html'), '<!doctype html><script type="module" src="/title.mjs"></script>');
    await writeFile(
      path.join(root, 'boom.html'),
      "<!doctype html><script>console.log('before boom'); throw new Error('boom in page');</script>",
    );
    [server, browser] = await Promise.all([startStaticServer(root), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  test('a module script served by the static server runs in Chromium', async () => {
    const title = await withPage(browser, `${server.url}/index.html`, async (page) => {
      await page.waitForFunction(() => document.title === 'harness-ok');
      return page.title();
    });
    assert.equal(title, 'harness-ok');
  });

  test('withPage failures carry the page console and errors', async () => {
    await assert.rejects(
      withPage(browser, `${server.url}/boom.html`, async (page) => {
        await page.waitForLoadState('load');
        throw new Error('test step failed');
      }),
      (err) => {
        assert.match(err.message, /test step failed/);
        assert.match(err.message, /before boom/);
        assert.match(err.message, /boom in page/);
        assert.match(err.stack, /before boom/);
        return true;
      },
    );
  });
});
