// SHA-256 through OpenSSL's EVP digest API (libcrypto).
#include "sha256.hpp"

#include <openssl/evp.h>

#include <new>
#include <stdexcept>

namespace nats::native::detail {

void Sha256::Free::operator()(evp_md_ctx_st *ctx) const { EVP_MD_CTX_free(ctx); }

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (!ctx_) throw std::bad_alloc();
  // SHA-256 is always in the default provider: a failure here is a broken install.
  if (EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL: SHA-256 unavailable");
  }
}

void Sha256::update(std::string_view data) {
  if (EVP_DigestUpdate(ctx_.get(), data.data(), data.size()) != 1) {
    throw std::runtime_error("OpenSSL: SHA-256 update failed");
  }
}

std::string Sha256::finish() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx_.get(), out, &len) != 1) {
    throw std::runtime_error("OpenSSL: SHA-256 final failed");
  }
  return std::string(reinterpret_cast<const char *>(out), len);
}

}  // namespace nats::native::detail
