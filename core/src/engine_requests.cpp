// Requests over the shared reply subscription: single replies, the
// requestMany strategies, no-responders detection, timeouts, cancellation.
#include <algorithm>

#include "nats/encoder.hpp"
#include "nats/engine.hpp"

namespace nats {
namespace {

// Only an empty 503 means "no responders"; a 503 with a body is a reply.
bool is_no_responders(const Op &op) {
  return !op.headers.empty() && op.payload.empty() && header_status(op.headers) == 503;
}

}  // namespace

void Engine::ensure_mux() {
  if (mux_.open()) return;
  std::string prefix = new_inbox() + ".";
  detail::SubEntry entry;
  entry.subject = prefix + "*";
  entry.owner = detail::SubOwner::mux;
  std::uint64_t sid = subs_.add(entry);
  if (wire_up()) encode_sub(out_, entry.subject, {}, sid);  // else replayed on reconnect
  mux_.attach(sid, std::move(prefix));
}

Result<std::uint64_t> Engine::start_request(std::string_view subject, std::string_view payload,
                                            std::string_view headers, detail::MuxEntry entry) {
  // Everything is checked before the reply subscription exists: a failed
  // call sends nothing.
  if (Error e = check_usable(false)) return e;
  if (Error e = check_publish(subject, payload, {}, headers)) return e;
  ensure_mux();
  entry.subject.assign(subject);
  std::uint64_t id = mux_.add(std::move(entry));
  write_publish(subject, payload, mux_.prefix() + std::to_string(id), headers);
  return id;
}

Result<std::uint64_t> Engine::request(std::string_view subject, std::string_view payload, Time now,
                                      Duration timeout, std::string_view headers) {
  now_ = now;
  if (timeout.count() <= 0) return Error{Errc::invalid_argument, "request timeout must be > 0"};
  detail::MuxEntry entry;
  entry.strategy = ReplyStrategy::single;
  entry.max_deadline = now + timeout;
  return start_request(subject, payload, headers, std::move(entry));
}

Result<std::uint64_t> Engine::request(std::string_view subject, std::string_view payload, Time now,
                                      Duration timeout, const Headers &headers) {
  if (Error e = headers.validate()) return e;
  return request(subject, payload, now, timeout, std::string_view(headers.encode()));
}

Result<std::uint64_t> Engine::request_many(std::string_view subject, std::string_view payload,
                                           Time now, const RequestManyOptions &options,
                                           const Headers *headers) {
  now_ = now;
  if (options.max_wait.count() <= 0) {
    return Error{Errc::invalid_argument, "requestMany max wait must be > 0"};
  }
  if (options.strategy == ReplyStrategy::single) {
    return Error{Errc::invalid_argument, "requestMany needs a multi-reply strategy"};
  }
  if (options.strategy == ReplyStrategy::count && options.max_messages == 0) {
    return Error{Errc::invalid_argument, "strategy 'count' needs max messages > 0"};
  }
  if (options.strategy == ReplyStrategy::stall && options.stall.count() <= 0) {
    return Error{Errc::invalid_argument, "strategy 'stall' needs a stall > 0"};
  }
  std::string block;
  if (headers != nullptr) {
    if (Error e = headers->validate()) return e;
    block = headers->encode();
  }
  detail::MuxEntry entry;
  entry.strategy = options.strategy;
  entry.max_deadline = now + options.max_wait;
  entry.max_messages = options.max_messages;
  entry.stall = options.stall;
  return start_request(subject, payload, block, std::move(entry));
}

bool Engine::handle_mux_reply(const Op &op, Event &event) {
  auto id = mux_.id_of(op.subject);
  if (!id) return false;
  detail::MuxEntry *r = mux_.find(*id);
  if (r == nullptr) return false;  // timed out or cancelled already
  if (r->owner == detail::RequestOwner::internal) {
    mux_.remove(*id);
    return js_on_reply(*id, op, event);
  }
  event.id = *id;
  event.msg = Message{op.subject, op.reply, op.headers, op.payload, op.sid};
  event.error.reset();
  event.text.clear();
  if (is_no_responders(op)) {
    // Before any reply it is an error; after replies it just ends the stream.
    if (r->count == 0) {
      event.type = EventType::request_failed;
      event.error = {Errc::no_responders, "no responders for '" + r->subject + "'"};
      event.error.subject = r->subject;
    } else {
      event.type = EventType::request_done;
    }
    mux_.remove(*id);
    return true;
  }
  event.type = EventType::request_reply;
  ++r->count;
  bool done = false;
  switch (r->strategy) {
    case ReplyStrategy::single: done = true; break;
    case ReplyStrategy::timer: break;
    case ReplyStrategy::count: break;
    case ReplyStrategy::stall:
      mux_.reschedule(*id, std::min(r->max_deadline, now_ + r->stall));
      break;
    case ReplyStrategy::sentinel: done = op.payload.empty(); break;
  }
  if (r->strategy != ReplyStrategy::single && r->max_messages > 0 && r->count >= r->max_messages) {
    done = true;
  }
  if (done) {
    const bool single = r->strategy == ReplyStrategy::single;
    mux_.remove(*id);
    if (!single) emit(EventType::request_done, *id);
  }
  return true;
}

void Engine::expire_requests(Time now) {
  while (auto expired = mux_.pop_expired(now)) {
    auto &[id, r] = *expired;
    if (r.owner == detail::RequestOwner::internal) {
      Error e{Errc::timeout, "timeout"};
      e.subject = r.subject;
      js_on_failed(id, e);
    } else if (r.strategy == ReplyStrategy::single) {
      Error e{Errc::timeout, "request timed out"};
      e.subject = r.subject;
      emit(EventType::request_failed, id, std::move(e));
    } else {
      emit(EventType::request_done, id);
    }
  }
}

Error Engine::cancel_request(std::uint64_t id) {
  if (state_ == State::closed) return check_usable(true);
  if (mux_.find(id) == nullptr) {
    return {Errc::invalid_argument, "no pending request " + std::to_string(id)};
  }
  mux_.remove(id);
  return {};
}

void Engine::fail_requests(const Error &error, const std::string *subject) {
  for (auto id : mux_.ids()) {
    const detail::MuxEntry *r = mux_.find(id);
    if (subject != nullptr && r->subject != *subject) continue;
    const bool internal = r->owner == detail::RequestOwner::internal;
    mux_.remove(id);
    if (internal) {
      js_on_failed(id, error);
    } else {
      emit(EventType::request_failed, id, error);
    }
  }
}

}  // namespace nats
