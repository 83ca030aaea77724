// Runs every protocol vector (tests/vectors/*.json) through the WASM build's
// parser, the way tests/unit/vector_test.cpp runs them through the native one:
// whole, one byte at a time, and at the same seeded random cuts. The runner
// is shared with the browser page (tests/vectors/runner.mjs).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { loadCore } from '../../js/src/index.mjs';
import {
  DEFAULT_MAX_LINE, DEFAULT_MAX_PAYLOAD, OPS, checkVector, latin1, latin1Bytes, mt19937, parseVector,
} from '../vectors/runner.mjs';

const VECTORS_DIR = fileURLToPath(new URL('../vectors/', import.meta.url));

const vectors = [];
const loadErrors = [];
for (const file of readdirSync(VECTORS_DIR).filter((f) => f.endsWith('.json')).sort()) {
  try {
    vectors.push(parseVector(readFileSync(path.join(VECTORS_DIR, file), 'utf8'), path.basename(file, '.json')));
  } catch (err) {
    loadErrors.push(`${file}: ${err.message}`);
  }
}

let M;
before(async () => {
  M = await loadCore();
});

describe('vector files', () => {
  test('all load', () => {
    assert.deepEqual(loadErrors, []);
  });

  test('at least thirty', () => {
    assert.ok(vectors.length >= 30, `${vectors.length} vectors`);
  });

  test('cover every op type and error kind', () => {
    const seen = new Set(vectors.flatMap((v) => v.expect.map((e) => e.op)));
    for (const op of OPS) assert.ok(seen.has(op), `no vector expects ${op}`);
    const errs = new Set(vectors.map((v) => v.error));
    for (const e of ['control_line_too_long', 'payload_too_large', 'protocol_error']) assert.ok(errs.has(e), e);
  });

  test('mt19937 matches the standard (10000th output for the default seed)', () => {
    const rng = mt19937(5489);
    let x = 0;
    for (let i = 0; i < 10000; i++) x = rng();
    assert.equal(x, 4123659995); // [rand.predef] requires this value
  });

  test('a broken expectation is reported (the checker can fail)', () => {
    const v = vectors.find((x) => x.expect.some((e) => e.op === 'MSG' && e.payloadSize === null));
    const broken = { ...v, expect: v.expect.map((e) => (e.op === 'MSG' ? { ...e, payload: `${e.payload}!` } : e)) };
    assert.ok(checkVector(M, broken).length > 0);
  });

  test('ParserProbe splits a payload across feeds', () => {
    const probe = new M.ParserProbe(DEFAULT_MAX_LINE, DEFAULT_MAX_PAYLOAD);
    try {
      const feed = (s) => {
        const bytes = latin1Bytes(s);
        const ptr = probe.receivePtr(bytes.length);
        M.HEAPU8.set(bytes, ptr);
        probe.commit(bytes.length);
      };
      feed('MSG a.b 7 rep 5\r\nhel');
      assert.equal(probe.next().status, 'need_more');
      feed('lo\r\n');
      const r = probe.next();
      assert.equal(r.status, 'op');
      assert.equal(r.op, 'MSG');
      assert.equal(r.sid, 7);
      assert.equal(latin1(r.subject), 'a.b');
      assert.equal(latin1(r.reply), 'rep');
      assert.ok(r.payload instanceof Uint8Array);
      assert.equal(latin1(r.payload), 'hello');
      assert.equal(probe.next().status, 'need_more');
    } finally {
      probe.delete();
    }
  });
});

describe('vectors through WASM', () => {
  for (const v of vectors) {
    test(`${v.name}: ${v.description}`, () => {
      assert.deepEqual(checkVector(M, v), []);
    });
  }
});
