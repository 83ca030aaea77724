// The engine's state machine and how the host drives it: connect, bytes in,
// output, timers. Client operations live in engine_*.cpp.
#include "nats/engine.hpp"

#include <algorithm>
#include <array>

#include "nats/encoder.hpp"
#include "nats/subject.hpp"

namespace nats {
namespace {

constexpr std::array kEventTypes{
    EventType::connected,       EventType::message,
    EventType::request_reply,   EventType::request_failed,
    EventType::flush_done,      EventType::subscription_closed,
    EventType::error,           EventType::info,
    EventType::lame_duck,       EventType::closed,
    EventType::transport_open,  EventType::transport_close,
    EventType::request_done,    EventType::js_result,
    EventType::js_pub_ack,      EventType::js_stored_msg,
    EventType::js_msg,          EventType::pull_status,
    EventType::pull_done,       EventType::disconnected,
    EventType::reconnecting,    EventType::reconnected,
    EventType::servers_changed, EventType::slow_consumer,
    EventType::auth_needed,     EventType::sign_nonce,
    EventType::tls_upgrade,
};

Error closed_error(const Error &why) {
  Error e{Errc::connection_closed,
          why ? "connection closed: " + why.message : std::string("connection closed")};
  return e;
}

bool transport_in_use(State s) {
  return s == State::connecting || s == State::awaiting_info || s == State::signing || is_open(s);
}

}  // namespace

std::string_view event_name(EventType type) {
  switch (type) {
    case EventType::connected: return "connected";
    case EventType::message: return "message";
    case EventType::request_reply: return "request_reply";
    case EventType::request_failed: return "request_failed";
    case EventType::flush_done: return "flush_done";
    case EventType::subscription_closed: return "subscription_closed";
    case EventType::error: return "error";
    case EventType::info: return "info";
    case EventType::lame_duck: return "lame_duck";
    case EventType::closed: return "closed";
    case EventType::transport_open: return "transport_open";
    case EventType::transport_close: return "transport_close";
    case EventType::request_done: return "request_done";
    case EventType::js_result: return "js_result";
    case EventType::js_pub_ack: return "js_pub_ack";
    case EventType::js_stored_msg: return "js_stored_msg";
    case EventType::js_msg: return "js_msg";
    case EventType::pull_status: return "pull_status";
    case EventType::pull_done: return "pull_done";
    case EventType::disconnected: return "disconnected";
    case EventType::reconnecting: return "reconnecting";
    case EventType::reconnected: return "reconnected";
    case EventType::servers_changed: return "servers_changed";
    case EventType::slow_consumer: return "slow_consumer";
    case EventType::auth_needed: return "auth_needed";
    case EventType::sign_nonce: return "sign_nonce";
    case EventType::tls_upgrade: return "tls_upgrade";
  }
  return "unknown";
}

std::span<const EventType> all_event_types() { return kEventTypes; }

Error validate_options(const Options &options) {
  if (Error e = validate_publish_subject(options.inbox_prefix)) {
    return {Errc::invalid_argument, "inbox prefix: " + e.message};
  }
  if (options.max_pings_out < 1) return {Errc::invalid_argument, "max_pings_out must be >= 1"};
  if (options.ping_interval.count() < 0 || options.connect_timeout.count() < 0) {
    return {Errc::invalid_argument, "intervals and timeouts must not be negative"};
  }
  if (options.max_reconnect_attempts < -1) {
    return {Errc::invalid_argument, "max_reconnect_attempts must be >= -1"};
  }
  if (options.reconnect_time_wait.count() < 0 || options.reconnect_jitter.count() < 0 ||
      options.reconnect_jitter_tls.count() < 0) {
    return {Errc::invalid_argument, "reconnect waits must not be negative"};
  }
  if (Error e = validate_auth_options(options)) return e;
  for (const auto &s : options.servers) {
    auto url = parse_server_url(s, options.default_scheme, options.schemes);
    if (!url) return url.error();
  }
  return {};
}

Engine::Engine(Options options)
    : options_(std::move(options)),
      parser_(options_.max_control_line, Parser::default_max_payload),
      // Without host randomness the object's address keeps two engines in
      // one process from sharing inbox names.
      nuid_(options_.seed[0], options_.seed[1],
            static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(this))) {
  options_error_ = validate_options(options_);
  if (options_error_) return;
  if (options_.servers.empty()) options_.servers.push_back("127.0.0.1:4222");
  std::vector<ServerUrl> given;
  for (const auto &s : options_.servers) {
    given.push_back(*parse_server_url(s, options_.default_scheme, options_.schemes));
  }
  pool_ = detail::ServerPool(std::move(given), !options_.no_randomize,
                             options_.seed[0] ^ (options_.seed[1] << 1) ^ 0x9e3779b97f4a7c15ULL);
  backoff_ = detail::Backoff{options_.reconnect_time_wait, options_.reconnect_jitter,
                             options_.reconnect_jitter_tls, options_.max_reconnect_attempts};
}

