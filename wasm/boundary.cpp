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

Result<js::PublishOptions> decode_staged_publish_options(std::string_view staged) {
  js::PublishOptions o;
  Error truncated{Errc::invalid_argument, "truncated staged publish options"};
  std::uint32_t flags = 0;
  std::uint32_t timeout = 0;
  double last = 0;
  double last_subject = 0;
  if (!take_u32(staged, flags) || !take_u32(staged, timeout) || staged.size() < 16) {
    return truncated;
  }
  std::memcpy(&last, staged.data(), 8);
  std::memcpy(&last_subject, staged.data() + 8, 8);
  staged.remove_prefix(16);
  if ((flags & 1u) != 0) {
    auto n = to_count(last, "expect.lastSequence");
    if (!n) return n.error();
    o.expected_last_sequence = *n;
  }
  if ((flags & 2u) != 0) {
    auto n = to_count(last_subject, "expect.lastSubjectSequence");
    if (!n) return n.error();
    o.expected_last_subject_sequence = *n;
  }
  o.timeout = Duration{timeout};
  o.retries = flags >> 8;  // bits 8..31: nats.js retries (attempts)
  if (!take_str(staged, o.msg_id) || !take_str(staged, o.expected_stream) ||
      !take_str(staged, o.expected_last_msg_id)) {
    return truncated;
  }
  return o;
}

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

emscripten::val failure(const Error &e) {
  emscripten::val out = emscripten::val::array();
  out.call<void>("push", static_cast<int>(e.code));
  out.call<void>("push", e.message);
  return out;
}

}  // namespace nats::wasm
