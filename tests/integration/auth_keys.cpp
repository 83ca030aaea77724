#include "auth_keys.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "nats/base64.hpp"

namespace nats::testing {
namespace {

using json = nlohmann::json;

struct PkeyFree {
  void operator()(EVP_PKEY *k) const { EVP_PKEY_free(k); }
};
struct CtxFree {
  void operator()(EVP_MD_CTX *c) const { EVP_MD_CTX_free(c); }
};

std::unique_ptr<EVP_PKEY, PkeyFree> load(const std::string &raw_seed) {
  std::unique_ptr<EVP_PKEY, PkeyFree> key(EVP_PKEY_new_raw_private_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char *>(raw_seed.data()), 32));
  if (!key) throw std::runtime_error("OpenSSL: cannot load an Ed25519 seed");
  return key;
}

std::string sign(const TestKey &key, const std::string &message) {
  auto seed = nkeys::decode_seed(key.seed);
  auto pkey = load(seed->raw);
  std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
  std::string sig(64, '\0');
  std::size_t len = sig.size();
  if (EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(sig.data()), &len,
                     reinterpret_cast<const unsigned char *>(message.data()),
                     message.size()) != 1) {
    throw std::runtime_error("OpenSSL: Ed25519 signing failed");
  }
  return sig;
}

std::string b64url(const std::string &bytes) {
  std::string out = base64_encode(bytes, Base64::url);
  while (!out.empty() && out.back() == '=') out.pop_back();
  return out;
}

// A JWT as nats-server reads it: header.claims.signature, the claims issued
// by `issuer` about `subject`.
std::string make_jwt(const TestKey &issuer, const std::string &subject, const std::string &name,
                     json nats, std::optional<std::int64_t> expires = std::nullopt) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  unsigned char jti[20];
  RAND_bytes(jti, sizeof jti);
  json claims = {{"jti", nkeys::base32_encode(std::string(reinterpret_cast<char *>(jti), 20))},
                 {"iat", now},
                 {"iss", issuer.public_key},
                 {"name", name},
                 {"sub", subject},
                 {"nats", std::move(nats)}};
  if (expires) claims["exp"] = *expires;
  const std::string head = b64url(R"({"typ":"JWT","alg":"ed25519-nkey"})");
  const std::string body = head + "." + b64url(claims.dump());
  return body + "." + b64url(sign(issuer, body));
}

}  // namespace

TestKey make_key(nkeys::KeyType type) {
  std::string raw(32, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char *>(raw.data()), 32) != 1) {
    throw std::runtime_error("OpenSSL: no random bytes");
  }
  auto pkey = load(raw);
  std::string pub(32, '\0');
  std::size_t len = pub.size();
  EVP_PKEY_get_raw_public_key(pkey.get(), reinterpret_cast<unsigned char *>(pub.data()), &len);
  return {*nkeys::encode_seed(type, raw), *nkeys::encode_public_key(type, pub)};
}

JwtSetup make_jwt_setup() {
  JwtSetup s;
  s.op = make_key(nkeys::KeyType::operator_);
  s.account = make_key(nkeys::KeyType::account);
  s.user = make_key(nkeys::KeyType::user);
  s.operator_jwt =
      make_jwt(s.op, s.op.public_key, "test-operator", {{"type", "operator"}, {"version", 2}});
  const json unlimited = {{"subs", -1},    {"data", -1},        {"payload", -1}, {"imports", -1},
                          {"exports", -1}, {"wildcards", true}, {"conn", -1},    {"leaf", -1}};
  s.account_jwt = make_jwt(s.op, s.account.public_key, "test-account",
                           {{"limits", unlimited}, {"type", "account"}, {"version", 2}});
  s.user_jwt = s.issue_user_jwt(s.user, std::nullopt);
  return s;
}

std::string JwtSetup::issue_user_jwt(const TestKey &who,
                                     std::optional<std::int64_t> expires) const {
  return make_jwt(account, who.public_key, "test-user",
                  {{"pub", json::object()},
                   {"sub", json::object()},
                   {"subs", -1},
                   {"data", -1},
                   {"payload", -1},
                   {"type", "user"},
                   {"version", 2}},
                  expires);
}

std::string JwtSetup::server_config() const {
  return "operator: \"" + operator_jwt + "\"\nresolver: MEMORY\nresolver_preload: {\n  " +
         account.public_key + ": \"" + account_jwt + "\"\n}\n";
}

std::string JwtSetup::creds() const { return creds_text(user_jwt, user.seed); }

std::string creds_text(const std::string &jwt, const std::string &seed) {
  return "-----BEGIN NATS USER JWT-----\n" + jwt +
         "\n------END NATS USER JWT------\n\n"
         "************************* IMPORTANT *************************\n"
         "NKEY Seed printed below can be used to sign and prove identity.\n\n"
         "-----BEGIN USER NKEY SEED-----\n" +
         seed + "\n------END USER NKEY SEED------\n";
}

std::string nkey_users_config(const std::string &public_key) {
  return "authorization {\n  users = [ { nkey: \"" + public_key + "\" } ]\n}\n";
}

}  // namespace nats::testing
