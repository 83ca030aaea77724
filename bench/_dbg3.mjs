import { loadPyodide } from 'pyodide';
const pyodide = await loadPyodide();
globalThis.mk = () => [false, new Uint8Array([1,2,3]), new Uint32Array([3]), 'subj', '', 7, null];
console.log(await pyodide.runPythonAsync(`
import js, time
v = js.mk().to_py()
r = repr([type(x) for x in v]) + repr(v)
def bench(name, fn, n=20000):
    t = time.perf_counter()
    for _ in range(n): fn()
    return f"{name} {(time.perf_counter()-t)/n*1e6:.2f}us"
r + "\\n" + bench("mk().to_py()", lambda: js.mk().to_py())
`));
