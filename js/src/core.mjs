// Loads the WebAssembly engine once per realm. In Node the .wasm bytes are
// read from disk (the browser glue would try fetch() on a file path). A host
// that has the bytes already (Pyodide loading the bundle from its own file
// system) passes them as `wasmBinary`.
let modulePromise = null;
let loaded = null;

const isNode = typeof process === 'object' && !!process.versions?.node && typeof window === 'undefined';

/**
 * Resolves to the instantiated Emscripten module.
 * @param {{wasmBinary?: Uint8Array}} [opts] only read by the first call
 */
export function loadCore(opts = {}) {
  modulePromise ??= (async () => {
    const { default: createNatsCore } = await import('../dist/nats_wasm_core.mjs');
    const moduleOpts = {};
    if (opts.wasmBinary) {
      moduleOpts.wasmBinary = opts.wasmBinary;
      // Loaded from a data: URL, the glue must not resolve a path against
      // import.meta.url (it cannot be a base URL): give it a locateFile.
      moduleOpts.locateFile = (file) => file;
    } else {
      const wasmUrl = new URL('../dist/nats_wasm_core.wasm', import.meta.url);
      moduleOpts.locateFile = () => wasmUrl.href;
      if (isNode) {
        const { readFile } = await import('node:fs/promises');
        moduleOpts.wasmBinary = await readFile(wasmUrl);
      }
    }
    loaded = await createNatsCore(moduleOpts);
    return loaded;
  })();
  modulePromise.catch(() => { modulePromise = null; }); // a failed load may be retried
  return modulePromise;
}

/** The engine module if it is loaded already (synchronous helpers use it), else null. */
export function coreIfLoaded() {
  return loaded;
}
