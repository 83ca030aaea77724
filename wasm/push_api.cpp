// Push consumers for JavaScript: a push session started in the engine
// (engine_push.cpp has the rules; push.cpp says which consumers qualify).
#include <optional>
#include <string>

#include "boundary.hpp"
#include "connection.hpp"
#include "consumers_api.hpp"

namespace nats::wasm {

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
