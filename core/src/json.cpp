// The only translation unit that includes nlohmann/json.
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>

#include "json_parse.hpp"
#include "nats/server_info.hpp"

namespace nats {
namespace {

template <typename T>
void read(const nlohmann::json &j, const char *key, T &out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    return;
  }
  if constexpr (std::is_same_v<T, bool>) {
    if (it->is_boolean()) out = it->template get<bool>();
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (it->is_string()) out = it->template get<std::string>();
  } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
    if (it->is_array()) {
      out.clear();
      for (const auto &v : *it) {
        if (v.is_string()) out.push_back(v.template get<std::string>());
      }
    }
  } else {
    // Numbers saturate at T's range: a 64-bit value must not wrap in a
    // 32-bit size_t (WebAssembly), nor a huge one turn negative.
    std::uint64_t v = 0;
    if (it->is_number_unsigned()) {
      v = it->template get<std::uint64_t>();
    } else if (it->is_number_integer() && it->template get<std::int64_t>() >= 0) {
      v = static_cast<std::uint64_t>(it->template get<std::int64_t>());
    } else {
      return;
    }
    constexpr auto most = static_cast<std::uint64_t>(std::numeric_limits<T>::max());
    out = static_cast<T>(v > most ? most : v);
  }
}

}  // namespace

namespace detail {
nlohmann::json parse_json(std::string_view text) {
  return nlohmann::json::parse(text.data(), text.data() + text.size(), nullptr, false);
}
}  // namespace detail

Result<ServerInfo> parse_server_info(std::string_view json) {
  auto j = detail::parse_json(json);
  if (j.is_discarded() || !j.is_object()) {
    return Error{Errc::protocol_error, "INFO is not a JSON object"};
  }
  ServerInfo info;
  read(j, "server_id", info.server_id);
  read(j, "server_name", info.server_name);
  read(j, "version", info.version);
  read(j, "host", info.host);
  read(j, "port", info.port);
  read(j, "proto", info.proto);
  read(j, "headers", info.headers);
  read(j, "max_payload", info.max_payload);
  read(j, "auth_required", info.auth_required);
  read(j, "tls_required", info.tls_required);
  read(j, "tls_available", info.tls_available);
  read(j, "jetstream", info.jetstream);
  read(j, "client_id", info.client_id);
  read(j, "client_ip", info.client_ip);
  read(j, "nonce", info.nonce);
  read(j, "cluster", info.cluster);
  read(j, "domain", info.domain);
  read(j, "ldm", info.lame_duck);
  read(j, "connect_urls", info.connect_urls);
  read(j, "ws_connect_urls", info.ws_connect_urls);
  if (info.max_payload == 0) {
    return Error{Errc::protocol_error, "INFO has max_payload 0"};
  }
  return info;
}

std::string connect_json(const ConnectFields &fields) {
  nlohmann::json j = {
      {"verbose", false},    {"pedantic", false},         {"tls_required", fields.tls},
      {"headers", true},     {"no_responders", true},     {"protocol", 1},
      {"lang", fields.lang}, {"version", fields.version}, {"echo", fields.echo},
  };
  if (!fields.name.empty()) j["name"] = fields.name;
  if (!fields.token.empty()) j["auth_token"] = fields.token;
  if (!fields.user.empty()) j["user"] = fields.user;
  if (!fields.pass.empty()) j["pass"] = fields.pass;
  if (!fields.jwt.empty()) j["jwt"] = fields.jwt;
  if (!fields.nkey.empty()) j["nkey"] = fields.nkey;
  if (!fields.sig.empty()) j["sig"] = fields.sig;
  // Replace invalid UTF-8 instead of throwing: a name is never worth a crash.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace nats
