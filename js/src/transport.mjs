// The WebSocket class: the global one (browsers, Node >= 22), else the `ws`
// package (Node 20).
let cached = null;

async function importWs() {
  try {
    return (await import('ws')).default;
  } catch (err) {
    // Loaded from a data: URL (the Pyodide bundle), bare specifiers do not
    // resolve: look `ws` up from the working directory instead.
    const { createRequire } = await import('node:module');
    return createRequire(`${process.cwd()}/`)('ws');
  }
}

/** Resolves to a WebSocket constructor. */
export async function getWebSocket() {
  if (cached) return cached;
  if (typeof globalThis.WebSocket === 'function') {
    cached = globalThis.WebSocket;
  } else {
    const WS = await importWs();
    // A subclass so that connection.mjs can pass ws-only options.
    cached = class extends WS {};
    cached.isWsPackage = true;
  }
  return cached;
}
