// A Stream handle (nats.js Stream): info, messages, consumers of one stream.
import { ConsumersImpl } from './consumer.mjs';

export class StreamImpl {
  /** @param {import('./context.mjs').JsContext} ctx @param {any} info */
  constructor(ctx, info) {
    this._ctx = ctx;
    this._info = info;
    this.name = info.config.name;
  }
  /** The stream's info (cached: the last one read). */
  async info(cached = false, opts = {}) {
    if (!cached) this._info = await this._ctx.manager().streams.info(this.name, opts);
    return this._info;
  }
  /**
   * Streams that hold this one's messages (itself and its mirrors), nearest
   * first, as the server ranks them (clustered servers only; else []).
   */
  async alternates() {
    return (await this.info()).alternates ?? [];
  }
  /** The nearest alternate (the server's first), or this stream when there is none. */
  async best() {
    const [nearest] = await this.alternates();
    if (!nearest || nearest.name === this.name) return this;
    return new StreamImpl(this._ctx, await this._ctx.manager().streams.info(nearest.name));
  }
  /** A stored message, or null. */
  getMessage(query) { return this._ctx.manager().streams.getMessage(this.name, query); }
  /** A consumer of this stream: by name, or an ordered one (options or none). */
  getConsumer(name) { return new ConsumersImpl(this._ctx).get(this.name, name); }
  /** A push consumer of this stream: by name, or an ordered one (options or none). */
  getPushConsumer(name) { return new ConsumersImpl(this._ctx).getPushConsumer(this.name, name); }
  /** Deletes a message. */
  deleteMessage(seq, erase = true) { return this._ctx.manager().streams.deleteMessage(this.name, seq, erase); }
}
