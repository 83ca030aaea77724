#include "nats/nuid.hpp"

#include <string_view>

namespace nats {
namespace {

constexpr std::string_view kAlphabet =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

}  // namespace

Nuid::Nuid(std::uint64_t seed0, std::uint64_t seed1, std::uint64_t salt) {
  const std::uint64_t fallback = seed0 == 0 && seed1 == 0 ? salt : 0;
  // xorshift128+ must not start at zero: the constants keep it away.
  state_[0] = seed0 ^ fallback ^ 0x9E3779B97F4A7C15ULL;
  state_[1] = seed1 ^ (fallback << 17) ^ 0xD1B54A32D192ED03ULL;
}

std::string Nuid::next() {
  std::string out(length, '0');
  for (std::size_t i = 0; i < out.size(); i += 11) {
    std::uint64_t s1 = state_[0];
    const std::uint64_t s0 = state_[1];
    state_[0] = s0;
    s1 ^= s1 << 23;
    state_[1] = s1 ^ s0 ^ (s1 >> 17) ^ (s0 >> 26);
    std::uint64_t v = state_[1] + s0;
    for (std::size_t j = 0; j < 11 && i + j < out.size(); ++j) {
      out[i + j] = kAlphabet[v % kAlphabet.size()];
      v /= kAlphabet.size();
    }
  }
  return out;
}

}  // namespace nats
