// npm run demo: builds what is missing, starts nats-server (WebSocket +
// JetStream, loopback, free ports) from examples/nats-server.conf, runs
// examples/demo.py in Pyodide under Node, then serves examples/demo.html,
// where the same Python runs live in the browser, and examples/kv-tabs.html,
// shared settings in a KV bucket that two tabs edit and watch live.
// Ctrl-C stops everything.
//   --once   also run the page in headless Chromium, print its output, exit.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPyodide } from 'pyodide';
import { startServer } from '../tests/harness/nats-server.mjs';
import { startStaticServer } from '../tests/harness/static-server.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const once = process.argv.includes('--once');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: repo, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed`);
}

function wheelFile() {
  return readdirSync(path.join(repo, 'dist')).find((f) => f.endsWith('.whl'));
}

async function runInNode(wsUrl) {
  const pyodide = await loadPyodide();
  pyodide.FS.mkdirTree('/demo/py');
  pyodide.FS.mkdirTree('/demo/examples');
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: path.join(repo, 'py') }, '/demo/py');
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: path.join(repo, 'examples') }, '/demo/examples');
  pyodide.globals.set('NATS_URL', wsUrl);
  await pyodide.runPythonAsync(`
import sys
sys.path[:0] = ["/demo/py", "/demo/examples"]
import demo
await demo.main(NATS_URL)
`);
}

async function runInChromium(pageUrl) {
  const { launchBrowser, withPage } = await import('../tests/harness/browser.mjs');
  const browser = await launchBrowser();
  try {
    await withPage(browser, pageUrl, async (page) => {
      await page.waitForFunction(() => window.demoDone || window.demoFailure, null, { timeout: 60000 });
      console.log((await page.textContent('#out')).trimEnd().replace(/^/gm, '  | '));
      const failure = await page.evaluate(() => window.demoFailure);
      if (failure) throw new Error(`the page failed: ${failure}`);
    });
  } finally {
    await browser.close();
  }
}

console.log('== building (wasm, JS bundle, wheel) ==');
run('bash', ['scripts/build-wasm.sh']);
run('bash', ['scripts/build-bundle.sh']);
run('python3', ['scripts/build-wheel.py']);

const server = await startServer(path.join(repo, 'examples/nats-server.conf'));
let web;
try {
  console.log(`== nats-server: nats ${server.tcpUrl}, websocket ${server.wsUrl} ==`);
  console.log('== examples/demo.py in Pyodide under Node ==');
  await runInNode(server.wsUrl);

  const wheelUrl = `/dist/${wheelFile()}`;
  web = await startStaticServer(repo, {
    '/dist/wheel.json': async (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ url: wheelUrl }));
    },
  });
  const pageUrl = `${web.url}/examples/demo.html?ws=${encodeURIComponent(server.wsUrl)}`;
  if (once) {
    console.log('== examples/demo.py in Pyodide in headless Chromium ==');
    await runInChromium(pageUrl);
  } else {
    console.log(`\n== open ${pageUrl} to run the same Python in your browser ==`);
    console.log(`== open ${web.url}/examples/kv-tabs.html?ws=${encodeURIComponent(server.wsUrl)} in two tabs:` +
      ' shared settings in a KV bucket, live; Ctrl-C to stop ==');
    await new Promise((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
  }
} finally {
  await web?.close();
  await server.stop();
}
