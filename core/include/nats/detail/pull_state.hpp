#pragma once
/// Pull sessions and ordered consumers as the engine keeps them (internal).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "nats/jetstream/consumer.hpp"
#include "nats/jetstream/kv.hpp"

namespace nats::detail {

using PullTime = std::chrono::milliseconds;

/// An ordered consumer: the server consumer it currently is, and where the
/// client is in the stream (the cursor every reset resumes from).
struct OrderedState {
  std::uint64_t context = 0;
  std::string stream;
  js::OrderedOptions options;
  std::string prefix;  ///< names are <prefix>_<serial>
  std::uint64_t serial = 0;
  std::string name;                ///< the current server consumer ("" before creation)
  std::uint64_t stream_seq = 0;    ///< last stream sequence handed out
  std::uint64_t deliver_seq = 0;   ///< last delivery sequence of the current consumer
  std::uint64_t session = 0;       ///< the pull session using it (one at a time)
  std::uint64_t host_op = 0;       ///< creation the host waits for (js_result), 0 once done
  std::uint64_t pending_call = 0;  ///< the stream check or consumer create in flight
  bool checking_stream = false;    ///< pending_call is the first STREAM.INFO
  int create_fails = 0;
  bool received_any = false;
  std::uint64_t initial_pending = 0;  ///< num_pending when first created
  bool caught_up = false;             ///< "caught_up" was reported (once)
  // Key-value watches: entries instead of messages (engine_kv.cpp).
  std::string kv_bucket;  ///< "" when not a watch
  js::kv::Ignore kv_ignore = js::kv::Ignore::nothing;
  /// A KV bucket or object store read: a missing stream at creation is
  /// bucket_not_found naming it ("" for plain ordered consumers).
  std::string bucket;
};

/// One fetch, next or consume.
struct PullSession {
  std::uint64_t context = 0;
  std::string stream;
  std::string consumer;
  js::PullOptions options;
  std::uint64_t ordered = 0;  ///< the ordered consumer it reads, 0 for a plain consumer
  std::uint64_t sid = 0;      ///< inbox subscription; 0 while an ordered reset runs
  std::string inbox;
  std::uint64_t pending_msgs = 0;  ///< asked of the server, not yet delivered
  std::uint64_t pending_bytes = 0;
  std::uint64_t unconsumed_msgs = 0;  ///< handed to the host, not yet consumed
  std::uint64_t unconsumed_bytes = 0;
  std::uint64_t received = 0;
  std::uint64_t redelivered_acked = 0;  ///< redeliveries of acked messages, acked again
  std::string acked_key;  ///< "stream consumer": where this consumer's acks are remembered
  PullTime heartbeat_deadline{0};
  std::uint64_t heartbeats_missed = 0;
  std::optional<PullTime> retry_at;  ///< recovery or reset backoff
  int retries = 0;
  bool waiting_phase = false;      ///< fetch_prompt: past the no_wait look
  PullTime deadline{0};            ///< fetch_prompt: when the waiting phase must end
  std::optional<PullTime> end_at;  ///< fetch: the server ends requests at expiry; past
                                   ///< this it is gone (no heartbeat watches a short fetch)
  std::uint64_t pending_call = 0;  ///< an internal API call in flight (info, create)
  // Push sessions: `inbox` is the deliver subject, subscribed in this group.
  std::string push_queue;
  std::uint64_t limit_msgs = 0;  ///< unconsumed over it: dropped (0: no limit)
  std::uint64_t limit_bytes = 0;
  std::uint64_t dropped = 0;
  bool drop_reported = false;  ///< "slow_consumer" told for this episode
  /// True when a push session's host holds too much to take `incoming` more
  /// bytes (one message always fits).
  bool holds_too_much(std::uint64_t incoming) const {
    return (limit_msgs > 0 && unconsumed_msgs >= limit_msgs) ||
           (limit_bytes > 0 && unconsumed_msgs > 0 && unconsumed_bytes + incoming > limit_bytes);
  }
  /// Flow-control requests waiting for the host to consume what came before
  /// them: (reply subject, messages received when it came).
  std::vector<std::pair<std::string, std::uint64_t>> flow_control;
};

}  // namespace nats::detail
