// Where a consumer starts (Fluvio's Offset). These only name the start; the
// engine turns it into a deliver policy (core/src/jetstream/offset.cpp),
// counting for the last n of a partition.

/** Offsets for ordered consumers and consumer groups. */
export const Offset = Object.freeze({
  /** Every record still in the stream. */
  beginning: () => ({ kind: 'beginning' }),
  /** Only records stored from now on. */
  end: () => ({ kind: 'end' }),
  /** From a stream sequence (>= 1) on. */
  absolute: (seq) => ({ kind: 'absolute', value: seq }),
  /** The last n records (of the partition, when the consumer has one), then new ones. */
  fromEnd: (n) => ({ kind: 'from_end', value: n }),
  /** Records stored at or after a time (a Date or RFC 3339 text). */
  fromTime: (t) => ({ kind: 'from_time', time: t instanceof Date ? t.toISOString() : String(t) }),
});
