#include "nats/nkeys.hpp"

#include <array>
#include <vector>

namespace nats::nkeys {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::uint8_t kSeedPrefix = 18 << 3;  // 'S'
constexpr std::size_t kKeyBytes = 32;

bool known_type(unsigned v) {
  switch (static_cast<KeyType>(v)) {
    case KeyType::account:
    case KeyType::cluster:
    case KeyType::server:
    case KeyType::operator_:
    case KeyType::user: return true;
  }
  return false;
}

void append_crc(std::string &bytes) {
  const std::uint16_t crc = crc16(bytes);
  bytes += static_cast<char>(crc & 0xff);  // little endian
  bytes += static_cast<char>(crc >> 8);
}

// The payload of an encoded key once the checksum matched.
Result<std::string> checked(std::string_view text, std::size_t size, std::string_view what) {
  auto bytes = base32_decode(text);
  if (!bytes || bytes->size() != size) {
    return Error{Errc::invalid_argument, std::string(what) + " is not a valid nkey"};
  }
  const auto lo = static_cast<unsigned char>((*bytes)[size - 2]);
  const auto hi = static_cast<unsigned char>((*bytes)[size - 1]);
  bytes->resize(size - 2);
  if (crc16(*bytes) != static_cast<std::uint16_t>(lo | (hi << 8))) {
    return Error{Errc::invalid_argument, std::string(what) + " has a bad checksum"};
  }
  return std::move(*bytes);
}

}  // namespace

std::uint16_t crc16(std::string_view bytes) {
  std::uint16_t crc = 0;
  for (char c : bytes) {
    crc = static_cast<std::uint16_t>(crc ^ (static_cast<unsigned char>(c) << 8));
    for (int i = 0; i < 8; ++i) {
      crc = static_cast<std::uint16_t>((crc & 0x8000) ? (crc << 1) ^ 0x1021 : crc << 1);
    }
  }
  return crc;
}

std::string base32_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 8 + 4) / 5);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : bytes) {
    buffer = (buffer << 8) | static_cast<unsigned char>(c);
    bits += 8;
    while (bits >= 5) {
      out += kAlphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (5 - bits)) & 31];
  return out;
}

Result<std::string> base32_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 5 / 8);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const auto pos = kAlphabet.find(c);
    if (pos == std::string_view::npos) {
      return Error{Errc::invalid_argument, "not base32"};
    }
    buffer = (buffer << 5) | static_cast<std::uint32_t>(pos);
    bits += 5;
    if (bits >= 8) {
      out += static_cast<char>((buffer >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return out;
}

Result<Seed> decode_seed(std::string_view text) {
  auto bytes = checked(text, 2 + kKeyBytes + 2, "the seed");
  if (!bytes) return bytes.error();
  const auto b1 = static_cast<unsigned char>((*bytes)[0]);
  const auto b2 = static_cast<unsigned char>((*bytes)[1]);
  const unsigned type = ((b1 & 7u) << 5) | ((b2 & 248u) >> 3);
  if ((b1 & 248u) != kSeedPrefix || !known_type(type)) {
    return Error{Errc::invalid_argument, "the seed is not an nkey seed (it must start with S)"};
  }
  return Seed{static_cast<KeyType>(type), bytes->substr(2)};
}

Result<std::string> encode_seed(KeyType type, std::string_view raw) {
  if (raw.size() != kKeyBytes) return Error{Errc::invalid_argument, "a seed has 32 bytes"};
  const auto t = static_cast<unsigned>(type);
  std::string bytes;
  bytes += static_cast<char>(kSeedPrefix | (t >> 5));
  bytes += static_cast<char>((t & 31u) << 3);
  bytes.append(raw);
  append_crc(bytes);
  return base32_encode(bytes);
}

Result<std::string> encode_public_key(KeyType type, std::string_view raw) {
  if (raw.size() != kKeyBytes) return Error{Errc::invalid_argument, "a public key has 32 bytes"};
  std::string bytes(1, static_cast<char>(type));
  bytes.append(raw);
  append_crc(bytes);
  return base32_encode(bytes);
}

Result<Seed> decode_public_key(std::string_view text) {
  auto bytes = checked(text, 1 + kKeyBytes + 2, "the public key");
  if (!bytes) return bytes.error();
  const auto type = static_cast<unsigned char>((*bytes)[0]);
  if (!known_type(type)) return Error{Errc::invalid_argument, "unknown nkey type"};
  return Seed{static_cast<KeyType>(type), bytes->substr(1)};
}

Result<Creds> parse_creds(std::string_view text) {
  // Blocks look like "-----BEGIN NATS USER JWT-----\n<text>\n------END ...";
  // the value is the first non-empty line after a BEGIN line.
  std::vector<std::string> blocks;
  bool in_block = false;
  std::size_t pos = 0;
  while (pos <= text.size() && blocks.size() < 2) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.remove_suffix(1);
    }
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.starts_with("---")) {
      in_block = line.find("BEGIN") != std::string_view::npos;
      continue;
    }
    if (in_block && !line.empty()) {
      blocks.emplace_back(line);
      in_block = false;
    }
  }
  if (blocks.size() < 2) {
    return Error{Errc::invalid_argument, blocks.empty() ? "credentials: no user JWT found"
                                                        : "credentials: no nkey seed found"};
  }
  if (auto seed = decode_seed(blocks[1]); !seed) {
    return Error{Errc::invalid_argument, "credentials: " + seed.error().message};
  }
  return Creds{std::move(blocks[0]), std::move(blocks[1])};
}

}  // namespace nats::nkeys
