// The bare parser, for running tests/vectors through the WASM build.
#include "probe.hpp"

namespace nats::wasm {

using emscripten::val;

ParserProbe::ParserProbe(double max_line, double max_payload)
    : parser_(static_cast<std::size_t>(max_line), static_cast<std::size_t>(max_payload)) {}

std::uintptr_t ParserProbe::receive_ptr(std::size_t n) {
  return reinterpret_cast<std::uintptr_t>(parser_.prepare(n).data());
}

val ParserProbe::next() {
  Op op;
  val out = val::object();
  switch (parser_.next(op)) {
    case ParseStatus::need_more: out.set("status", std::string("need_more")); return out;
    case ParseStatus::error:
      out.set("status", std::string("error"));
      out.set("error", std::string(errc_name(parser_.error().code)));
      return out;
    case ParseStatus::op: break;
  }
  static constexpr const char *kNames[] = {"INFO", "MSG", "HMSG", "PING", "PONG", "OK", "ERR"};
  out.set("status", std::string("op"));
  out.set("op", std::string(kNames[static_cast<int>(op.type)]));
  out.set("sid", static_cast<double>(op.sid));
  out.set("subject", bytes(op.subject));
  out.set("reply", bytes(op.reply));
  out.set("headers", bytes(op.headers));
  out.set("payload", bytes(op.payload));
  out.set("text", bytes(op.text));
  return out;
}

val ParserProbe::bytes(std::string_view s) {
  return val(emscripten::typed_memory_view(s.size(),
                                           reinterpret_cast<const std::uint8_t *>(s.data())))
      .call<val>("slice");
}

}  // namespace nats::wasm
