#pragma once
// Keys and JWTs a test makes for itself (OpenSSL Ed25519, the core's nkey
// encoding; nats-server is what checks them): nkey users, and an operator →
// account → user chain for a server with `resolver: MEMORY`.

#include <cstdint>
#include <optional>
#include <string>

#include "nats/nkeys.hpp"

namespace nats::testing {

/// An Ed25519 key in nkey text form.
struct TestKey {
  std::string seed;        ///< "S?..."
  std::string public_key;  ///< "U...", "A...", "O..."
};

/// A fresh random key of a type.
TestKey make_key(nkeys::KeyType type);

/// The decentralized-auth chain: config for the server and the user's creds.
struct JwtSetup {
  TestKey op, account, user;
  std::string operator_jwt, account_jwt, user_jwt;
  /// `operator`, `resolver: MEMORY` and the preloaded account.
  std::string server_config() const;
  /// The user's `.creds` text.
  std::string creds() const;
  /// A user JWT for `user` issued by this account, expiring at `expires`
  /// (unix seconds) when set.
  std::string issue_user_jwt(const TestKey &user, std::optional<std::int64_t> expires) const;
};

/// Makes the chain.
JwtSetup make_jwt_setup();

/// `.creds` text for a JWT and a seed.
std::string creds_text(const std::string &jwt, const std::string &seed);

/// `authorization { users = [{nkey: ...}] }` for one nkey user.
std::string nkey_users_config(const std::string &public_key);

}  // namespace nats::testing
