#pragma once
// Ed25519 by OpenSSL's EVP API: how the native host signs a server's nonce
// for nkey and JWT authentication (the engine hands it the raw seed).

#include <string>
#include <string_view>

#include "nats/error.hpp"

namespace nats::native::detail {

/// A signature and the public key of the seed that made it.
struct Ed25519Signature {
  std::string public_key;  ///< 32 bytes
  std::string signature;   ///< 64 bytes
};

/// Signs `message` with a 32-byte Ed25519 seed.
Result<Ed25519Signature> ed25519_sign(std::string_view seed, std::string_view message);

}  // namespace nats::native::detail
