#pragma once
/// Pull consumers, as rules: pull options and their defaults, the pull
/// request body, what each status message on a pull inbox means, ack
/// payloads, and the metadata in a message's ack subject.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nats/error.hpp"
#include "nats/headers.hpp"
#include "nats/jetstream/offset.hpp"

namespace nats::js {

using Millis = std::chrono::milliseconds;

/// How a pull session asks for messages.
enum class PullMode : std::uint8_t {
  fetch,         ///< one request; ends when the batch is delivered or the request expires
  consume,       ///< keeps pulling as messages are consumed, until stopped
  fetch_prompt,  ///< nats.py fetch: what is there now (no_wait); if nothing, wait up to expires
  push,          ///< a push consumer: the server delivers to its deliver subject, nothing is
                 ///< pulled (Engine::push_start)
};

/// Options of a pull session (nats.js FetchOptions / ConsumeOptions).
struct PullOptions {
  PullMode mode = PullMode::fetch;
  std::uint64_t max_messages = 0;          ///< 0: 100 (always set: the server needs a batch)
  std::uint64_t max_bytes = 0;             ///< exclusive with max_messages, as in nats.js
  Millis expires{0};                       ///< 0: 30 s; at least 1 s
  Millis idle_heartbeat{0};                ///< 0: expires / 2, clamped to 0.5 s .. 30 s
  std::uint64_t threshold_messages = 0;    ///< consume: re-pull at or below; 0: 75 %
  std::uint64_t threshold_bytes = 0;       ///< consume: 0: 75 % of max_bytes
  bool bind = false;                       ///< recovering, never asks for consumer info
  bool abort_on_missing_resource = false;  ///< consume: a missing consumer/stream ends it
};

/// Applies nats.js's defaults and checks; invalid_argument on bad options.
Result<PullOptions> normalize_pull_options(PullOptions options);

/// The JSON body of a CONSUMER.MSG.NEXT request (durations in nanoseconds).
std::string pull_request_json(std::uint64_t batch, std::uint64_t max_bytes, Millis expires,
                              Millis idle_heartbeat, bool no_wait);

/// What a status message on a pull inbox means.
struct PullStatus {
  enum class Kind : std::uint8_t {
    heartbeat,          ///< 100 Idle Heartbeat
    flow_control,       ///< 100 FlowControl Request (push): answer once what came before is used
    no_messages,        ///< 404: nothing pending (no_wait)
    request_timeout,    ///< 408 Request Timeout: the request expired (pending headers)
    requests_pending,   ///< 408 Requests Pending
    interest_expired,   ///< 408 Interest Expired
    max_bytes,          ///< 409 Message Size Exceeds MaxBytes: the request ended
    exceeded_limits,    ///< 409 Exceeded MaxWaiting / MaxRequestBatch / ...
    consumer_deleted,   ///< 409 Consumer Deleted
    push_based,         ///< 409 Consumer is push based
    leadership_change,  ///< 409 Leadership Change
    bad_request,        ///< 400
    no_responders,      ///< 503
    other,
  } kind = Kind::other;
  int code = 0;
  std::string description;
  std::uint64_t pending_messages = 0;  ///< what the ended request did not use
  std::uint64_t pending_bytes = 0;
  std::uint64_t last_consumer_seq = 0;  ///< heartbeats
  std::uint64_t last_stream_seq = 0;
  std::string stalled;  ///< heartbeats: Nats-Consumer-Stalled, a subject to publish to
};

/// Reads a status message's header block.
PullStatus classify_pull_status(const Headers &headers);

/// A stable name for a status kind (the notification type hosts show).
std::string_view pull_status_name(PullStatus::Kind kind);

/// Where a delivered message sits, from its ack subject.
struct DeliveryInfo {
  std::string domain;  ///< "" when none ("_" on the wire)
  std::string account_hash;
  std::string stream;
  std::string consumer;
  std::uint64_t delivered = 0;  ///< delivery count (1 on the first delivery)
  std::uint64_t stream_seq = 0;
  std::uint64_t consumer_seq = 0;
  std::int64_t timestamp_ns = 0;
  std::uint64_t pending = 0;
};

/// Parses `$JS.ACK.<stream>.<consumer>.<dc>.<sseq>.<cseq>.<ts>.<pending>` (9
/// tokens) and the 11+-token form with domain and account hash; nullopt when
/// the subject is not a JetStream ack subject.
std::optional<DeliveryInfo> parse_ack_reply(std::string_view reply);

/// What an acknowledgement says.
enum class AckKind : std::uint8_t { ack, nak, working, term };

/// The payload of an acknowledgement: "+ACK", "-NAK", `-NAK {"delay":ns}`,
/// "+WPI" or "+TERM" (exactly: 2.9 servers ignore "+TERM <reason>").
std::string ack_payload(AckKind kind, Millis nak_delay = Millis{0});

/// The payload of an ack that also asks for more: `+NXT {"batch":n}`, with
/// expires (ns) when > 0 and no_wait when set (nats.js JsMsg.next). batch 0: 1.
std::string ack_next_payload(std::uint64_t batch, Millis expires, bool no_wait);

/// Options of an ordered consumer (nats.js OrderedConsumerOptions).
struct OrderedOptions {
  std::string name_prefix;     ///< "" : a fresh NUID
  std::string filter_subject;  ///< "" : the whole stream
  std::string deliver_policy;  ///< "", all, last, new, last_per_subject,
                               ///< by_start_sequence, by_start_time
  std::uint64_t opt_start_seq = 0;
  std::string opt_start_time;         ///< RFC 3339
  std::string replay_policy;          ///< "" : instant
  Millis inactive_threshold{300000};  ///< the server forgets it after this long idle
  bool headers_only = false;
  std::optional<Offset> offset;  ///< when set, replaces deliver_policy and its options
};

/// The config of an ordered consumer named `name`. start_seq 0: the user's
/// deliver policy (the first creation); else resume by_start_sequence there.
std::string ordered_consumer_config(const OrderedOptions &options, std::string_view name,
                                    std::uint64_t start_seq);

/// The config nats.py's `js.pull_subscribe(subject, durable)` creates its
/// pull consumer with when none of that name exists: the caller's config (a
/// ConsumerConfig JSON object, "" for none; unknown fields kept), filtered
/// on `subject` unless it names `filter_subjects`, named `durable` (name and
/// durable_name) or, without one, `fresh_name` (an ephemeral consumer).
/// An invalid subject is invalid_subject, a bad name invalid_name.
Result<std::string> pull_subscribe_config(std::string_view config_json, std::string_view subject,
                                          std::string_view durable, std::string_view fresh_name);

}  // namespace nats::js
