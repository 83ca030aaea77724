// wss:// from Node against nats-server with a CA and certificate the test
// makes: the platform's TLS (Node's, through the `ws` package) verifies the
// server; a process that trusts the CA connects, one that does not, fails.
import assert from 'node:assert/strict';
import { execFileSync, execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

import { startServer } from '../harness/nats-server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(path.join(os.tmpdir(), 'nats-wasm-tls-'));
let srv;

before(async () => {
  execFileSync('bash', [path.join(HERE, '../harness/make-certs.sh'), dir]);
  const conf = path.join(dir, 'tls.conf');
  writeFileSync(conf, [
    'listen: "127.0.0.1:{{PORT}}"',
    'websocket {',
    '  listen: "127.0.0.1:{{WS_PORT}}"',
    `  tls { cert_file: "${dir}/server.pem", key_file: "${dir}/server.key" }`,
    '}', '',
  ].join('\n'));
  srv = await startServer(conf);
});

after(async () => {
  await srv?.stop();
  rmSync(dir, { recursive: true, force: true });
});

// A separate Node process: which CAs Node trusts is fixed at its start.
const CLIENT = `
import { connect } from ${JSON.stringify(path.join(HERE, '../../js/src/index.mjs'))};
try {
  const nc = await connect({ servers: process.argv[1], reconnect: false, timeout: 5000 });
  const sub = nc.subscribe('tls.js', { max: 1 });
  nc.publish('tls.js', 'over wss');
  let got;
  for await (const m of sub) got = m.string();
  const src = nc.getServers()[0].src;
  await nc.close();
  console.log(JSON.stringify({ got, server: nc.getServer(), src }));
} catch (err) {
  console.log(JSON.stringify({ error: err.name, message: err.message }));
}`;

function runClient(url, env) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', CLIENT, url], { env: { ...process.env, ...env } },
      (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout.trim().split('\n').pop()))));
  });
}

test('wss:// with the CA trusted (NODE_EXTRA_CA_CERTS): connects and round-trips', async () => {
  const url = `wss://localhost:${srv.wsPort}`;
  const r = await runClient(url, { NODE_EXTRA_CA_CERTS: path.join(dir, 'ca.pem') });
  assert.deepEqual(r, { got: 'over wss', server: `localhost:${srv.wsPort}`, src: url });
});

test('wss:// to a certificate no trusted CA signed: a typed connection error', async () => {
  const r = await runClient(`wss://localhost:${srv.wsPort}`, { NODE_EXTRA_CA_CERTS: path.join(dir, 'other-ca.pem') });
  assert.equal(r.error, 'ConnectionError', JSON.stringify(r));
});