// ---------------------------------------------------------------------------
// The state machine. Every state change goes through move_to(), which checks
// the table in state.cpp; enter() does the work of arriving in a state.
// ---------------------------------------------------------------------------
Error Engine::move_to(State to) {
  if (!legal_move(state_, to)) {
    return {Errc::illegal_state, "cannot move from " + std::string(state_name(state_)) + " to " +
                                     std::string(state_name(to))};
  }
  state_ = to;
  enter(to);
  return {};
}

void Engine::enter(State to) {
  switch (to) {
    case State::disconnected: break;
    case State::connecting: {
      emit(EventType::transport_open, 0, {}, pool_.current().url.str());
      break;
    }
    case State::awaiting_info:
      // Each connection starts with a fresh parser: nothing of an earlier
      // transport may be parsed as this one's.
      parser_.reset();
      pongs_.clear();
      pings_out_ = 0;
      break;
    case State::signing: break;
    case State::handshaking: send_connect(); break;
    case State::connected:
      connect_deadline_.reset();
      auth_errors_in_a_row_ = 0;
      if (options_.ping_interval.count() > 0) next_ping_ = now_ + options_.ping_interval;
      pool_.connected();
      if (ever_connected_) {
        resume_session();
        emit(EventType::reconnected, 0, {}, pool_.current().url.str());
      } else {
        ever_connected_ = true;
        emit(EventType::connected, 0);
      }
      break;
    case State::draining:
      for (auto sid : subs_.sids()) {
        auto *sub = subs_.find(sid);
        if (!sub->draining) encode_unsub(out_, sid, 0);
        sub->draining = true;
      }
      send_ping(PongFor::conn_drain, 0);
      break;
    case State::reconnecting:
      // The host closes whatever transport it has; nothing written for it
      // counts any more (publishes made from now on wait in reconnect_buf_).
      emit(EventType::transport_close, 0);
      out_.clear();
      out_pos_ = 0;
      pongs_.clear();
      pings_out_ = 0;
      next_ping_.reset();
      connect_deadline_.reset();
      probe_deadline_.reset();
      schedule_attempt();
      break;
    case State::closed: enter_closed(); break;
  }
}

