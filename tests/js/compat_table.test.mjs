// The compatibility table (docs/compat.md, from tests/compat/js.json and
// py.json) is true for JavaScript: every row that says nats-wasm has a name
// ("same", "differs" unless marked absent) finds it on the real module, a
// live object or the .d.ts; every row that says it has not ("deviation",
// "missing", "n/a") does not find it, so the table changes when the code does. Every
// runtime export of the nats.js packages has a row, and docs/compat.md is
// what scripts/compat-table.mjs makes of the rows.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';

import { renderCompatTable } from '../../scripts/compat-table.mjs';
import { DTS, MODULES, liveObjects } from '../compat/js-objects.mjs';
import { startServer } from '../harness/nats-server.mjs';

const rows = JSON.parse(readFileSync(new URL('../compat/js.json', import.meta.url), 'utf8'));
const dts = DTS.map((f) => readFileSync(new URL(`../../js/${f}`, import.meta.url), 'utf8')).join('\n');
const HAS = new Set(['same', 'renamed', 'differs']);
const SYMBOLS = { '[Symbol.asyncIterator]': Symbol.asyncIterator, '[Symbol.iterator]': Symbol.iterator };

function body(name, depth = 0) {
  const m = dts.match(new RegExp(`(?:interface|class|type) ${name}\\b([^{]*)\\{([\\s\\S]*?)\\n\\}`));
  if (!m) return null;
  let out = m[2];
  const ext = m[1].match(/extends ([\w, ]+)/);
  if (ext && depth < 3) for (const b of ext[1].split(',')) out += body(b.trim(), depth + 1) ?? '';
  return out;
}
const declared = (name) => new RegExp(`(?:interface|class|type|function|const) ${name}\\b|\\b${name}\\(`).test(dts);

let srv;
let live;
before(async () => {
  srv = await startServer('default.conf');
  live = await liveObjects(srv.wsUrl);
});
after(async () => {
  await live?.close();
  await srv?.stop();
});

function present(row) {
  const [iface, member] = row.name.includes('.') ? [row.name.slice(0, row.name.indexOf('.')), row.name.slice(row.name.indexOf('.') + 1)] : [row.name, null];
  switch (row.kind) {
    case 'export': return row.name in MODULES[row.module];
    case 'member': return (SYMBOLS[member] ?? member) in Object(live.objects[iface]);
    case 'option': {
      if (row.dts) return declared(row.dts);
      const b = body(iface === 'SubOpts' ? 'SubscriptionOptions' : iface);
      return b !== null && new RegExp(`\\b${member}\\??:`).test(b);
    }
    case 'shape': return declared(row.dts ?? row.name);
    case 'status': return dts.includes(`type: '${row.name.slice('status:'.length)}'`);
    default: throw new Error(`unknown kind ${row.kind}`);
  }
}

test('every JavaScript row of the table is true of nats-wasm', () => {
  const wrong = rows.filter((r) => present(r) !== (HAS.has(r.status) && !r.absent))
    .map((r) => `${r.module}:${r.name} says ${r.status}${r.absent ? ' (absent)' : ''}`);
  assert.deepEqual(wrong, []);
});

test('rows that are not "same" say why, and named tests exist and mention the name', () => {
  for (const r of rows) {
    if (r.status !== 'same') assert.ok(r.note, `${r.module}:${r.name} needs a note`);
    if (r.test) {
      assert.ok(existsSync(new URL(`../../${r.test}`, import.meta.url)), r.test);
      const word = r.name.split(/[.:]/).pop();
      assert.ok(readFileSync(new URL(`../../${r.test}`, import.meta.url), 'utf8').includes(word), `${r.test} mentions ${word}`);
    }
  }
});

test('every runtime export of the nats.js packages has a row', async () => {
  const names = new Set(rows.map((r) => `${r.module}:${r.name}`));
  const missing = [];
  for (const mod of ['nats-core', 'jetstream', 'kv', 'obj', 'services']) {
    for (const name of Object.keys(await import(`@nats-io/${mod}`))) {
      if (name === 'default' || name === '__esModule') continue; // CommonJS interop, not API
      if (!names.has(`${mod}:${name}`)) missing.push(`${mod}:${name}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('docs/compat.md is the table the rows make (npm run docs:compat)', () => {
  const doc = readFileSync(new URL('../../docs/compat.md', import.meta.url), 'utf8');
  assert.equal(doc, renderCompatTable(), 'run node scripts/compat-table.mjs');
});
