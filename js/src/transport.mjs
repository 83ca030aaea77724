// The WebSocket class: the global one (browsers, Node >= 22), else the `ws`
// package (Node 20).
let cached = null;

/** Resolves to a WebSocket constructor. */
export async function getWebSocket() {
  if (cached) return cached;
  if (typeof globalThis.WebSocket === 'function') {
    cached = globalThis.WebSocket;
  } else {
    const { default: WS } = await import('ws');
    // A subclass so that connection.mjs can pass ws-only options.
    cached = class extends WS {};
    cached.isWsPackage = true;
  }
  return cached;
}
