// One measurement in a fresh Node process:
//   node bench/node-worker.mjs '{"client":"nats-wasm","test":"pub","size":128,"n":200000,"url":"ws://..."}'
// Prints one JSON object: the workload's numbers plus the process's peak RSS.
import { jsWorkloads, workloads } from './workloads.mjs';

const spec = JSON.parse(process.argv[2]);

async function connector(client) {
  if (client === 'nats-wasm') {
    const { connect } = await import('../js/src/index.mjs');
    return (url) => connect({ servers: url });
  }
  if (client === 'nats.js') {
    // nats.js v3 over WebSocket; Node 20 has no global WebSocket: use `ws`.
    const { default: WebSocket } = await import('ws');
    globalThis.WebSocket ??= WebSocket;
    const { wsconnect } = await import('@nats-io/nats-core');
    return (url) => wsconnect({ servers: url });
  }
  throw new Error(`unknown client ${client}`);
}

async function jetstreamLib(client) {
  const connect = await connector(client);
  const mod = client === 'nats-wasm' ? await import('../js/src/jetstream/index.mjs') : await import('@nats-io/jetstream');
  return { connect, jetstream: mod.jetstream, jetstreamManager: mod.jetstreamManager };
}

const result = spec.test in jsWorkloads
  ? await jsWorkloads[spec.test](await jetstreamLib(spec.client), spec.url, spec)
  : await workloads[spec.test](await connector(spec.client), spec.url, spec);
result.rss_kb = process.resourceUsage().maxRSS;
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
