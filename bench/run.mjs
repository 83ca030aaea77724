// nats-wasm vs nats.js, same machine, same run.
//   npm run bench               full: 4 payload sizes, Node + Pyodide + Chromium, 5 repetitions
//   npm run bench -- --quick    ~2 minutes: 128 B in Node (core and JetStream), Pyodide and Chromium, 3 repetitions
// Options: --reps N, --only <regexp over "host/test/size">.
// Every measurement runs in a fresh process (Node, Pyodide under Node) or a
// fresh page (Chromium), the two clients alternating. Prints one JSON line per
// measurement, then a table of medians, then {"summary": {...}} (ratios
// nats-wasm ÷ nats.js) as the last line.
import { execFile } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

import { startServer } from '../tests/harness/nats-server.mjs';

const run = promisify(execFile);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..');
const CLIENTS = ['nats-wasm', 'nats.js'];

const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const argValue = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const REPS = Number(argValue('--reps') ?? (QUICK ? 3 : 5));
const ONLY = argValue('--only') ? new RegExp(argValue('--only')) : null;

// Messages per measurement: enough for ~0.3-1.5 s per run at today's speeds.
const PUB_N = { 16: 500_000, 128: 500_000, 1024: 200_000, 16384: 20_000 };
const PUBSUB_N = { 16: 200_000, 128: 200_000, 1024: 100_000, 16384: 10_000 };
const REQ_N = 5_000;
// The publisher's lead over the subscriber: at most 10k messages or 4 MiB.
const windowFor = (size) => Math.max(64, Math.min(10_000, Math.floor((4 << 20) / size)));

function plan() {
  const cases = [];
  const add = (host, test, size, n) => cases.push({ host, test, size, n, window: windowFor(size) });
  if (QUICK) {
    add('node', 'pub', 128, 300_000);
    add('node', 'pubsub', 128, 150_000);
    add('node', 'req', 128, 2_000);
    add('node', 'js_pub_sync', 128, 1_000);
    add('node', 'js_pub_win', 128, 20_000);
    add('node', 'js_consume', 128, 50_000);
    add('node', 'js_consume_ack', 128, 30_000);
    add('py', 'pubsub', 128, 20_000);
    add('py', 'js_pub_win', 128, 10_000);
    add('py', 'js_consume', 128, 20_000);
    add('browser', 'pub', 128, 100_000);
    add('browser', 'pubsub', 128, 30_000);
  } else {
    for (const size of [16, 128, 1024, 16384]) {
      add('node', 'pub', size, PUB_N[size]);
      add('node', 'pubsub', size, PUBSUB_N[size]);
      add('node', 'req', size, REQ_N);
    }
    for (const size of [128, 16384]) {
      add('node', 'js_pub_sync', size, 2_000);
      add('node', 'js_pub_win', size, size > 1024 ? 10_000 : 50_000);
      add('node', 'js_consume', size, size > 1024 ? 10_000 : 100_000);
      add('node', 'js_consume_ack', size, size > 1024 ? 10_000 : 50_000);
    }
    for (const size of [128, 16384]) {
      add('py', 'pubsub', size, size > 1024 ? 5_000 : 20_000);
      add('py', 'req', size, 1_000);
      add('py', 'js_pub_win', size, size > 1024 ? 3_000 : 10_000);
      add('py', 'js_consume', size, size > 1024 ? 3_000 : 20_000);
    }
    // Chromium delivers each WebSocket frame to the page as an event: far
    // slower than Node for both clients, so fewer messages.
    add('browser', 'pub', 128, 200_000);
    add('browser', 'pubsub', 128, 50_000);
    add('browser', 'pubsub', 16384, 1_000);
    add('browser', 'js_pub_win', 128, 10_000);
    add('browser', 'js_consume', 128, 20_000);
  }
  return cases.filter((c) => !ONLY || ONLY.test(`${c.host}/${c.test}/${c.size}`));
}

