// Changes a setting of the running streaming demo from Node with the JS
// package: node scripts/demo-set.mjs <ws url> <rate|offset> <value>
// The Python program in the page sees it through its KV watch.
import { connect } from '../js/src/index.mjs';
import { Kvm } from '../js/src/kv/index.mjs';

const [url, key, value] = process.argv.slice(2);
if (!url || !key || value === undefined) {
  console.error('usage: node scripts/demo-set.mjs <ws url> <rate|offset> <value>');
  process.exit(2);
}
const nc = await connect({ servers: url, name: 'demo-set' });
const kv = await new Kvm(nc).create('demo_settings');
const revision = await kv.put(key, value);
console.log(`${key} = ${value} (revision ${revision})`);
await nc.close();
