// Push sessions: a push consumer's messages arrive on its deliver subject
// without being asked for. They share the pull sessions' state and events
// (engine_pull.cpp); what differs is here: the subscription, flow control
// answered only once the host consumed what came before it (so a slow
// reader stalls the server instead of filling memory), stalled-consumer
// heartbeats, and statuses that notify instead of ending a request.
#include <vector>

#include "nats/engine.hpp"

namespace nats {
namespace {
using Kind = js::PullStatus::Kind;
}  // namespace

Result<std::uint64_t> Engine::push_start(std::uint64_t context, std::string_view stream,
                                         std::string_view consumer, const js::PushOptions &options,
                                         Time now) {
  now_ = now;
  if (Error e = check_usable(false)) return e;
  if (js_.contexts.count(context) == 0) {
    return Error{Errc::invalid_argument, "no JetStream context " + std::to_string(context)};
  }
  if (Error e = js::validate_push_options(options)) return e;
  if (!stream.empty()) {
    if (Error e = js::validate_stream_name(stream)) return e;
  }
  if (!consumer.empty()) {
    if (Error e = js::validate_consumer_name(consumer)) return e;
  }
  // Without a deliver group, two readers of one deliver subject would each
  // get every message: one session per subject (nats.js "already started").
  if (options.deliver_group.empty()) {
    for (const auto &[id, s] : js_.pulls) {
      if (s.options.mode == js::PullMode::push && s.inbox == options.deliver_subject) {
        return Error{Errc::illegal_state, "consumer already started"};
      }
    }
  }
  std::uint64_t id = detail::take_id(js_.next_op, [&](std::uint64_t i) { return js_.in_use(i); });
  detail::PullSession s;
  s.context = context;
  s.stream.assign(stream);
  s.consumer.assign(consumer);
  s.options.mode = js::PullMode::push;
  s.options.idle_heartbeat = options.idle_heartbeat;
  s.options.abort_on_missing_resource = options.abort_on_missing_resource;
  s.inbox = options.deliver_subject;
  s.push_queue = options.deliver_group;
  s.limit_msgs = options.pending_msgs_limit;
  s.limit_bytes = options.pending_bytes_limit;
  js_.pulls.emplace(id, std::move(s));
  pull_subscribe(id);
  return id;
}

void Engine::push_on_status(std::uint64_t id, const js::PullStatus &st, std::string_view reply) {
  auto &s = js_.pulls.at(id);
  switch (st.kind) {
    case Kind::flow_control:
      if (reply.empty()) return;
      s.flow_control.emplace_back(std::string(reply), s.received);
      push_flow_control(id);
      return;
    case Kind::heartbeat:
      pull_notify(id, "heartbeat", {}, st.last_consumer_seq, st.last_stream_seq);
      // The server waits on a flow-control reply it never got (lost with a
      // connection): an empty message to this subject lets it go on, and the
      // same reply, if still queued here, is not sent again.
      if (!st.stalled.empty() && wire_up()) {
        write_publish(st.stalled, {}, {}, {});
        std::erase_if(s.flow_control, [&](const auto &fc) { return fc.first == st.stalled; });
      }
      return;
    default: break;
  }
  const bool deleted = st.kind == Kind::consumer_deleted;
  pull_notify(id, deleted ? "consumer_deleted" : "debug", st.description,
              static_cast<std::uint64_t>(st.code));
  // A consumer made anew under this name owes us nothing it had acked.
  if (deleted) forget_acks(s.stream, s.consumer, 0);
  if (s.options.abort_on_missing_resource) {
    Error e{Errc::js_status_error, st.description};  // nats.js: JetStreamStatusError
    e.status = st.code;
    pull_finish(id, std::move(e));
  }
}

bool Engine::push_admit(std::uint64_t id, std::uint64_t size) {
  auto &s = js_.pulls.at(id);
  if (!s.holds_too_much(size)) return true;
  // The server pushes without waiting (no flow control, or it is not
  // answered yet): what the host cannot hold is dropped, once told per episode.
  ++s.dropped;
  if (!s.drop_reported) {
    s.drop_reported = true;
    pull_notify(id, "slow_consumer", {}, s.dropped, s.unconsumed_msgs);
  }
  return false;
}

void Engine::push_flow_control(std::uint64_t id) {
  auto &s = js_.pulls.at(id);
  const std::uint64_t consumed = s.received - std::min(s.unconsumed_msgs, s.received);
  std::size_t answered = 0;
  for (const auto &[reply, received_then] : s.flow_control) {
    if (received_then > consumed || !wire_up()) break;
    write_publish(reply, {}, {}, {});
    pull_notify(id, "flow_control");
    ++answered;
  }
  s.flow_control.erase(s.flow_control.begin(),
                       s.flow_control.begin() + static_cast<std::ptrdiff_t>(answered));
}

}  // namespace nats
