#pragma once
/// What a client presents in CONNECT to authenticate, and what the engine
/// needs to produce it. Token, user/password and a JWT are sent as given; an
/// nkey seed (alone or from a `.creds` file) signs the server's nonce, which
/// the host does with its own Ed25519 (the engine emits sign_nonce).

#include <string>

namespace nats {

/// Authentication material. Empty fields are not used.
struct Auth {
  std::string user;
  std::string pass;
  std::string token;
  std::string jwt;    ///< user JWT (decentralized auth)
  std::string seed;   ///< nkey seed ("SU..."): the nonce is signed with it
  std::string creds;  ///< a `.creds` file's text: sets jwt and seed
  std::string nkey;   ///< a public nkey, when the host signed by itself
  std::string sig;    ///< the nonce's signature (base64url), when the host signed by itself

  /// Fills the fields that are empty here from `other`.
  void fill_from(const Auth &other);
};

}  // namespace nats
