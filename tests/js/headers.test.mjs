// headers(): the MsgHdrsImpl API, its wire form, and round trips through a
// real server (multi-valued keys, status lines).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { InvalidArgumentError, MsgHdrsImpl, headers } from '../../js/src/index.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { Connections, drainIterable, within } from './helpers.mjs';

let srv;
let nc;
const conns = new Connections();

before(async () => {
  srv = await startServer('default.conf');
  nc = await conns.connect(srv.wsUrl);
});

after(async () => {
  await conns.closeAll();
  await srv?.stop();
});

/** Publishes with h and returns the Msg as received. */
async function echo(subject, h, data = 'payload') {
  const sub = nc.subscribe(subject, { max: 1 });
  nc.publish(subject, data, { headers: h });
  const { msgs, error } = await within(drainIterable(sub), 2000, `echo ${subject}`);
  assert.equal(error, null);
  return msgs[0];
}

describe('headers() API', () => {
  test('append/set/get/values/has/delete/keys', () => {
    const h = headers();
    assert.ok(h instanceof MsgHdrsImpl);
    assert.equal(h.has('A'), false);
    assert.equal(h.get('A'), '');
    assert.deepEqual(h.values('A'), []);
    h.append('A', '1');
    h.append('A', '2');
    h.set('B', 'x');
    assert.equal(h.get('A'), '1');
    assert.deepEqual(h.values('A'), ['1', '2']);
    assert.equal(h.has('A'), true);
    assert.deepEqual(h.keys(), ['A', 'B']);
    assert.equal(h.size, 2);
    h.set('A', 'only');
    assert.deepEqual(h.values('A'), ['only']);
    h.delete('A');
    assert.equal(h.has('A'), false);
    assert.deepEqual(h.keys(), ['B']);
    h.delete('missing'); // no error
  });

  test('keys keep their case and lookups are exact', () => {
    const h = headers();
    h.set('X-Trace-Id', 'abc');
    assert.equal(h.get('X-Trace-Id'), 'abc');
    assert.equal(h.has('x-trace-id'), false);
    assert.deepEqual(h.keys(), ['X-Trace-Id']);
  });

  test('values are stringified; iteration and toRecord()', () => {
    const h = headers();
    h.set('N', 42);
    h.append('M', 'a');
    h.append('M', 'b');
    assert.equal(h.get('N'), '42');
    assert.deepEqual([...h], [['N', ['42']], ['M', ['a', 'b']]]);
    assert.deepEqual(h.toRecord(), { N: '42', M: 'a, b' });
  });

  test('invalid keys throw InvalidArgumentError', () => {
    const h = headers();
    for (const bad of ['', 'a b', 'a:b', 'tab\tkey', 'nl\nkey', 'x\r']) {
      assert.throws(() => h.set(bad, 'v'), InvalidArgumentError, JSON.stringify(bad));
      assert.throws(() => h.append(bad, 'v'), InvalidArgumentError, JSON.stringify(bad));
    }
    assert.equal(h.size, 0);
  });

  test('non-ASCII keys and a status description with CR/LF are rejected', () => {
    assert.throws(() => headers().set('clé', 'v'), InvalidArgumentError);
    assert.throws(() => headers(503, 'x\r\nEvil: 1'), InvalidArgumentError);
    assert.throws(() => headers(42), InvalidArgumentError);
  });

  test('values with CR or LF throw InvalidArgumentError', () => {
    const h = headers();
    assert.throws(() => h.set('K', 'a\r\nInjected: yes'), InvalidArgumentError);
    assert.throws(() => h.append('K', 'a\nb'), InvalidArgumentError);
    assert.equal(h.has('K'), false);
  });

  test('status: code, description, hasError, status', () => {
    const none = headers();
    assert.equal(none.code, 0);
    assert.equal(none.description, '');
    assert.equal(none.hasError, false);
    const s = headers(503, 'No Responders');
    assert.equal(s.code, 503);
    assert.equal(s.description, 'No Responders');
    assert.equal(s.hasError, true);
    assert.equal(s.status, '503 No Responders');
    assert.equal(headers(200, 'OK').hasError, false);
    assert.equal(headers(404).status, '404');
  });

  test('encode() gives the NATS/1.0 wire block', () => {
    const dec = new TextDecoder();
    const h = headers();
    h.append('A', '1');
    h.append('A', '2');
    h.set('B', 'two words');
    assert.equal(dec.decode(h.encode()), 'NATS/1.0\r\nA: 1\r\nA: 2\r\nB: two words\r\n\r\n');
    assert.equal(dec.decode(headers(503).encode()), 'NATS/1.0 503\r\n\r\n');
    assert.equal(dec.decode(headers(408, 'Request Timeout').encode()), 'NATS/1.0 408 Request Timeout\r\n\r\n');
  });

  test('MsgHdrsImpl.decode() parses status, repeated keys, values with colons', () => {
    const raw = new TextEncoder().encode('NATS/1.0 100 Idle Heartbeat\r\nK: v1\r\nK: v2\r\nUrl: http://x:1/y\r\n\r\n');
    const h = MsgHdrsImpl.decode(raw);
    assert.equal(h.code, 100);
    assert.equal(h.description, 'Idle Heartbeat');
    assert.equal(h.hasError, false);
    assert.deepEqual(h.values('K'), ['v1', 'v2']);
    assert.equal(h.get('Url'), 'http://x:1/y');
  });
});

describe('headers through the server', () => {
  test('multi-valued headers round trip', async () => {
    const h = headers();
    h.append('Multi', 'one');
    h.append('Multi', 'two');
    h.append('Multi', 'three');
    h.set('Single', 'value with spaces');
    const m = await echo('hdr.multi', h);
    assert.equal(m.string(), 'payload');
    assert.ok(m.headers instanceof MsgHdrsImpl);
    assert.deepEqual(m.headers.values('Multi'), ['one', 'two', 'three']);
    assert.equal(m.headers.get('Single'), 'value with spaces');
    assert.deepEqual(m.headers.keys(), ['Multi', 'Single']);
    assert.equal(m.headers.code, 0);
  });

  test('a status line headers(503, "No Responders") round trips', async () => {
    const h = headers(503, 'No Responders');
    h.set('Extra', 'kept');
    const m = await echo('hdr.status', h, 'not empty');
    assert.equal(m.headers.code, 503);
    assert.equal(m.headers.description, 'No Responders');
    assert.equal(m.headers.status, '503 No Responders');
    assert.equal(m.headers.hasError, true);
    assert.equal(m.headers.get('Extra'), 'kept');
    assert.equal(m.string(), 'not empty');
  });

  test('headers with an empty payload (HMSG with headers only)', async () => {
    const h = headers();
    h.set('Only', 'headers');
    const m = await echo('hdr.empty', h, new Uint8Array(0));
    assert.equal(m.data.length, 0);
    assert.equal(m.headers.get('Only'), 'headers');
  });

  test('empty headers() still sends a header block', async () => {
    const m = await echo('hdr.none', headers());
    assert.ok(m.headers instanceof MsgHdrsImpl);
    assert.equal(m.headers.size, 0);
  });

  test('UTF-8 values and binary payload next to headers', async () => {
    const h = headers();
    h.set('Name', 'Zoë ✓');
    const payload = new Uint8Array([0, 13, 10, 255, 13, 10]);
    const m = await echo('hdr.utf8', h, payload);
    assert.equal(m.headers.get('Name'), 'Zoë ✓');
    assert.deepEqual(m.data, payload);
  });
});
