// Received messages.
import { MsgHdrsImpl } from './headers.mjs';

const decoder = new TextDecoder();

/** A received message (nats.js `Msg`). */
export class Msg {
  /**
   * @param {object} nc the NatsConnection (for respond)
   * @param {string} subject @param {string} reply @param {number} sid
   * @param {Uint8Array} data @param {Uint8Array|null} rawHeaders
   */
  constructor(nc, subject, reply, sid, data, rawHeaders) {
    this._nc = nc;
    this.subject = subject;
    this.reply = reply;
    this.sid = sid;
    this.data = data;
    this._rawHeaders = rawHeaders;
    this._headers = undefined;
  }
  /**
   * Parsed headers, or undefined when the message has none. A header block
   * that is not NATS/1.0 (another publisher's doing) throws ProtocolError
   * here; the message itself was delivered.
   */
  get headers() {
    if (this._headers === undefined && this._rawHeaders) {
      this._headers = MsgHdrsImpl.decode(this._rawHeaders);
    }
    return this._headers;
  }
  /** The header block as received (bytes), or null. */
  get rawHeaders() { return this._rawHeaders; }
  /** The payload decoded as UTF-8. */
  string() { return decoder.decode(this.data); }
  /** The payload parsed as JSON. */
  json() { return JSON.parse(this.string()); }
  /**
   * Publishes a reply to msg.reply. Returns false when there is no reply subject.
   * @param {Uint8Array|string} [data] @param {{headers?: MsgHdrsImpl, reply?: string}} [opts]
   */
  respond(data, opts) {
    if (!this.reply) return false;
    this._nc.publish(this.reply, data, opts);
    return true;
  }
}
