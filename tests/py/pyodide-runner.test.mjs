// Runs tests/py/test_*.py inside real Pyodide under Node: one node:test test
// per Python `async def test_*`, with the Python traceback on failure. The
// servers are started here and their URLs handed to Python as `js.natsTestEnv`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { loadPyodide } from 'pyodide';
import { startCluster, startServer } from '../harness/nats-server.mjs';
import { startHostilePeer } from '../harness/hostile-peer.mjs';
import { credsText, makeJwtSetup, makeKey, nkeyUsersConfig, signWith } from '../harness/auth_keys.mjs';
import { connect as natsJsConnect } from '@nats-io/transport-node';
import { jetstream as natsJsJetstream, jetstreamManager as natsJsManager } from '@nats-io/jetstream';
import { Kvm as NatsJsKvm } from '@nats-io/kv';
import { Objm as NatsJsObjm } from '@nats-io/obj';
import { Svcm as NatsJsSvcm } from '@nats-io/services';
import { microSchemaErrors } from '../harness/micro-schemas.mjs';

const natsjs = {};

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');

const pyodide = await loadPyodide();
pyodide.FS.mkdirTree('/nats/py');
pyodide.FS.mkdirTree('/nats/tests');
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: path.join(repo, 'py') }, '/nats/py');
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: here }, '/nats/tests');
pyodide.FS.mkdirTree('/nats/docs');
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: path.join(repo, 'docs') }, '/nats/docs');
pyodide.FS.mkdirTree('/nats/vectors');
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: path.join(repo, 'tests/vectors') }, '/nats/vectors');
pyodide.FS.mkdirTree('/nats/repo');
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: repo }, '/nats/repo');  // README.md
pyodide.FS.mkdirTree('/nats/compat');
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: path.join(repo, 'tests/compat') }, '/nats/compat');
pyodide.FS.mkdirTree('/nats/bad_input');
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: path.join(repo, 'tests/bad_input') }, '/nats/bad_input');
await pyodide.runPythonAsync(`
import sys
sys.path[:0] = ["/nats/py", "/nats/tests"]
import asyncio, importlib, traceback

async def __run_test(module_name, test_name, timeout):
    module = importlib.import_module(module_name)
    fn = getattr(module, test_name)
    try:
        # A test may ask for longer (fn.timeout = seconds): restart loops, clusters.
        await asyncio.wait_for(fn(), getattr(fn, "timeout", timeout))
    except BaseException:
        return traceback.format_exc()
    return None
`);

