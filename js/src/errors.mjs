// Error classes, named as in nats.js v3. Every rejection in this package is
// one of these (real Error objects: Pyodide hangs on non-Error rejections).
// Which class an engine error code becomes is decided by the C++ error
// table (js/dist/abi.mjs, generated from core/src/error.cpp), not here.
import { API_ERRORS, ERRORS } from '../dist/abi.mjs';

/** Base class of every nats-wasm error. `errc` is the engine's error name. */
export class NatsError extends Error {
  /**
   * @param {string} message
   * @param {{code?: string, cause?: unknown}} [opts] code: the engine error name
   */
  constructor(message, opts = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    /** The engine's error name ("timeout", "no_responders", ...). */
    this.errc = opts.code ?? 'error';
    this.code = this.errc;
  }
}

/** The connection is closed. */
export class ClosedConnectionError extends NatsError {}
/** The connection is draining: no new subscriptions or requests. */
export class DrainingConnectionError extends NatsError {}
/** The connection could not be made or was lost. */
export class ConnectionError extends NatsError {}
/** An operation did not finish in time. */
export class TimeoutError extends NatsError {}
/** A request found no subscriber (status 503). */
export class NoRespondersError extends NatsError {
  /** @param {string} subject @param {string} [message] @param {string} [code] */
  constructor(subject, message, code = 'no_responders') {
    super(message ?? `no responders for '${subject}'`, { code });
    this.subject = subject;
    this.name = 'NoResponders'; // nats.js's name for this one class (the others are their class names)
  }
}
/** A request failed; `cause` says why (e.g. NoRespondersError). */
export class RequestError extends NatsError {
  /** True when the cause is NoRespondersError. */
  isNoResponders() {
    return this.cause instanceof NoRespondersError;
  }
}
/** The server denied a publish or subscribe. */
export class PermissionViolationError extends NatsError {
  /**
   * @param {string} message server text
   * @param {{operation: 'publish'|'subscription', subject: string, queue?: string}} what
   */
  constructor(message, what) {
    super(message, { code: 'permission_violation' });
    this.operation = what.operation;
    this.subject = what.subject;
    this.queue = what.queue;
  }
}
/** Credentials were rejected. */
export class AuthorizationError extends NatsError {}
/** A bad argument: the operation was not attempted. */
export class InvalidArgumentError extends NatsError {}
/** A subject with whitespace, an empty token or a misplaced wildcard. */
export class InvalidSubjectError extends InvalidArgumentError {}
/** Headers plus payload exceed the server's max_payload. */
export class MaxPayloadError extends InvalidArgumentError {}
/** A stream, consumer or bucket name that is not allowed. */
export class InvalidNameError extends InvalidArgumentError {}
/** The operation is not valid now (e.g. an already closed subscription). */
export class InvalidOperationError extends NatsError {}
/** The server sent something that breaks the protocol, or an -ERR. */
export class ProtocolError extends NatsError {}
/** An AbortSignal ended the operation. */
export class AbortError extends NatsError {}
/** A subscription fell behind and lost messages. */
export class SlowConsumerError extends NatsError {}
/** Reconnecting, and the reconnect buffer (reconnectBufferSize) is full: not sent. */
export class OutboundBufferLimitError extends NatsError {}

/** A JetStream failure that is not an API error reply (nats.js JetStreamError). */
export class JetStreamError extends NatsError {}
/** A pull request ended with a 4xx/5xx status; `code` is the status (409, 400 ...). */
export class JetStreamStatusError extends JetStreamError {
  constructor(message, opts = {}) {
    super(message, opts);
    this.code = opts.status ?? 0;
  }
}
/**
 * A JetStream API error reply. As in nats.js: `code` is the server's
 * err_code (10059), `status` its HTTP-like code (404), apiError() both.
 */
export class JetStreamApiError extends NatsError {
  constructor(message, opts = {}) {
    super(message, opts);
    this._api = { code: opts.status ?? 0, err_code: opts.errCode ?? 0, description: message };
    this.code = this._api.err_code;
  }
  /** The HTTP-like status (404, 400, 503). */
  get status() { return this._api.code; }
  /** {code, err_code, description} as the server sent it. */
  apiError() { return { ...this._api }; }
}
/** err_code 10059. */
export class StreamNotFoundError extends JetStreamApiError {}
/** err_code 10014. */
export class ConsumerNotFoundError extends JetStreamApiError {}
/** JetStream is not enabled for the server or the account. */
export class JetStreamNotEnabled extends NatsError {
  constructor(message, opts = {}) {
    super(message, opts);
    /** 503 when the server has no JetStream or the account is not enabled. */
    this.status = opts.status ?? 503;
  }
}

/** All classes by name (nats.js exports a similar `errors` object). */
export const errors = {
  NatsError, ClosedConnectionError, DrainingConnectionError, ConnectionError, TimeoutError,
  NoRespondersError, RequestError, PermissionViolationError, AuthorizationError,
  InvalidArgumentError, InvalidSubjectError, MaxPayloadError, InvalidNameError, InvalidOperationError,
  ProtocolError, AbortError, SlowConsumerError, OutboundBufferLimitError, JetStreamError, JetStreamStatusError,
  JetStreamApiError, StreamNotFoundError, ConsumerNotFoundError, JetStreamNotEnabled,
};

// err_code → a more specific class (StreamNotFoundError ...), from the ABI.
const API_BY_ERR_CODE = new Map(API_ERRORS.filter((r) => r.errCode && r.js).map((r) => [r.errCode, errors[r.js]]));

// Engine code → table row, from the generated ABI.
const BY_CODE = new Map(ERRORS.map((row) => [row.code, row]));
/** Engine error name → code ("timeout" → 40). */
export const ERRC = Object.freeze(Object.fromEntries(ERRORS.map((row) => [row.name, row.code])));

/** The name of an engine error code ("timeout"). */
export function codeName(code) {
  return BY_CODE.get(code)?.name ?? 'unknown';
}

/**
 * Builds the Error for an engine error code, with the details some errors
 * carry (all optional).
 * @param {number} code
 * @param {string} message
 * @param {{subject?: string, queue?: string, operation?: string, status?: number, errCode?: number}} [detail]
 * @returns {NatsError}
 */
export function errorFromCode(code, message, detail = {}) {
  const row = BY_CODE.get(code);
  if (!row) return new NatsError(message, { code: 'unknown' });
  const Cls = errors[row.js] ?? NatsError;
  if (Cls === PermissionViolationError) {
    return new PermissionViolationError(message, {
      operation: detail.operation || 'subscription', subject: detail.subject ?? '', queue: detail.queue || undefined,
    });
  }
  if (Cls === NoRespondersError) return new NoRespondersError(detail.subject ?? '', message, row.name);
  const opts = { code: row.name, status: detail.status, errCode: detail.errCode };
  if (Cls === JetStreamApiError && detail.errCode) {
    const specific = API_BY_ERR_CODE.get(detail.errCode);
    if (specific) return new specific(message, opts);
  }
  if (Cls === JetStreamNotEnabled) {
    // As nats.js: 10039 keeps the API error as the cause; no responders (no
    // JetStream, or no stream for a publish) keeps the failed request's.
    const cause = detail.errCode ? new JetStreamApiError(message, opts)
      : new RequestError(message, { cause: new NoRespondersError(detail.subject ?? '') });
    return new JetStreamNotEnabled(message, { ...opts, cause });
  }
  return new Cls(message, opts);
}
