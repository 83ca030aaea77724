// Services (nats.js v3 @nats-io/services names): Svcm, Service, groups and
// endpoints. Names, subjects, queue groups, discovery replies and stats are
// the core's (core/src/micro/); this file subscribes, calls handlers and
// replies.
import { MICRO_RESPONSE_TYPE } from '../../dist/abi.mjs';
import { coreIfLoaded } from '../core.mjs';
import { errorFromCode } from '../errors.mjs';
import { throwIfFailure } from '../failure.mjs';
import { Endpoint } from './endpoint.mjs';
import { ServiceClient } from './client.mjs';

/** Discovery verbs (nats.js ServiceVerb). */
export const ServiceVerb = Object.freeze({ PING: 'PING', STATS: 'STATS', INFO: 'INFO' });
/** Discovery reply types (nats.js ServiceResponseType): the core's. */
export const ServiceResponseType = MICRO_RESPONSE_TYPE;
const VERBS = ['PING', 'INFO', 'STATS'];

function check(out) {
  throwIfFailure(out);
  return out;
}

/** A subject prefix (and queue group) for endpoints (nats.js ServiceGroup). */
export class ServiceGroup {
  constructor(service, prefix, queue) {
    this._service = service;
    this._prefix = prefix;
    this._queue = queue;
  }
  /**
   * Adds an endpoint: `handler(err, msg)`, or {handler, subject, metadata,
   * queue}; without a handler, iterate the result for the requests.
   */
  addEndpoint(name, opts = {}) {
    return this._service._addEndpoint(this, String(name), typeof opts === 'function' ? { handler: opts } : opts);
  }
  /** A group under this one: its name is a subject prefix. */
  addGroup(name = '', queue) {
    if (name === '') return new ServiceGroup(this._service, this._prefix, queue || this._queue);
    const g = check(coreIfLoaded().microGroup(this._prefix, this._queue, String(name), queue));
    return new ServiceGroup(this._service, g.prefix, g.queue);
  }
}

/** A running service (nats.js Service). Create it with `new Svcm(nc).add(config)`. */
export class Service extends ServiceGroup {
  constructor(nc, config) {
    super(null, '', undefined);
    this._service = this;
    this.nc = nc;
    this.config = config;
    this._statsHandler = config.statsHandler;
    this._core = new (coreIfLoaded().MicroService)();
    this._endpoints = [];
    this._discovery = [];
    this._inFlight = new Set();
    this._stopping = null;
    this.stopped = new Promise((resolve) => { this._resolveStopped = resolve; });
    const json = JSON.stringify({
      name: config.name, version: config.version, description: config.description ?? '',
      metadata: config.metadata, queue_group: config.queue,
    });
    const err = this._core.init(json, nc._engine.c.newNuid(), Date.now());
    if (err) {
      this._core.delete();
      throw errorFromCode(err[0], err[1]);
    }
    for (const [verb, subject] of this._core.discovery()) {
      this._discovery.push(nc.subscribe(subject, {
        // Tracked like handlers: a STATS reply awaiting its statsHandler
        // finishes before stop() frees the core.
        callback: (e, msg) => (e ? this.stop(e) : this._track(this._discover(verb, msg))),
      }));
    }
    nc.closed().then((e) => this.stop(e ?? null));
  }

  /** The instance id (a nuid). */
  get id() { return this._core.id(); }
  /** True once stop() was called. */
  get isStopped() { return this._stopping !== null; }

  _addEndpoint(group, name, opts) {
    if (this.isStopped) throw errorFromCode(11, 'the service is stopped');
    const spec = check(this._core.addEndpoint(JSON.stringify({
      name, subject: opts.subject, queue_group: opts.queue, metadata: opts.metadata,
    }), group._prefix, group._queue));
    const ep = new Endpoint(this, spec, opts.handler, opts.metadata);
    this._endpoints.push(ep);
    return ep;
  }

  async _discover(verb, msg) {
    try {
      msg.respond(VERBS[verb] === 'STATS' ? await this._statsJson() : this._core.reply(verb, undefined));
    } catch (err) {
      this.nc._reportError(err);
    }
  }

  async _statsJson() {
    let data;
    if (typeof this._statsHandler === 'function') {
      data = await Promise.all(this._endpoints.map(async (ep) => {
        const d = await this._statsHandler({ name: ep.name, subject: ep.subject, queue_group: ep.queue, metadata: ep.metadata });
        return d === undefined ? '' : JSON.stringify(d);
      }));
    }
    return this._core.reply(2, data);
  }

  // Handlers still running (async or streaming); stop() waits for them.
  _track(promise) {
    // A failure here (e.g. replying on a closed connection) is reported,
    // never an unhandled rejection.
    const tracked = Promise.resolve(promise).catch((err) => this.nc._reportError(err));
    this._inFlight.add(tracked);
    tracked.finally(() => this._inFlight.delete(tracked));
  }

  // A discovery reply: the core's, or after stop the last one it gave.
  _reply(verb) { return this._final ? this._final[verb] : this._core.reply(verb, undefined); }
  /** {type, name, id, version, metadata} */
  ping() { return JSON.parse(this._reply(0)); }
  /** The info reply: description and endpoints. */
  info() { return JSON.parse(this._reply(1)); }
  /** The stats reply: counts, times and the stats handler's data per endpoint. */
  async stats() { return JSON.parse(this._final ? this._final[2] : await this._statsJson()); }
  /** Zeroes the stats; `started` becomes now. */
  reset() { if (!this._final) this._core.reset(Date.now()); }

  // No new requests: endpoints and discovery drain (what arrived is still
  // delivered). Python's stop() calls this, waits for its own handlers,
  // then stop().
  async _drainSubscriptions() {
    if (this.nc.isClosed()) return;
    const subs = [...this._endpoints.map((ep) => ep.sub), ...this._discovery];
    await Promise.allSettled(subs.map((s) => s.drain()));
  }

  // Counts a request of endpoint `index` (hosts that run their own
  // handlers: Python); a no-op once stopped.
  _record(index, elapsedMs, code, description) {
    if (!this._final) this._core.record(index, elapsedMs, code, description ?? '');
  }

  // The stats reply (JSON text) with data given per endpoint (JSON texts).
  _statsWith(data) { return this._final ? this._final[2] : this._core.reply(2, data); }

  /**
   * Stops: drains the endpoints and discovery subscriptions (requests
   * already received are answered), waits for running handlers, then
   * resolves `stopped` with `err` or null.
   * @param {Error|null} [err]
   */
  stop(err = null) {
    if (this._stopping) return this._stopping;
    this._stopping = (async () => {
      await this._drainSubscriptions();
      while (this._inFlight.size > 0) await Promise.allSettled([...this._inFlight]);
      // The core object is freed; info() and stats() keep answering with
      // the last state, as nats.js's do after stop.
      this._final = [0, 1, 2].map((v) => this._core.reply(v, undefined));
      this._core.delete();
      this._resolveStopped(err);
      return err;
    })();
    return this._stopping;
  }
}

/** The service manager (nats.js Svcm): adds services and makes clients. */
export class Svcm {
  /** @param {import('../connection.mjs').NatsConnection} nc */
  constructor(nc) { this.nc = nc; }
  /**
   * Starts a service: {name, version, description?, metadata?, queue?, statsHandler?}.
   * @returns {Promise<Service>}
   */
  async add(config) {
    this.nc._throwIfClosed();
    const svc = new Service(this.nc, config ?? {});
    await this.nc.flush();
    return svc;
  }
  /** A client for discovery (ping, info, stats). */
  client(opts, prefix) { return new ServiceClient(this.nc, opts, prefix); }
}
