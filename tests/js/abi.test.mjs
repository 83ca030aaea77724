// The JS layer derives its tables from the C++ engine (js/dist/abi.mjs) and
// calls the engine's rules; these tests fail when a layer drifts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { abi, headers, loadCore, MsgHdrsImpl, InvalidArgumentError, ProtocolError, errors } from '../../js/src/index.mjs';
import { handledEvents } from '../../js/src/events.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { Connections, within } from './helpers.mjs';

let srv;
const conns = new Connections();
before(async () => {
  await loadCore();
  srv = await startServer('default.conf');
});
after(async () => {
  await conns.closeAll();
  await srv?.stop();
});

describe('ABI from the engine', () => {
  test('every event type the engine defines has a handler, and nothing else does', () => {
    const defined = Object.values(abi.EV).sort((a, b) => a - b);
    assert.deepEqual([...handledEvents].sort((a, b) => a - b), defined);
  });

  test('the record layout has distinct offsets inside one record', () => {
    const { words, ...offsets } = abi.REC;
    const values = Object.values(offsets);
    assert.equal(new Set(values).size, values.length);
    for (const v of values) assert.ok(v >= 0 && v < words);
  });

  test('every error row names a JS class that exists under that name', () => {
    for (const row of abi.ERRORS) {
      assert.equal(typeof errors[row.js], 'function', row.js);
      assert.equal(errors[row.js].name, row.js);
      assert.equal(row.local, row.code < 32);
      assert.match(row.py, /^(js\.)?errors\.[A-Za-z]+$/);
    }
  });

  test('states the connection relies on exist', () => {
    for (const s of ['disconnected', 'connected', 'draining', 'reconnecting', 'closed']) {
      assert.equal(typeof abi.STATE[s], 'number', s);
    }
  });
});

describe('header rules are the engine\'s', () => {
  test('set() rejects what the engine would reject, as InvalidArgumentError', () => {
    const h = headers();
    assert.throws(() => h.set('Bad Key', 'v'), (e) => e instanceof InvalidArgumentError && e.errc === 'invalid_header');
    assert.throws(() => h.set('Ké', 'v'), InvalidArgumentError, 'non-ASCII keys, as nats.js');
    assert.throws(() => h.append('K', 'a\r\nb'), InvalidArgumentError);
    h.set('Good-Key', 'v');
    assert.equal(h.get('Good-Key'), 'v');
  });

  test('decode is the engine\'s: lenient status line, multi-values in order', () => {
    const text = 'NATS/1.0503\r\nA: 1\r\nA: 2\r\nB:  x  \r\n\r\n';
    const h = MsgHdrsImpl.decode(new TextEncoder().encode(text));
    assert.equal(h.code, 503);
    assert.deepEqual(h.values('A'), ['1', '2']);
    assert.equal(h.get('B'), 'x');
  });

  test('encode() is the engine\'s wire form', () => {
    const h = headers();
    h.append('K', 'v');
    assert.equal(new TextDecoder().decode(h.encode()), 'NATS/1.0\r\nK: v\r\n\r\n');
  });

  test('a message whose header block is not NATS/1.0 is delivered; reading its headers reports it', async () => {
    const nc = await conns.connect(srv.wsUrl);
    const sub = nc.subscribe('hdr.bad');
    await nc.flush();
    // A raw HPUB from another client (nats-server relays such blocks as-is).
    const { default: net } = await import('node:net');
    const sock = net.connect(srv.port, '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    sock.write('CONNECT {"verbose":false,"headers":true}\r\nHPUB hdr.bad 12 17\r\nHTTP/1.1\r\n\r\nhello\r\nPING\r\n');
    const it = sub[Symbol.asyncIterator]();
    const { value: m } = await within(it.next(), 2000, 'message with a bad header block');
    sock.destroy();
    assert.equal(m.string(), 'hello');
    assert.throws(() => m.headers, (e) => e instanceof ProtocolError && e.errc === 'bad_header_block');
    assert.equal(nc.isClosed(), false, 'the connection survives');
    nc.publish('hdr.bad', 'after');
    const { value: next } = await within(it.next(), 2000, 'next message');
    assert.equal(next.string(), 'after');
  });
});
