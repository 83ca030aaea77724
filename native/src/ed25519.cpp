// Ed25519 signing through OpenSSL (libcrypto): EVP_PKEY from the raw seed,
// one-shot EVP_DigestSign (Ed25519 hashes internally; no digest is named).
#include "ed25519.hpp"

#include <openssl/evp.h>

#include <memory>

namespace nats::native::detail {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY *k) const { EVP_PKEY_free(k); }
};
struct CtxFree {
  void operator()(EVP_MD_CTX *c) const { EVP_MD_CTX_free(c); }
};

Error failed(const char *what) {
  return {Errc::authorization_violation, std::string("Ed25519 (OpenSSL): ") + what};
}

}  // namespace

Result<Ed25519Signature> ed25519_sign(std::string_view seed, std::string_view message) {
  if (seed.size() != 32) return failed("a seed has 32 bytes");
  std::unique_ptr<EVP_PKEY, PkeyFree> key(EVP_PKEY_new_raw_private_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char *>(seed.data()),
      seed.size()));
  if (!key) return failed("cannot load the seed");
  Ed25519Signature out;
  out.public_key.resize(32);
  std::size_t pub_len = out.public_key.size();
  if (EVP_PKEY_get_raw_public_key(
          key.get(), reinterpret_cast<unsigned char *>(out.public_key.data()), &pub_len) != 1 ||
      pub_len != 32) {
    return failed("no public key");
  }
  std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1) {
    return failed("cannot start signing");
  }
  out.signature.resize(64);
  std::size_t sig_len = out.signature.size();
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(out.signature.data()), &sig_len,
                     reinterpret_cast<const unsigned char *>(message.data()),
                     message.size()) != 1 ||
      sig_len != 64) {
    return failed("signing failed");
  }
  return out;
}

}  // namespace nats::native::detail
