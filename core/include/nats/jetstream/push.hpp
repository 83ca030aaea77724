#pragma once
/// Push consumers, as rules: which consumer can be consumed by push, and
/// what a push session needs to know (Engine::push_start runs it).

#include <optional>
#include <string>
#include <string_view>

#include "nats/error.hpp"
#include "nats/jetstream/consumer.hpp"
#include "nats/jetstream/types.hpp"

namespace nats::js {

/// What a push session subscribes to and watches (nats.js
/// BoundPushConsumerOptions; the consumer's own config for the others).
struct PushOptions {
  std::string deliver_subject;             ///< where the server delivers (required)
  std::string deliver_group;               ///< "": every subscriber gets every message
  Millis idle_heartbeat{0};                ///< the consumer's idle_heartbeat; 0: not watched
  bool abort_on_missing_resource = false;  ///< a deleted consumer ends the session
};

/// illegal_state when the consumer has no deliver subject (a pull consumer).
Error check_push_consumer(const ConsumerInfo &info);

/// The push options of a consumer from its info: illegal_state when it has
/// no deliver subject (a pull consumer), or when it is push-bound already
/// and has no deliver group (another subscriber has it, nats.js). With
/// `queue` (nats.py's subscribe), the subscriber's queue must be the
/// consumer's deliver group: none for none, the same name otherwise.
Result<PushOptions> push_options_of(const ConsumerInfo &info, bool abort_on_missing_resource,
                                    std::optional<std::string_view> queue = std::nullopt);

/// Checks options given by hand (a bound push consumer).
Error validate_push_options(const PushOptions &options);

}  // namespace nats::js
