#pragma once
/// Base64 (RFC 4648), standard and URL alphabets. The JetStream API sends
/// stored messages in standard base64; object names go into subjects in the
/// URL alphabet. Small enough to carry here: core has no dependency that
/// offers it in both the native and the WASM build.

#include <optional>
#include <string>
#include <string_view>

namespace nats {

/// Which alphabet: '+' '/' or '-' '_'.
enum class Base64 : bool { standard, url };

/// Encodes with '=' padding.
std::string base64_encode(std::string_view bytes, Base64 alphabet = Base64::standard);
/// Decodes; padding optional; nullopt on any character outside the alphabet.
std::optional<std::string> base64_decode(std::string_view text,
                                         Base64 alphabet = Base64::standard);

}  // namespace nats
