// nats-wasm/obj: object stores with nats.js v3's names (@nats-io/obj).
export { Objm, ObjectStore } from './obj.mjs';
export { StorageType } from '../jetstream/types.mjs';
