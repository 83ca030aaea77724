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

/// nats.py's DEFAULT_JS_SUB_PENDING_MSGS_LIMIT and _BYTES_LIMIT.
inline constexpr std::uint64_t kPushPendingMsgsLimit = 512 * 1024;
inline constexpr std::uint64_t kPushPendingBytesLimit = 256 * 1024 * 1024;

/// What a push session subscribes to and watches (nats.js
/// BoundPushConsumerOptions; the consumer's own config for the others).
struct PushOptions {
  std::string deliver_subject;             ///< where the server delivers (required)
  std::string deliver_group;               ///< "": every subscriber gets every message
  Millis idle_heartbeat{0};                ///< the consumer's idle_heartbeat; 0: not watched
  bool abort_on_missing_resource = false;  ///< a deleted consumer ends the session
  /// How much the host may hold unconsumed before messages are dropped and a
  /// "slow_consumer" notification says so (0: no limit). Without flow
  /// control the server does not wait for a slow reader, so this is what
  /// bounds memory; an acknowledged consumer redelivers what was dropped
  /// after its ack_wait. nats.py's js.subscribe defaults.
  std::uint64_t pending_msgs_limit = kPushPendingMsgsLimit;
  std::uint64_t pending_bytes_limit = kPushPendingBytesLimit;
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

/// What nats.py's `js.subscribe(subject, queue, durable=..., ...)` asks for
/// when it makes the push consumer itself (none of that name exists yet).
struct PushSubscribe {
  std::string subject;  ///< what the caller subscribes to: the filter subject
  std::string queue;    ///< "": no queue group; else the deliver group
  std::string name;     ///< push_subscribe_name(); "" for an ephemeral consumer
  std::string inbox;    ///< the deliver subject, unless the config names one
  bool flow_control = false;
  Nanos idle_heartbeat{0};  ///< 0: the config's own
  std::optional<DeliverPolicy> deliver_policy;
  std::optional<bool> headers_only;
  Nanos inactive_threshold{0};  ///< 0: the config's own
};

/// The consumer `js.subscribe` binds to or creates: with a queue, the queue
/// names it (the workers share it); else `durable` ("" for an ephemeral
/// one). illegal_state when both are given and differ, as nats.py refuses.
Result<std::string> push_subscribe_name(std::string_view queue, std::string_view durable);

/// The config `js.subscribe` creates its push consumer with: the caller's
/// config (a ConsumerConfig JSON object, "" for none; fields this core does
/// not model are kept) completed as nats.py completes it. The subscribe
/// subject is the filter unless the config has `filter_subjects`; the
/// config's own durable name, deliver group, deliver subject and
/// headers_only win over the request's; flow control is always the
/// request's. Invalid subjects, queue or inbox are invalid_argument.
Result<std::string> push_subscribe_config(std::string_view config_json,
                                          const PushSubscribe &request);

}  // namespace nats::js
