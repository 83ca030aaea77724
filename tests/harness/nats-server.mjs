// Starts throwaway nats-server instances on free loopback ports for tests.
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CONFIG_DIR = fileURLToPath(new URL('../config/', import.meta.url));
const HOST = '127.0.0.1';
const START_ATTEMPTS = 5;
const POLL_MS = 20;
const READY_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 5_000;
// The last line nats-server logs once every listener is bound. Ports that
// accept alone are not proof: after a port race they may belong to another
// process while ours is about to die with "address already in use".
const READY_LINE = 'Server is ready';
const PORT_RACE = /address already in use/i;

/**
 * Servers not yet stopped (child → temp dir); the exit hook kills whatever
 * is left so no nats-server outlives the test process.
 * @type {Map<import('node:child_process').ChildProcess, string>}
 */
const running = new Map();

process.on('exit', () => {
  for (const [child, dir] of running) {
    try {
      child.kill('SIGKILL');
      // Only sync work is possible here; retries cover files the dying
      // server is still closing.
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // Best effort: the process is exiting anyway.
    }
  }
});
// A test file that times out is ended with SIGTERM, which skips 'exit'
// (and the file's after() hooks): exit properly so the hook above runs.
for (const signal of ['SIGTERM', 'SIGHUP']) {
  process.once(signal, () => process.exit(128 + os.constants.signals[signal]));
}

/**
 * @typedef {object} NatsServer
 * @property {number} port      client (TCP) port on 127.0.0.1
 * @property {number} wsPort    WebSocket port on 127.0.0.1
 * @property {string} tcpUrl    nats://127.0.0.1:<port>
 * @property {string} wsUrl     ws://127.0.0.1:<wsPort>
 * @property {string} dir       temp dir holding the config, log and JetStream store
 * @property {() => Promise<void>} stop  SIGTERM (SIGKILL after 5 s), then remove dir; idempotent
 */

/**
 * Starts nats-server from a template in tests/config/ on fresh free ports.
 *
 * @param {string} [configName] file name under tests/config/, or an absolute path
 * @param {{ extraConfig?: string }} [opts] extraConfig is appended to the rendered config
 * @returns {Promise<NatsServer>}
 */
export async function startServer(configName = 'default.conf', opts = {}) {
  const template = await readFile(path.resolve(CONFIG_DIR, configName), 'utf8');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nats-wasm-test-'));
  const confFile = path.join(dir, 'server.conf');
  const logFile = path.join(dir, 'server.log');
  const failures = [];
  try {
    for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      const [port, wsPort] = await freePorts(2);
      const config = render(template, { PORT: port, WS_PORT: wsPort, STORE_DIR: path.join(dir, 'store') });
      await writeFile(confFile, opts.extraConfig ? `${config}\n${opts.extraConfig}\n` : config);
      // Failure reports should show this attempt's log only.
      await rm(logFile, { force: true });
      const child = spawnServer(confFile, logFile, dir);
      const outcome = await waitReady(child, port, wsPort, logFile);
      if (outcome === 'ready') {
        return makeHandle({ child, port, wsPort, dir, confFile, logFile });
      }
      await terminate(child);
      const report = await describeFailure(child, logFile);
      failures.push(`attempt ${attempt + 1}: ${outcome}\n${report}`);
      // Only a port taken between picking and binding is worth retrying; a
      // bad config or a missing binary would fail the same way five times.
      if (outcome !== 'exited' || !PORT_RACE.test(report)) break;
    }
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  await rm(dir, { recursive: true, force: true });
  throw new Error(`nats-server (${configName}) did not start:\n${failures.join('\n')}`);
}

/** Binary from NATS_SERVER_BIN, the Debian location, or PATH. */
function serverBinary() {
  if (process.env.NATS_SERVER_BIN) return process.env.NATS_SERVER_BIN;
  if (existsSync('/usr/sbin/nats-server')) return '/usr/sbin/nats-server';
  return 'nats-server';
}

