#pragma once
// Inboxes and unique tokens without a connection, for nats.js's
// createInbox() and nuid helpers: the engine's token generator and subject
// rules, seeded by the caller's randomness.

#include <emscripten/val.h>

#include <string>

namespace nats::wasm {

/// A fresh 22-character token from a generator seeded with (hi0, lo0, hi1,
/// lo1): four 32-bit random numbers.
std::string fresh_token(double hi0, double lo0, double hi1, double lo1);
/// prefix + "." + a fresh token, or [errc, message] when the prefix is not a
/// subject a reply can go to (empty prefix: "_INBOX").
emscripten::val new_inbox(const std::string &prefix, double hi0, double lo0, double hi1,
                          double lo1);

}  // namespace nats::wasm
