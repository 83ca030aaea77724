// Serves a directory over HTTP on loopback so Chromium can load test pages,
// the wasm module and Pyodide from a real origin.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';

const HOST = '127.0.0.1';

// Exact types matter: WebAssembly streaming compile and Pyodide's loader
// reject .wasm/.mjs served as anything else.
const MIME_TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.whl': 'application/zip',
  '.zip': 'application/zip',
  '.py': 'text/plain',
  '.tar': 'application/x-tar',
  '.data': 'application/octet-stream',
  '.css': 'text/css',
};

/**
 * @callback RouteHandler
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 * @returns {Promise<void>|void}
 */

/**
 * @typedef {object} StaticServer
 * @property {string} url   http://127.0.0.1:<port>
 * @property {number} port
 * @property {() => Promise<void>} close  stops listening and drops open connections
 */

/**
 * Starts an HTTP server on 127.0.0.1 (free port) serving files under rootDir.
 *
 * @param {string} rootDir directory served at /
 * @param {Record<string, string|RouteHandler>} [routes] URL path → absolute file path or handler; checked before rootDir
 * @param {{ coop?: boolean }} [opts] coop: send COOP/COEP headers (cross-origin isolation, e.g. for SharedArrayBuffer)
 * @returns {Promise<StaticServer>}
 */
export async function startStaticServer(rootDir, routes = {}, opts = {}) {
  const root = path.resolve(rootDir);
  const server = http.createServer((req, res) => {
    if (opts.coop) {
      res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    }
    handle(root, routes, req, res).catch((err) => fail(res, 500, String(err?.stack ?? err)));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, resolve);
  });
  const { port } = server.address();
  return {
    url: `http://${HOST}:${port}`,
    port,
    close: () => closeServer(server),
  };
}

/**
 * @param {string} root
 * @param {Record<string, string|RouteHandler>} routes
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 */
async function handle(root, routes, req, res) {
  const pathname = decodePath(req.url);
  if (pathname === null) return fail(res, 400, 'bad path');
  const route = Object.hasOwn(routes, pathname) ? routes[pathname] : undefined;
  if (typeof route === 'function') return route(req, res);
  if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, 'method not allowed');
  const file = typeof route === 'string' ? route : resolveUnder(root, pathname);
  if (file === null) return fail(res, 404, 'not found');
  return sendFile(file, req, res);
}

/**
 * Percent-decoded path of a request target, without the query; null if malformed.
 * Not normalized here: resolveUnder decides what it points at.
 * @param {string} target
 */
function decodePath(target = '/') {
  const raw = target.split(/[?#]/, 1)[0];
  try {
    const decoded = decodeURIComponent(raw);
    return decoded.includes('\0') ? null : decoded;
  } catch {
    return null;
  }
}

/**
 * File path for a URL path, or null if it would leave root. Checked after
 * decoding, so %2e%2e and %2f cannot sneak a ".." past the check.
 * @param {string} root
 * @param {string} pathname
 */
function resolveUnder(root, pathname) {
  const file = path.resolve(root, `.${path.posix.sep}${pathname}`);
  return file === root || file.startsWith(root + path.sep) ? file : null;
}

/**
 * @param {string} file
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 */
async function sendFile(file, req, res) {
  let info;
  try {
    info = await stat(file);
    if (info.isDirectory()) {
      file = path.join(file, 'index.html');
      info = await stat(file);
    }
  } catch {
    return fail(res, 404, 'not found');
  }
  if (!info.isFile()) return fail(res, 404, 'not found');
  res.writeHead(200, {
    'Content-Type': MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': info.size,
    // Each test builds its files afresh; a cached copy would hide the change.
    'Cache-Control': 'no-store',
  });
  if (req.method === 'HEAD') return res.end();
  await new Promise((resolve) => {
    const stream = createReadStream(file);
    stream.once('error', () => res.destroy());
    res.once('close', resolve);
    stream.pipe(res);
  });
}

/**
 * @param {http.ServerResponse} res
 * @param {number} status
 * @param {string} message
 */
function fail(res, status, message) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'text/plain' });
  res.end(`${message}\n`);
}

/** @param {http.Server} server */
function closeServer(server) {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Browsers keep connections alive; without this close() waits for them.
    server.closeAllConnections();
  });
}