const servers = {};
globalThis.natsTestEnv = {};
before(async () => {
  servers.main = await startServer('default.conf');
  servers.token = await startServer('token.conf');
  servers.perms = await startServer('permissions.conf');
  servers.nojs = await startServer('no_jetstream.conf');
  const nkeyUser = makeKey('user');
  const jwtSetup = makeJwtSetup();
  servers.nkey = await startServer('auth.conf', { extraConfig: nkeyUsersConfig(nkeyUser.publicKey) });
  servers.jwt = await startServer('auth.conf', { extraConfig: jwtSetup.serverConfig });
  natsjs.nc = await natsJsConnect({ servers: `127.0.0.1:${servers.main.port}` });
  Object.assign(globalThis.natsTestEnv, {
    wsUrl: servers.main.wsUrl,
    tokenWsUrl: servers.token.wsUrl,
    permsWsUrl: servers.perms.wsUrl,
    noJetStreamWsUrl: servers.nojs.wsUrl,
    // nkey and JWT auth: keys made by the harness (tests/harness/auth_keys.mjs).
    nkeyWsUrl: servers.nkey.wsUrl,
    nkeySeed: nkeyUser.seed,
    nkeyPublicKey: nkeyUser.publicKey,
    otherSeed: makeKey('user').seed,
    jwtWsUrl: servers.jwt.wsUrl,
    jwtCreds: jwtSetup.creds,
    jwtUser: jwtSetup.userJwt,
    jwtUserSeed: jwtSetup.user.seed,
    jwtForNkeyUser: jwtSetup.issueUser(nkeyUser),
    // .creds text of a new user of the account, its JWT expiring in expiresIn seconds.
    issueCreds: (expiresIn) => {
      const who = makeKey('user');
      return credsText(jwtSetup.issueUser(who, Math.floor(Date.now() / 1000) + expiresIn), who.seed);
    },
    // The nkey user's signature of a nonce in standard base64 (what nats.py's signature_cb returns).
    signAsNkeyUser: (nonce) => Buffer.from(signWith(nkeyUser, nonce), 'base64url').toString('base64'),
    // nats.js (the reference client, over TCP) as the other side of interop tests.
    natsjs: {
      addStream: async (name, subjects) => {
        await (await natsJsManager(natsjs.nc)).streams.add({ name, subjects: subjects.toJs ? subjects.toJs() : subjects });
      },
      publish: async (subject, data, msgID) => {
        const ack = await natsJsJetstream(natsjs.nc).publish(subject, data, msgID ? { msgID } : undefined);
        return [ack.stream, ack.seq, ack.duplicate];
      },
      lastSeq: async (stream) => (await (await natsJsManager(natsjs.nc)).streams.info(stream)).state.last_seq,
      getString: async (stream, seq) => (await (await natsJsManager(natsjs.nc)).streams.getMessage(stream, { seq })).string(),
      kvGet: async (bucket, key) => (await (await new NatsJsKvm(natsjs.nc).open(bucket)).get(key))?.string() ?? null,
      kvPut: async (bucket, key, value) => (await new NatsJsKvm(natsjs.nc).open(bucket)).put(key, value),
      objPut: async (bucket, name, data) => {
        const info = await (await new NatsJsObjm(natsjs.nc).open(bucket)).putBlob({ name }, data.toJs ? data.toJs() : data);
        return JSON.stringify({ nuid: info.nuid, size: info.size, chunks: info.chunks, digest: info.digest });
      },
      objGet: async (bucket, name) => (await new NatsJsObjm(natsjs.nc).open(bucket)).getBlob(name),
      // Replaces the last chunk of an object version with other bytes (a corruption).
      objCorruptLastChunk: async (bucket, nuid) => {
        const jsm = await natsJsManager(natsjs.nc);
        const subject = `$O.${bucket}.C.${nuid}`;
        const last = await jsm.streams.getMessage(`OBJ_${bucket}`, { last_by_subj: subject });
        await jsm.streams.deleteMessage(`OBJ_${bucket}`, last.seq);
        await natsJsJetstream(natsjs.nc).publish(subject, new Uint8Array(last.data.length).fill(7));
      },
    },
    // Services: a nats.js service (echo in upper case at `subject`), and
    // what nats.js's ServiceClient finds (JSON text of the replies).
    serviceStart: async (name, subject) => {
      const svc = await new NatsJsSvcm(natsjs.nc).add({ name, version: '3.0.0' });
      svc.addEndpoint('up', { subject, handler: (err, m) => m.respond(m.string().toUpperCase()) });
      await natsjs.nc.flush();
      return { id: svc.info().id, stop: () => svc.stop() };
    },
    serviceDiscover: async (verb, name, id) => {
      const out = [];
      for await (const r of await new NatsJsSvcm(natsjs.nc).client()[verb](name ?? '', id ?? '')) out.push(r);
      return JSON.stringify(out);
    },
    request: async (subject, data) => (await natsjs.nc.request(subject, data, { timeout: 5000 })).string(),
    // Why a discovery reply (JSON text) does not fit its schema ("" when it does).
    microSchemaErrors: (verb, text) => microSchemaErrors(verb, JSON.parse(text)),
    // Raw protocol bytes from another client over TCP (e.g. a malformed
    // header block another publisher could send); resolves once the server
    // answered the PING that ends them.
    rawSend: (text) => rawSend(servers.main.port, text),
    // A WebSocket peer that completes the handshake, then sends `bytes`
    // (repeated `repeat` times): {url, close}.
    hostilePeer: (bytes, repeat) => startHostilePeer(String(bytes).repeat(repeat || 1)),
    // For tests that stop a server: a fresh one on demand.
    startServer: async () => {
      const s = await startServer('default.conf');
      return {
        wsUrl: s.wsUrl, stop: () => s.stop(), pause: () => s.pause(), resume: () => s.resume(),
        kill: () => s.kill(), restart: () => s.restart(),
      };
    },
    // A token server ("s3cr3t-token") whose token a test can change: it
    // restarts on the same ports with the new one.
    startTokenServer: async () => {
      const s = await startServer('token.conf');
      return {
        wsUrl: s.wsUrl, stop: () => s.stop(),
        restartWithToken: (token) => s.restartWithConfig((text) => text.replace(/token: "[^"]*"/, `token: "${token}"`)),
      };
    },
    // A 3-node cluster: {nodes: [{name, wsUrl, kill, restart, lameDuck}], stop}.
    startCluster: async () => {
      const c = await startCluster(3);
      return {
        nodes: c.nodes.map((n) => ({
          name: n.name, wsUrl: n.wsUrl, kill: () => n.kill(), restart: () => n.restart(),
          lameDuck: () => process.kill(n.pid, 'SIGUSR2'),
        })),
        stop: () => c.stop(),
      };
    },
  });
});
after(async () => {
  await natsjs.nc?.close();
  await Promise.all(Object.values(servers).map((s) => s.stop()));
});

async function rawSend(port, text) {
  const { default: net } = await import('node:net');
  const sock = net.connect(port, '127.0.0.1');
  await new Promise((resolve, reject) => { sock.once('connect', resolve); sock.once('error', reject); });
  let seen = '';
  const pong = new Promise((resolve) => sock.on('data', (d) => {
    seen += d.toString('latin1');
    if (seen.includes('PONG')) resolve();
  }));
  sock.write(`CONNECT {"verbose":false,"headers":true}\r\n${text}PING\r\n`);
  await pong;
  sock.destroy();
}

const runTest = pyodide.globals.get('__run_test');
// NATS_PY_TESTS=test_push,test_kv runs only those modules (while working on them).
const only = process.env.NATS_PY_TESTS ? new Set(process.env.NATS_PY_TESTS.split(',')) : null;
const files = readdirSync(here).filter((f) => /^test_.*\.py$/.test(f))
  .filter((f) => !only || only.has(f.replace(/\.py$/, ''))).sort();
for (const file of files) {
  const moduleName = file.replace(/\.py$/, '');
  const module = pyodide.pyimport(moduleName);
  const names = pyodide.runPython(
    `[n for n in dir(__import__('${moduleName}')) if n.startswith('test_')]`).toJs();
  module.destroy();
  for (const name of names) {
    test(`${moduleName}.${name}`, async () => {
      const failure = await runTest(moduleName, name, 30);
      if (failure) assert.fail(`Python test failed:\n${failure}`);
    });
  }
}
