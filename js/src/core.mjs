// Loads the WebAssembly engine once per realm. In Node the .wasm bytes are
// read from disk (the browser glue would try fetch() on a file path).
let modulePromise = null;

const isNode = typeof process === 'object' && !!process.versions?.node && typeof window === 'undefined';

/** Resolves to the instantiated Emscripten module. */
export function loadCore() {
  modulePromise ??= (async () => {
    const { default: createNatsCore } = await import('../dist/nats_wasm_core.mjs');
    const wasmUrl = new URL('../dist/nats_wasm_core.wasm', import.meta.url);
    const opts = { locateFile: () => wasmUrl.href };
    if (isNode) {
      const { readFile } = await import('node:fs/promises');
      opts.wasmBinary = await readFile(wasmUrl);
    }
    return createNatsCore(opts);
  })();
  return modulePromise;
}