void Engine::enter_closed() {
  // The host closes its socket first (after writing what is pending), then
  // everything still waiting ends, in a fixed order: requests, flushes,
  // subscriptions, then the connection itself.
  emit(EventType::transport_close, 0);
  const Error why = last_error_;
  for (auto id : mux_.ids()) {
    if (mux_.find(id)->owner == detail::RequestOwner::internal) {
      js_on_failed(id, closed_error(why));
    } else {
      emit(EventType::request_failed, id, closed_error(why));
    }
  }
  std::vector<std::uint64_t> ids;
  for (const auto &[id, f] : flushes_) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  for (auto id : ids) emit(EventType::flush_done, id, closed_error(why));
  for (auto sid : subs_.sids()) {
    if (subs_.find(sid)->owner == detail::SubOwner::user) {
      emit(EventType::subscription_closed, sid, why);
    }
  }
  // Pull sessions end without an error when the connection closes (as
  // nats.js ends their iterators).
  std::vector<std::uint64_t> pulls;
  for (const auto &[id, p] : js_.pulls) pulls.push_back(id);
  std::sort(pulls.begin(), pulls.end());
  for (auto id : pulls) emit(EventType::pull_done, id);
  js_publish_fail_waiting(closed_error(why));  // retries not yet sent again
  js_.pulls.clear();
  js_.ordered.clear();
  mux_.clear();
  js_.calls.clear();
  js_.pubs.clear();
  js_.pubs_waiting_retry = 0;
  js_.by_mux.clear();
  for (auto &[id, ctx] : js_.contexts) ctx.in_flight = 0;
  flushes_.clear();
  subs_.clear();
  pongs_.clear();
  connect_deadline_.reset();
  next_ping_.reset();
  probe_deadline_.reset();
  attempt_at_.reset();
  reconnect_buf_.clear();
  emit(EventType::closed, 0, why);
}

void Engine::emit(EventType type, std::uint64_t id, Error error, std::string text) {
  Event ev;
  ev.type = type;
  ev.id = id;
  ev.error = std::move(error);
  ev.text = std::move(text);
  events_.push_back(std::move(ev));
}

void Engine::fail(Error error) {
  if (state_ == State::closed) return;
  last_error_ = std::move(error);
  move_to(State::closed);
}

// ---------------------------------------------------------------------------
// Driving
// ---------------------------------------------------------------------------
void Engine::connect(Time now) {
  now_ = now;
  if (state_ != State::disconnected) return;
  if (options_error_) {
    fail(options_error_);
    return;
  }
  if (options_.connect_timeout.count() > 0) connect_deadline_ = now + options_.connect_timeout;
  move_to(State::connecting);
}

void Engine::transport_opened(Time now) {
  now_ = now;
  if (state_ == State::connecting) move_to(State::awaiting_info);
}

void Engine::receive(std::string_view bytes, Time now) {
  now_ = now;
  // Bytes of a transport already given up (closed, or lost: reconnecting)
  // must not be parsed as the next one's.
  if (state_ == State::closed || state_ == State::reconnecting || state_ == State::connecting ||
      state_ == State::disconnected) {
    return;
  }
  parser_.feed(bytes);
}

std::span<char> Engine::prepare_receive(std::size_t n) { return parser_.prepare(n); }

void Engine::commit_receive(std::size_t n, Time now) {
  now_ = now;
  // Bytes that arrive after close are dropped like receive() drops them.
  const bool dropped = state_ == State::closed || state_ == State::reconnecting ||
                       state_ == State::connecting || state_ == State::disconnected;
  parser_.commit(dropped ? 0 : n);
}

void Engine::transport_closed(Time now, std::string_view reason) {
  now_ = now;
  if (state_ == State::closed || state_ == State::disconnected || state_ == State::reconnecting) {
    return;  // not the transport of this session (or none was open)
  }
  // Parse whatever is still buffered first: the server's last words (often
  // an -ERR) explain the EOF better than "connection lost" does. Events
  // taken here go back to the front of the queue, in order.
  Event ev;
  std::vector<Event> earlier;
  while (state_ != State::closed && state_ != State::reconnecting && next_event(ev)) {
    earlier.push_back(std::move(ev));
  }
  events_.insert(events_.begin(), std::make_move_iterator(earlier.begin()),
                 std::make_move_iterator(earlier.end()));
  if (state_ == State::closed || state_ == State::reconnecting) return;
  const bool handshake = state_ != State::connected && state_ != State::draining;
  const std::string why = reason.empty() ? std::string() : ": " + std::string(reason);
  if (state_ == State::connecting) {
    lost({Errc::no_servers, "cannot connect to " + pool_.current().url.str() + why});
  } else {
    lost({Errc::connection_lost, handshake ? "connection closed by the server during the handshake"
                                           : "connection closed by the server"});
  }
}

