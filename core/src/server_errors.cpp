#include "nats/server_errors.hpp"

#include <string>

namespace nats {
namespace {

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

}  // namespace

ServerErr classify_server_error(std::string_view text) {
  const std::string l = lower(text);
  auto has = [&](std::string_view s) { return l.find(s) != std::string::npos; };
  ServerErr out;
  out.error.message.assign(text);
  if (has("permissions violation")) {
    // 'Permissions Violation for Subscription to "x" using queue "q"' or
    // 'Permissions Violation for Publish to "x"'. The connection stays up.
    out.error.code = Errc::permission_violation;
    out.error.operation = has("for publish") ? "publish" : "subscription";
    out.error.subject.assign(quoted(text, 0));
    if (has("using queue")) out.error.queue.assign(quoted(text, 1));
    return out;
  }
  if (has("invalid subject")) {
    // The server keeps the connection open after this one.
    out.error.code = Errc::server_error;
    return out;
  }
  out.fatal = true;
  if (has("authorization violation") || has("authentication") || has("user authentication")) {
    out.error.code = Errc::authorization_violation;
  } else if (has("maximum payload")) {
    out.error.code = Errc::max_payload_violation;
  } else if (has("stale connection")) {
    out.error.code = Errc::stale_connection;
  } else {
    out.error.code = Errc::server_error;
  }
  return out;
}

}  // namespace nats
