// What a browser user of nats.js v3 core loads: bundled by bench/run.mjs
// with esbuild for the browser rows and the size comparison.
export { wsconnect, headers } from '@nats-io/nats-core';
