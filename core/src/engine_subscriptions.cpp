// Subscriptions: SUB/UNSUB, delivery of MSG/HMSG, auto-unsubscribe, drain.
#include <algorithm>

#include "nats/encoder.hpp"
#include "nats/engine.hpp"
#include "nats/subject.hpp"

namespace nats {

bool Engine::handle_msg(const Op &op, Event &event) {
  if (state_ == State::awaiting_info || state_ == State::signing) {
    fail({Errc::protocol_error, "message before INFO"});
    return false;
  }
  ++stats_.in_msgs;
  stats_.in_bytes += op.headers.size() + op.payload.size();
  detail::SubEntry *sub = subs_.find(op.sid);
  if (sub == nullptr) return false;  // raced with an UNSUB: drop
  if (sub->owner == detail::SubOwner::mux) return handle_mux_reply(op, event);
  if (sub->owner == detail::SubOwner::internal) return pull_on_message(sub->owner_id, op, event);
  ++sub->delivered;
  if (!sub_timeouts_.empty()) sub_timeouts_.erase(op.sid);  // a message came in time
  if (sub->tracked && !admit(*sub, op.sid, op.headers.size() + op.payload.size())) {
    if (sub->max > 0 && sub->delivered >= sub->max) close_subscription(op.sid, {});
    return false;
  }
  event.type = EventType::message;
  event.id = op.sid;
  event.msg = Message{op.subject, op.reply, op.headers, op.payload, op.sid};
  event.error.reset();
  event.text.clear();
  if (sub->max > 0 && sub->delivered >= sub->max) close_subscription(op.sid, {});
  return true;
}

bool Engine::admit(detail::SubEntry &sub, std::uint64_t sid, std::uint64_t size) {
  auto report = [&](bool dropping) {
    Event ev;
    ev.type = EventType::slow_consumer;
    ev.id = sid;
    ev.num = sub.pending_msgs;
    ev.num2 = sub.dropped;
    ev.flags = dropping ? 1 : 0;
    queue(std::move(ev));
  };
  const bool over_msgs = sub.limit_msgs > 0 && sub.pending_msgs >= sub.limit_msgs;
  const bool over_bytes = sub.limit_bytes > 0 && sub.pending_bytes + size > sub.limit_bytes;
  if (over_msgs || over_bytes) {
    ++sub.dropped;
    if (!sub.drop_reported) {
      sub.drop_reported = true;
      report(true);
    }
    return false;
  }
  ++sub.pending_msgs;
  sub.pending_bytes += size;
  if (sub.slow_at > 0 && sub.pending_msgs > sub.slow_at && !sub.slow_reported) {
    sub.slow_reported = true;
    report(false);
  }
  return true;
}

Error Engine::set_pending_limits(std::uint64_t sid, const PendingLimits &limits) {
  detail::SubEntry *sub = subs_.find(sid);
  if (sub == nullptr || sub->owner != detail::SubOwner::user) {
    return {Errc::bad_subscription, "no open subscription " + std::to_string(sid)};
  }
  sub->tracked = true;
  sub->limit_msgs = limits.msgs;
  sub->limit_bytes = limits.bytes;
  sub->slow_at = limits.slow;
  return {};
}

Error Engine::subscription_consumed(std::uint64_t sid, std::uint64_t msgs, std::uint64_t bytes) {
  detail::SubEntry *sub = subs_.find(sid);
  if (sub == nullptr || !sub->tracked) return {};  // closed meanwhile: nothing to count
  sub->pending_msgs -= std::min(msgs, sub->pending_msgs);
  sub->pending_bytes -= std::min(bytes, sub->pending_bytes);
  // An episode ends once the user caught up: the next one is reported again.
  if (sub->slow_at == 0 || sub->pending_msgs <= sub->slow_at) sub->slow_reported = false;
  const bool under_msgs = sub->limit_msgs == 0 || sub->pending_msgs < sub->limit_msgs;
  const bool under_bytes = sub->limit_bytes == 0 || sub->pending_bytes < sub->limit_bytes;
  if (under_msgs && under_bytes) sub->drop_reported = false;
  return {};
}

std::optional<SubscriptionPending> Engine::subscription_pending(std::uint64_t sid) const {
  const detail::SubEntry *sub = subs_.find(sid);
  if (sub == nullptr || !sub->tracked) return std::nullopt;
  return SubscriptionPending{sub->pending_msgs, sub->pending_bytes, sub->dropped};
}

void Engine::close_subscription(std::uint64_t sid, Error error) {
  subs_.erase(sid);
  sub_timeouts_.erase(sid);
  emit(EventType::subscription_closed, sid, std::move(error));
}

Result<std::uint64_t> Engine::subscribe(std::string_view subject, std::string_view queue,
                                        std::uint64_t max) {
  if (Error e = check_usable(false)) return e;
  if (Error e = validate_subscribe_subject(subject)) return e;
  if (!queue.empty()) {
    if (Error e = validate_queue(queue)) return e;
  }
  detail::SubEntry entry;
  entry.subject.assign(subject);
  entry.queue.assign(queue);
  entry.max = max;
  std::uint64_t sid = subs_.add(std::move(entry));
  // While reconnecting the table is enough: it is replayed on reconnect.
  if (wire_up()) {
    encode_sub(out_, subject, queue, sid);
    if (max > 0) encode_unsub(out_, sid, max);
  }
  return sid;
}

Error Engine::set_subscription_timeout(std::uint64_t sid, Time now, Duration timeout) {
  if (Error e = check_usable(false)) return e;
  detail::SubEntry *sub = subs_.find(sid);
  if (sub == nullptr || sub->owner != detail::SubOwner::user) {
    return {Errc::bad_subscription, "no open subscription " + std::to_string(sid)};
  }
  if (timeout.count() <= 0) return {Errc::invalid_argument, "a subscription timeout must be > 0"};
  if (sub->delivered > 0) return {};  // a message came already: nothing to wait for
  sub_timeouts_[sid] = now + timeout;
  return {};
}

void Engine::expire_subscriptions(Time now) {
  std::vector<std::uint64_t> expired;
  for (const auto &[sid, deadline] : sub_timeouts_) {
    if (deadline <= now) expired.push_back(sid);
  }
  std::sort(expired.begin(), expired.end());
  for (auto sid : expired) {
    if (wire_up()) encode_unsub(out_, sid, 0);
    close_subscription(sid, {Errc::timeout, "no message on the subscription within its timeout"});
  }
}

Error Engine::unsubscribe(std::uint64_t sid, std::uint64_t max) {
  if (state_ == State::closed) return check_usable(true);
  detail::SubEntry *sub = subs_.find(sid);
  if (sub == nullptr || sub->owner != detail::SubOwner::user) {
    return {Errc::bad_subscription, "no open subscription " + std::to_string(sid)};
  }
  if (max == 0 || max <= sub->delivered) {
    if (wire_up()) encode_unsub(out_, sid, 0);
    close_subscription(sid, {});
    return {};
  }
  sub->max = max;
  if (wire_up()) encode_unsub(out_, sid, max);  // else the replay sends what is left
  return {};
}

Error Engine::drain_subscription(std::uint64_t sid) {
  if (state_ == State::closed) return check_usable(true);
  detail::SubEntry *sub = subs_.find(sid);
  if (sub == nullptr || sub->owner != detail::SubOwner::user) {
    return {Errc::bad_subscription, "no open subscription " + std::to_string(sid)};
  }
  if (sub->draining) return {};
  if (!wire_up()) {
    close_subscription(sid, {});  // reconnecting: the server holds nothing for it
    return {};
  }
  sub->draining = true;
  encode_unsub(out_, sid, 0);
  send_ping(PongFor::sub_drain, sid);
  return {};
}

std::size_t Engine::subscription_count() const { return subs_.size() - (mux_.open() ? 1 : 0); }

std::optional<std::pair<std::uint64_t, std::uint64_t>> Engine::subscription_progress(
    std::uint64_t sid) const {
  const detail::SubEntry *sub = subs_.find(sid);
  if (sub == nullptr || sub->owner != detail::SubOwner::user) return std::nullopt;
  return std::make_pair(sub->delivered, sub->max);
}

}  // namespace nats
