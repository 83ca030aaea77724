// Every runtime export of the package entry points is declared in its .d.ts
// (and nothing is declared that does not exist): the types cannot drift.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const ENTRIES = [
  ['../../js/src/index.mjs', '../../js/index.d.ts'],
  ['../../js/src/jetstream/index.mjs', '../../js/jetstream.d.ts'],
  ['../../js/src/kv/index.mjs', '../../js/kv.d.ts'],
  ['../../js/src/obj/index.mjs', '../../js/obj.d.ts'],
  ['../../js/src/services/index.mjs', '../../js/services.d.ts'],
];

function declared(dts) {
  const names = new Set();
  for (const m of dts.matchAll(/export declare (?:function|class|const|namespace) (\w+)/g)) names.add(m[1]);
  for (const m of dts.matchAll(/export \{([^}]+)\}/g)) {
    for (const n of m[1].split(',')) if (n.trim()) names.add(n.trim().split(/\s+as\s+/).pop());
  }
  return names;
}

for (const [mod, dtsPath] of ENTRIES) {
  test(`${dtsPath.split('/').pop()} declares every export of ${mod.split('/').slice(-2).join('/')}`, async () => {
    const runtime = Object.keys(await import(mod));
    const dts = readFileSync(new URL(dtsPath, import.meta.url), 'utf8');
    const names = declared(dts);
    const missing = runtime.filter((n) => !names.has(n));
    assert.deepEqual(missing, [], `exported but not declared: ${missing}`);
  });
}
