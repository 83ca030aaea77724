// Types of nats-wasm/services (names as in nats.js v3 @nats-io/services).
import type { Msg, MsgHdrs, NatsConnection, Payload, RequestManyOptions } from './index.js';

export declare const ServiceErrorHeader: 'Nats-Service-Error';
export declare const ServiceErrorCodeHeader: 'Nats-Service-Error-Code';
export declare const ServiceVerb: { readonly PING: 'PING'; readonly STATS: 'STATS'; readonly INFO: 'INFO' };
export type ServiceVerb = (typeof ServiceVerb)[keyof typeof ServiceVerb];
export declare const ServiceResponseType: {
  readonly STATS: 'io.nats.micro.v1.stats_response';
  readonly INFO: 'io.nats.micro.v1.info_response';
  readonly PING: 'io.nats.micro.v1.ping_response';
};

/** An error a service replied with (headers Nats-Service-Error and -Code). */
export declare class ServiceError extends Error {
  constructor(code: number, message: string);
  code: number;
  static isServiceError(msg: Msg): boolean;
  /** The error a reply carries, or null; a code that is not a number reads as 400. */
  static toServiceError(msg: Msg): ServiceError | null;
}

/** A request to an endpoint. The first reply ends it for the stats. */
export declare class ServiceMsg extends Msg {
  respondError(code: number, description: string, data?: Payload, opts?: { headers?: MsgHdrs }): boolean;
}

/**
 * A handler may return nothing, a Promise (the request is counted when it
 * settles; a rejection becomes an error reply), or an async iterable: each
 * item is one reply chunk, then an empty reply ends the stream (read it
 * with requestStream()).
 */
export type ServiceHandler = (err: Error | null, msg: ServiceMsg) => void | Promise<void> | AsyncIterable<Payload>;

export interface EndpointOptions {
  handler?: ServiceHandler;
  /** Default: the endpoint's name, after the group's prefix. */
  subject?: string;
  metadata?: Record<string, string>;
  /** Default: the group's, else the service's, else "q". */
  queue?: string;
}

export interface EndpointInfo {
  name: string;
  subject: string;
  queue_group?: string;
  metadata: Record<string, string>;
}
export interface EndpointStats {
  name: string;
  subject: string;
  queue_group?: string;
  num_requests: number;
  num_errors: number;
  /** "<code>:<description>" of the last error reply, or "". */
  last_error: string;
  /** Nanoseconds, from receipt to the reply (or the handler's end). */
  processing_time: number;
  average_processing_time: number;
  data: unknown;
}
export interface ServiceIdentity {
  name: string;
  id: string;
  version: string;
  metadata: Record<string, string>;
}
export interface ServicePing extends ServiceIdentity { type: 'io.nats.micro.v1.ping_response' }
export interface ServiceInfo extends ServiceIdentity {
  type: 'io.nats.micro.v1.info_response';
  description: string;
  endpoints: EndpointInfo[];
}
export interface ServiceStats extends ServiceIdentity {
  type: 'io.nats.micro.v1.stats_response';
  /** RFC 3339 (UTC, milliseconds). */
  started: string;
  endpoints: EndpointStats[];
}

export interface ServiceConfig {
  /** Letters, digits, '-' and '_'. */
  name: string;
  /** A semantic version (x.y.z[-pre][+build]). */
  version: string;
  description?: string;
  metadata?: Record<string, string>;
  /** Endpoints' queue group: default "q"; "" turns queueing off. */
  queue?: string;
  /** Data for each endpoint's stats (any JSON value). */
  statsHandler?: (endpoint: EndpointInfo) => Promise<unknown>;
}

/** An endpoint; without a handler, iterate it for its requests. */
export interface Endpoint extends AsyncIterable<ServiceMsg> {
  readonly name: string;
  readonly subject: string;
  readonly queue: string;
  getProcessed(): number;
  getPending(): number;
  getReceived(): number;
  stop(): Promise<void>;
}

export declare class ServiceGroup {
  addEndpoint(name: string, handler: ServiceHandler | EndpointOptions): Endpoint;
  /** A group under this one (a subject prefix; '*' allowed, '>' not). */
  addGroup(name?: string, queue?: string): ServiceGroup;
}

export declare class Service extends ServiceGroup {
  readonly id: string;
  readonly isStopped: boolean;
  /** Resolves with the stop's error, or null. */
  readonly stopped: Promise<Error | null>;
  ping(): ServicePing;
  info(): ServiceInfo;
  stats(): Promise<ServiceStats>;
  reset(): void;
  /** Drains the subscriptions, waits for running handlers, then resolves. */
  stop(err?: Error | null): Promise<Error | null>;
}

export declare class ServiceClient {
  constructor(nc: NatsConnection, opts?: RequestManyOptions, prefix?: string);
  ping(name?: string, id?: string): Promise<AsyncIterable<ServicePing>>;
  info(name?: string, id?: string): Promise<AsyncIterable<ServiceInfo>>;
  stats(name?: string, id?: string): Promise<AsyncIterable<ServiceStats>>;
}

export declare class Svcm {
  constructor(nc: NatsConnection);
  add(config: ServiceConfig): Promise<Service>;
  client(opts?: RequestManyOptions, prefix?: string): ServiceClient;
}

/**
 * Calls an endpoint that streams its reply: each chunk in order, ending at
 * the empty reply. An error reply throws ServiceError; no end within
 * `timeout` ms (default 30000) throws TimeoutError.
 */
export declare function requestStream(
  nc: NatsConnection, subject: string, data?: Payload,
  opts?: { timeout?: number; headers?: MsgHdrs; signal?: AbortSignal },
): AsyncIterable<Msg>;
