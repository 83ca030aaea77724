// Per-subscription pending limits and first-message timeouts for the JS host: numbers from JS are
// checked at the boundary (NaN, negative, fractional: invalid_argument).
#include "boundary.hpp"
#include "connection.hpp"

namespace nats::wasm {

int Connection::set_pending_limits(double sid, double msgs, double bytes, double slow) {
  auto id = to_count(sid, "sid");
  auto m = to_count(msgs, "maxPendingMsgs");
  auto b = to_count(bytes, "maxPendingBytes");
  auto s = to_count(slow, "slow");
  if (!id) return code(id.error());
  if (!m) return code(m.error());
  if (!b) return code(b.error());
  if (!s) return code(s.error());
  return code(engine_.set_pending_limits(*id, PendingLimits{*m, *b, *s}));
}

void Connection::subscription_consumed(double sid, double msgs, double bytes) {
  auto id = to_count(sid, "sid");
  auto m = to_count(msgs, "msgs");
  auto b = to_count(bytes, "bytes");
  if (id && m && b) engine_.subscription_consumed(*id, *m, *b);
}

int Connection::set_subscription_timeout(double sid, double now, double timeout_ms) {
  auto id = to_count(sid, "sid");
  auto t = to_duration(timeout_ms, "timeout");
  if (!id) return code(id.error());
  if (!t) return code(t.error());
  return code(engine_.set_subscription_timeout(*id, to_time(now), *t));
}

emscripten::val Connection::subscription_pending(double sid) const {
  auto id = to_count(sid, "sid");
  auto p = id ? engine_.subscription_pending(*id) : std::nullopt;
  if (!p) return emscripten::val::undefined();
  emscripten::val out = emscripten::val::object();
  out.set("msgs", static_cast<double>(p->msgs));
  out.set("bytes", static_cast<double>(p->bytes));
  out.set("dropped", static_cast<double>(p->dropped));
  return out;
}

}  // namespace nats::wasm
