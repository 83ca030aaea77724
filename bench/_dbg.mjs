import path from 'node:path';
import { loadPyodide } from 'pyodide';
import { startServer } from '../tests/harness/nats-server.mjs';
const s = await startServer('default.conf');
const pyodide = await loadPyodide();
pyodide.FS.mkdirTree('/b/py');
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: path.resolve('py') }, '/b/py');
pyodide.globals.set('URL', s.wsUrl);
const { connect } = await import('../js/src/index.mjs');
const jsres = await connect({ servers: s.wsUrl });
(async () => { for await (const m of jsres.subscribe('js.req')) m.respond(m.data); })();
await jsres.flush();
await pyodide.runPythonAsync(`
import sys, asyncio, time
sys.path.insert(0, "/b/py")
import nats_wasm
nc = await nats_wasm.connect(URL)
res = await nats_wasm.connect(URL)
async def responder():
    sub = await res.subscribe("py.req")
    async for m in sub.messages:
        await m.respond(m.data)
t = asyncio.ensure_future(responder())
await res.flush()
async def measure(subject, n=1000):
    lat = []
    for i in range(n):
        s = time.perf_counter()
        await nc.request(subject, b"x" * 128, timeout=5)
        lat.append((time.perf_counter() - s) * 1e6)
    lat.sort()
    return int(lat[len(lat)//2])
for subj in ["py.req", "js.req", "py.req", "js.req"]:
    print(subj, await measure(subj))
`);
await s.stop(); process.exit(0);
