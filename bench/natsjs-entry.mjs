// What a browser user of nats.js v3 loads for core NATS, JetStream and KV:
// bundled by bench/run.mjs with esbuild, for the browser rows and the size
// comparison (bench/natswasm-entry.mjs is the same surface of nats-wasm).
export { wsconnect, headers } from '@nats-io/nats-core';
export { jetstream, jetstreamManager } from '@nats-io/jetstream';
export { Kvm } from '@nats-io/kv';
