// libFuzzer target: the incremental parser over arbitrary bytes, fed in
// chunks whose sizes come from the input too. Any input must end in ops or
// one parse error: no crash, no hang, and a buffer bounded by the limits.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "nats/parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  if (size < 2) return 0;
  // The first two bytes pick the chunk size and a small max_payload.
  const std::size_t chunk = 1 + data[0] % 64;
  const std::size_t max_payload = 1 + static_cast<std::size_t>(data[1]) * 16;
  nats::Parser parser(256, max_payload);
  std::string_view rest(reinterpret_cast<const char *>(data) + 2, size - 2);
  nats::Op op;
  bool failed = false;
  while (!rest.empty() && !failed) {
    const std::size_t n = rest.size() < chunk ? rest.size() : chunk;
    parser.feed(rest.substr(0, n));
    rest.remove_prefix(n);
    while (true) {
      const nats::ParseStatus st = parser.next(op);
      if (st == nats::ParseStatus::op) continue;
      failed = st == nats::ParseStatus::error;
      break;
    }
    // What is held never exceeds one control line plus one payload (and
    // the chunk that brought them): the parser must not buffer without bound.
    if (parser.buffered() > 256 + max_payload + 64 + 2 * 64) std::abort();
  }
  if (failed && !parser.error()) std::abort();  // an error always says why
  return 0;
}
