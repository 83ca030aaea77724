// Consumer sessions for JavaScript: pull, ordered and push sessions, acks
// (engine_pull.cpp, engine_ordered.cpp and engine_push.cpp have the rules;
// push.cpp says which consumers qualify for a push session).
#include <optional>
#include <string>

#include "boundary.hpp"
#include "connection.hpp"
#include "consumers_api.hpp"

namespace nats::wasm {

using emscripten::val;

double Connection::pull_start(double context, const std::string &stream,
                              const std::string &consumer, val opts, double now) {
  return guarded(
      [&] {
        auto o = pull_options_from(opts);
        if (!o) return -static_cast<double>(code(o.error()));
        auto r = engine_.pull_start(static_cast<std::uint64_t>(context), stream, consumer, *o,
                                    to_time(now));
        return r ? static_cast<double>(*r) : -static_cast<double>(code(r.error()));
      },
      -static_cast<double>(exception_code()));
}

int Connection::pull_consumed(double session, double msgs, double bytes) {
  auto m = to_count(msgs, "msgs");
  auto b = to_count(bytes, "bytes");
  if (!m) return code(m.error());
  if (!b) return code(b.error());
  return code(engine_.pull_consumed(static_cast<std::uint64_t>(session), *m, *b));
}

int Connection::pull_stop(double session) {
  return code(engine_.pull_stop(static_cast<std::uint64_t>(session)));
}

double Connection::ordered_create(double context, const std::string &stream, val opts, double now) {
  return guarded(
      [&] {
        auto o = ordered_options_from(opts);
        if (!o) return -static_cast<double>(code(o.error()));
        auto r =
            engine_.ordered_create(static_cast<std::uint64_t>(context), stream, *o, to_time(now));
        return r ? static_cast<double>(*r) : -static_cast<double>(code(r.error()));
      },
      -static_cast<double>(exception_code()));
}

double Connection::ordered_pull(double ordered, val opts, double now) {
  return guarded(
      [&] {
        auto o = pull_options_from(opts);
        if (!o) return -static_cast<double>(code(o.error()));
        auto r = engine_.ordered_pull(static_cast<std::uint64_t>(ordered), *o, to_time(now));
        return r ? static_cast<double>(*r) : -static_cast<double>(code(r.error()));
      },
      -static_cast<double>(exception_code()));
}

int Connection::ordered_delete(double ordered) {
  return code(engine_.ordered_delete(static_cast<std::uint64_t>(ordered)));
}

std::string Connection::ordered_name(double ordered) const {
  return engine_.ordered_name(static_cast<std::uint64_t>(ordered));
}

int Connection::js_ack(std::size_t reply_len, int kind, double delay_ms) {
  return guarded(
      [&] {
        if (kind < 0 || kind > static_cast<int>(js::AckKind::term)) {
          return code({Errc::invalid_argument, "unknown ack kind"});
        }
        auto d = to_duration(delay_ms, "delay");
        if (!d) return code(d.error());
        return code(engine_.js_ack(std::string_view(stage_.data(), reply_len),
                                   static_cast<js::AckKind>(kind), *d));
      },
      exception_code());
}

double Connection::js_ack_sync(std::size_t reply_len, double now, double timeout) {
  return guarded(
      [&] {
        auto t = to_duration(timeout, "timeout");
        if (!t) return -static_cast<double>(code(t.error()));
        auto r = engine_.js_ack_sync(std::string_view(stage_.data(), reply_len), to_time(now), *t);
        return r ? static_cast<double>(*r) : -static_cast<double>(code(r.error()));
      },
      -static_cast<double>(exception_code()));
}

double Connection::push_start(double context, const std::string &info_json, emscripten::val opts,
                              double now) {
  try {
    Result<js::PushOptions> o = Error{};
    std::string stream, consumer;
    if (info_json.empty()) {
      o = bound_push_options_from(opts);
    } else {
      auto info = js::consumer_info_from_json(info_json);
      if (!info) return -static_cast<double>(code(info.error()));
      // nats.py's subscribe names its queue: it must be the deliver group.
      emscripten::val queue = opts["queue"];
      std::optional<std::string> q;
      if (queue.isString()) q = queue.as<std::string>();
      o = js::push_options_of(*info, opts["abort_on_missing_resource"].isTrue(), q);
      stream = info->stream_name;
      consumer = info->name;
    }
    if (!o) return -static_cast<double>(code(o.error()));
    if (Error e = push_limits_from(opts, *o)) return -static_cast<double>(code(e));
    auto r =
        engine_.push_start(static_cast<std::uint64_t>(context), stream, consumer, *o, to_time(now));
    return r ? static_cast<double>(*r) : -static_cast<double>(code(r.error()));
  } catch (...) {
    return -static_cast<double>(exception_code());
  }
}

int Connection::js_ack_next(const std::string &reply, const std::string &deliver_to, double batch,
                            double expires_ms, bool no_wait) {
  try {
    auto b = to_count(batch, "batch");
    if (!b) return code(b.error());
    auto e = to_duration(expires_ms, "expires");
    if (!e) return code(e.error());
    return code(engine_.js_ack_next(reply, deliver_to, *b, *e, no_wait));
  } catch (...) {
    return exception_code();
  }
}

int Connection::push_check(const std::string &info_json) {
  try {
    auto info = js::consumer_info_from_json(info_json);
    if (!info) return code(info.error());
    return code(js::check_push_consumer(*info));
  } catch (...) {
    return exception_code();
  }
}

}  // namespace nats::wasm
