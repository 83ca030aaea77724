#pragma once
// The bare parser, for running tests/vectors through the WASM build.

#include <emscripten/val.h>

#include <cstdint>
#include <string_view>

#include "nats/parser.hpp"

namespace nats::wasm {

class ParserProbe {
public:
  ParserProbe(double max_line, double max_payload);
  std::uintptr_t receive_ptr(std::size_t n);
  void commit(std::size_t n) { parser_.commit(n); }
  /// The next op as {status: "op"|"need_more"|"error", ...}; strings are
  /// bytes (Uint8Array) so binary payloads compare exactly.
  emscripten::val next();

private:
  static emscripten::val bytes(std::string_view s);
  Parser parser_;
};

}  // namespace nats::wasm
