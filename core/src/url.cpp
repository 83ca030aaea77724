#include "nats/url.hpp"

#include <algorithm>
#include <charconv>

namespace nats {

std::uint16_t default_port(std::string_view scheme) {
  if (scheme == "ws") return 80;
  if (scheme == "wss") return 443;
  return 4222;
}

std::string ServerUrl::host_port() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string ServerUrl::str() const {
  std::string out = scheme + "://" + host_port();
  if (websocket() && path != "/") out += path;
  return out;
}

Result<ServerUrl> parse_server_url(std::string_view text, std::string_view default_scheme,
                                   std::span<const std::string> schemes) {
  auto bad = [&](std::string why) {
    return Error{Errc::invalid_argument, "invalid server URL '" + std::string(text) + "': " + why};
  };
  ServerUrl url;
  std::string_view rest = text;
  while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
  while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\t')) rest.remove_suffix(1);
  if (auto pos = rest.find("://"); pos != std::string_view::npos) {
    url.scheme.assign(rest.substr(0, pos));
    rest.remove_prefix(pos + 3);
  } else {
    url.scheme.assign(default_scheme);
  }
  std::transform(url.scheme.begin(), url.scheme.end(), url.scheme.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; });
  if (url.scheme == "tcp") url.scheme = "nats";
  if (std::find(schemes.begin(), schemes.end(), url.scheme) == schemes.end()) {
    std::string allowed;
    for (const auto &s : schemes) allowed += (allowed.empty() ? "" : ", ") + s + "://";
    return bad("scheme '" + url.scheme + "' is not supported here (use " + allowed + ")");
  }
  // Credentials in the URL (user:pass@host) are not supported: say so
  // rather than connecting to a host named "user".
  if (rest.find('@') != std::string_view::npos) return bad("credentials in the URL");
  url.path = "/";
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    url.path.assign(rest.substr(slash));
    rest = rest.substr(0, slash);
  }
  url.port = default_port(url.scheme);
  std::string_view host = rest;
  std::string_view port;
  if (!rest.empty() && rest.front() == '[') {  // [v6]:port
    auto close = rest.find(']');
    if (close == std::string_view::npos) return bad("unbalanced '['");
    host = rest.substr(1, close - 1);
    std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad("junk after ']'");
      port = after.substr(1);
      if (port.empty()) return bad("empty port");
    }
  } else if (auto colon = rest.rfind(':'); colon != std::string_view::npos) {
    if (rest.find(':') != colon) return bad("an IPv6 host needs [brackets]");
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
    if (port.empty()) return bad("empty port");
  }
  if (!port.empty()) {
    unsigned value = 0;
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || p != port.data() + port.size() || value == 0 || value > 65535) {
      return bad("invalid port");
    }
    url.port = static_cast<std::uint16_t>(value);
  }
  if (host.empty()) return bad("no host");
  if (host.find_first_of(" \t\r\n/?#") != std::string_view::npos) return bad("invalid host");
  url.host.assign(host);
  return url;
}

}  // namespace nats
