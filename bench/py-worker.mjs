// One Python measurement in a fresh Node process running Pyodide:
//   node bench/py-worker.mjs '{"client":"nats-wasm"|"nats.js","test":"pubsub"|"req","size":128,"n":...,"url":...}'
// Prints one JSON object: the workload's numbers plus the process's peak RSS.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPyodide } from 'pyodide';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const spec = JSON.parse(process.argv[2]);

const pyodide = await loadPyodide();
pyodide.FS.mkdirTree('/bench/py');
pyodide.FS.mkdirTree('/bench/bench');
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: path.join(repo, 'py') }, '/bench/py');
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: path.join(repo, 'bench') }, '/bench/bench');
if (spec.client === 'nats.js') {
  const { default: WebSocket } = await import('ws');
  globalThis.WebSocket ??= WebSocket;
  globalThis.natsjs = await import('@nats-io/nats-core');
  globalThis.natsjs_js = await import('@nats-io/jetstream');
}
pyodide.globals.set('SPEC', pyodide.toPy(spec));
const result = (await pyodide.runPythonAsync(`
import sys
sys.path[:0] = ["/bench/py", "/bench/bench"]
import py_workloads
await py_workloads.run(SPEC["client"], SPEC["test"], SPEC["url"], SPEC["size"], SPEC["n"], SPEC.get("window", 1000))
`)).toJs({ dict_converter: Object.fromEntries });
result.rss_kb = process.resourceUsage().maxRSS;
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
