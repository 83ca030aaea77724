// JetStream enums and header names, with nats.js v3's names and values.

import { ADVISORY_KIND } from '../../dist/abi.mjs';

/** nats.js AdvisoryKind (the core's table: core/include/nats/jetstream/advisory.hpp). */
export const AdvisoryKind = ADVISORY_KIND;

/** Consumer acknowledgement policies. */
export const AckPolicy = Object.freeze({ None: 'none', All: 'all', Explicit: 'explicit', NotSet: '' });
/** Where a consumer starts. */
export const DeliverPolicy = Object.freeze({
  All: 'all', Last: 'last', New: 'new', StartSequence: 'by_start_sequence',
  StartTime: 'by_start_time', LastPerSubject: 'last_per_subject',
});
/** Stream retention. */
export const RetentionPolicy = Object.freeze({ Limits: 'limits', Interest: 'interest', Workqueue: 'workqueue' });
/** Stream storage. */
export const StorageType = Object.freeze({ File: 'file', Memory: 'memory' });
/** What a full stream discards. */
export const DiscardPolicy = Object.freeze({ Old: 'old', New: 'new' });
/** Consumer replay speed. */
export const ReplayPolicy = Object.freeze({ Instant: 'instant', Original: 'original' });
/** Stream compression (servers 2.10+). */
export const StoreCompression = Object.freeze({ None: 'none', S2: 's2' });
/** err_codes nats.js names. */
export const JetStreamApiCodes = Object.freeze({
  ConsumerNotFound: 10014, StreamNotFound: 10059, JetStreamNotEnabledForAccount: 10039,
  StreamWrongLastSequence: 10071, StreamWrongLastSequenceUnknown: 10164, NoMessageFound: 10037,
});
/** Headers a publish may carry. */
export const PubHeaders = Object.freeze({
  MsgIdHdr: 'Nats-Msg-Id', ExpectedStreamHdr: 'Nats-Expected-Stream',
  ExpectedLastSeqHdr: 'Nats-Expected-Last-Sequence', ExpectedLastMsgIdHdr: 'Nats-Expected-Last-Msg-Id',
  ExpectedLastSubjectSequenceHdr: 'Nats-Expected-Last-Subject-Sequence',
  ExpectedLastSubjectSequenceSubjectHdr: 'Nats-Expected-Last-Subject-Sequence-Subject',
  MessageTTL: 'Nats-TTL',
  // Message schedules (nats-server 2.12; a 2.9 server stores them as plain headers).
  Schedule: 'Nats-Schedule', ScheduleTarget: 'Nats-Schedule-Target', ScheduleSource: 'Nats-Schedule-Source',
  ScheduleTTL: 'Nats-Schedule-TTL', ScheduleTimeZone: 'Nats-Schedule-Time-Zone',
  ScheduleRollup: 'Nats-Schedule-Rollup', Scheduler: 'Nats-Scheduler', ScheduleNext: 'Nats-Schedule-Next',
});
/** Headers the server adds. */
export const JsHeaders = Object.freeze({
  StreamSourceHdr: 'Nats-Stream-Source', LastConsumerSeqHdr: 'Nats-Last-Consumer',
  LastStreamSeqHdr: 'Nats-Last-Stream', ConsumerStalledHdr: 'Nats-Consumer-Stalled',
  MessageSizeHdr: 'Nats-Msg-Size', RollupHdr: 'Nats-Rollup', RollupValueSubject: 'sub', RollupValueAll: 'all',
  PendingMessagesHdr: 'Nats-Pending-Messages', PendingBytesHdr: 'Nats-Pending-Bytes',
  RequiredApiLevel: 'Nats-Required-Api-Level',
});
/** Headers of a direct-get reply. */
/** Headers of a message republished by a stream (nats.js RepublishHeaders). */
export const RepublishHeaders = Object.freeze({
  Stream: 'Nats-Stream', Subject: 'Nats-Subject', Sequence: 'Nats-Sequence',
  LastSequence: 'Nats-Last-Sequence', Size: 'Nats-Msg-Size',
});

export const DirectMsgHeaders = Object.freeze({
  Stream: 'Nats-Stream', Sequence: 'Nats-Sequence', TimeStamp: 'Nats-Time-Stamp', Subject: 'Nats-Subject',
  LastSequence: 'Nats-Last-Sequence', NumPending: 'Nats-Num-Pending',
});

/** Milliseconds as nanoseconds (config durations are nanoseconds). */
export function nanos(millis) {
  return millis * 1000000;
}
/** Nanoseconds as milliseconds. */
export function millis(ns) {
  return Math.floor(ns / 1000000);
}
