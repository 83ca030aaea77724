#pragma once
/// The engine's JetStream bookkeeping (internal): contexts, API calls and
/// publishes in flight, and which mux request belongs to which of them.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_map>

#include "nats/detail/js_api_call.hpp"
#include "nats/detail/pull_state.hpp"
#include "nats/jetstream/api.hpp"

namespace nats::detail {

/// One `jetstream(nc, opts)`.
struct JsContext {
  js::ContextOptions options;
  std::string prefix;         ///< "$JS.API" or "$JS.<domain>.API"
  std::size_t in_flight = 0;  ///< publishes waiting for their ack
  /// Buckets seen to mirror another (bucket → source), from their infos.
  std::map<std::string, std::string> kv_mirrors;
};

/// An API call and the context it runs in.
struct JsCallEntry {
  std::uint64_t context = 0;
  std::chrono::milliseconds timeout{0};
  JsApiCall call;
  std::uint64_t owner = 0;  ///< a pull session or ordered consumer waiting for it (0: the host)
  /// One deadline for the whole call: pages and merge steps share it.
  std::chrono::milliseconds deadline{0};  ///< engine time
};

/// A publish waiting for its PubAck.
struct JsPubEntry {
  std::uint64_t context = 0;
  std::string subject;
  // With a msg id the server dedupes: a publish in flight when the
  // connection is lost is sent again after the reconnect (kept for that).
  bool resend = false;
  std::string payload;  ///< kept when it may be sent again (resend, retries)
  std::string headers;
  // Retries (PublishOptions::retries): attempts left after this one, the
  // attempt number, and when the next one goes (set while waiting).
  std::uint32_t retries_left = 0;
  std::uint32_t attempt = 0;
  std::chrono::milliseconds timeout{0};
  std::optional<std::chrono::milliseconds> retry_at;
};

/// What a mux request is for.
struct JsMuxTarget {
  enum class Kind : std::uint8_t { call, publish } kind = Kind::call;
  std::uint64_t id = 0;  ///< call or publish id
};

struct JetStreamState {
  std::unordered_map<std::uint64_t, JsContext> contexts;
  std::unordered_map<std::uint64_t, JsCallEntry> calls;
  std::unordered_map<std::uint64_t, JsPubEntry> pubs;
  /// How many pubs wait for a retry (retry_at set): the host asks for the
  /// next deadline after every batch of events, and a scan of a full window
  /// of publishes there was 7% of a JetStream profile.
  std::size_t pubs_waiting_retry = 0;
  std::unordered_map<std::uint64_t, JsMuxTarget> by_mux;    ///< mux request id → target
  std::unordered_map<std::uint64_t, PullSession> pulls;     ///< by session id
  std::unordered_map<std::uint64_t, OrderedState> ordered;  ///< by ordered consumer id
  /// Stream sequences this client acknowledged (or terminated), per
  /// "stream consumer": a redelivery of one (the server lost the ack, e.g.
  /// in a restart) is acknowledged again instead of handed out twice.
  /// At most kAckedKept per consumer (the oldest go).
  std::unordered_map<std::string, std::set<std::uint64_t>> acked;
  static constexpr std::size_t kAckedKept = 65536;
  std::uint64_t next_context = 1;
  std::uint64_t next_op = 1;  ///< calls, publishes, sessions, ordered consumers: one id space

  /// True when `id` names anything in flight.
  bool in_use(std::uint64_t id) const {
    return calls.count(id) != 0 || pubs.count(id) != 0 || pulls.count(id) != 0 ||
           ordered.count(id) != 0;
  }
};

}  // namespace nats::detail
