// The nats-wasm surface that bench/natsjs-entry.mjs has of nats.js (core,
// JetStream, KV): bundled the same way for the size comparison. The .wasm
// is counted on top.
export { wsconnect, headers } from '../js/src/index.mjs';
export { jetstream, jetstreamManager } from '../js/src/jetstream/index.mjs';
export { Kvm } from '../js/src/kv/index.mjs';
