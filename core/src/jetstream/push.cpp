// Which consumers a push session can read, and the checks on its options.
#include "nats/jetstream/push.hpp"

#include "nats/subject.hpp"

namespace nats::js {

Error check_push_consumer(const ConsumerInfo &info) {
  const auto &c = info.config;
  if (!c.deliver_subject || c.deliver_subject->empty()) {
    return {Errc::illegal_state,
            "consumer '" + info.name + "' has no deliver_subject: not a push consumer"};
  }
  return {};
}

Result<PushOptions> push_options_of(const ConsumerInfo &info, bool abort_on_missing_resource,
                                    std::optional<std::string_view> queue) {
  if (Error e = check_push_consumer(info)) return e;
  const auto &c = info.config;
  const std::string group = c.deliver_group.value_or("");
  if (queue && *queue != group) {
    return Error{Errc::illegal_state,
                 group.empty() ? "cannot create a queue subscription for a consumer without a "
                                 "deliver group"
                 : queue->empty()
                     ? "cannot create a subscription for a consumer with a deliver group " + group
                     : "cannot create a queue subscription " + std::string(*queue) +
                           " for a consumer with a deliver group " + group};
  }
  if (info.push_bound && group.empty()) {
    return Error{Errc::illegal_state, "consumer '" + info.name + "' is already bound"};
  }
  PushOptions o;
  o.deliver_subject = *c.deliver_subject;
  o.deliver_group = group;
  if (c.idle_heartbeat) {
    o.idle_heartbeat = std::chrono::duration_cast<Millis>(*c.idle_heartbeat);
  }
  o.abort_on_missing_resource = abort_on_missing_resource;
  if (Error e = validate_push_options(o)) return e;
  return o;
}

Error validate_push_options(const PushOptions &o) {
  if (o.deliver_subject.empty()) {
    return {Errc::invalid_argument, "a push consumer needs its deliver_subject"};
  }
  // The server delivers to one literal subject.
  if (Error e = validate_publish_subject(o.deliver_subject)) {
    return {e.code, "deliver_subject: " + e.message};
  }
  if (!o.deliver_group.empty()) {
    if (Error e = validate_queue(o.deliver_group)) return {e.code, "deliver_group: " + e.message};
  }
  if (o.idle_heartbeat.count() < 0) {
    return {Errc::invalid_argument, "idle_heartbeat must be >= 0"};
  }
  return {};
}

}  // namespace nats::js
