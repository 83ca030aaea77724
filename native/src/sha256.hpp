#pragma once
// SHA-256 by OpenSSL's EVP API, fed piece by piece (object digests): the
// whole object never needs to sit in memory to be hashed.

#include <memory>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace nats::native::detail {

/// An incremental SHA-256.
class Sha256 {
public:
  Sha256();
  /// Adds bytes to what is hashed.
  void update(std::string_view data);
  /// The 32-byte digest of everything added (the hash cannot be fed after).
  std::string finish();

private:
  struct Free {
    void operator()(evp_md_ctx_st *ctx) const;
  };
  std::unique_ptr<evp_md_ctx_st, Free> ctx_;
};

}  // namespace nats::native::detail
