// libFuzzer target: the header block decoder, and the encoder on whatever it
// accepted (a decoded block must encode and decode to the same headers).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "nats/headers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string_view block(reinterpret_cast<const char *>(data), size);
  auto parsed = nats::Headers::parse(block);
  if (!parsed) {
    if (parsed.error().message.empty()) std::abort();
    return 0;
  }
  // What parses and validates must survive encode → parse unchanged.
  if (parsed->validate()) return 0;
  auto again = nats::Headers::parse(parsed->encode());
  if (!again || again->entries() != parsed->entries() || again->status != parsed->status) {
    std::abort();
  }
  return 0;
}
