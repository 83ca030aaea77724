#pragma once
/// NATS nkeys and credentials, without the cryptography: the text encoding
/// of Ed25519 keys (a type prefix, the 32 key bytes and a CRC-16, in
/// RFC 4648 base32 without padding) and the `.creds` file layout. Signing is
/// the host's job (WebCrypto in JS hosts, OpenSSL natively): the engine
/// hands it the raw seed and the server's nonce.

#include <cstdint>
#include <string>
#include <string_view>

#include "nats/error.hpp"

namespace nats::nkeys {

/// What a key belongs to: the first letter of its public key.
enum class KeyType : std::uint8_t {
  account = 0,          ///< 'A'
  cluster = 2 << 3,     ///< 'C'
  server = 13 << 3,     ///< 'N'
  operator_ = 14 << 3,  ///< 'O'
  user = 20 << 3,       ///< 'U'
};

/// A decoded seed: its key type and the 32-byte Ed25519 private seed.
struct Seed {
  KeyType type = KeyType::user;
  std::string raw;
};

/// The JWT and seed of a `.creds` file.
struct Creds {
  std::string jwt;
  std::string seed;
};

/// CRC-16/XMODEM (polynomial 0x1021, initial 0), as nkeys checksum it.
std::uint16_t crc16(std::string_view bytes);
/// RFC 4648 base32, upper case, no padding.
std::string base32_encode(std::string_view bytes);
/// Decodes base32 (no padding); errors on any other character.
Result<std::string> base32_decode(std::string_view text);

/// Decodes a seed ("SU...", "SA...", "SO..."); invalid_argument when it is
/// not one (wrong length, checksum, prefix).
Result<Seed> decode_seed(std::string_view text);
/// Encodes a 32-byte Ed25519 seed of a key type ("S" + type letter ...).
Result<std::string> encode_seed(KeyType type, std::string_view raw);
/// Encodes a 32-byte Ed25519 public key ("U...", "A...", "O...").
Result<std::string> encode_public_key(KeyType type, std::string_view raw);
/// Decodes a public key of any type into its type and 32 bytes.
Result<Seed> decode_public_key(std::string_view text);

/// Reads a `.creds` file's text: the first delimited block is the user JWT,
/// the second the nkey seed. invalid_argument when either is missing.
Result<Creds> parse_creds(std::string_view text);

}  // namespace nats::nkeys
