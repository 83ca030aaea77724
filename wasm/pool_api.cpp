// The server pool for JavaScript: what it holds (nats.js getServers) and
// replacing it (setServers). The rules are the engine's (server_pool.cpp).
#include <string>
#include <vector>

#include "connection.hpp"

namespace nats::wasm {

using emscripten::val;

val Connection::servers() const {
  val out = val::array();
  for (const auto &s : engine_.servers()) {
    val one = val::object();
    one.set("url", s.url.str());
    one.set("hostport", s.url.host_port());
    one.set("implicit", s.implicit);
    one.set("didConnect", s.did_connect);
    one.set("reconnects", s.failures);
    out.call<void>("push", one);
  }
  return out;
}

int Connection::set_servers(const val &urls) {
  std::vector<std::string> list;
  if (!urls.isArray()) {
    return code({Errc::invalid_argument, "servers must be an array of URLs"});
  }
  const auto n = urls["length"].as<unsigned>();
  for (unsigned i = 0; i < n; ++i) {
    if (!urls[i].isString()) return code({Errc::invalid_argument, "servers must be strings"});
    list.push_back(urls[i].as<std::string>());
  }
  return code(engine_.set_servers(list));
}

}  // namespace nats::wasm
