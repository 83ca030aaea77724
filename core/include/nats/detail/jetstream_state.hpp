#pragma once
/// The engine's JetStream bookkeeping (internal): contexts, API calls and
/// publishes in flight, and which mux request belongs to which of them.

#include <cstdint>
#include <string>
#include <unordered_map>

#include "nats/detail/js_api_call.hpp"
#include "nats/jetstream/api.hpp"

namespace nats::detail {

/// One `jetstream(nc, opts)`.
struct JsContext {
  js::ContextOptions options;
  std::string prefix;          ///< "$JS.API" or "$JS.<domain>.API"
  std::size_t in_flight = 0;   ///< publishes waiting for their ack
};

/// An API call and the context it runs in.
struct JsCallEntry {
  std::uint64_t context = 0;
  std::chrono::milliseconds timeout{0};
  JsApiCall call;
};

/// A publish waiting for its PubAck.
struct JsPubEntry {
  std::uint64_t context = 0;
  std::string subject;
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
  std::unordered_map<std::uint64_t, JsMuxTarget> by_mux;  ///< mux request id → target
  std::uint64_t next_context = 1;
  std::uint64_t next_op = 1;  ///< calls and publishes share one id space
};

}  // namespace nats::detail
