// Runs every JavaScript block of README.md, in order, against real
// nats-servers (one with JetStream; one for nkey users and one for JWT
// users, for the authentication example): so no README example can rot.
// Each block runs in its own scope with what the README assumes is at hand
// (`nc`, `js`, `jsm`, `payload`, `n`, `readableStream`, the auth servers'
// URLs and keys); the local server's URL replaces ws://127.0.0.1:8080, and
// imports of nats-wasm modules become lookups in the real modules, so a
// renamed export fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';

import * as core from '../../js/src/index.mjs';
import * as jetstreamModule from '../../js/src/jetstream/index.mjs';
import * as kvModule from '../../js/src/kv/index.mjs';
import * as objModule from '../../js/src/obj/index.mjs';
import * as servicesModule from '../../js/src/services/index.mjs';
import { makeJwtSetup, makeKey, nkeyUsersConfig } from '../harness/auth_keys.mjs';
import { startServer } from '../harness/nats-server.mjs';
import { Connections } from './helpers.mjs';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
const conns = new Connections();
const user = makeKey('user');
const jwtSetup = makeJwtSetup();
// connect() as the README imports it, tracked so every connection is closed.
const MODULES = {
  'nats-wasm': { ...core, connect: (opts) => conns.connect(opts.servers, opts) },
  'nats-wasm/jetstream': jetstreamModule,
  'nats-wasm/kv': kvModule,
  'nats-wasm/obj': objModule,
  'nats-wasm/services': servicesModule,
};

let servers;
let env;
before(async () => {
  const [main, nkey, jwt] = await Promise.all([
    startServer('default.conf'),
    startServer('auth.conf', { extraConfig: nkeyUsersConfig(user.publicKey) }),
    startServer('auth.conf', { extraConfig: jwtSetup.serverConfig }),
  ]);
  servers = { main, nkey, jwt };
  const nc = await conns.connect(main.wsUrl);
  env = {
    nc,
    js: jetstreamModule.jetstream(nc),
    jsm: await jetstreamModule.jetstreamManager(nc),
    payload: new Uint8Array(128).fill(97),
    n: 20_000,
    readableStream: new ReadableStream({
      start(controller) {
        for (let i = 0; i < 3; i++) controller.enqueue(new Uint8Array(64 * 1024).fill(i));
        controller.close();
      },
    }),
    jwtServerUrl: jwt.wsUrl,
    nkeyServerUrl: nkey.wsUrl,
    credsText: jwtSetup.creds,
    seedText: user.seed,
    console: { log() {} }, // the examples print; the tests need not
  };
});
after(async () => {
  await conns.closeAll();
  await Promise.all(Object.values(servers ?? {}).map((s) => s.stop()));
});

/** A block as the body of an async function with `env` in scope. */
function compile(code, url) {
  const body = code.replaceAll('ws://127.0.0.1:8080', url)
    .replace(/import\s*\{([^}]*)\}\s*from\s*'([^']+)';/g, (_, names, from) => {
      const mod = MODULES[from];
      assert.ok(mod, `the README imports from unknown module ${from}`);
      for (const name of names.split(',').map((x) => x.trim()).filter(Boolean)) {
        assert.ok(name in mod, `${from} has no export ${name}`);
      }
      return `const {${names}} = __modules[${JSON.stringify(from)}];`;
    });
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
  // Sloppy mode on purpose: `with` gives each block the names the README assumes.
  return new AsyncFunction('__modules', '__env', `with (__env) {\n${body}\n}`);
}

test('the README has its JavaScript examples', () => assert.ok(blocks.length >= 8, `${blocks.length}`));

blocks.forEach((code, i) => {
  const first = code.split('\n').find((l) => l.trim() && !l.startsWith('import') && !l.startsWith('//')) ?? '';
  test(`README JavaScript block ${i + 1}: ${first.trim().slice(0, 70)}`, async () => {
    await compile(code, servers.main.wsUrl)(MODULES, env);
  });
});