bool Engine::next_event(Event &event) {
  while (true) {
    if (!events_.empty()) {
      event = std::move(events_.front());
      events_.pop_front();
      return true;
    }
    if (!(state_ == State::awaiting_info || state_ == State::signing || is_open(state_))) {
      return false;
    }
    Op op;
    switch (parser_.next(op)) {
      case ParseStatus::need_more: return false;
      case ParseStatus::error: fail(parser_.error()); continue;
      case ParseStatus::op:
        if (handle_op(op, event)) return true;
        continue;
    }
  }
}

void Engine::consume_output(std::size_t n) {
  out_pos_ = std::min(out_.size(), out_pos_ + n);
  if (out_pos_ == out_.size()) {
    out_.clear();
    out_pos_ = 0;
  }
}

std::string Engine::take_output() {
  if (out_pos_ > 0) {
    out_.erase(0, out_pos_);
    out_pos_ = 0;
  }
  std::string out = std::move(out_);
  out_.clear();
  return out;
}

void Engine::handle_timeout(Time now) {
  now_ = now;
  if (state_ == State::closed) return;
  if (state_ == State::reconnecting && attempt_at_ && now >= *attempt_at_ && online_) {
    attempt();
  }
  if (connect_deadline_ && now >= *connect_deadline_ && transport_in_use(state_) &&
      state_ != State::connected && state_ != State::draining) {
    lost({Errc::timeout, "connect to " + pool_.current().url.str() + " timed out"});
  }
  if (probe_deadline_ && now >= *probe_deadline_) {
    probe_deadline_.reset();
    if (state_ == State::connected) {
      lost({Errc::stale_connection, "stale connection: no PONG to a connection check"});
    }
  }
  if (next_ping_ && now >= *next_ping_) {
    if (state_ == State::connected || state_ == State::draining) {
      if (pings_out_ >= options_.max_pings_out) {
        lost({Errc::stale_connection,
              "stale connection: " + std::to_string(pings_out_) + " PINGs unanswered"});
      } else {
        ++pings_out_;
        send_ping(PongFor::keepalive, 0);
      }
    }
    if (next_ping_) next_ping_ = now + options_.ping_interval;
  }
  if (state_ == State::closed) return;
  expire_requests(now);
  expire_subscriptions(now);
  pull_timeouts(now);
  js_publish_retries(now);
  std::vector<std::uint64_t> expired;
  for (const auto &[id, f] : flushes_) {
    if (f.has_deadline && f.deadline <= now) expired.push_back(id);
  }
  std::sort(expired.begin(), expired.end());
  for (auto id : expired) {
    flushes_.erase(id);  // its PONG, if it ever comes, finds nothing to end
    emit(EventType::flush_done, id, {Errc::timeout, "flush timed out"});
  }
}

std::optional<Time> Engine::next_deadline() const {
  if (state_ == State::closed) return std::nullopt;
  std::optional<Time> best;
  auto take = [&](std::optional<Time> t) {
    if (t && (!best || *t < *best)) best = t;
  };
  take(connect_deadline_);
  take(next_ping_);
  take(probe_deadline_);
  if (state_ == State::reconnecting && online_) take(attempt_at_);
  take(mux_.next_deadline());
  take(pull_next_deadline());
  take(js_publish_next_retry());
  for (const auto &[sid, t] : sub_timeouts_) take(t);
  for (const auto &[id, f] : flushes_) {
    if (f.has_deadline) take(f.deadline);
  }
  return best;
}

const ServerUrl *Engine::current_server() const {
  if (pool_.servers().empty() || state_ == State::disconnected) return nullptr;
  return &pool_.current().url;
}

std::string Engine::new_inbox() { return options_.inbox_prefix + "." + nuid_.next(); }

}  // namespace nats
