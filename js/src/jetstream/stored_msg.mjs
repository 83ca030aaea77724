// A message read from a stream (nats.js StoredMsg).
import { MsgHdrsImpl, headers as emptyHeaders } from '../headers.mjs';
import { DirectMsgHeaders } from './types.mjs';

const decoder = new TextDecoder();

/** A stored message: subject, seq, header, data, time, timestamp. */
export class StoredMsgImpl {
  constructor(subject, seq, rawHeaders, data, timestamp, stream) {
    this.subject = subject;
    this.seq = seq;
    this.data = data;
    /** The time as the server wrote it (RFC 3339 with nanoseconds). */
    this.timestamp = timestamp;
    /** The stream (direct get). */
    this.stream = stream;
    this._raw = rawHeaders;
    this._header = undefined;
  }
  /** Headers (empty when the message had none). */
  get header() {
    this._header ??= this._raw && this._raw.length > 0 ? MsgHdrsImpl.decode(this._raw) : emptyHeaders();
    return this._header;
  }
  /** A direct get's Nats-Last-Sequence (batched gets, nats-server 2.11+), else 0. */
  get lastSequence() { return Number(this.header.get(DirectMsgHeaders.LastSequence) || 0); }
  /** A direct get's Nats-Num-Pending (batched gets), else 0. */
  get pending() { return Number(this.header.get(DirectMsgHeaders.NumPending) || 0); }
  /** The time the message was stored. */
  get time() { return new Date(this.timestamp); }
  /** The payload as UTF-8. */
  string() { return decoder.decode(this.data); }
  /** The payload parsed as JSON. */
  json(reviver) { return JSON.parse(this.string(), reviver); }
}
