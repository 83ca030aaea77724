#include "headers_api.hpp"

#include "boundary.hpp"
#include "nats/headers.hpp"

namespace nats::wasm {

using emscripten::val;

val decode_headers(const std::string &block) {
  auto h = Headers::parse(block);
  if (!h) return failure(h.error());
  val out = val::array();
  out.call<void>("push", 0);
  out.call<void>("push", h->status);
  out.call<void>("push", h->description);
  for (const auto &[k, v] : h->entries()) {
    out.call<void>("push", k);
    out.call<void>("push", v);
  }
  return out;
}

val canonical_header_key(const std::string &key) {
  auto k = nats::canonical_header_key(key);
  return k ? val(*k) : failure(k.error());
}

val validate_header(const std::string &key, const std::string &value) {
  if (Error e = nats::validate_header(key, value)) return failure(e);
  return val::null();
}

val encode_headers(const val &flat) {
  Headers h;
  const auto n = flat["length"].as<unsigned>();
  if (n >= 2) {
    h.status = flat[0].as<int>();
    h.description = flat[1].as<std::string>();
  }
  for (unsigned i = 2; i + 1 < n; i += 2) {
    h.append(flat[i].as<std::string>(), flat[i + 1].as<std::string>());
  }
  if (Error e = h.validate()) return failure(e);
  std::string wire = h.encode();
  return val(emscripten::typed_memory_view(wire.size(),
                                           reinterpret_cast<const std::uint8_t *>(wire.data())))
      .call<val>("slice");
}

}  // namespace nats::wasm
