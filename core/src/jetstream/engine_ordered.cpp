// Ordered consumers: an ephemeral pull consumer (ack none, one delivery, in
// memory) recreated from the next stream sequence whenever a delivery
// sequence is skipped or heartbeats stop, so the user sees every stream
// message once, in order.
#include <array>

#include "nats/engine.hpp"
#include "nats/jetstream/types.hpp"  // json_quote
#include "nats/subject.hpp"

namespace nats {
namespace {

// nats.js's backoff between attempts to recreate (ms).
constexpr std::array<int, 7> kBackoff{0, 250, 250, 500, 500, 3000, 5000};
// Attempts to create before giving up, when nothing was ever received.
constexpr int kMaxCreateFails = 30;

}  // namespace

Result<std::uint64_t> Engine::ordered_create(std::uint64_t context, std::string_view stream,
                                             const js::OrderedOptions &options, Time now) {
  now_ = now;
  if (Error e = check_usable(false)) return e;
  if (js_.contexts.count(context) == 0) {
    return Error{Errc::invalid_argument, "no JetStream context " + std::to_string(context)};
  }
  if (Error e = js::validate_stream_name(stream)) return e;
  if (!options.filter_subject.empty()) {
    if (Error e = validate_subscribe_subject(options.filter_subject)) return e;
  }
  if (!options.name_prefix.empty()) {
    if (Error e = js::validate_consumer_name(options.name_prefix, "name_prefix")) return e;
  }
  std::uint64_t id = detail::take_id(js_.next_op, [&](std::uint64_t i) { return js_.in_use(i); });
  detail::OrderedState o;
  o.context = context;
  o.stream.assign(stream);
  o.options = options;
  o.prefix = options.name_prefix.empty() ? nuid_.next() : options.name_prefix;
  o.host_op = id;
  o.checking_stream = true;
  js_.ordered.emplace(id, std::move(o));
  // The stream first: a missing one is StreamNotFoundError, as in nats.js.
  // With an offset, resolving it reads the stream (and counts, for the last
  // n of a filter).
  std::string args = "{\"name\":" + js::json_quote(stream) + "}";
  js::ApiOp op = js::ApiOp::stream_info;
  if (options.offset) {
    if (Error e = js::validate_offset(*options.offset)) {
      js_.ordered.erase(id);
      return e;
    }
    op = js::ApiOp::offset_start;
    args = "{\"stream\":" + js::json_quote(stream) +
           ",\"filter\":" + js::json_quote(options.filter_subject) +
           ",\"offset\":" + js::offset_json(*options.offset) + "}";
  }
  auto call = js_start_internal(context, op, args, id);
  if (!call) {
    js_.ordered.erase(id);
    return call.error();
  }
  js_.ordered.at(id).pending_call = *call;
  return id;
}

void Engine::ordered_create_next(std::uint64_t id, std::uint64_t owner) {
  auto &o = js_.ordered.at(id);
  ++o.serial;
  o.name = o.prefix + "_" + std::to_string(o.serial);
  // Resume after the last message handed out; before any, the user's policy.
  const std::uint64_t start = o.received_any ? o.stream_seq + 1 : 0;
  const std::string args = "{\"stream\":" + js::json_quote(o.stream) +
                           ",\"config\":" + js::ordered_consumer_config(o.options, o.name, start) +
                           "}";
  auto call = js_start_internal(o.context, js::ApiOp::consumer_create, args, owner);
  o.pending_call = call ? *call : 0;
  if (!call) ordered_call_done(id, call.error(), {});
}

void Engine::ordered_call_done(std::uint64_t id, const Error &error, const std::string &result) {
  auto it = js_.ordered.find(id);
  if (it == js_.ordered.end()) return;
  auto &o = it->second;
  o.pending_call = 0;
  if (o.host_op != 0) {
    // The first creation, which the host waits for.
    if (error) {
      const std::uint64_t op = o.host_op;
      Error e = error;
      if (e.err_code == 10059 && !o.bucket.empty()) {
        e.code = Errc::bucket_not_found;
        e.message = "bucket '" + o.bucket + "' not found";
      }
      js_.ordered.erase(it);
      emit(EventType::js_result, op, std::move(e));
      return;
    }
    if (o.checking_stream) {
      o.checking_stream = false;
      if (o.options.offset) {
        auto start = js::deliver_start_from_json(result);
        if (!start) {
          const std::uint64_t op = o.host_op;
          js_.ordered.erase(it);
          emit(EventType::js_result, op, start.error());
          return;
        }
        o.options.deliver_policy = start->policy;
        o.options.opt_start_seq = start->start_seq;
        o.options.opt_start_time = start->start_time;
        o.options.offset.reset();
      }
      ordered_create_next(id, id);
      return;
    }
    const std::uint64_t op = o.host_op;
    o.host_op = 0;
    o.initial_pending = js::consumer_num_pending(result);
    emit(EventType::js_result, op, {}, result);
    return;
  }
  // A recreation for a running session.
  auto s = js_.pulls.find(o.session);
  if (s == js_.pulls.end()) return;
  if (error) {
    ++o.create_fails;
    if (error.err_code == 10059) {
      pull_notify(o.session, "stream_not_found", o.stream,
                  static_cast<std::uint64_t>(o.create_fails));
    }
    if ((o.create_fails >= kMaxCreateFails && !o.received_any) ||
        (error.err_code == 10059 && s->second.options.abort_on_missing_resource)) {
      pull_finish(o.session, error);
      return;
    }
    const int i = std::min<int>(o.create_fails, static_cast<int>(kBackoff.size()) - 1);
    s->second.retry_at = now_ + Duration{kBackoff[static_cast<std::size_t>(i)]};
    return;
  }
  o.create_fails = 0;
  o.deliver_seq = 0;
  s->second.consumer = o.name;
  pull_notify(o.session, "ordered_consumer_recreated", o.name);
  pull_subscribe(o.session);
  pull_refill(o.session);
}

void Engine::ordered_reset(std::uint64_t session) {
  auto &s = js_.pulls.at(session);
  auto &o = js_.ordered.at(s.ordered);
  if (o.pending_call != 0) return;  // a recreation is already on its way
  pull_notify(session, "reset", o.name);
  pull_unsubscribe(session);  // late messages of the old consumer go nowhere
  s.pending_msgs = 0;
  s.pending_bytes = 0;
  s.heartbeats_missed = 0;
  if (!o.name.empty() && wire_up()) {
    // Best effort: an ephemeral that is not deleted goes after inactive_threshold.
    js_start_internal(
        o.context, js::ApiOp::consumer_delete,
        "{\"stream\":" + js::json_quote(o.stream) + ",\"name\":" + js::json_quote(o.name) + "}",
        s.ordered);
  }
  if (!wire_up()) {
    s.retry_at = now_ + Duration{kBackoff[1]};
    return;
  }
  ordered_create_next(s.ordered, s.ordered);
}

Result<std::uint64_t> Engine::ordered_pull(std::uint64_t ordered, const js::PullOptions &options,
                                           Time now) {
  now_ = now;
  if (Error e = check_usable(false)) return e;
  auto it = js_.ordered.find(ordered);
  if (it == js_.ordered.end() || it->second.host_op != 0) {
    return Error{Errc::illegal_state, "no ordered consumer " + std::to_string(ordered)};
  }
  auto &o = it->second;
  if (o.session != 0) {
    return Error{Errc::illegal_state, "an ordered consumer runs one fetch or consume at a time"};
  }
  auto opts = js::normalize_pull_options(options);
  if (!opts) return opts.error();
  std::uint64_t id = detail::take_id(js_.next_op, [&](std::uint64_t i) { return js_.in_use(i); });
  detail::PullSession s;
  s.context = o.context;
  s.stream = o.stream;
  s.consumer = o.name;
  s.options = *opts;
  s.ordered = ordered;
  js_.pulls.emplace(id, std::move(s));
  o.session = id;
  pull_subscribe(id);
  pull_refill(id);
  // Nothing to deliver at all: the initial entries are out already.
  if (!o.caught_up && !o.received_any && o.initial_pending == 0) {
    o.caught_up = true;
    pull_notify(id, "caught_up");
  }
  return id;
}

Error Engine::ordered_delete(std::uint64_t ordered) {
  auto it = js_.ordered.find(ordered);
  if (it == js_.ordered.end()) {
    return {Errc::invalid_argument, "no ordered consumer " + std::to_string(ordered)};
  }
  if (it->second.session != 0) pull_finish(it->second.session, {});
  const std::string stream = it->second.stream;
  const std::string name = it->second.name;
  const std::uint64_t context = it->second.context;
  js_.ordered.erase(ordered);
  if (!name.empty() && wire_up()) {
    js_start_internal(
        context, js::ApiOp::consumer_delete,
        "{\"stream\":" + js::json_quote(stream) + ",\"name\":" + js::json_quote(name) + "}",
        ordered);
  }
  return {};
}

std::string Engine::ordered_name(std::uint64_t ordered) const {
  auto it = js_.ordered.find(ordered);
  return it == js_.ordered.end() ? std::string() : it->second.name;
}

}  // namespace nats
