#include "nats/error.hpp"

namespace nats {

std::string_view errc_name(Errc code) {
  switch (code) {
    case Errc::ok: return "ok";
    case Errc::invalid_subject: return "invalid_subject";
    case Errc::invalid_queue: return "invalid_queue";
    case Errc::max_payload_exceeded: return "max_payload_exceeded";
    case Errc::connection_closed: return "connection_closed";
    case Errc::connection_draining: return "connection_draining";
    case Errc::not_connected: return "not_connected";
    case Errc::invalid_argument: return "invalid_argument";
    case Errc::invalid_header: return "invalid_header";
    case Errc::bad_subscription: return "bad_subscription";
    case Errc::protocol_error: return "protocol_error";
    case Errc::control_line_too_long: return "control_line_too_long";
    case Errc::payload_too_large: return "payload_too_large";
    case Errc::authorization_violation: return "authorization_violation";
    case Errc::permission_violation: return "permission_violation";
    case Errc::server_error: return "server_error";
    case Errc::stale_connection: return "stale_connection";
    case Errc::connection_lost: return "connection_lost";
    case Errc::timeout: return "timeout";
    case Errc::no_responders: return "no_responders";
    case Errc::max_payload_violation: return "max_payload_violation";
    case Errc::slow_consumer: return "slow_consumer";
  }
  return "unknown";
}

}  // namespace nats
