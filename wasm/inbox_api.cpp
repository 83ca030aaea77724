#include "inbox_api.hpp"

#include "nats/nuid.hpp"
#include "nats/subject.hpp"

namespace nats::wasm {

using emscripten::val;

namespace {

std::uint64_t join(double hi, double lo) {
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(hi)) << 32) |
         static_cast<std::uint32_t>(lo);
}

}  // namespace

std::string fresh_token(double hi0, double lo0, double hi1, double lo1) {
  return Nuid(join(hi0, lo0), join(hi1, lo1)).next();
}

val new_inbox(const std::string &prefix, double hi0, double lo0, double hi1, double lo1) {
  const std::string p = prefix.empty() ? std::string("_INBOX") : prefix;
  if (Error e = validate_publish_subject(p)) {
    val out = val::array();
    out.call<void>("push", static_cast<int>(e.code));
    out.call<void>("push", "inbox prefix: " + e.message);
    return out;
  }
  return val(p + "." + fresh_token(hi0, lo0, hi1, lo1));
}

}  // namespace nats::wasm
