// nats.js v3 programs as written: the helpers they import (Empty,
// createInbox, nuid, Match, canonicalMIMEHeaderKey, wsconnect, deferred,
// delay, millis, nanos) and header matching, checked against nats.js
// itself where it has the same function.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import * as natsJs from '@nats-io/nats-core';

import {
  Empty, InvalidArgumentError, Match, Nuid, canonicalMIMEHeaderKey, createInbox, deferred, delay,
  headers, loadCore, millis, nanos, nuid, wsconnect,
} from '../../js/src/index.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { Connections } from './helpers.mjs';

let srv;
const conns = new Connections();
before(async () => {
  srv = await startServer('default.conf');
  await loadCore();
});
after(async () => {
  await conns.closeAll();
  await srv?.stop();
});

describe('nats.js helpers', () => {
  test('canonicalMIMEHeaderKey gives what nats.js gives', () => {
    for (const k of ['content-type', 'CONTENT-TYPE', 'x-nats-msg-id', 'a', '-a-', 'Already-Fine', 'x_y',
      'a--b', '(odd)', '']) {
      assert.equal(canonicalMIMEHeaderKey(k), natsJs.canonicalMIMEHeaderKey(k), k);
    }
    for (const bad of ['has space', 'colon:', 'ümlaut']) {
      assert.throws(() => natsJs.canonicalMIMEHeaderKey(bad), natsJs.InvalidArgumentError, bad);
      assert.throws(() => canonicalMIMEHeaderKey(bad), InvalidArgumentError, bad);
    }
  });

  test('createInbox and nuid: the format nats.js gives, unique, prefixes checked', () => {
    assert.match(createInbox(), /^_INBOX\.[0-9A-Za-z]{22}$/);
    assert.match(createInbox('my.inbox'), /^my\.inbox\.[0-9A-Za-z]{22}$/);
    assert.match(natsJs.createInbox(), /^_INBOX\.[0-9A-Za-z]{22}$/, 'the same shape as nats.js');
    assert.throws(() => createInbox('bad.*'), (e) => e instanceof InvalidArgumentError);
    assert.throws(() => createInbox('bad.>'), (e) => e instanceof InvalidArgumentError);
    const tokens = new Set(Array.from({ length: 10000 }, () => nuid.next()));
    assert.equal(tokens.size, 10000);
    assert.match(new Nuid().next(), /^[0-9A-Za-z]{22}$/);
  });

  test('Empty, deferred, delay, millis, nanos', async () => {
    assert.ok(Empty instanceof Uint8Array && Empty.length === 0);
    const d = deferred();
    d.resolve(7);
    assert.equal(await d, 7);
    const slow = delay(60000);
    slow.cancel();
    await slow; // resolved by cancel, not after a minute
    assert.equal(millis(1_500_000), 1);
    assert.equal(nanos(2), 2_000_000);
  });

  test('headers with Match: exact by default, CanonicalMIME, IgnoreCase', () => {
    const h = headers();
    h.append('content-type', 'a');
    h.append('Content-Type', 'b');
    assert.equal(h.get('CONTENT-TYPE'), '');
    assert.equal(h.get('content-type'), 'a');
    assert.equal(h.get('content-type', Match.CanonicalMIME), 'b');
    assert.deepEqual(h.values('CONTENT-type', Match.IgnoreCase), ['a', 'b']);
    assert.equal(h.has('CONTENT-TYPE', Match.IgnoreCase), true);
    h.set('x-id', '1', Match.CanonicalMIME);
    assert.deepEqual(h.keys(), ['content-type', 'Content-Type', 'X-Id']);
    assert.throws(() => h.set('X-Id', 'bad\r\nvalue'), (e) => e instanceof InvalidArgumentError);
    assert.equal(h.get('X-Id'), '1', 'a refused set changes nothing');
    h.delete('CONTENT-TYPE', Match.IgnoreCase);
    assert.deepEqual(h.keys(), ['X-Id']);
  });

  test('a nats.js program: wsconnect, publish Empty, request with createInbox-style replies', async () => {
    const nc = await wsconnect({ servers: srv.wsUrl });
    conns.open.add(nc);
    try {
      const inbox = createInbox();
      const sub = nc.subscribe(inbox, { max: 1 });
      nc.publish(inbox, Empty);
      for await (const m of sub) assert.equal(m.data.length, 0);
      assert.equal(sub.getReceived(), 1);
    } finally {
      await nc.close();
    }
  });
});
