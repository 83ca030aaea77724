// Pull sessions: fetch, consume and nats.py's fetch. The engine owns the
// inbox, the pull requests, the pending counts, the idle-heartbeat deadline,
// every status message and recovery; hosts turn js_msg/pull_status/pull_done
// into iterators. Push sessions share this state (engine_push.cpp); acks are
// in engine_acks.cpp.
#include <algorithm>

#include "nats/encoder.hpp"
#include "nats/engine.hpp"
#include "nats/subject.hpp"

namespace nats {
namespace {

using Kind = js::PullStatus::Kind;
// How long past a fetch request's expiry the engine waits for the server's
// 408 before it ends the fetch itself.
constexpr js::Millis kFetchGrace{1000};

// A status message on a pull inbox: headers, no payload, a status code.
bool is_status(const Op &op) {
  return !op.headers.empty() && op.payload.empty() && header_status(op.headers) != 0;
}

// What a message costs against max_bytes (the server counts these).
std::uint64_t message_size(const Op &op) {
  return op.subject.size() + op.reply.size() + op.headers.size() + op.payload.size();
}

}  // namespace

Result<std::uint64_t> Engine::pull_start(std::uint64_t context, std::string_view stream,
                                         std::string_view consumer, const js::PullOptions &options,
                                         Time now) {
  now_ = now;
  if (Error e = check_usable(false)) return e;
  if (js_.contexts.count(context) == 0) {
    return Error{Errc::invalid_argument, "no JetStream context " + std::to_string(context)};
  }
  if (Error e = js::validate_stream_name(stream)) return e;
  if (Error e = js::validate_consumer_name(consumer)) return e;
  auto opts = js::normalize_pull_options(options);
  if (!opts) return opts.error();
  std::uint64_t id = detail::take_id(js_.next_op, [&](std::uint64_t i) { return js_.in_use(i); });
  detail::PullSession s;
  s.context = context;
  s.stream.assign(stream);
  s.consumer.assign(consumer);
  s.options = *opts;
  js_.pulls.emplace(id, std::move(s));
  pull_subscribe(id);
  pull_refill(id);
  return id;
}

void Engine::pull_subscribe(std::uint64_t id) {
  auto &s = js_.pulls.at(id);
  if (s.options.mode != js::PullMode::push) s.inbox = new_inbox();  // push: the deliver subject
  detail::SubEntry entry;
  entry.subject = s.inbox;
  entry.queue = s.push_queue;
  entry.owner = detail::SubOwner::internal;
  entry.owner_id = id;
  s.sid = subs_.add(entry);
  if (wire_up()) encode_sub(out_, s.inbox, s.push_queue, s.sid);
  s.pending_msgs = 0;
  s.pending_bytes = 0;
  s.heartbeat_deadline = now_ + 2 * s.options.idle_heartbeat;
}

void Engine::pull_unsubscribe(std::uint64_t id) {
  auto &s = js_.pulls.at(id);
  if (s.sid == 0) return;
  if (wire_up()) encode_unsub(out_, s.sid, 0);
  subs_.erase(s.sid);
  s.sid = 0;
}

void Engine::pull_send(std::uint64_t id, std::uint64_t batch, std::uint64_t bytes, bool no_wait) {
  auto &s = js_.pulls.at(id);
  const auto &ctx = js_.contexts.at(s.context);
  const std::string subject = ctx.prefix + ".CONSUMER.MSG.NEXT." + s.stream + "." + s.consumer;
  // no_wait alone asks "what is there now" (404 when nothing); with expires
  // a 2.9 server would wait out the expiry first.
  const auto expires = no_wait ? js::Millis{0} : s.options.expires;
  const auto heartbeat = no_wait ? js::Millis{0} : s.options.idle_heartbeat;
  const std::string body = js::pull_request_json(batch, bytes, expires, heartbeat, no_wait);
  write_publish(subject, body, s.inbox, {});
  s.pending_msgs += batch;
  s.pending_bytes += bytes;
  s.heartbeat_deadline = now_ + 2 * s.options.idle_heartbeat;
  if (s.options.mode != js::PullMode::consume) {
    s.end_at = now_ + (no_wait ? js::Millis{0} : s.options.expires) + kFetchGrace;
  }
}

void Engine::pull_refill(std::uint64_t id) {
  auto &s = js_.pulls.at(id);
  if (s.sid == 0 || !wire_up()) return;
  const auto &o = s.options;
  switch (o.mode) {
    case js::PullMode::push: return;  // the server sends without being asked
    case js::PullMode::fetch:
      if (s.received == 0 && s.pending_msgs == 0) pull_send(id, o.max_messages, o.max_bytes, false);
      return;
    case js::PullMode::fetch_prompt:
      if (s.received == 0 && s.pending_msgs == 0 && !s.waiting_phase) {
        s.deadline = now_ + o.expires;
        pull_send(id, o.max_messages, o.max_bytes, true);
      }
      return;
    case js::PullMode::consume: {
      // Messages still with the host count as outstanding: a slow reader
      // stops the pulls instead of piling messages up.
      const std::uint64_t out_msgs = s.pending_msgs + s.unconsumed_msgs;
      const std::uint64_t out_bytes = s.pending_bytes + s.unconsumed_bytes;
      const bool by_bytes = o.max_bytes > 0;
      if (by_bytes ? out_bytes > o.threshold_bytes : out_msgs > o.threshold_messages) return;
      if (out_msgs >= o.max_messages) return;
      const std::uint64_t batch = o.max_messages - out_msgs;
      const std::uint64_t bytes = by_bytes && o.max_bytes > out_bytes ? o.max_bytes - out_bytes : 0;
      if (by_bytes && bytes == 0) return;
      pull_send(id, batch, bytes, false);
      return;
    }
  }
}

void Engine::pull_notify(std::uint64_t id, std::string_view type, std::string detail,
                         std::uint64_t a, std::uint64_t b) {
  Event ev;
  ev.type = EventType::pull_status;
  ev.id = id;
  ev.text.assign(type);
  ev.text2 = std::move(detail);
  ev.num = a;
  ev.num2 = b;
  queue(std::move(ev));
}

void Engine::pull_finish(std::uint64_t id, Error error) {
  auto it = js_.pulls.find(id);
  if (it == js_.pulls.end()) return;
  forget_acks(it->second.stream, it->second.consumer, id);
  pull_unsubscribe(id);
  if (it->second.pending_call != 0) js_.calls.erase(it->second.pending_call);
  if (it->second.ordered != 0) {
    if (auto o = js_.ordered.find(it->second.ordered); o != js_.ordered.end())
      o->second.session = 0;
  }
  js_.pulls.erase(it);
  emit(EventType::pull_done, id, std::move(error));
}

bool Engine::pull_on_message(std::uint64_t id, const Op &op, Event &event) {
  auto it = js_.pulls.find(id);
  if (it == js_.pulls.end()) return false;
  auto &s = it->second;
  s.heartbeat_deadline = now_ + 2 * s.options.idle_heartbeat;
  s.heartbeats_missed = 0;
  if (is_status(op)) {
    auto h = Headers::parse(op.headers);
    if (!h) return false;
    if (s.options.mode == js::PullMode::push) {
      push_on_status(id, js::classify_pull_status(*h), op.reply);
    } else {
      pull_on_status(id, js::classify_pull_status(*h));
    }
    return false;
  }
  auto info = js::parse_ack_reply(op.reply);
  std::optional<js::kv::Operation> kv_op;
  std::string_view kv_key;
  bool caught_up_now = false;
  if (s.ordered != 0) {
    auto &o = js_.ordered.at(s.ordered);
    if (!info || info->consumer_seq != o.deliver_seq + 1) {
      ordered_reset(id);  // a gap: this message and what follows come again
      return false;
    }
    o.deliver_seq = info->consumer_seq;
    o.stream_seq = info->stream_seq;
    o.received_any = true;
    if (!o.caught_up && info->pending == 0) {
      o.caught_up = true;  // the last of what was there when the watch began
      caught_up_now = true;
    }
    if (!o.kv_bucket.empty()) {
      kv_op = js::kv::operation_of(op.headers);
      const std::size_t prefix = 4 + o.kv_bucket.size() + 1;  // "$KV.<bucket>."
      kv_key = op.subject.size() > prefix ? op.subject.substr(prefix) : std::string_view{};
      using js::kv::Ignore;
      using js::kv::Operation;
      const bool skip = !kv_op || (o.kv_ignore == Ignore::deletes && *kv_op == Operation::del) ||
                        (o.kv_ignore == Ignore::deletes_and_purges && *kv_op != Operation::put);
      if (skip) {
        // Not an entry for this watch: consumed here, never handed out.
        const std::uint64_t size = message_size(op);
        s.pending_msgs = s.pending_msgs > 0 ? s.pending_msgs - 1 : 0;
        s.pending_bytes = s.pending_bytes > size ? s.pending_bytes - size : 0;
        if (caught_up_now) pull_notify(id, "caught_up");
        pull_refill(id);
        return false;
      }
    }
  }
  const std::uint64_t size = message_size(op);
  s.pending_msgs = s.pending_msgs > 0 ? s.pending_msgs - 1 : 0;
  s.pending_bytes = s.pending_bytes > size ? s.pending_bytes - size : 0;
  if (info && s.ordered == 0 && !js_.acked.empty() && acked_before(s, info->stream_seq)) {
    // Acknowledged already while this consumer was being consumed here: the
    // server lost our ack or its delivery state (a restart, a failover).
    // Tell it again; the user does not see the message twice.
    write_publish(op.reply, js::ack_payload(js::AckKind::ack), {}, {});
    ++s.redelivered_acked;
    if (s.options.mode == js::PullMode::push) {
      push_flow_control(id);
    } else if (s.options.mode == js::PullMode::consume) {
      pull_refill(id);
    } else if (s.pending_msgs == 0 || (s.options.max_bytes > 0 && s.pending_bytes == 0)) {
      pull_finish(id, {});
    }
    return false;
  }
  if (s.options.mode == js::PullMode::push && !push_admit(id, size)) return false;
  ++s.received;
  const bool keeps_going =
      s.options.mode == js::PullMode::consume || s.options.mode == js::PullMode::push;
  if (keeps_going) {
    ++s.unconsumed_msgs;
    s.unconsumed_bytes += size;
  }
  event = Event{};
  event.type = EventType::js_msg;
  event.id = id;
  event.msg = Message{op.subject, op.reply, op.headers, op.payload, op.sid};
  if (info) {
    event.num = info->stream_seq;
    event.num2 = info->consumer_seq;
    event.flags = static_cast<std::uint32_t>(std::min<std::uint64_t>(info->delivered, 0xFFFFFFFFu));
  }
  if (kv_op) {
    // A watch entry: the key for the subject, the operation for num2.
    event.msg.subject = kv_key;
    event.num2 = static_cast<std::uint64_t>(*kv_op);
  }
  if (caught_up_now) pull_notify(id, "caught_up");  // queued: it follows this entry
  if (s.options.mode == js::PullMode::push) {
    // Nothing to ask for: the server sends until flow control holds it.
  } else if (s.options.mode == js::PullMode::consume) {
    pull_refill(id);
  } else if (s.pending_msgs == 0 || (s.options.max_bytes > 0 && s.pending_bytes == 0)) {
    pull_finish(id, {});  // the batch is complete: done after this message
  }
  return true;
}

void Engine::pull_on_status(std::uint64_t id, const js::PullStatus &st) {
  auto &s = js_.pulls.at(id);
  const bool consume = s.options.mode == js::PullMode::consume;
  auto status_error = [&] {
    Error e{Errc::js_status_error, st.description};
    e.status = st.code;
    return e;
  };
  switch (st.kind) {
    case Kind::heartbeat:
      pull_notify(id, "heartbeat", {}, st.last_consumer_seq, st.last_stream_seq);
      return;
    case Kind::flow_control:  // push sessions only (engine_push.cpp)
      pull_notify(id, "debug", st.description, st.code);
      return;
    case Kind::request_timeout:
    case Kind::interest_expired:
    case Kind::max_bytes:
    case Kind::requests_pending:
    case Kind::no_messages: {
      // The request ended; what it did not use is no longer pending.
      const std::uint64_t left = st.kind == Kind::no_messages || st.kind == Kind::requests_pending
                                     ? s.pending_msgs
                                     : std::min(st.pending_messages, s.pending_msgs);
      const std::uint64_t left_bytes = std::min(st.pending_bytes, s.pending_bytes);
      s.pending_msgs -= left;
      s.pending_bytes -= left_bytes;
      const bool told = st.kind != Kind::no_messages && st.kind != Kind::requests_pending;
      if (told && (left > 0 || left_bytes > 0)) {
        pull_notify(id, "discard", st.description, left, left_bytes);
      }
      if (consume) {
        if (st.kind != Kind::request_timeout) pull_notify(id, "debug", st.description, st.code);
        pull_refill(id);
        return;
      }
      if (s.options.mode == js::PullMode::fetch_prompt && !s.waiting_phase && s.received == 0) {
        // Nothing there now: wait for the first message until the deadline.
        s.waiting_phase = true;
        const auto left_time = s.deadline > now_ ? s.deadline - now_ : Duration{0};
        if (left_time.count() > 0) {
          const auto keep = s.options.expires;
          s.options.expires = left_time;
          s.options.idle_heartbeat = std::min(s.options.idle_heartbeat, left_time / 2);
          pull_send(id, s.options.max_messages, s.options.max_bytes, false);
          s.options.expires = keep;
          return;
        }
      }
      if (s.pending_msgs == 0) pull_finish(id, {});
      return;
    }
    case Kind::consumer_deleted:
    case Kind::push_based:
      if (!consume || s.options.abort_on_missing_resource || st.kind == Kind::push_based) {
        Error e = status_error();
        if (st.kind == Kind::consumer_deleted) e.code = Errc::consumer_deleted;
        pull_finish(id, std::move(e));
        return;
      }
      pull_notify(id, "consumer_deleted", st.description, st.code);
      forget_acks(s.stream, s.consumer, 0);  // a new one by that name owes us nothing
      // An ordered consumer is ours to recreate: at once. A named one may
      // come back; lost heartbeats look for it (nats.js).
      if (s.ordered != 0) ordered_reset(id);
      return;
    case Kind::exceeded_limits:
    case Kind::leadership_change:
      if (!consume) {
        pull_finish(id, status_error());
        return;
      }
      pull_notify(id, st.kind == Kind::leadership_change ? "debug" : "exceeded_limits",
                  st.description, st.code);
      if (st.kind == Kind::leadership_change) {
        s.pending_msgs = 0;
        s.pending_bytes = 0;
        pull_refill(id);
      }
      return;
    case Kind::bad_request: pull_finish(id, status_error()); return;
    case Kind::no_responders:
      if (!consume) {
        pull_finish(id, status_error());
        return;
      }
      pull_notify(id, "no_responders", st.description, st.code);
      return;
    case Kind::other: pull_notify(id, "debug", st.description, st.code); return;
  }
}

Error Engine::pull_consumed(std::uint64_t id, std::uint64_t msgs, std::uint64_t bytes) {
  auto it = js_.pulls.find(id);
  if (it == js_.pulls.end()) return {};  // ended already: nothing to pull for
  auto &s = it->second;
  s.unconsumed_msgs -= std::min(msgs, s.unconsumed_msgs);
  s.unconsumed_bytes -= std::min(bytes, s.unconsumed_bytes);
  if (s.options.mode == js::PullMode::push) {
    if (!s.holds_too_much(0)) s.drop_reported = false;  // a later overflow is a new episode
    push_flow_control(id);
  } else {
    pull_refill(id);
  }
  return {};
}

Error Engine::pull_stop(std::uint64_t id) {
  if (js_.pulls.count(id) == 0) {
    return {Errc::invalid_argument, "no pull session " + std::to_string(id)};
  }
  pull_finish(id, {});
  return {};
}

}  // namespace nats
