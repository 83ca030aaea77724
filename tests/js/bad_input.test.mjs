// The bad-input table (tests/bad_input/cases.json, docs/bad-input.md) in JS:
// every case ends in its typed error, with the nats.js class the engine's
// error table names, and a refused call leaves the connection usable.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';

import { credsAuthenticator, headers, nkeyAuthenticator } from '../../js/src/index.mjs';
import { ERRORS } from '../../js/dist/abi.mjs';
import { startHostilePeer } from '../harness/hostile-peer.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { Connections, within } from './helpers.mjs';

const cases = JSON.parse(readFileSync(new URL('../bad_input/cases.json', import.meta.url), 'utf8'));
const classOf = Object.fromEntries(ERRORS.map((e) => [e.name, e.js]));
const number = (v) => (typeof v === 'string' ? Number(v) : v);

let srv;
const conns = new Connections();
before(async () => { srv = await startServer('default.conf'); });
after(async () => {
  await conns.closeAll();
  await srv?.stop();
});

/** One call of the table on nc; resolves to what it threw or rejected with. */
async function outcome(nc, c, call) {
  try {
    if (call === 'publish') {
      let payload = '';
      if (c.payload === 'over_max') payload = new Uint8Array(nc.info.max_payload + 1);
      const opts = {};
      if (c.header) {
        opts.headers = headers();
        opts.headers.append(c.header[0], c.header[1]);
      }
      nc.publish(c.subject ?? 'ok', payload, opts);
    } else if (call === 'subscribe') {
      nc.subscribe(c.subject ?? 'ok', { queue: c.queue });
    } else if (call === 'request') {
      await nc.request(c.subject ?? 'svc', '', { timeout: number(c.timeout ?? 1000) });
    } else if (call === 'flush') {
      await nc.flush();
    } else if (call === 'drain') {
      await nc.drain();
    }
  } catch (err) {
    return err;
  }
  return undefined;
}

test('the table has at least 30 cases, each with an engine error code', () => {
  assert.ok(cases.length >= 30);
  for (const c of cases) assert.ok(classOf[c.errc], `${c.id}: unknown code ${c.errc}`);
});

for (const c of cases) {
  test(`${c.id}: ${c.what} → ${classOf[c.errc]} (${c.errc})`, async () => {
    let err;
    if (c.op === 'connect') {
      const opts = { servers: c.url ?? srv.wsUrl, reconnect: false, timeout: 5000 };
      if (c.creds) opts.authenticator = credsAuthenticator(c.creds);
      if (c.seed) opts.authenticator = nkeyAuthenticator(c.seed);
      err = await conns.connect(opts.servers, opts).then(() => undefined, (e) => e);
    } else if (c.op === 'frame') {
      const peer = await startHostilePeer(c.bytes.repeat(c.repeat ?? 1));
      try {
        const nc = await conns.connect(peer.url, { reconnect: false });
        err = await within(nc.closed(), 5000, 'the connection to close');
      } finally {
        await peer.close();
      }
    } else {
      const nc = await conns.connect(srv.wsUrl);
      let call = c.op;
      if (c.op === 'after_close') {
        await nc.close();
        call = c.call;
      } else if (c.op === 'after_drain') {
        nc.drain().catch(() => {});
        call = c.call;
      }
      err = await outcome(nc, c, call);
      if (c.op !== 'after_close' && c.op !== 'after_drain') {
        await nc.flush(); // still usable
      }
    }
    assert.ok(err instanceof Error, `${c.id}: no error`);
    assert.equal(err.code, c.errc, `${c.id}: ${err.name}: ${err.message}`);
    // Requests wrap their cause (nats.js RequestError); the cause has the class.
    const named = err.name === 'RequestError' ? err.cause : err;
    assert.equal(named.name, classOf[c.errc], `${c.id}: ${named.name}: ${named.message}`);
    assert.ok(err.message.length > 0);
  });
}

test('docs/bad-input.md is the table these cases make (node scripts/bad-input-table.mjs)', async () => {
  const { execFileSync } = await import('node:child_process');
  const generated = execFileSync(process.execPath, [new URL('../../scripts/bad-input-table.mjs', import.meta.url).pathname], { encoding: 'utf8' });
  const doc = readFileSync(new URL('../../docs/bad-input.md', import.meta.url), 'utf8');
  assert.equal(doc, generated, 'regenerate docs/bad-input.md');
});

test('a max_payload over 32 bits in INFO neither wraps in the 32-bit WebAssembly engine nor lifts the inbound cap', async () => {
  // 2^32 + 10 read into a 32-bit size_t would be 10: a 100-byte publish would fail.
  const peer = await startHostilePeer('', { maxPayload: 4294967306 });
  try {
    const nc = await conns.connect(peer.url, { reconnect: false, timeout: 5000 });
    assert.equal(nc.info.max_payload, 4294967306);
    nc.publish('big.enough', new Uint8Array(100));
    await within(nc.flush(), 5000, 'flush');
    await nc.close();
  } finally {
    await peer.close();
  }
});
