// Live nats-wasm objects for the compatibility table's checks
// (tests/js/compat_table.test.mjs): one of each kind nats.js has an
// interface for, made against a real server, so that "same" means the
// member exists on what a user really gets.
import * as core from '../../js/src/index.mjs';
import * as jetstream from '../../js/src/jetstream/index.mjs';
import * as kv from '../../js/src/kv/index.mjs';
import * as obj from '../../js/src/obj/index.mjs';
import * as services from '../../js/src/services/index.mjs';

/** nats.js module → the nats-wasm module with the same names. */
export const MODULES = {
  'nats-core': core,
  'transport-node': core,
  jetstream,
  kv,
  obj,
  services,
};

/** The .d.ts files whose interfaces option and shape rows are checked against. */
export const DTS = ['index.d.ts', 'jetstream.d.ts', 'kv.d.ts', 'obj.d.ts', 'options.d.ts', 'services.d.ts'];

/**
 * Builds the objects; returns {objects, close}. `objects[interfaceName]` is
 * a live instance of ours for that nats.js interface.
 */
export async function liveObjects(url) {
  const nc = await core.connect({ servers: url });
  const o = { NatsConnection: nc };
  const subject = `compat.${core.nuid.next()}`;
  const sub = nc.subscribe(subject);
  o.Subscription = sub;
  o.QueuedIterator = await nc.requestMany(subject, "", { strategy: "timer", maxWait: 1 });
  o.MsgHdrs = core.headers();
  nc.publish(subject, 'x');
  for await (const m of sub) { o.Msg = m; break; }

  const js = jetstream.jetstream(nc);
  const jsm = await jetstream.jetstreamManager(nc);
  const stream = `COMPAT_${core.nuid.next()}`;
  await jsm.streams.add({ name: stream, subjects: [`${stream}.>`] });
  await js.publish(`${stream}.a`, 'one');
  await jsm.consumers.add(stream, { durable_name: 'c', ack_policy: 'explicit' });
  Object.assign(o, {
    JetStreamClient: js, JetStreamManager: jsm, StreamAPI: jsm.streams, ConsumerAPI: jsm.consumers,
    DirectStreamAPI: jsm.direct, Streams: js.streams, Stream: await js.streams.get(stream),
    Consumers: js.consumers, Lister: jsm.streams.list(), StoredMsg: await jsm.streams.getMessage(stream, { seq: 1 }),
  });
  o.Consumer = await js.consumers.get(stream, 'c');
  o.JsMsg = await o.Consumer.next({ expires: 2000 });
  o.DeliveryInfo = o.JsMsg.info;
  o.ConsumerMessages = await o.Consumer.consume({ max_messages: 1 });

  const kvm = new kv.Kvm(nc);
  const bucket = await kvm.create(`compat_${core.nuid.next()}`);
  await bucket.put('k', 'v');
  Object.assign(o, { Kvm: kvm, KV: bucket, RoKV: bucket, KvEntry: await bucket.get('k') });

  const objm = new obj.Objm(nc);
  const store = await objm.create(`compat_${core.nuid.next()}`);
  await store.putBlob({ name: 'o' }, new Uint8Array([1, 2, 3]));
  Object.assign(o, { Objm: objm, ObjectStore: store, ObjectInfo: await store.info('o') });

  const svcm = new services.Svcm(nc);
  const svc = await svcm.add({ name: 'compat', version: '1.0.0' });
  const ep = svc.addEndpoint('e', { subject: `${subject}.svc` });
  nc.request(`${subject}.svc`, '').catch(() => {});
  for await (const m of ep) { o.ServiceMsg = m; m.respond('ok'); break; }
  Object.assign(o, { Svcm: svcm, Service: svc, ServiceGroup: svc.addGroup('g'), ServiceClient: svcm.client(), Endpoint: ep });

  return {
    objects: o,
    close: async () => {
      o.ConsumerMessages.stop();
      await svc.stop();
      await jsm.streams.delete(stream).catch(() => {});
      await nc.close();
    },
  };
}
