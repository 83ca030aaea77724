// Publishing and the calls that end a connection's work: flush, drain, close.
#include "nats/encoder.hpp"
#include "nats/engine.hpp"
#include "nats/subject.hpp"

namespace nats {

Error Engine::check_usable(bool allow_draining) const {
  switch (state_) {
    case State::closed:
      return {Errc::connection_closed, last_error_ ? "connection closed: " + last_error_.message
                                                   : std::string("connection closed")};
    case State::draining:
      if (allow_draining) return {};
      return {Errc::connection_draining, "connection is draining"};
    case State::disconnected:
    case State::connecting:
    case State::awaiting_info:
    case State::signing:
    case State::reconnecting:
      // Once connected, work goes on while reconnecting (into the buffer).
      if (ever_connected_ && options_.allow_reconnect) return {};
      return {Errc::not_connected, "not connected"};
    case State::handshaking:
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
  if (!headers.empty() && !info_.headers) {
    return {Errc::invalid_header, "the server does not support headers"};
  }
  std::size_t size = headers.size() + payload.size();
  if (size > info_.max_payload) {
    return {Errc::max_payload_exceeded, "message of " + std::to_string(size) +
                                            " bytes exceeds max_payload " +
                                            std::to_string(info_.max_payload)};
  }
  // While reconnecting it is held: the op line is about 40 bytes more.
  return check_buffer(subject.size() + reply.size() + size + 48);
}

void Engine::write_publish(std::string_view subject, std::string_view payload,
                           std::string_view reply, std::string_view headers) {
  std::string &sink = wire_up() ? out_ : reconnect_buf_;
  if (headers.empty()) {
    encode_pub(sink, subject, reply, payload);
  } else {
    encode_hpub(sink, subject, reply, headers, payload);
  }
  ++stats_.out_msgs;
  stats_.out_bytes += headers.size() + payload.size();
}

Error Engine::publish(std::string_view subject, std::string_view payload, std::string_view reply,
                      std::string_view headers) {
  if (Error e = check_usable(true)) return e;
  if (!headers.empty()) {
    // A block from the caller is held to the rules an encoded Headers
    // follows: what we send, we could also parse.
    auto parsed = Headers::parse(headers);
    if (!parsed) return {Errc::invalid_header, "invalid header block: " + parsed.error().message};
  }
  if (Error e = check_publish(subject, payload, reply, headers)) return e;
  write_publish(subject, payload, reply, headers);
  return {};
}

Error Engine::publish(std::string_view subject, std::string_view payload, std::string_view reply,
                      const Headers &headers) {
  if (Error e = check_usable(true)) return e;
  // A Headers object always goes out as a header block, empty or not (as
  // nats.js sends one for an empty headers()).
  if (Error e = headers.validate()) return e;
  const std::string block = headers.encode();
  if (Error e = check_publish(subject, payload, reply, block)) return e;
  write_publish(subject, payload, reply, block);
  return {};
}

Result<std::uint64_t> Engine::flush(Time now, Duration timeout) {
  now_ = now;
  // Not while draining: the drain's final PONG closes the connection before
  // a later flush's PONG could arrive.
  if (Error e = check_usable(false)) return e;
  if (timeout.count() < 0) return Error{Errc::invalid_argument, "flush timeout must be >= 0"};
  std::uint64_t id =
      detail::take_id(next_flush_, [&](std::uint64_t i) { return flushes_.count(i) != 0; });
  flushes_.emplace(id, Flush{now + timeout, timeout.count() > 0});
  // While reconnecting the PING goes out once the session is back.
  if (wire_up()) send_ping(PongFor::flush, id);
  return id;
}

Error Engine::drain() {
  if (state_ == State::draining) return {Errc::connection_draining, "connection is draining"};
  if (state_ != State::connected) {
    if (Error e = check_usable(false)) return e;
    return {Errc::not_connected, "cannot drain before the handshake completes"};
  }
  return move_to(State::draining);
}

void Engine::close() {
  if (state_ != State::closed) move_to(State::closed);
}

}  // namespace nats