/**
 * Asks the kernel for n distinct free loopback ports. All are held open at
 * once so the kernel cannot hand out the same port twice.
 * @param {number} n
 * @returns {Promise<number[]>}
 */
async function freePorts(n) {
  const servers = [];
  try {
    for (let i = 0; i < n; i++) {
      const server = net.createServer();
      servers.push(server);
      await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, HOST, resolve);
      });
    }
    return servers.map((s) => s.address().port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(() => resolve()))));
  }
}

/**
 * @param {string} template
 * @param {Record<string, string|number>} values
 */
function render(template, values) {
  return template.replace(/\{\{(\w+)\}\}/g, (match, key) => (key in values ? String(values[key]) : match));
}

/**
 * @param {string} confFile
 * @param {string} logFile
 * @param {string} dir removed by the exit hook if the server is never stopped
 */
function spawnServer(confFile, logFile, dir) {
  const child = spawn(serverBinary(), ['-c', confFile, '--log', logFile], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // Errors before the log file is open (bad config, bad flag) go to stderr.
  child.stderrText = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    child.stderrText = (child.stderrText + chunk).slice(-4096);
  });
  child.spawnError = null;
  child.on('error', (err) => {
    child.spawnError = err;
    running.delete(child);
  });
  running.set(child, dir);
  child.once('exit', () => running.delete(child));
  // A test that forgets stop() must not keep node alive; the exit hook
  // kills the server instead. stop() takes the reference back while waiting.
  child.unref();
  child.stderr.unref?.();
  return child;
}

/** @param {import('node:child_process').ChildProcess} child */
function hasExited(child) {
  return child.exitCode !== null || child.signalCode !== null || child.spawnError !== null;
}

/**
 * Polls until the server listens on both ports and has logged readiness.
 * @returns {Promise<'ready'|'exited'|'timeout'>}
 */
async function waitReady(child, port, wsPort, logFile) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (hasExited(child)) return 'exited';
    const [tcpOk, wsOk] = await Promise.all([canConnect(port), canConnect(wsPort)]);
    if (tcpOk && wsOk && (await logSaysReady(logFile)) && !hasExited(child)) return 'ready';
    await sleep(POLL_MS);
  }
  return hasExited(child) ? 'exited' : 'timeout';
}

/** @param {number} port */
function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** @param {string} logFile */
async function logSaysReady(logFile) {
  try {
    return (await readFile(logFile, 'utf8')).includes(READY_LINE);
  } catch {
    return false;
  }
}

/** Text explaining why a start attempt failed. */
async function describeFailure(child, logFile) {
  let log = '';
  try {
    log = (await readFile(logFile, 'utf8')).split('\n').slice(-10).join('\n');
  } catch {
    // No log: the server died before opening it; stderr says why.
  }
  const status = child.spawnError
    ? `spawn failed: ${child.spawnError.message}`
    : `exit code ${child.exitCode}, signal ${child.signalCode}`;
  return [status, child.stderrText.trim(), log.trim()].filter(Boolean).join('\n');
}

/** @param {import('node:child_process').ChildProcess} child */
function waitExit(child) {
  if (hasExited(child)) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', resolve);
    child.once('error', resolve);
  });
}

/**
 * SIGTERM, then SIGKILL if the server lingers past the grace period.
 * @param {import('node:child_process').ChildProcess} child
 */
async function terminate(child) {
  if (hasExited(child)) return;
  // Keep node alive while we wait; the child was unref'd at spawn.
  child.ref();
  child.kill('SIGTERM');
  child.kill('SIGCONT'); // a paused server handles the SIGTERM only once it runs
  let timer;
  const killed = new Promise((resolve) => {
    timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, STOP_GRACE_MS);
  });
  await Promise.race([waitExit(child), killed]);
  clearTimeout(timer);
  await waitExit(child);
}

