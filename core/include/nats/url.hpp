#pragma once
/// Server URLs: parsing and normalisation, shared by every host. The engine
/// names the URL a host must open; hosts only open sockets.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "nats/error.hpp"

namespace nats {

/// A parsed server URL.
struct ServerUrl {
  std::string scheme;  ///< "nats", "tls", "ws" or "wss" ("tcp" reads as "nats")
  std::string host;    ///< without brackets for IPv6
  std::uint16_t port = 0;
  std::string path;  ///< WebSocket request path ("/" when none was given)

  /// True for ws:// and wss://.
  bool websocket() const { return scheme == "ws" || scheme == "wss"; }
  /// True for tls:// and wss://.
  bool secure() const { return scheme == "tls" || scheme == "wss"; }
  /// "scheme://host:port[path]" (the path only for WebSocket URLs).
  std::string str() const;
  /// "host:port", as INFO connect_urls spell servers.
  std::string host_port() const;
};

/// The default port of a scheme (4222, 80 for ws, 443 for wss).
std::uint16_t default_port(std::string_view scheme);

/// Parses "scheme://host[:port][/path]" or "host[:port]" (then
/// `default_scheme`). The scheme must be one of `schemes` (what the host can
/// open); anything else is an invalid_argument error naming what is allowed.
Result<ServerUrl> parse_server_url(std::string_view text, std::string_view default_scheme,
                                   std::span<const std::string> schemes);

}  // namespace nats
