// A first throughput probe (not the full issue-5 benchmark): pub/sub of N
// messages of SIZE bytes over WebSocket through nats-wasm, from JavaScript
// and from Python in Pyodide, in one process each run.
//   node bench/throughput.mjs [N=50000] [SIZE=128]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPyodide } from 'pyodide';
import { connect } from '../js/src/index.mjs';
import { startServer } from '../tests/harness/nats-server.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const N = Number(process.argv[2] ?? 50000);
const SIZE = Number(process.argv[3] ?? 128);

async function jsPubSub(url) {
  const sub = await connect({ servers: url });
  const pub = await connect({ servers: url });
  const s = sub.subscribe('bench.js', { max: N });
  await sub.flush();
  const payload = new Uint8Array(SIZE);
  const t0 = performance.now();
  const done = (async () => { for await (const _ of s) { /* count only */ } })();
  for (let i = 0; i < N; i++) {
    pub.publish('bench.js', payload);
    if (i % 1000 === 999) await pub.flush(); // bounded lead over the subscriber
  }
  await done;
  const secs = (performance.now() - t0) / 1000;
  await Promise.all([sub.close(), pub.close()]);
  return N / secs;
}

async function pyPubSub(url) {
  const pyodide = await loadPyodide();
  pyodide.FS.mkdirTree('/bench/py');
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: path.join(repo, 'py') }, '/bench/py');
  pyodide.globals.set('URL', url);
  pyodide.globals.set('N', N);
  pyodide.globals.set('SIZE', SIZE);
  const publisher = await connect({ servers: url });
  pyodide.globals.set('publish_many', async (subject, n, size) => {
    const payload = new Uint8Array(size);
    for (let i = 0; i < n; i++) {
      publisher.publish(subject, payload);
      if (i % 1000 === 999) await publisher.flush();
    }
  });
  return (await pyodide.runPythonAsync(`
import sys, time, asyncio
sys.path.insert(0, "/bench/py")
import nats_wasm

async def run_sub_only():
    # Python receives; JavaScript publishes (publish_many, set by the host).
    sub_nc = await nats_wasm.connect(URL)
    sub = await sub_nc.subscribe("bench.pysub", max_msgs=N)
    await sub_nc.flush()
    t0 = time.perf_counter()
    publishing = asyncio.ensure_future(publish_many("bench.pysub", N, SIZE))
    count = 0
    async for _ in sub.messages:
        count += 1
    secs = time.perf_counter() - t0
    await publishing
    await sub_nc.close()
    assert count == N, count
    return N / secs

async def run():
    sub_nc = await nats_wasm.connect(URL)
    pub_nc = await nats_wasm.connect(URL)
    sub = await sub_nc.subscribe("bench.py", max_msgs=N)
    await sub_nc.flush()
    payload = b"x" * SIZE

    async def consume():
        count = 0
        async for _ in sub.messages:
            count += 1
        return count

    t0 = time.perf_counter()
    task = asyncio.ensure_future(consume())
    for i in range(N):
        await pub_nc.publish("bench.py", payload)
        if i % 1000 == 999:
            await pub_nc.flush()
    count = await task
    secs = time.perf_counter() - t0
    await sub_nc.close()
    await pub_nc.close()
    assert count == N, count
    return N / secs

[await run(), await run_sub_only()]
`)).toJs();
}

const server = await startServer('default.conf');
try {
  const js = await jsPubSub(server.wsUrl);
  const [py, pySub] = await pyPubSub(server.wsUrl);
  console.log(JSON.stringify({
    n: N, size: SIZE, js_pubsub_msgs_per_s: Math.round(js), py_pubsub_msgs_per_s: Math.round(py),
    py_sub_only_msgs_per_s: Math.round(pySub),
  }));
} finally {
  await server.stop();
}
