#pragma once
/// The server's INFO and the client's CONNECT, the only JSON of core NATS.
/// This header and src/json.cpp are the only places that know nlohmann/json.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nats/error.hpp"

namespace nats {

/// Fields of INFO the client uses. Unknown fields are ignored.
struct ServerInfo {
  std::string server_id;
  std::string server_name;
  std::string version;
  std::string host;
  std::uint16_t port = 0;
  int proto = 0;
  bool headers = false;
  std::size_t max_payload = 1024 * 1024;
  bool auth_required = false;
  bool tls_required = false;
  bool tls_available = false;  ///< the server accepts TLS without requiring it
  bool jetstream = false;
  std::uint64_t client_id = 0;
  std::string client_ip;
  std::string nonce;
  std::string cluster;
  std::string domain;
  bool lame_duck = false;  ///< "ldm": the server is shutting down
  std::vector<std::string> connect_urls;
  std::vector<std::string> ws_connect_urls;
};

/// Parses the JSON after `INFO `.
Result<ServerInfo> parse_server_info(std::string_view json);

/// What the client says in CONNECT.
struct ConnectFields {
  std::string name;
  std::string lang;
  std::string version;
  std::string token;
  std::string user;
  std::string pass;
  bool echo = true;
  bool tls = false;  ///< the connection runs over TLS (CONNECT tls_required)
  std::string jwt;
  std::string nkey;
  std::string sig;
};

/// The JSON for CONNECT: verbose false, pedantic false, headers true,
/// no_responders true, protocol 1, plus name/lang/version/auth fields.
std::string connect_json(const ConnectFields &fields);

}  // namespace nats
