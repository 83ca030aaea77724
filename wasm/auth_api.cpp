// The JS host's answers to the engine's authentication steps: the fields a
// nats.js authenticator returned, and a WebCrypto Ed25519 signature. Bytes
// cross as base64url text (embind passes JS strings as UTF-8).
#include <string>

#include "boundary.hpp"
#include "connection.hpp"
#include "nats/base64.hpp"

namespace nats::wasm {
namespace {

using emscripten::val;

std::string field(const val &obj, const char *key) {
  val v = obj[key];
  return v.isString() ? v.as<std::string>() : std::string();
}

}  // namespace

std::size_t Connection::authenticate(val fields, double now) {
  try {
    Auth auth;
    auth.user = field(fields, "user");
    auth.pass = field(fields, "pass");
    auth.token = field(fields, "auth_token");
    auth.jwt = field(fields, "jwt");
    auth.seed = field(fields, "seed");
    auth.creds = field(fields, "creds");
    auth.nkey = field(fields, "nkey");
    auth.sig = field(fields, "sig");
    // A late answer (the handshake it was for is gone) changes nothing.
    (void)engine_.authenticate(auth, to_time(now));
  } catch (...) {
    engine_.auth_failed({Errc::authorization_violation, "authenticator fields unreadable"},
                        to_time(now));
  }
  return poll();
}

std::size_t Connection::nonce_signed(const std::string &public_key_b64,
                                     const std::string &signature_b64, double now) {
  auto pub = base64_decode(public_key_b64, Base64::url);
  auto sig = base64_decode(signature_b64, Base64::url);
  if (!pub || !sig) {
    engine_.auth_failed({Errc::authorization_violation, "the host's signature is not base64url"},
                        to_time(now));
  } else {
    (void)engine_.nonce_signed(*pub, *sig, to_time(now));
  }
  return poll();
}

std::size_t Connection::auth_failed(const std::string &message, double now) {
  engine_.auth_failed({Errc::authorization_violation, message}, to_time(now));
  return poll();
}

}  // namespace nats::wasm
