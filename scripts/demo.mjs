// npm run demo: builds what is missing, starts nats-server (WebSocket +
// JetStream, loopback, free ports) from examples/nats-server.conf, runs
// examples/streaming.py in Pyodide under Node for a few seconds (its report
// in the terminal), then serves the repository root, where
// examples/streaming.html runs the same Python live in the browser with a
// chart, and prints the URL. Ctrl-C stops everything.
//   --once   instead of waiting: drive the page in headless Chromium for a
//            bounded time, check what it shows, save a screenshot, exit.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPyodide } from 'pyodide';
import { startServer } from '../tests/harness/nats-server.mjs';
import { startStaticServer } from '../tests/harness/static-server.mjs';
import { driveStreamingPage } from './demo-once.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const once = process.argv.includes('--once');
const TERMINAL_SECONDS = 6;

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: repo, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed`);
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
import streaming
await streaming.main(NATS_URL, duration=${TERMINAL_SECONDS})
`);
}

console.log('== building (wasm, JS bundle, wheel, the page\'s script) ==');
run('bash', ['scripts/build-wasm.sh']);
run('bash', ['scripts/build-bundle.sh']);
run('python3', ['scripts/build-wheel.py']);
run('bash', ['scripts/build-demo.sh']);

const server = await startServer(path.join(repo, 'examples/nats-server.conf'));
let web;
try {
  console.log(`== nats-server: nats ${server.tcpUrl}, websocket ${server.wsUrl} ==`);
  console.log(`== examples/streaming.py in Pyodide under Node, ${TERMINAL_SECONDS} s ==`);
  await runInNode(server.wsUrl);

  web = await startStaticServer(repo);
  const ws = encodeURIComponent(server.wsUrl);
  const pageUrl = `${web.url}/examples/streaming.html?ws=${ws}`;
  if (once) {
    console.log('== examples/streaming.html in headless Chromium ==');
    mkdirSync(path.join(repo, 'build/demo'), { recursive: true });
    await driveStreamingPage(pageUrl, server, path.join(repo, 'build/demo/streaming.png'));
  } else {
    console.log(`\n== open ${pageUrl} ==`);
    console.log('   Python in your browser produces to and consumes from a partitioned topic, live;');
    console.log(`   change the rate from node too: node scripts/demo-set.mjs ${server.wsUrl} rate 800`);
    console.log(`== also: ${web.url}/examples/demo.html?ws=${ws} (a core NATS tour), and`);
    console.log(`   ${web.url}/examples/kv-tabs.html?ws=${ws} in two tabs (shared settings); Ctrl-C to stop ==`);
    await new Promise((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
  }
} finally {
  await web?.close();
  await server.stop();
}
