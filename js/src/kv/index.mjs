// nats-wasm/kv: key-value buckets with nats.js v3 (@nats-io/kv) names.
export { Bucket, Kvm, KvWatchInclude } from './kv.mjs';
export { Base64KeyCodec, NoopKvCodecs } from './codecs.mjs';
