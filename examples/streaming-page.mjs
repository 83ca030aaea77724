// The streaming page (examples/streaming.html): loads Pyodide and the
// nats_wasm wheel, runs examples/streaming.py (editable), draws its reports
// with uPlot, and writes the settings to the KV bucket with the JS package.
// Bundled with uPlot by scripts/build-demo.sh into build/demo/; everything
// is served from the repository root, so any static web server works.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const PARTITIONS = 4;
const KEEP = 120; // points per chart: a minute at two reports a second
const COLORS = ['#2563eb', '#16a34a', '#d97706', '#db2777'];
const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const wsUrl = params.get('ws') ?? 'ws://127.0.0.1:8080';
// What the page has seen, for people and for `npm run demo -- --once`.
const seen = { reports: 0, points: 0, produced: 0, consumed: 0, lag: null, read: 0, settings: [], statuses: [] };
window.streaming = seen;

function log(line) {
  const el = $('log');
  el.textContent += `${new Date().toLocaleTimeString()} ${line}\n`;
  el.scrollTop = el.scrollHeight;
}
function status(text) {
  $('status').textContent = text;
  seen.statuses.push(text);
}

// --- charts -----------------------------------------------------------------
const width = Math.min(1000, document.body.clientWidth);
const rateSeries = [{}];
for (let p = 0; p < PARTITIONS; p++) rateSeries.push({ label: `p${p} produced`, stroke: COLORS[p], width: 2 });
for (let p = 0; p < PARTITIONS; p++) rateSeries.push({ label: `p${p} consumed`, stroke: COLORS[p], dash: [6, 4] });
const rateData = rateSeries.map(() => []);
const rates = new uPlot({ title: 'records/s per partition', width, height: 260, series: rateSeries }, rateData, $('rates'));
const lagData = [[], []];
const lagChart = new uPlot({
  title: 'consumer group lag (records)', width, height: 160,
  series: [{}, { label: 'lag', stroke: '#dc2626', width: 2, fill: 'rgba(220,38,38,.08)' }],
}, lagData, $('lagchart'));

function push(data, values) {
  values.forEach((v, i) => {
    data[i].push(v);
    if (data[i].length > KEEP) data[i].shift();
  });
}

// Python calls this with each report (JSON text).
window.streamingReport = (text) => {
  const e = JSON.parse(text);
  if (e.status) {
    status(e.status);
    log(e.status);
    return;
  }
  if (e.setting) {
    seen.settings.push(`${e.setting}=${e.value}`);
    log(`Python saw ${e.setting} = ${e.value}`);
    if (e.setting === 'rate') $('rate').value = $('rate-value').textContent = e.value;
    return;
  }
  seen.reports++;
  Object.assign(seen, { produced: e.produced, consumed: e.consumed, lag: e.lag, read: e.read });
  push(rateData, [e.time, ...e.produced_per_s, ...e.consumed_per_s]);
  rates.setData(rateData);
  if (e.lag !== null) {
    push(lagData, [e.time, e.lag]);
    lagChart.setData(lagData);
  }
  seen.points = rateData[0].length;
  $('produced').textContent = e.produced;
  $('consumed').textContent = e.consumed;
  $('lag').textContent = e.lag ?? '–';
  $('read').textContent = e.read;
};

// --- settings through the JS package -------------------------------------------
async function settingsBucket() {
  const { connect } = await import(new URL('/js/src/index.mjs', location.href).href);
  const { Kvm } = await import(new URL('/js/src/kv/index.mjs', location.href).href);
  const nc = await connect({ servers: wsUrl, name: 'streaming page', maxReconnectAttempts: -1 });
  (async () => {
    for await (const s of nc.status()) log(`page connection: ${s.type}`);
  })();
  return new Kvm(nc).create('demo_settings');
}

function wireControls(kv) {
  let timer;
  $('rate').addEventListener('input', () => {
    $('rate-value').textContent = $('rate').value;
    clearTimeout(timer);
    timer = setTimeout(() => kv.put('rate', $('rate').value), 150);
  });
  $('offset').addEventListener('change', () => {
    const v = $('offset').value;
    kv.put('offset', v === 'time' ? `time:${new Date(Date.now() - 60_000).toISOString()}` : v);
  });
}

// --- Python ------------------------------------------------------------------
let pyodide;
let task;
async function run() {
  if (task) {
    task.cancel();
    task.destroy();
    task = undefined;
  }
  pyodide.FS.writeFile('/home/pyodide/streaming_live.py', $('code').value);
  pyodide.globals.set('NATS_URL', wsUrl);
  task = await pyodide.runPythonAsync(`
import asyncio, importlib, json, sys
import js
sys.modules.pop("streaming_live", None)
import streaming_live
asyncio.ensure_future(streaming_live.main(NATS_URL, report=lambda e: js.streamingReport(json.dumps(e))))
`);
  log('running the program from the text area');
}

try {
  const { loadPyodide } = await import(new URL('/node_modules/pyodide/pyodide.mjs', location.href).href);
  pyodide = await loadPyodide({ indexURL: '/node_modules/pyodide/' });
  pyodide.setStdout({ batched: log });
  pyodide.setStderr({ batched: log });
  status('installing the nats_wasm wheel…');
  const wheel = (await (await fetch('/dist/wheel.json')).json()).url;
  await pyodide.loadPackage(wheel);
  $('code').value = await (await fetch('/examples/streaming.py')).text();
  status(`running examples/streaming.py against ${wsUrl}`);
  await run();
  $('run').addEventListener('click', () => run().catch((err) => log(String(err))));
  wireControls(await settingsBucket());
  window.streamingReady = true;
} catch (err) {
  status(`failed: ${err}`);
  window.streamingFailure = String(err);
}