/** @returns {NatsServer} */
function makeHandle(state) {
  let stopping = null;
  const { port, wsPort, dir } = state;
  const handle = {
    port,
    wsPort,
    tcpUrl: `nats://${HOST}:${port}`,
    wsUrl: `ws://${HOST}:${wsPort}`,
    dir,
    get pid() { return state.child.pid; },
    /** Freezes the server (SIGSTOP): sockets stay open, nothing is answered. */
    pause() { process.kill(state.child.pid, 'SIGSTOP'); },
    /** Lets a paused server run again (SIGCONT). */
    resume() { process.kill(state.child.pid, 'SIGCONT'); },
    /** kill -9: no goodbye to anyone. Resolves once the process is gone. */
    async kill() {
      if (hasExited(state.child)) return;
      state.child.ref();
      state.child.kill('SIGKILL');
      await waitExit(state.child);
    },
    /** Starts it again on the same ports with the same store (after kill() or a crash). */
    async restart() {
      if (!hasExited(state.child)) await terminate(state.child);
      for (let attempt = 0; attempt < 20; attempt++) {
        await rm(state.logFile, { force: true }); // the old "ready" line must not count
        state.child = spawnServer(state.confFile, state.logFile, dir);
        if (await waitReady(state.child, port, wsPort, state.logFile) === 'ready') return;
        await terminate(state.child);
        await sleep(100); // the old process's sockets are still closing
      }
      throw new Error(`nats-server did not restart on ${port}/${wsPort}`);
    },
    /**
     * kill -9, then starts it again on the same ports with its config
     * changed by edit(text) (e.g. other credentials).
     */
    async restartWithConfig(edit) {
      await writeFile(state.confFile, edit(await readFile(state.confFile, 'utf8')));
      await handle.kill();
      await handle.restart();
    },
    stop() {
      stopping ??= terminate(state.child).then(() => rm(dir, { recursive: true, force: true }));
      return stopping;
    },
  };
  return handle;
}

/** @param {number} ms */
function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A cluster of `size` nodes on loopback (tests/config/cluster.conf): each
 * with its own ports, store and name (n1, n2 ...), routed to the others.
 * Resolves once every node logged readiness; JetStream may still be
 * electing its meta leader (clients retry their first API call).
 * @returns {Promise<{nodes: NatsServer[], stop: () => Promise<void>}>}
 */
export async function startCluster(size = 3) {
  const template = await readFile(path.resolve(CONFIG_DIR, 'cluster.conf'), 'utf8');
  const ports = await freePorts(size * 3);
  const nodes = [];
  try {
    const starting = [];
    for (let i = 0; i < size; i++) {
      const [port, wsPort, clusterPort] = ports.slice(i * 3, i * 3 + 3);
      const routes = ports.filter((_, k) => k % 3 === 2 && k !== i * 3 + 2)
        .map((p) => `"nats-route://${HOST}:${p}"`).join(', ');
      const dir = await mkdtemp(path.join(os.tmpdir(), `nats-wasm-cluster-n${i + 1}-`));
      const confFile = path.join(dir, 'server.conf');
      const logFile = path.join(dir, 'server.log');
      await writeFile(confFile, render(template, {
        NAME: `n${i + 1}`, PORT: port, WS_PORT: wsPort, CLUSTER_PORT: clusterPort, ROUTES: routes,
        STORE_DIR: path.join(dir, 'store'),
      }));
      const child = spawnServer(confFile, logFile, dir);
      const node = makeHandle({ child, port, wsPort, dir, confFile, logFile });
      node.name = `n${i + 1}`;
      nodes.push(node);
      starting.push(waitReady(child, port, wsPort, logFile).then((outcome) => {
        if (outcome !== 'ready') throw new Error(`cluster node n${i + 1}: ${outcome}`);
      }));
    }
    await Promise.all(starting);
  } catch (err) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw err;
  }
  return { nodes, stop: () => Promise.all(nodes.map((n) => n.stop())).then(() => {}) };
}
