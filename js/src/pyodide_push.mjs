// The Python bridge for push consumers (nats.py js.subscribe and
// subscribe_bind): JS objects the Python Consumer drives like a pull
// consumer (consumerStart / takeJsPacked in pyodide.mjs). The rules are the
// engine's (core/src/jetstream/engine_push.cpp and push.cpp).
import { coreIfLoaded } from './core.mjs';
import { throwIfFailure } from './failure.mjs';
import { PushConsumerImpl } from './jetstream/push_consumer.mjs';

/**
 * nats.py's js.subscribe: the consumer it means and, for when none of that
 * name exists, the config of the push consumer it creates (the engine's
 * rule, push_subscribe.cpp). `request`: {subject, queue, durable, inbox,
 * flow_control, idle_heartbeat and inactive_threshold in ns, deliver_policy,
 * headers_only}. [name, config JSON].
 */
export function subscribeConfig(configJson, request) {
  const out = coreIfLoaded().pushSubscribeConfig(configJson ?? '', request);
  throwIfFailure(out);
  return [out.name, out.config];
}

/**
 * A push consumer by name, for nats.py's subscribe: `queue` ("" for none)
 * must be its deliver group, checked when it starts. {promise of
 * [consumer, info JSON], cancel}. `limits`: {pending_msgs_limit, pending_bytes_limit}.
 */
export function get(ctx, stream, name, queue, limits = {}) {
  const promise = ctx.call('consumer_info', { stream, name }).then((info) => {
    const c = new PushConsumerImpl(ctx, info, { ...limits, queue: queue ?? '' });
    return [c, JSON.stringify(info)];
  });
  promise.catch(() => {});
  ctx.nc._writeOutput();
  return { promise, cancel: () => {} };
}

/**
 * nats.py's subscribe_bind: a push consumer known by its config (deliver
 * subject, group and heartbeat in ns); nothing is looked up. The stream and
 * name are kept for the Python side only; `limits` as for get().
 */
export function bind(ctx, stream, name, config, limits = {}) {
  const { deliver_subject, deliver_group, idle_heartbeat } = JSON.parse(config);
  const info = { stream_name: stream, name, config: { deliver_subject, deliver_group, idle_heartbeat } };
  return new PushConsumerImpl(ctx, info, { ...limits, bound: true });
}
