// Hot-path entry points as plain wasm exports: a call through embind costs
// more than the publish itself (docs/benchmarks.md). `c` is handle().
#include <emscripten/em_macros.h>

#include "connection.hpp"

namespace {

using nats::wasm::Connection;

/// -Errc on failure, else the pending output length (what JS needs next).
int output_or_error(const Connection &c, int rc) {
  return rc != 0 ? -rc : static_cast<int>(c.output_len());
}

}  // namespace

extern "C" {
/// publish() on staged arguments; returns the pending output length, or -Errc.
EMSCRIPTEN_KEEPALIVE int nw_publish(Connection *c, std::size_t subject_len, std::size_t reply_len,
                                    std::size_t headers_len, std::size_t payload_len) {
  return output_or_error(*c, c->publish(subject_len, reply_len, headers_len, payload_len));
}
/// publish_packed() on n staged bytes; returns the pending output length, or -Errc.
EMSCRIPTEN_KEEPALIVE int nw_publish_packed(Connection *c, std::size_t n) {
  return output_or_error(*c, c->publish_packed(n));
}
/// js_publish() on staged arguments (no options): the publish id, or -Errc.
EMSCRIPTEN_KEEPALIVE double nw_js_publish(Connection *c, double context, std::size_t subject_len,
                                          std::size_t headers_len, std::size_t payload_len,
                                          std::size_t options_len, double now) {
  return c->js_publish(context, subject_len, headers_len, payload_len, options_len, now);
}
/// js_ack() on a staged reply subject; returns the pending output length, or -Errc.
EMSCRIPTEN_KEEPALIVE int nw_js_ack(Connection *c, std::size_t reply_len, int kind, double delay) {
  return output_or_error(*c, c->js_ack(reply_len, kind, delay));
}
/// pull_consumed(): the host handed messages out; returns an Errc.
EMSCRIPTEN_KEEPALIVE int nw_pull_consumed(Connection *c, double session, double msgs,
                                          double bytes) {
  return c->pull_consumed(session, msgs, bytes);
}
/// feed(): commits n received bytes at time now; returns the record count.
EMSCRIPTEN_KEEPALIVE std::size_t nw_feed(Connection *c, std::size_t n, double now) {
  return c->feed(n, now);
}
/// batch_summary(): where the last poll's batch is (a BatchSummary, valid until the next poll).
EMSCRIPTEN_KEEPALIVE std::uintptr_t nw_batch_summary(Connection *c) {
  return reinterpret_cast<std::uintptr_t>(&c->batch_summary());
}
/// receive_ptr(): room for n received bytes.
EMSCRIPTEN_KEEPALIVE std::uintptr_t nw_receive_ptr(Connection *c, std::size_t n) {
  return c->receive_ptr(n);
}
}
