// The services bridge for Python (py/nats_wasm/micro): Python runs its own
// coroutine handlers on its event loop, so its endpoints are iterated
// subscriptions; the service (discovery, stats, error headers, streams) is
// the JS one, on the core's rules.
import { coreIfLoaded } from './core.mjs';
import { throwIfFailure } from './failure.mjs';
import { headers } from './headers.mjs';
import { Svcm } from './services/service.mjs';
import { errorHeaders } from './services/service_msg.mjs';

export { ServiceClient, requestStream } from './services/client.mjs';

/** <prefix>.<VERB>[.<name>[.<id>]] (verb 0 PING, 1 INFO, 2 STATS; prefix "" is $SRV). */
export function controlSubject(verb, name, id, prefix) {
  const s = coreIfLoaded().microControlSubject(verb, name, id, prefix ?? '');
  throwIfFailure(s);
  return s;
}

/**
 * Starts a service. `statsData(endpointName)` (Python's stats_handler)
 * returns JSON text or undefined.
 */
export async function addService(nc, config, statsData) {
  const cfg = { ...config };
  if (statsData) {
    cfg.statsHandler = async (ep) => {
      const text = statsData(ep.name);
      return text === undefined ? undefined : JSON.parse(text);
    };
  }
  return new Svcm(nc).add(cfg);
}

/** An endpoint without a handler: {sub, index, subject, queue} for Python to iterate. */
export function addEndpoint(group, name, subject, queue, metadata) {
  const ep = group.addEndpoint(name, { subject, queue, metadata });
  return { sub: ep.sub, index: ep.index, subject: ep.subject, queue: ep.queue };
}

/** The headers of an error reply, with Python's own (flat [k, v, ...]) kept. */
export function errorReplyHeaders(code, description, flat) {
  let own;
  if (flat) {
    own = headers();
    for (let i = 0; i + 1 < flat.length; i += 2) own.append(flat[i], flat[i + 1]);
  }
  return errorHeaders(code, description, own);
}
