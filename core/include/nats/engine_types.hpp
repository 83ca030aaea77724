#pragma once
/// The engine's plain option and counter types, and the checks on Options:
/// what hosts fill in or read, apart from the Engine class itself.

#include <cstdint>

#include "nats/detail/request_mux.hpp"  // ReplyStrategy
#include "nats/error.hpp"
#include "nats/options.hpp"

namespace nats {

/// Counters since connect.
struct Stats {
  std::uint64_t in_msgs = 0, out_msgs = 0, in_bytes = 0, out_bytes = 0;
};

/// How much a subscription may hold that the user has not taken yet (core
/// NATS; pull consumers never drop, they stop pulling; push consumers have
/// js::PushOptions' limits).
struct PendingLimits {
  std::uint64_t msgs = 0;   ///< over it, messages are dropped (0: no limit)
  std::uint64_t bytes = 0;  ///< headers + payload; over it, dropped (0: no limit)
  std::uint64_t slow = 0;   ///< pending messages over it report a slow consumer (0: off)
};

/// A subscription's pending counts.
struct SubscriptionPending {
  std::uint64_t msgs = 0, bytes = 0, dropped = 0;
};

/// Options of a multi-reply request (nats.js requestMany).
struct RequestManyOptions {
  ReplyStrategy strategy = ReplyStrategy::timer;
  Duration max_wait{1000};         ///< bounds every strategy
  std::uint64_t max_messages = 0;  ///< count: required; others: an upper bound when > 0
  Duration stall{300};             ///< stall: silence after a reply that ends it
};

/// Checks options before use (server URLs, inbox prefix, intervals).
/// Engine::connect() closes with this error when it is set.
Error validate_options(const Options &options);
/// Checks the auth options: a seed or `.creds` text that cannot be read is
/// invalid_argument before any connection is made.
Error validate_auth_options(const Options &options);

}  // namespace nats
