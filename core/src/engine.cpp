#include "nats/engine.hpp"

#include <algorithm>
#include <charconv>

#include "nats/encoder.hpp"
#include "nats/subject.hpp"

namespace nats {
namespace {

// Inbound messages may exceed max_payload by what the server adds (e.g.
// JetStream headers on a full-size stored message): accept that much more.
constexpr std::size_t kInboundSlack = 64 * 1024;

constexpr std::string_view kAlphabet =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

std::string lower(std::string_view s) {
  std::string out(s);
  for (char &c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

// The n-th double-quoted string in text (0-based), or empty.
std::string_view quoted(std::string_view text, int n) {
  std::size_t pos = 0;
  for (int i = 0;; ++i) {
    std::size_t open = text.find('"', pos);
    if (open == std::string_view::npos) return {};
    std::size_t close = text.find('"', open + 1);
    if (close == std::string_view::npos) return {};
    if (i == n) return text.substr(open + 1, close - open - 1);
    pos = close + 1;
  }
}

Error closed_error(const Error &why) {
  if (why) return {Errc::connection_closed, "connection closed: " + why.message};
  return {Errc::connection_closed, "connection closed"};
}

}  // namespace

std::string_view state_name(State s) {
  switch (s) {
    case State::awaiting_info: return "awaiting_info";
    case State::connecting: return "connecting";
    case State::connected: return "connected";
    case State::draining: return "draining";
    case State::closed: return "closed";
  }
  return "unknown";
}

Engine::Engine(Options options)
    : options_(std::move(options)),
      parser_(options_.max_control_line, Parser::default_max_payload) {
  // Hosts pass real randomness. Without it, the object's address keeps two
  // engines in one process from sharing inbox names (xorshift128+ also must
  // not start at zero).
  const std::uint64_t fallback =
      options_.seed[0] == 0 && options_.seed[1] == 0
          ? static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(this))
          : 0;
  rng_[0] = options_.seed[0] ^ fallback ^ 0x9E3779B97F4A7C15ULL;
  rng_[1] = options_.seed[1] ^ (fallback << 17) ^ 0xD1B54A32D192ED03ULL;
}

// ---------------------------------------------------------------------------
// The state machine. Every state change goes through here; the table of
// legal moves and the work done on entering each state are in one place:
//
//   awaiting_info --INFO--> connecting --PONG--> connected --drain()--> draining
//         |                     |                    |                      |
//         +---------------------+--------------------+---- fail/close ------+--> closed
//   draining --final PONG--> closed
// ---------------------------------------------------------------------------
void Engine::transition(State to) {
  const State from = state_;
  bool legal = false;
  switch (to) {
    case State::awaiting_info: legal = false; break;
    case State::connecting: legal = from == State::awaiting_info; break;
    case State::connected: legal = from == State::connecting; break;
    case State::draining: legal = from == State::connected; break;
    case State::closed: legal = from != State::closed; break;
  }
  if (!legal) return;
  state_ = to;

  switch (to) {
    case State::awaiting_info: break;
    case State::connecting: {
      ConnectFields f{options_.name, options_.lang, options_.version, options_.token,
                      options_.user, options_.pass, options_.echo};
      encode_connect(out_, connect_json(f));
      send_ping(PongFor::handshake, 0);
      break;
    }
    case State::connected:
      connect_deadline_.reset();
      queue({EventType::connected, 0, {}, {}});
      break;
    case State::draining:
      for (auto &[sid, sub] : subs_) {
        if (!sub.draining) encode_unsub(out_, sid, 0);
        sub.draining = true;
      }
      send_ping(PongFor::conn_drain, 0);
      break;
    case State::closed: {
      // Everything still waiting ends now, in a fixed order: requests,
      // flushes, subscriptions, then the connection itself.
      const Error why = last_error_;
      std::vector<std::uint64_t> ids;
      for (const auto &[id, r] : requests_) ids.push_back(id);
      std::sort(ids.begin(), ids.end());
      for (auto id : ids) queue({EventType::request_failed, id, {}, closed_error(why)});
      ids.clear();
      for (const auto &[id, f] : flushes_) ids.push_back(id);
      std::sort(ids.begin(), ids.end());
      for (auto id : ids) queue({EventType::flush_done, id, {}, closed_error(why)});
      ids.clear();
      for (const auto &[sid, s] : subs_) {
        if (sid != mux_sid_) ids.push_back(sid);
      }
      std::sort(ids.begin(), ids.end());
      for (auto sid : ids) queue({EventType::subscription_closed, sid, {}, why});
      requests_.clear();
      request_deadlines_.clear();
      flushes_.clear();
      flush_deadlines_.clear();
      subs_.clear();
      mux_sid_ = 0;
      mux_prefix_.clear();
      pongs_.clear();
      connect_deadline_.reset();
      next_ping_.reset();
      queue({EventType::closed, 0, {}, why});
      break;
    }
  }
}

void Engine::fail(Error error) {
  if (state_ == State::closed) return;
  last_error_ = std::move(error);
  transition(State::closed);
}

// ---------------------------------------------------------------------------
// Driving
// ---------------------------------------------------------------------------
void Engine::start(Time now) {
  if (state_ != State::awaiting_info) return;
  if (Error e = validate_options(options_)) {
    fail(std::move(e));
    return;
  }
  if (options_.connect_timeout.count() > 0) connect_deadline_ = now + options_.connect_timeout;
  if (options_.ping_interval.count() > 0) next_ping_ = now + options_.ping_interval;
}

void Engine::receive(std::string_view bytes) {
  if (state_ == State::closed) return;
  parser_.feed(bytes);
}

std::span<char> Engine::prepare_receive(std::size_t n) { return parser_.prepare(n); }

void Engine::commit_receive(std::size_t n) {
  // Bytes that arrive after close are dropped like receive() drops them.
  parser_.commit(state_ == State::closed ? 0 : n);
}

void Engine::receive_eof() {
  if (state_ == State::closed) return;
  // Parse whatever is still buffered first: the server's last words (often
  // an -ERR) explain the EOF better than "connection lost" does. Events
  // taken here go back to the front of the queue, in order.
  Event ev;
  std::vector<Event> earlier;
  while (state_ != State::closed && next_event(ev)) earlier.push_back(std::move(ev));
  events_.insert(events_.begin(), std::make_move_iterator(earlier.begin()),
                 std::make_move_iterator(earlier.end()));
  if (state_ == State::closed) return;
  fail({Errc::connection_lost, state_ == State::awaiting_info || state_ == State::connecting
                                   ? "connection closed by the server during the handshake"
                                   : "connection closed by the server"});
}

bool Engine::next_event(Event &event) {
  while (true) {
    if (!events_.empty()) {
      event = std::move(events_.front());
      events_.pop_front();
      return true;
    }
    if (state_ == State::closed) return false;
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
  if (state_ == State::closed) return;
  if (connect_deadline_ && now >= *connect_deadline_) {
    fail({Errc::timeout, "connect timed out"});
    return;
  }
  if (next_ping_ && now >= *next_ping_) {
    if (state_ == State::connected || state_ == State::draining) {
      if (pings_out_ >= options_.max_pings_out) {
        fail({Errc::stale_connection,
              "stale connection: " + std::to_string(pings_out_) + " PINGs unanswered"});
        return;
      }
      ++pings_out_;
      send_ping(PongFor::keepalive, 0);
    }
    next_ping_ = now + options_.ping_interval;
  }
  while (!request_deadlines_.empty() && request_deadlines_.begin()->first <= now) {
    auto id = request_deadlines_.begin()->second;
    request_deadlines_.erase(request_deadlines_.begin());
    requests_.erase(id);
    queue({EventType::request_failed, id, {}, {Errc::timeout, "request timed out"}});
  }
  while (!flush_deadlines_.empty() && flush_deadlines_.begin()->first <= now) {
    auto id = flush_deadlines_.begin()->second;
    flush_deadlines_.erase(flush_deadlines_.begin());
    flushes_.erase(id);  // its PONG, if it ever comes, finds nothing to end
    queue({EventType::flush_done, id, {}, {Errc::timeout, "flush timed out"}});
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
  if (!request_deadlines_.empty()) take(request_deadlines_.begin()->first);
  if (!flush_deadlines_.empty()) take(flush_deadlines_.begin()->first);
  return best;
}

// ---------------------------------------------------------------------------
// Server operations
// ---------------------------------------------------------------------------
bool Engine::handle_op(const Op &op, Event &event) {
  switch (op.type) {
    case OpType::msg:
    case OpType::hmsg: return handle_msg(op, event);
    case OpType::ping: encode_pong(out_); return false;
    case OpType::pong: handle_pong(); return false;
    case OpType::ok: return false;
    case OpType::err: handle_err(op.text); return false;
    case OpType::info: handle_info(op.text); return false;
  }
  return false;
}

bool Engine::handle_msg(const Op &op, Event &event) {
  if (state_ == State::awaiting_info) {
    fail({Errc::protocol_error, "message before INFO"});
    return false;
  }
  ++stats_.in_msgs;
  stats_.in_bytes += op.headers.size() + op.payload.size();
  auto it = subs_.find(op.sid);
  if (it == subs_.end()) return false;  // raced with an UNSUB: drop
  if (op.sid == mux_sid_) return handle_request_reply(op, event);
  Subscription &sub = it->second;
  ++sub.delivered;
  event.type = EventType::message;
  event.id = op.sid;
  event.msg = Message{op.subject, op.reply, op.headers, op.payload, op.sid};
  event.error = Error{};
  if (sub.max > 0 && sub.delivered >= sub.max) close_subscription(op.sid, {});
  return true;
}

bool Engine::handle_request_reply(const Op &op, Event &event) {
  if (op.subject.size() <= mux_prefix_.size() ||
      op.subject.substr(0, mux_prefix_.size()) != mux_prefix_) {
    return false;
  }
  std::string_view token = op.subject.substr(mux_prefix_.size());
  std::uint64_t id = 0;
  auto [p, ec] = std::from_chars(token.data(), token.data() + token.size(), id);
  if (ec != std::errc() || p != token.data() + token.size()) return false;
  auto it = requests_.find(id);
  if (it == requests_.end()) return false;  // timed out or cancelled already
  request_deadlines_.erase({it->second.deadline, id});
  std::string subject = std::move(it->second.subject);
  requests_.erase(it);
  event.id = id;
  event.msg = Message{op.subject, op.reply, op.headers, op.payload, op.sid};
  // Only an empty 503 means "no responders"; a 503 with a body is a reply.
  if (!op.headers.empty() && op.payload.empty() && header_status(op.headers) == 503) {
    event.type = EventType::request_failed;
    event.error = {Errc::no_responders, "no responders for '" + subject + "'"};
  } else {
    event.type = EventType::request_reply;
    event.error = Error{};
  }
  return true;
}

void Engine::handle_info(std::string_view json) {
  auto parsed = parse_server_info(json);
  if (!parsed) {
    fail(parsed.error());
    return;
  }
  bool was_lame = info_.lame_duck;
  info_ = std::move(*parsed);
  info_json_.assign(json);
  parser_.set_max_payload(info_.max_payload + kInboundSlack);
  if (!saw_info_) {
    saw_info_ = true;
    transition(State::connecting);
    return;
  }
  queue({EventType::info, 0, {}, {}});
  if (info_.lame_duck && !was_lame) queue({EventType::lame_duck, 0, {}, {}});
}

void Engine::handle_err(std::string_view text) {
  const std::string l = lower(text);
  auto has = [&](std::string_view s) { return l.find(s) != std::string::npos; };
  if (has("permissions violation")) {
    Error err{Errc::permission_violation, std::string(text)};
    std::string_view subject = quoted(text, 0);
    if (has("for subscription") && mux_sid_ != 0 && subject == mux_prefix_ + "*") {
      // No reply subscription means no request can ever get a reply.
      subs_.erase(mux_sid_);
      mux_sid_ = 0;
      mux_prefix_.clear();
      fail_requests([](const Request &) { return true; }, err);
    } else if (has("for subscription")) {
      std::string_view queue_name = has("using queue") ? quoted(text, 1) : std::string_view{};
      std::vector<std::uint64_t> hit;
      for (const auto &[sid, s] : subs_) {
        if (sid != mux_sid_ && s.subject == subject && s.queue == queue_name) hit.push_back(sid);
      }
      std::sort(hit.begin(), hit.end());
      for (auto sid : hit) close_subscription(sid, err);
    } else if (has("for publish")) {
      fail_requests([&](const Request &r) { return r.subject == subject; }, err);
    }
    queue({EventType::error, 0, {}, err});
    return;
  }
  if (has("invalid subject")) {
    // The server keeps the connection open after this one.
    queue({EventType::error, 0, {}, {Errc::server_error, std::string(text)}});
    return;
  }
  Errc code = Errc::server_error;
  if (has("authorization violation") || has("authentication")) {
    code = Errc::authorization_violation;
  } else if (has("maximum payload")) {
    code = Errc::max_payload_violation;
  } else if (has("stale connection")) {
    code = Errc::stale_connection;
  }
  fail({code, std::string(text)});
}

void Engine::handle_pong() {
  pings_out_ = 0;  // any PONG proves the server is alive
  if (pongs_.empty()) return;
  PongWaiter w = pongs_.front();
  pongs_.pop_front();
  switch (w.kind) {
    case PongFor::handshake: transition(State::connected); break;
    case PongFor::keepalive: break;
    case PongFor::flush:
      if (auto it = flushes_.find(w.id); it != flushes_.end()) {
        if (it->second.has_deadline) flush_deadlines_.erase({it->second.deadline, w.id});
        flushes_.erase(it);
        queue({EventType::flush_done, w.id, {}, {}});
      }
      break;
    case PongFor::sub_drain:
      if (subs_.count(w.id) != 0) close_subscription(w.id, {});
      break;
    case PongFor::conn_drain: transition(State::closed); break;
  }
}

void Engine::send_ping(PongFor kind, std::uint64_t id) {
  encode_ping(out_);
  pongs_.push_back({kind, id});
}

void Engine::close_subscription(std::uint64_t sid, Error error) {
  subs_.erase(sid);
  queue({EventType::subscription_closed, sid, {}, std::move(error)});
}

// ---------------------------------------------------------------------------
// Client operations
// ---------------------------------------------------------------------------
Error Engine::check_usable(bool allow_draining) const {
  switch (state_) {
    case State::closed: return closed_error(last_error_);
    case State::draining:
      if (allow_draining) return {};
      return {Errc::connection_draining, "connection is draining"};
    case State::awaiting_info: return {Errc::not_connected, "not connected yet (no INFO)"};
    case State::connecting:
    case State::connected: return {};
  }
  return {};
}

Error Engine::check_publish(std::string_view subject, std::string_view payload,
                            std::string_view reply, std::string_view headers) const {
  if (Error e = validate_publish_subject(subject)) return e;
  if (!reply.empty()) {
    if (Error e = validate_publish_subject(reply)) {
      return {Errc::invalid_subject, "reply " + e.message};
    }
  }
  if (!headers.empty()) {
    if (!info_.headers) return {Errc::invalid_header, "the server does not support headers"};
    if (headers.substr(0, 8) != "NATS/1.0" || headers.size() < 12 ||
        headers.substr(headers.size() - 4) != "\r\n\r\n") {
      return {Errc::invalid_header, "header block must be NATS/1.0 ... CRLFCRLF"};
    }
  }
  std::size_t size = headers.size() + payload.size();
  if (size > info_.max_payload) {
    return {Errc::max_payload_exceeded, "message of " + std::to_string(size) +
                                            " bytes exceeds max_payload " +
                                            std::to_string(info_.max_payload)};
  }
  return {};
}

void Engine::write_publish(std::string_view subject, std::string_view payload,
                           std::string_view reply, std::string_view headers) {
  if (headers.empty()) {
    encode_pub(out_, subject, reply, payload);
  } else {
    encode_hpub(out_, subject, reply, headers, payload);
  }
  ++stats_.out_msgs;
  stats_.out_bytes += headers.size() + payload.size();
}

Error Engine::publish(std::string_view subject, std::string_view payload, std::string_view reply,
                      std::string_view headers) {
  if (Error e = check_usable(true)) return e;
  if (Error e = check_publish(subject, payload, reply, headers)) return e;
  write_publish(subject, payload, reply, headers);
  return {};
}

Error Engine::publish(std::string_view subject, std::string_view payload, std::string_view reply,
                      const Headers &headers) {
  if (headers.empty()) return publish(subject, payload, reply, std::string_view{});
  if (Error e = headers.validate()) return e;
  return publish(subject, payload, reply, std::string_view(headers.encode()));
}

Result<std::uint64_t> Engine::subscribe(std::string_view subject, std::string_view queue,
                                        std::uint64_t max) {
  if (Error e = check_usable(false)) return e;
  if (Error e = validate_subscribe_subject(subject)) return e;
  if (!queue.empty()) {
    if (Error e = validate_queue(queue)) return e;
  }
  std::uint64_t sid = take_id(next_sid_, subs_);
  encode_sub(out_, subject, queue, sid);
  if (max > 0) encode_unsub(out_, sid, max);
  subs_.emplace(sid, Subscription{std::string(subject), std::string(queue), max, 0, false});
  return sid;
}

Error Engine::unsubscribe(std::uint64_t sid, std::uint64_t max) {
  if (state_ == State::closed) return closed_error(last_error_);
  auto it = subs_.find(sid);
  if (it == subs_.end() || sid == mux_sid_) {
    return {Errc::bad_subscription, "no open subscription " + std::to_string(sid)};
  }
  if (max == 0 || max <= it->second.delivered) {
    encode_unsub(out_, sid, 0);
    close_subscription(sid, {});
    return {};
  }
  it->second.max = max;
  encode_unsub(out_, sid, max);
  return {};
}

Error Engine::drain_subscription(std::uint64_t sid) {
  if (state_ == State::closed) return closed_error(last_error_);
  auto it = subs_.find(sid);
  if (it == subs_.end() || sid == mux_sid_) {
    return {Errc::bad_subscription, "no open subscription " + std::to_string(sid)};
  }
  if (it->second.draining) return {};
  it->second.draining = true;
  encode_unsub(out_, sid, 0);
  send_ping(PongFor::sub_drain, sid);
  return {};
}

void Engine::ensure_mux() {
  if (mux_sid_ != 0) return;
  mux_prefix_ = new_inbox() + ".";
  std::uint64_t sid = take_id(next_sid_, subs_);
  encode_sub(out_, mux_prefix_ + "*", {}, sid);
  subs_.emplace(sid, Subscription{mux_prefix_ + "*", {}, 0, 0, false});
  mux_sid_ = sid;
}

Result<std::uint64_t> Engine::request(std::string_view subject, std::string_view payload, Time now,
                                      Duration timeout, std::string_view headers) {
  if (Error e = check_usable(false)) return e;
  if (timeout.count() <= 0) return Error{Errc::invalid_argument, "request timeout must be > 0"};
  // Everything is checked before the reply subscription exists: a failed
  // call sends nothing.
  if (Error e = check_publish(subject, payload, {}, headers)) return e;
  ensure_mux();
  std::uint64_t id = take_id(next_request_, requests_);
  write_publish(subject, payload, mux_prefix_ + std::to_string(id), headers);
  Time deadline = now + timeout;
  requests_.emplace(id, Request{deadline, std::string(subject)});
  request_deadlines_.emplace(deadline, id);
  return id;
}

Error Engine::cancel_request(std::uint64_t id) {
  if (state_ == State::closed) return closed_error(last_error_);
  auto it = requests_.find(id);
  if (it == requests_.end()) {
    return {Errc::invalid_argument, "no pending request " + std::to_string(id)};
  }
  request_deadlines_.erase({it->second.deadline, id});
  requests_.erase(it);
  return {};
}

Result<std::uint64_t> Engine::flush(Time now, Duration timeout) {
  // Not while draining: the drain's final PONG closes the connection before
  // a later flush's PONG could arrive.
  if (Error e = check_usable(false)) return e;
  std::uint64_t id = take_id(next_flush_, flushes_);
  Flush f{now + timeout, timeout.count() > 0};
  flushes_.emplace(id, f);
  if (f.has_deadline) flush_deadlines_.emplace(f.deadline, id);
  send_ping(PongFor::flush, id);
  return id;
}

Error Engine::drain() {
  if (state_ == State::draining) return {};
  if (state_ != State::connected) {
    if (Error e = check_usable(false)) return e;
    return {Errc::not_connected, "cannot drain before the handshake completes"};
  }
  transition(State::draining);
  return {};
}

void Engine::close() { transition(State::closed); }

std::optional<std::pair<std::uint64_t, std::uint64_t>> Engine::subscription_progress(
    std::uint64_t sid) const {
  auto it = subs_.find(sid);
  if (it == subs_.end() || sid == mux_sid_) return std::nullopt;
  return std::make_pair(it->second.delivered, it->second.max);
}

std::string Engine::next_nuid() {
  std::string out(22, '0');
  for (std::size_t i = 0; i < out.size(); i += 11) {
    // xorshift128+: fast, and unique enough for inbox names.
    std::uint64_t s1 = rng_[0];
    const std::uint64_t s0 = rng_[1];
    rng_[0] = s0;
    s1 ^= s1 << 23;
    rng_[1] = s1 ^ s0 ^ (s1 >> 17) ^ (s0 >> 26);
    std::uint64_t v = rng_[1] + s0;
    for (std::size_t j = 0; j < 11 && i + j < out.size(); ++j) {
      out[i + j] = kAlphabet[v % kAlphabet.size()];
      v /= kAlphabet.size();
    }
  }
  return out;
}

template <typename Pred>
void Engine::fail_requests(Pred match, const Error &error) {
  std::vector<std::uint64_t> hit;
  for (const auto &[id, r] : requests_) {
    if (match(r)) hit.push_back(id);
  }
  std::sort(hit.begin(), hit.end());
  for (auto id : hit) {
    request_deadlines_.erase({requests_[id].deadline, id});
    requests_.erase(id);
    queue({EventType::request_failed, id, {}, error});
  }
}

template <typename Map>
std::uint64_t Engine::take_id(std::uint64_t &counter, const Map &in_use) {
  // Ids stay below 2^32 (the WASM event records carry 32-bit ids) and skip
  // any id still in use after a wrap.
  std::uint64_t id;
  do {
    id = counter;
    counter = counter >= 0xFFFFFFFFu ? 1 : counter + 1;
  } while (in_use.count(id) != 0);
  return id;
}

Error validate_options(const Options &options) {
  if (Error e = validate_publish_subject(options.inbox_prefix)) {
    return {Errc::invalid_argument, "inbox prefix: " + e.message};
  }
  if (options.max_pings_out < 1) return {Errc::invalid_argument, "max_pings_out must be >= 1"};
  if (options.ping_interval.count() < 0 || options.connect_timeout.count() < 0) {
    return {Errc::invalid_argument, "intervals and timeouts must not be negative"};
  }
  return {};
}

std::string Engine::new_inbox() { return options_.inbox_prefix + "." + next_nuid(); }

}  // namespace nats
