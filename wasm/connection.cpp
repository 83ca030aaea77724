#include "connection.hpp"

#include <cstring>
#include <optional>
#include <string_view>

#include "boundary.hpp"
#include "consumers_api.hpp"

namespace nats::wasm {
namespace {

using emscripten::val;

std::string read_string(const val &obj, const char *key) {
  val v = obj[key];
  return v.isString() ? v.as<std::string>() : std::string();
}

}  // namespace

// Options from the JS object connection.mjs builds, checked here.
Connection::Built Connection::build(const val &opts) {
  Built b;
  Options &o = b.options;
  Error &error = b.error;
  o.default_scheme = "ws";
  o.schemes = {"ws", "wss"};
  val servers = opts["servers"];
  if (servers.isArray()) {
    const auto n = servers["length"].as<unsigned>();
    for (unsigned i = 0; i < n; ++i) o.servers.push_back(servers[i].as<std::string>());
  }
  o.name = read_string(opts, "name");
  o.lang = "javascript-wasm";
  o.version = read_string(opts, "version");
  o.token = read_string(opts, "token");
  o.user = read_string(opts, "user");
  o.pass = read_string(opts, "pass");
  o.host_auth = opts["hostAuth"].isTrue();
  o.echo = !(opts["noEcho"].isTrue());
  auto ms = [&](const char *key, Duration fallback) {
    val v = opts[key];
    if (!v.isNumber()) return fallback;
    auto d = to_duration(v.as<double>(), key);
    if (!d && !error) error = d.error();
    return d ? *d : fallback;
  };
  o.connect_timeout = ms("timeout", Duration{20000});
  o.ping_interval = ms("pingInterval", Duration{120000});
  if (opts["maxPingOut"].isNumber()) {
    auto n = to_count(opts["maxPingOut"].as<double>(), "maxPingOut");
    if (!n && !error) error = n.error();
    o.max_pings_out = n ? static_cast<int>(std::min<std::uint64_t>(*n, 1000000)) : 2;
  }
  // Reconnecting (nats.js names; connection.mjs fills in nats.js's defaults).
  o.allow_reconnect = !opts["reconnect"].isFalse();
  if (opts["maxReconnectAttempts"].isNumber()) {
    const double n = opts["maxReconnectAttempts"].as<double>();
    if (!(n >= -1) || n != static_cast<double>(static_cast<long long>(n))) {
      if (!error) error = {Errc::invalid_argument, "maxReconnectAttempts must be -1 or more"};
    } else {
      o.max_reconnect_attempts = static_cast<int>(std::min(n, 1e9));
    }
  }
  o.reconnect_time_wait = ms("reconnectTimeWait", Duration{2000});
  o.reconnect_jitter = ms("reconnectJitter", Duration{100});
  o.reconnect_jitter_tls = ms("reconnectJitterTLS", Duration{1000});
  o.no_randomize = opts["noRandomize"].isTrue();
  o.ignore_cluster_updates = opts["ignoreClusterUpdates"].isTrue();
  o.wait_on_first_connect = opts["waitOnFirstConnect"].isTrue();
  o.ignore_auth_error_abort = opts["ignoreAuthErrorAbort"].isTrue();
  if (opts["reconnectBufferSize"].isNumber()) {
    auto n = to_count(opts["reconnectBufferSize"].as<double>(), "reconnectBufferSize");
    if (!n && !error) error = n.error();
    if (n) o.reconnect_buffer_size = static_cast<std::size_t>(*n);
  }
  std::string prefix = read_string(opts, "inboxPrefix");
  if (!prefix.empty()) o.inbox_prefix = prefix;
  if (opts["seed0"].isNumber()) o.seed[0] = static_cast<std::uint64_t>(opts["seed0"].as<double>());
  if (opts["seed1"].isNumber()) o.seed[1] = static_cast<std::uint64_t>(opts["seed1"].as<double>());
  if (!error) error = validate_options(o);
  return b;
}

Connection::Connection(val opts) : Connection(build(opts)) {}

Connection::Connection(Built built)
    : options_error_(std::move(built.error)), engine_(std::move(built.options)) {}

int Connection::code(const Error &e) {
  if (e) error_message_ = e.message;
  return static_cast<int>(e.code);
}

int Connection::exception_code() {
  error_message_ = "internal error (exception in the engine)";
  return static_cast<int>(Errc::protocol_error);
}

std::size_t Connection::poll() {
  return guarded(
      [&] {
        batch_.clear();
        Event ev;
        while (engine_.next_event(ev)) batch_.append(ev);
        return batch_.count();
      },
      std::size_t{0});
}

std::size_t Connection::connect(double now) {
  engine_.connect(to_time(now));
  return poll();
}

std::size_t Connection::transport_opened(double now) {
  engine_.transport_opened(to_time(now));
  return poll();
}

std::size_t Connection::transport_closed(double now) {
  guarded(
      [&] {
        engine_.transport_closed(to_time(now));
        return 0;
      },
      0);
  return poll();
}

std::size_t Connection::handle_timeout(double now) {
  guarded(
      [&] {
        engine_.handle_timeout(to_time(now));
        return 0;
      },
      0);
  return poll();
}

std::uintptr_t Connection::receive_ptr(std::size_t n) {
  receiving_ = engine_.prepare_receive(n).data();
  return reinterpret_cast<std::uintptr_t>(receiving_);
}

std::size_t Connection::feed(std::size_t n, double now) {
  // Messages wholly inside these bytes are handed out by JavaScript as views
  // of the chunk it fed (records.hpp BatchSummary), not copied back out.
  batch_.set_fresh(receiving_, n);
  engine_.commit_receive(n, to_time(now));
  const auto count = poll();
  batch_.set_fresh(nullptr, 0);
  return count;
}

double Connection::next_deadline() const {
  auto d = engine_.next_deadline();
  return d ? static_cast<double>(d->count()) : -1.0;
}

std::uintptr_t Connection::stage_ptr(std::size_t n) {
  if (stage_.size() < n) stage_.resize(n);
  return reinterpret_cast<std::uintptr_t>(stage_.data());
}

int Connection::publish(std::size_t subject_len, std::size_t reply_len, std::size_t headers_len,
                        std::size_t payload_len) {
  return guarded(
      [&] {
        std::string_view s(stage_.data(), subject_len + reply_len + headers_len + payload_len);
        std::string_view subject = s.substr(0, subject_len);
        std::string_view reply = s.substr(subject_len, reply_len);
        std::string_view payload = s.substr(subject_len + reply_len + headers_len, payload_len);
        if (headers_len == 0) return code(engine_.publish(subject, payload, reply));
        auto h = decode_staged_headers(s.substr(subject_len + reply_len, headers_len));
        if (!h) return code(h.error());
        return code(engine_.publish(subject, payload, reply, *h));
      },
      exception_code());
}

int Connection::publish_packed(std::size_t n) {
  return guarded(
      [&] {
        std::string_view s(stage_.data(), n);
        Error first;
        while (!s.empty()) {
          std::uint32_t sl = 0;
          std::uint32_t pl = 0;
          if (s.size() < 8) return code({Errc::invalid_argument, "truncated packed publish"});
          std::memcpy(&sl, s.data(), 4);  // wasm32 is little endian
          std::memcpy(&pl, s.data() + 4, 4);
          s.remove_prefix(8);
          if (s.size() < std::size_t{sl} + pl) {
            return code({Errc::invalid_argument, "truncated packed publish"});
          }
          // Each message is published on its own: one bad subject must not
          // cost the others. The first error (code and message) is reported.
          Error e = engine_.publish(s.substr(0, sl), s.substr(sl, pl));
          if (e && !first) first = std::move(e);
          s.remove_prefix(std::size_t{sl} + pl);
        }
        return code(first);
      },
      exception_code());
}

double Connection::subscribe(std::size_t subject_len, std::size_t queue_len, double max) {
  return guarded(
      [&] {
        auto m = to_count(max, "max");
        if (!m) return -static_cast<double>(code(m.error()));
        std::string_view s(stage_.data(), subject_len + queue_len);
        auto r = engine_.subscribe(s.substr(0, subject_len), s.substr(subject_len, queue_len), *m);
        return r ? static_cast<double>(*r) : -static_cast<double>(code(r.error()));
      },
      -static_cast<double>(exception_code()));
}

int Connection::unsubscribe(double sid, double max) {
  auto m = to_count(max, "max");
  if (!m) return code(m.error());
  auto id = to_count(sid, "sid");
  if (!id) return code(id.error());
  return code(engine_.unsubscribe(*id, *m));
}

int Connection::drain_subscription(double sid) {
  auto id = to_count(sid, "sid");
  if (!id) return code(id.error());
  return code(engine_.drain_subscription(*id));
}

double Connection::request(std::size_t subject_len, std::size_t headers_len,
                           std::size_t payload_len, double now, double timeout) {
  return guarded(
      [&] {
        auto t = to_duration(timeout, "timeout");
        if (!t) return -static_cast<double>(code(t.error()));
        std::string_view s(stage_.data(), subject_len + headers_len + payload_len);
        std::string_view subject = s.substr(0, subject_len);
        std::string_view payload = s.substr(subject_len + headers_len, payload_len);
        if (headers_len == 0) {
          auto r = engine_.request(subject, payload, to_time(now), *t, std::string_view{});
          return r ? static_cast<double>(*r) : -static_cast<double>(code(r.error()));
        }
        auto h = decode_staged_headers(s.substr(subject_len, headers_len));
        if (!h) return -static_cast<double>(code(h.error()));
        auto r = engine_.request(subject, payload, to_time(now), *t, *h);
        return r ? static_cast<double>(*r) : -static_cast<double>(code(r.error()));
      },
      -static_cast<double>(exception_code()));
}

double Connection::request_many(std::size_t subject_len, std::size_t headers_len,
                                std::size_t payload_len, double now, int strategy, double max_wait,
                                double max_messages, double stall) {
  return guarded(
      [&] {
        RequestManyOptions o;
        if (strategy < static_cast<int>(ReplyStrategy::timer) ||
            strategy > static_cast<int>(ReplyStrategy::sentinel)) {
          return -static_cast<double>(code({Errc::invalid_argument, "unknown strategy"}));
        }
        o.strategy = static_cast<ReplyStrategy>(strategy);
        auto w = to_duration(max_wait, "maxWait");
        auto m = to_count(max_messages, "maxMessages");
        auto st = to_duration(stall, "stall");
        for (const Error *e :
             {w ? nullptr : &w.error(), m ? nullptr : &m.error(), st ? nullptr : &st.error()}) {
          if (e != nullptr) return -static_cast<double>(code(*e));
        }
        o.max_wait = *w;
        o.max_messages = *m;
        o.stall = *st;
        std::string_view s(stage_.data(), subject_len + headers_len + payload_len);
        std::optional<Headers> h;
        if (headers_len > 0) {
          auto decoded = decode_staged_headers(s.substr(subject_len, headers_len));
          if (!decoded) return -static_cast<double>(code(decoded.error()));
          h = std::move(*decoded);
        }
        auto r = engine_.request_many(s.substr(0, subject_len),
                                      s.substr(subject_len + headers_len, payload_len),
                                      to_time(now), o, h ? &*h : nullptr);
        return r ? static_cast<double>(*r) : -static_cast<double>(code(r.error()));
      },
      -static_cast<double>(exception_code()));
}

int Connection::cancel_request(double id) {
  auto i = to_count(id, "request id");
  if (!i) return code(i.error());
  return code(engine_.cancel_request(*i));
}

double Connection::flush(double now, double timeout) {
  auto t = to_duration(timeout, "timeout");
  if (!t) return -static_cast<double>(code(t.error()));
  auto r = engine_.flush(to_time(now), *t);
  return r ? static_cast<double>(*r) : -static_cast<double>(code(r.error()));
}

double Connection::js_context(val opts) {
  return guarded(
      [&] {
        js::ContextOptions o;
        if (opts["prefix"].isString()) o.prefix = opts["prefix"].as<std::string>();
        if (opts["domain"].isString()) o.domain = opts["domain"].as<std::string>();
        if (opts["timeout"].isNumber()) {
          auto t = to_duration(opts["timeout"].as<double>(), "timeout");
          if (!t) return -static_cast<double>(code(t.error()));
          o.timeout = *t;
        }
        if (opts["maxPending"].isNumber()) {
          auto n = to_count(opts["maxPending"].as<double>(), "maxPending");
          if (!n) return -static_cast<double>(code(n.error()));
          o.max_pending = static_cast<std::size_t>(*n);
        }
        auto r = engine_.js_context(o);
        return r ? static_cast<double>(*r) : -static_cast<double>(code(r.error()));
      },
      -static_cast<double>(exception_code()));
}

double Connection::js_api(double context, int op, const std::string &args_json, double now,
                          double timeout, std::size_t payload_len) {
  return guarded(
      [&] {
        auto ops = js::all_api_ops();
        if (op < 0 || static_cast<std::size_t>(op) >= ops.size()) {
          return -static_cast<double>(
              code({Errc::invalid_argument, "unknown JetStream operation"}));
        }
        auto ctx = to_count(context, "context");
        auto t = to_duration(timeout, "timeout");
        if (!ctx) return -static_cast<double>(code(ctx.error()));
        if (!t) return -static_cast<double>(code(t.error()));
        // A value for a kv_create waits in the staging area (payload_len bytes).
        const std::string_view payload(stage_.data(), payload_len);
        auto r = engine_.js_api(*ctx, ops[static_cast<std::size_t>(op)], args_json, to_time(now),
                                *t, payload);
        return r ? static_cast<double>(*r) : -static_cast<double>(code(r.error()));
      },
      -static_cast<double>(exception_code()));
}

double Connection::js_publish(double context, std::size_t subject_len, std::size_t headers_len,
                              std::size_t payload_len, std::size_t options_len, double now) {
  return guarded(
      [&] {
        std::string_view s(stage_.data(), subject_len + headers_len + payload_len + options_len);
        js::PublishOptions o;
        if (options_len > 0) {
          auto decoded = decode_staged_publish_options(
              s.substr(subject_len + headers_len + payload_len, options_len));
          if (!decoded) return -static_cast<double>(code(decoded.error()));
          o = std::move(*decoded);
        }
        std::optional<Headers> h;
        if (headers_len > 0) {
          auto decoded = decode_staged_headers(s.substr(subject_len, headers_len));
          if (!decoded) return -static_cast<double>(code(decoded.error()));
          h = std::move(*decoded);
        }
        auto r = engine_.js_publish(static_cast<std::uint64_t>(context), s.substr(0, subject_len),
                                    s.substr(subject_len + headers_len, payload_len),
                                    h ? &*h : nullptr, o, to_time(now));
        return r ? static_cast<double>(*r) : -static_cast<double>(code(r.error()));
      },
      -static_cast<double>(exception_code()));
}

double Connection::js_pending(double context) const {
  return static_cast<double>(engine_.js_pending(static_cast<std::uint64_t>(context)));
}

int Connection::js_cancel(double id) {
  auto i = to_count(id, "id");
  if (!i) return code(i.error());
  return code(engine_.js_cancel(*i));
}

val Connection::last_error() const {
  val out = val::object();
  out.set("code", static_cast<int>(engine_.last_error().code));
  out.set("message", engine_.last_error().message);
  return out;
}

val Connection::stats() const {
  const Stats &s = engine_.stats();
  val out = val::object();
  out.set("inMsgs", static_cast<double>(s.in_msgs));
  out.set("outMsgs", static_cast<double>(s.out_msgs));
  out.set("inBytes", static_cast<double>(s.in_bytes));
  out.set("outBytes", static_cast<double>(s.out_bytes));
  return out;
}

std::string Connection::current_server() const {
  const ServerUrl *u = engine_.current_server();
  return u ? u->host_port() : std::string();
}

}  // namespace nats::wasm
