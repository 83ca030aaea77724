#pragma once
/// Unique tokens for inbox subjects and consumer names: 22 base-62
/// characters from a seeded xorshift128+ (the host supplies the seed).

#include <cstdint>
#include <string>

namespace nats {

/// A generator of unique 22-character tokens.
class Nuid {
public:
  static constexpr std::size_t length = 22;

  /// seed0/seed1 come from the host's randomness. Zero seeds are mixed with
  /// `salt` (e.g. an object address) so two generators never match.
  Nuid(std::uint64_t seed0, std::uint64_t seed1, std::uint64_t salt = 0);
  /// The next token.
  std::string next();

private:
  std::uint64_t state_[2];
};

}  // namespace nats
