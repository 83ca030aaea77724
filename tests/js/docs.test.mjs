// Runs every JavaScript block of the guides in docs/ against a real
// nats-server: each block in its own scope with `nc` (a connection), `url`
// and `assert` (for docs/fluvio-to-jetstream.md after a fresh 4-partition
// topic "clicks"). Imports of nats-wasm modules are turned into lookups in
// the real modules, so a renamed export fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';

import * as core from '../../js/src/index.mjs';
import * as jetstreamModule from '../../js/src/jetstream/index.mjs';
import * as servicesModule from '../../js/src/services/index.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { Connections } from './helpers.mjs';

const MODULES = {
  'nats-wasm': core, 'nats-wasm/jetstream': jetstreamModule, 'nats-wasm/services': servicesModule,
};
const blocksOf = (name) => [...readFileSync(new URL(`../../docs/${name}`, import.meta.url), 'utf8')
  .matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
const blocks = blocksOf('fluvio-to-jetstream.md');
const serviceBlocks = blocksOf('services.md');

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

/** A block as the body of an async function, its imports bound to the real exports. */
function compile(code) {
  const body = code.replace(/import\s*\{([^}]*)\}\s*from\s*'([^']+)';/g, (_, names, from) => {
    const mod = MODULES[from];
    assert.ok(mod, `the docs import from unknown module ${from}`);
    for (const n of names.split(',').map((x) => x.trim()).filter(Boolean)) {
      assert.ok(n in mod, `${from} has no export ${n}`);
    }
    return `const {${names}} = __modules[${JSON.stringify(from)}];`;
  });
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
  return new AsyncFunction('__modules', 'nc', 'url', 'assert', body);
}

test('the guide has JavaScript examples', () => assert.ok(blocks.length >= 6));

blocks.forEach((code, i) => {
  test(`docs/fluvio-to-jetstream.md JavaScript block ${i + 1}: ${code.split('\n').find((l) => l && !l.startsWith('import')).trim()}`, async () => {
    const jsm = await jetstreamModule.jetstreamManager(nc);
    await jsm.streams.delete('clicks').catch(() => {});
    await jetstreamModule.createTopic(jsm, 'clicks', 4);
    await compile(code)(MODULES, nc, srv.wsUrl, assert);
  });
});

test('the services guide has JavaScript examples', () => assert.ok(serviceBlocks.length >= 1));

serviceBlocks.forEach((code, i) => {
  test(`docs/services.md JavaScript block ${i + 1}`, async () => {
    const own = await conns.connect(srv.wsUrl);
    await compile(code)(MODULES, own, srv.wsUrl, assert);
    await own.close();
  });
});
