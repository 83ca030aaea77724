#pragma once
/// Server URLs for the native client: nats://, tcp://, ws://.

#include <cstdint>
#include <string>
#include <string_view>

#include "nats/error.hpp"

namespace nats::native {

/// A parsed server URL.
struct Url {
  bool websocket = false;  ///< ws:// (otherwise plain TCP)
  std::string host;
  std::uint16_t port = 0;
  std::string path = "/";  ///< WebSocket request path
};

/// Parses "nats://h:p", "tcp://h:p", "ws://h:p/path" or "h:p" (nats://).
/// wss:// and tls:// are rejected: the native host has no TLS yet.
Result<Url> parse_url(std::string_view url);

}  // namespace nats::native