async function runProcess(script, spec) {
  const { stdout } = await run(process.execPath, [path.join(HERE, script), JSON.stringify(spec)],
    { cwd: REPO, timeout: 180_000, maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop());
}

/** Bundles an entry for the browser, minified, as a user's bundler would. */
async function bundle(entry, name) {
  await mkdir(path.join(HERE, '.build'), { recursive: true });
  const out = path.join(HERE, '.build', name);
  const esbuild = await import('esbuild');
  await esbuild.build({ entryPoints: [path.join(HERE, entry)], bundle: true, format: 'esm',
    platform: 'browser', minify: true, logLevel: 'warning', outfile: out,
    external: ['ws', 'node:*'] });
  return out;
}

async function gzSize(file) {
  const bytes = await readFile(file);
  return { raw: bytes.length, gz: gzipSync(bytes, { level: 9 }).length };
}

class Browser {
  async start() {
    const { launchBrowser } = await import('../tests/harness/browser.mjs');
    const { startStaticServer } = await import('../tests/harness/static-server.mjs');
    this.browser = await launchBrowser();
    this.http = await startStaticServer(REPO);
  }
  async measure(spec) {
    const page = await this.browser.newPage();
    try {
      await page.goto(`${this.http.url}/bench/pages/bench.html?spec=${encodeURIComponent(JSON.stringify(spec))}`);
      await page.waitForFunction(() => window.result || window.failure, null, { timeout: 180_000 });
      const { result, failure } = await page.evaluate(() => ({ result: window.result, failure: window.failure }));
      if (failure) throw new Error(failure);
      return result;
    } finally {
      await page.close();
    }
  }
  async stop() {
    await this.browser?.close();
    await this.http?.close();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const cases = plan();
const natsjsBundle = await bundle('natsjs-entry.mjs', 'natsjs.bundle.mjs');
const ourBundle = await bundle('natswasm-entry.mjs', 'natswasm.bundle.mjs');
const server = await startServer(path.join(HERE, 'server.conf'));
const browser = cases.some((c) => c.host === 'browser') ? new Browser() : null;
const results = []; // {host, test, size, client, ...numbers}
try {
  await browser?.start();
  for (const c of cases) {
    for (let rep = 0; rep < REPS; rep++) {
      // Alternate which client goes first, so neither always runs on a warmer machine.
      const order = rep % 2 === 0 ? CLIENTS : [...CLIENTS].reverse();
      for (const client of order) {
        const spec = { client, test: c.test, size: c.size, n: c.n, window: c.window, url: server.wsUrl };
        const line = { host: c.host, test: c.test, size: c.size, client, rep, n: c.n };
        try {
          const r = c.host === 'node' ? await runProcess('node-worker.mjs', spec)
            : c.host === 'py' ? await runProcess('py-worker.mjs', spec)
              : await browser.measure(spec);
          Object.assign(line, r);
          results.push(line);
        } catch (err) {
          line.error = String(err?.stderr || err?.message || err).slice(-600);
        }
        console.log(JSON.stringify(line));
      }
    }
  }
} finally {
  await browser?.stop();
  await server.stop();
}

// --- medians, ratios, summary -------------------------------------------------
const rows = [];
const summary = {};
const prefix = { node: '', py: 'py_', browser: 'browser_' };
for (const c of cases) {
  const latency = c.test === 'req' || c.test === 'js_pub_sync';
  const metrics = latency ? ['p50_us', 'p99_us'] : ['msgs_per_sec'];
  if (c.host !== 'browser') metrics.push('rss_kb');
  for (const metric of metrics) {
    const med = {};
    for (const client of CLIENTS) {
      const xs = results.filter((r) => r.host === c.host && r.test === c.test && r.size === c.size
        && r.client === client && typeof r[metric] === 'number').map((r) => r[metric]);
      med[client] = xs.length ? median(xs) : NaN;
    }
    const ratio = med['nats-wasm'] / med['nats.js'];
    rows.push({ host: c.host, test: c.test, size: c.size, metric, wasm: med['nats-wasm'], js: med['nats.js'], ratio });
    const base = `${prefix[c.host]}${c.test}_${c.size}`;
    const key = metric === 'msgs_per_sec' ? base
      : metric === 'rss_kb' ? `${prefix[c.host]}rss_${c.test}_${c.size}`
        : `${prefix[c.host]}${c.test}_${metric.slice(0, 3)}_${c.size}`;
    summary[key] = Number.isFinite(ratio) ? Number(ratio.toFixed(3)) : null;
  }
}

const ourWasm = await gzSize(path.join(REPO, 'js/dist/nats_wasm_core.wasm'));
const ourJs = await gzSize(ourBundle);
const theirs = await gzSize(natsjsBundle);
summary.size_gz = Number(((ourWasm.gz + ourJs.gz) / theirs.gz).toFixed(3));
const sizes = { 'nats-wasm_wasm_gz': ourWasm.gz, 'nats-wasm_js_gz': ourJs.gz, 'nats.js_bundle_gz': theirs.gz };
console.log(JSON.stringify({ sizes }));

const fmt = (x, metric) => (!Number.isFinite(x) ? 'n/a'
  : metric === 'msgs_per_sec' ? `${(x / 1000).toFixed(1)}k/s`
    : metric === 'rss_kb' ? `${(x / 1024).toFixed(1)} MiB` : `${x.toFixed(0)} µs`);
const table = [['host', 'test', 'size', 'metric', 'nats-wasm', 'nats.js', 'ratio']];
for (const r of rows) {
  table.push([r.host, r.test, String(r.size), r.metric, fmt(r.wasm, r.metric), fmt(r.js, r.metric),
    Number.isFinite(r.ratio) ? r.ratio.toFixed(2) : 'n/a']);
}
table.push(['size', 'gzip', '', 'bytes', String(ourWasm.gz + ourJs.gz), String(theirs.gz), summary.size_gz.toFixed(2)]);
const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
console.log(`\nmedians of ${REPS} (ratio = nats-wasm ÷ nats.js; for µs lower is better)`);
for (const row of table) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join('  '));
const failures = cases.length * REPS * CLIENTS.length - results.length;
if (failures) summary.failed_runs = failures;
console.log(JSON.stringify({ summary }));
process.exitCode = failures ? 1 : 0;
