// The WebSocket under a connection: the global one (browsers, Node >= 22),
// else the `ws` package (Node 20). The engine names the URL and decides when
// to close; this file only opens, sends and closes sockets.
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
    // A subclass so that ws-only options can be passed.
    cached = class extends WS {};
    cached.isWsPackage = true;
  }
  return cached;
}

/**
 * One socket. Handlers: onOpen(), onData(Uint8Array), onClose(). After
 * close() no handler runs again, so a late event of an old socket can never
 * reach the engine as the current connection's.
 */
export class WsTransport {
  /**
   * @param {any} WebSocketImpl from getWebSocket()
   * @param {string} url
   * @param {{onOpen: () => void, onData: (bytes: Uint8Array) => void, onClose: () => void}} handlers
   */
  constructor(WebSocketImpl, url, handlers) {
    this._handlers = handlers;
    this._open = false;
    // May throw (a malformed URL): the caller reports it.
    const ws = WebSocketImpl.isWsPackage
      ? new WebSocketImpl(url, { perMessageDeflate: false })
      : new WebSocketImpl(url);
    ws.binaryType = 'arraybuffer'; // ('nodebuffer' for ws measured no faster)
    this._ws = ws;
    this.closed = new Promise((resolve) => { this._resolveClosed = resolve; });
    ws.onopen = () => {
      this._open = true;
      this._handlers?.onOpen();
    };
    ws.onmessage = (ev) => {
      const data = ev.data;
      this._handlers?.onData(data instanceof Uint8Array ? data
        : typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data));
    };
    ws.onclose = () => {
      this._open = false;
      this._resolveClosed();
      const h = this._handlers;
      this._handlers = null;
      h?.onClose();
    };
    ws.onerror = () => {}; // the close event that follows carries the outcome
  }

  /** True while the socket is open for sending. */
  get isOpen() { return this._open && this._ws.readyState === 1; }
  /** Bytes the socket has not sent yet (the browser's bufferedAmount). */
  get bufferedAmount() { return this._ws.bufferedAmount ?? 0; }

  /** Sends bytes; send() copies synchronously, so a heap view is enough. */
  send(view) { this._ws.send(view); }

  /** Closes with code 1000 (a close without a code makes nats-server 2.9 answer 1005). */
  close() {
    this._handlers = null;
    this._open = false;
    try { this._ws.close(1000); } catch { /* already closing */ }
  }
}
