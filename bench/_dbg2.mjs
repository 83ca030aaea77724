import path from 'node:path';
import { loadPyodide } from 'pyodide';
import { startServer } from '../tests/harness/nats-server.mjs';
const s = await startServer('default.conf');
const pyodide = await loadPyodide();
pyodide.FS.mkdirTree('/b/py');
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: path.resolve('py') }, '/b/py');
pyodide.globals.set('URL', s.wsUrl);
const mod = await import('../js/src/index.mjs');
const py = { ...mod.pyodide, request: (...a) => { T.enter = performance.now(); const r = mod.pyodide.request(...a); T.exit = performance.now(); return r; } };
pyodide.registerJsModule('nats_wasm_js', { ...mod, pyodide: py });
const { NatsConnection } = await import('../js/src/connection.mjs');
const od = NatsConnection.prototype._onData, ow = NatsConnection.prototype._writeOutput;
globalThis.T = {};
NatsConnection.prototype._onData = function (d) { T[`recv_${this._role}`] = performance.now(); return od.call(this, d); };
NatsConnection.prototype._writeOutput = function () { if (this._core && this._core.outputLen() > 0) T[`send_${this._role}`] = performance.now(); return ow.call(this); };
await pyodide.runPythonAsync(`
import sys, asyncio, time, js
sys.path.insert(0, "/b/py")
import nats_wasm
res = await nats_wasm.connect(URL)
req = await nats_wasm.connect(URL)
res._nc._role = "res"; req._nc._role = "req"
rows = []
async def responder():
    sub = await res.subscribe("py.req")
    async for m in sub.messages:
        js.T.res_py = js.performance.now()
        await m.respond(m.data)
t = asyncio.ensure_future(responder())
await res.flush()
for i in range(1500):
    t1 = js.performance.now()
    await req.request("py.req", b"x" * 128, timeout=5)
    t7 = js.performance.now()
    T = js.T
    if i >= 500:
        rows.append([T.enter - t1, T.exit - T.enter, T.send_req - t1, T.recv_res - T.send_req, T.res_py - T.recv_res, T.send_res - T.res_py, T.recv_req - T.send_res, t7 - T.recv_req, t7 - t1])
import statistics
names = ["py->enter", "in helper", "py->send", "net1", "res recv->py", "res py->send", "net2", "req recv->py", "total"]
print({n: round(statistics.median(c)*1000) for n, c in zip(names, zip(*rows))})
await req.close(); await res.close()
`);
await s.stop(); process.exit(0);
