// Error classes, named as in nats.js v3. Every rejection in this package is
// one of these (real Error objects: Pyodide hangs on non-Error rejections).

/** Base class of every nats-wasm error. `code` is the engine's error name. */
export class NatsError extends Error {
  /**
   * @param {string} message
   * @param {{code?: string, cause?: unknown}} [opts]
   */
  constructor(message, opts = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = opts.code ?? 'error';
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
  /** @param {string} subject @param {string} [message] */
  constructor(subject, message) {
    super(message ?? `no responders for '${subject}'`, { code: 'no_responders' });
    this.subject = subject;
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
/** The operation is not valid now (e.g. an already closed subscription). */
export class InvalidOperationError extends NatsError {}
/** The server sent something that breaks the protocol, or an -ERR. */
export class ProtocolError extends NatsError {}
/** An AbortSignal ended the operation. */
export class AbortError extends NatsError {}

/** All classes by name (nats.js exports a similar `errors` object). */
export const errors = {
  NatsError, ClosedConnectionError, DrainingConnectionError, ConnectionError, TimeoutError,
  NoRespondersError, RequestError, PermissionViolationError, AuthorizationError,
  InvalidArgumentError, InvalidSubjectError, MaxPayloadError, InvalidOperationError,
  ProtocolError, AbortError,
};

// nats::Errc numbers (core/include/nats/error.hpp) to names and classes.
const CODES = {
  1: ['invalid_subject', InvalidSubjectError],
  2: ['invalid_queue', InvalidArgumentError],
  3: ['max_payload_exceeded', MaxPayloadError],
  4: ['connection_closed', ClosedConnectionError],
  5: ['connection_draining', DrainingConnectionError],
  6: ['not_connected', ConnectionError],
  7: ['invalid_argument', InvalidArgumentError],
  8: ['invalid_header', InvalidArgumentError],
  9: ['bad_subscription', InvalidOperationError],
  32: ['protocol_error', ProtocolError],
  33: ['control_line_too_long', ProtocolError],
  34: ['payload_too_large', ProtocolError],
  35: ['authorization_violation', AuthorizationError],
  36: ['permission_violation', PermissionViolationError],
  37: ['server_error', ProtocolError],
  38: ['stale_connection', ConnectionError],
  39: ['connection_lost', ConnectionError],
  40: ['timeout', TimeoutError],
  41: ['no_responders', NoRespondersError],
  42: ['max_payload_violation', MaxPayloadError],
  43: ['slow_consumer', NatsError],
};

/** The name of an engine error code ("timeout"). */
export function codeName(code) {
  return CODES[code]?.[0] ?? 'unknown';
}

/**
 * Builds the Error for an engine error code and message.
 * @param {number} code
 * @param {string} message
 * @returns {NatsError}
 */
export function errorFromCode(code, message) {
  const [name, Cls] = CODES[code] ?? ['unknown', NatsError];
  if (Cls === PermissionViolationError) {
    const quoted = [...message.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
    const operation = /for publish/i.test(message) ? 'publish' : 'subscription';
    return new PermissionViolationError(message, { operation, subject: quoted[0] ?? '', queue: quoted[1] });
  }
  if (Cls === NoRespondersError) return new NoRespondersError('', message);
  return new Cls(message, { code: name });
}
