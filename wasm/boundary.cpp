#include "boundary.hpp"

#include <cstring>

namespace nats::wasm {
namespace {

bool take_u32(std::string_view &s, std::uint32_t &out) {
  if (s.size() < 4) return false;
  std::memcpy(&out, s.data(), 4);  // wasm32 is little endian
  s.remove_prefix(4);
  return true;
}

bool take_str(std::string_view &s, std::string &out) {
  std::uint32_t n = 0;
  if (!take_u32(s, n) || s.size() < n) return false;
  out.assign(s.substr(0, n));
  s.remove_prefix(n);
  return true;
}

}  // namespace

Result<Headers> decode_staged_headers(std::string_view staged) {
  Headers h;
  std::uint32_t status = 0;
  Error truncated{Errc::invalid_argument, "truncated staged headers"};
  if (!take_u32(staged, status) || !take_str(staged, h.description)) return truncated;
  h.status = static_cast<int>(status);
  while (!staged.empty()) {
    std::string key;
    std::string value;
    if (!take_str(staged, key) || !take_str(staged, value)) return truncated;
    h.append(std::move(key), std::move(value));
  }
  if (Error e = h.validate()) return e;
  return h;
}

}  // namespace nats::wasm
