// embind bindings: one nats::Engine per connection. Only numbers cross on
// the hot path: bytes go in and out through heap pointers, events come out as
// a batch of fixed-size records that JavaScript reads with one Uint32Array.
//
// Event record (kRecordWords u32 words):
//   [0] type  [1] id  [2] errc  [3] sid
//   [4] subject ptr [5] len   [6] reply ptr [7] len
//   [8] headers ptr [9] len   [10] payload ptr [11] len
// For events with an error, [4]/[5] are an offset/length into the text
// arena (textPtr()) holding the error message.
// Pointers into the receive buffer stay valid until the next receivePtr()
// or receiveEof(): JavaScript copies payloads out before feeding more.

#include <emscripten/bind.h>
#include <emscripten/em_macros.h>
#include <emscripten/val.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "nats/engine.hpp"
#include "nats/parser.hpp"

namespace nats::wasm {
namespace {

using emscripten::val;

constexpr std::size_t kRecordWords = 12;

std::uint32_t ptr32(const void *p) {
  return static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(p));
}

// A JS number (ms from performance.now()) to engine time.
Time to_time(double ms) { return Time{static_cast<std::int64_t>(ms)}; }

// Catches anything at the boundary: a C++ exception must never reach JS.
template <typename F, typename R>
R guarded(F &&f, R on_exception) {
  try {
    return f();
  } catch (...) {
    return on_exception;
  }
}

std::string read_string(const val &obj, const char *key) {
  val v = obj[key];
  return v.isString() ? v.as<std::string>() : std::string();
}

double read_number(const val &obj, const char *key, double fallback) {
  val v = obj[key];
  return v.isNumber() ? v.as<double>() : fallback;
}

}  // namespace

/// One connection's engine as seen from JavaScript.
class Connection {
public:
  explicit Connection(val opts) : Connection(make_options(opts)) {}

  /// An Errc when the options are invalid (the message is errorMessage()).
  int config_error() { return code(options_error_); }

  // --- driving ------------------------------------------------------------
  void start(double now) { engine_.start(to_time(now)); }
  /// Room for n received bytes; write them, then call feed(n).
  std::uintptr_t receive_ptr(std::size_t n) {
    return reinterpret_cast<std::uintptr_t>(engine_.prepare_receive(n).data());
  }
  /// Commits n received bytes and polls events; returns the record count.
  std::size_t feed(std::size_t n) {
    engine_.commit_receive(n);
    return poll();
  }
  /// The transport closed; returns the record count.
  std::size_t receive_eof() {
    engine_.receive_eof();
    return poll();
  }
  /// Collects all pending events into the batch; returns the record count.
  std::size_t poll() {
    return guarded(
        [&] {
          batch_.clear();
          text_.clear();
          Event ev;
          while (engine_.next_event(ev)) append(ev);
          return batch_.size() / kRecordWords;
        },
        std::size_t{0});
  }
  std::uintptr_t batch_ptr() const { return reinterpret_cast<std::uintptr_t>(batch_.data()); }
  std::uintptr_t text_ptr() const { return reinterpret_cast<std::uintptr_t>(text_.data()); }

  std::uintptr_t output_ptr() const {
    return reinterpret_cast<std::uintptr_t>(engine_.pending_output().data());
  }
  std::size_t output_len() const { return engine_.pending_output().size(); }
  void consume_output(std::size_t n) { engine_.consume_output(n); }

  /// Fires due timers; returns the record count.
  std::size_t handle_timeout(double now) {
    engine_.handle_timeout(to_time(now));
    return poll();
  }
  /// Next deadline in ms, or -1 when there is none.
  double next_deadline() const {
    auto d = engine_.next_deadline();
    return d ? static_cast<double>(d->count()) : -1.0;
  }

  // --- operations: strings and bytes come through the staging area --------
  /// Room for the arguments of the next operation.
  std::uintptr_t stage_ptr(std::size_t n) {
    if (stage_.size() < n) stage_.resize(n);
    return reinterpret_cast<std::uintptr_t>(stage_.data());
  }

  /// Staged: subject, reply, headers, payload. Returns an Errc (0 = ok).
  int publish(std::size_t subject_len, std::size_t reply_len, std::size_t headers_len,
              std::size_t payload_len) {
    return guarded(
        [&] {
          std::string_view s(stage_.data(), subject_len + reply_len + headers_len + payload_len);
          return code(engine_.publish(s.substr(0, subject_len),
                                      s.substr(subject_len + reply_len + headers_len, payload_len),
                                      s.substr(subject_len, reply_len),
                                      s.substr(subject_len + reply_len, headers_len)));
        },
        exception_code());
  }

  /// Staged: n bytes of packed publishes (js/src/pyodide.mjs publishPacked):
  /// per message u32 subject length, u32 payload length (little endian),
  /// subject, payload. Publishes all; returns the first Errc (0 = ok).
  int publish_packed(std::size_t n) {
    return guarded(
        [&] {
          std::string_view s(stage_.data(), n);
          int first = 0;
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
            int rc = code(engine_.publish(s.substr(0, sl), s.substr(sl, pl)));
            if (first == 0) first = rc;
            s.remove_prefix(std::size_t{sl} + pl);
          }
          return first;
        },
        exception_code());
  }

  /// Staged: subject, queue. Returns the sid, or -Errc.
  double subscribe(std::size_t subject_len, std::size_t queue_len, double max) {
    return guarded(
        [&] {
          std::string_view s(stage_.data(), subject_len + queue_len);
          auto r = engine_.subscribe(s.substr(0, subject_len), s.substr(subject_len, queue_len),
                                     static_cast<std::uint64_t>(max));
          return r ? static_cast<double>(*r) : -static_cast<double>(code(r.error()));
        },
        -static_cast<double>(exception_code()));
  }

  int unsubscribe(double sid, double max) {
    return code(
        engine_.unsubscribe(static_cast<std::uint64_t>(sid), static_cast<std::uint64_t>(max)));
  }
  int drain_subscription(double sid) {
    return code(engine_.drain_subscription(static_cast<std::uint64_t>(sid)));
  }

  /// Staged: subject, headers, payload. Returns the request id, or -Errc.
  double request(std::size_t subject_len, std::size_t headers_len, std::size_t payload_len,
                 double now, double timeout) {
    return guarded(
        [&] {
          std::string_view s(stage_.data(), subject_len + headers_len + payload_len);
          auto r = engine_.request(s.substr(0, subject_len),
                                   s.substr(subject_len + headers_len, payload_len), to_time(now),
                                   Duration{static_cast<std::int64_t>(timeout)},
                                   s.substr(subject_len, headers_len));
          return r ? static_cast<double>(*r) : -static_cast<double>(code(r.error()));
        },
        -static_cast<double>(exception_code()));
  }
  int cancel_request(double id) {
    return code(engine_.cancel_request(static_cast<std::uint64_t>(id)));
  }
  /// Returns the flush id, or -Errc.
  double flush(double now, double timeout) {
    auto r = engine_.flush(to_time(now), Duration{static_cast<std::int64_t>(timeout)});
    return r ? static_cast<double>(*r) : -static_cast<double>(code(r.error()));
  }
  int drain() { return code(engine_.drain()); }
  void close() { engine_.close(); }

  /// This object's address, for the raw exports below (hot paths skip embind).
  std::uintptr_t handle() { return reinterpret_cast<std::uintptr_t>(this); }

  // --- state ----------------------------------------------------------------
  int state() const { return static_cast<int>(engine_.state()); }
  /// The message of the last failed call.
  std::string error_message() const { return error_message_; }
  /// Why the connection closed: {code, message}.
  val last_error() const {
    val out = val::object();
    out.set("code", static_cast<int>(engine_.last_error().code));
    out.set("message", engine_.last_error().message);
    return out;
  }
  std::string info_json() const { return engine_.info_json(); }
  double max_payload() const { return static_cast<double>(engine_.max_payload()); }
  val stats() const {
    const Stats &s = engine_.stats();
    val out = val::object();
    out.set("inMsgs", static_cast<double>(s.in_msgs));
    out.set("outMsgs", static_cast<double>(s.out_msgs));
    out.set("inBytes", static_cast<double>(s.in_bytes));
    out.set("outBytes", static_cast<double>(s.out_bytes));
    return out;
  }
  double pending_requests() const { return static_cast<double>(engine_.pending_requests()); }
  double subscription_count() const { return static_cast<double>(engine_.subscription_count()); }
  double receive_buffered() const { return static_cast<double>(engine_.receive_buffered()); }
  std::string new_inbox() { return engine_.new_inbox(); }

private:
  explicit Connection(Options options)
      : options_error_(validate_options(options)), engine_(std::move(options)) {}

  static Options make_options(const val &opts) {
    Options o;
    o.name = read_string(opts, "name");
    o.lang = "javascript-wasm";
    o.version = read_string(opts, "version");
    o.token = read_string(opts, "token");
    o.user = read_string(opts, "user");
    o.pass = read_string(opts, "pass");
    o.echo = !(opts["noEcho"].isTrue());
    o.connect_timeout = Duration{static_cast<std::int64_t>(read_number(opts, "timeout", 20000))};
    o.ping_interval =
        Duration{static_cast<std::int64_t>(read_number(opts, "pingInterval", 120000))};
    o.max_pings_out = static_cast<int>(read_number(opts, "maxPingOut", 2));
    std::string prefix = read_string(opts, "inboxPrefix");
    if (!prefix.empty()) o.inbox_prefix = prefix;
    o.seed[0] = static_cast<std::uint64_t>(read_number(opts, "seed0", 0));
    o.seed[1] = static_cast<std::uint64_t>(read_number(opts, "seed1", 0));
    return o;
  }

  int code(const Error &e) {
    if (e) error_message_ = e.message;
    return static_cast<int>(e.code);
  }
  int exception_code() {
    error_message_ = "internal error (exception in the engine)";
    return static_cast<int>(Errc::protocol_error);
  }

  void append(const Event &ev) {
    std::size_t at = batch_.size();
    batch_.resize(at + kRecordWords, 0);
    std::uint32_t *r = batch_.data() + at;
    r[0] = static_cast<std::uint32_t>(ev.type);
    r[1] = static_cast<std::uint32_t>(ev.id);
    r[2] = static_cast<std::uint32_t>(ev.error.code);
    if (ev.type == EventType::message || ev.type == EventType::request_reply) {
      const Message &m = ev.msg;
      r[3] = static_cast<std::uint32_t>(m.sid);
      r[4] = ptr32(m.subject.data());
      r[5] = static_cast<std::uint32_t>(m.subject.size());
      r[6] = ptr32(m.reply.data());
      r[7] = static_cast<std::uint32_t>(m.reply.size());
      r[8] = ptr32(m.headers.data());
      r[9] = static_cast<std::uint32_t>(m.headers.size());
      r[10] = ptr32(m.payload.data());
      r[11] = static_cast<std::uint32_t>(m.payload.size());
    } else if (ev.error) {
      r[4] = static_cast<std::uint32_t>(text_.size());
      r[5] = static_cast<std::uint32_t>(ev.error.message.size());
      text_.append(ev.error.message);
    }
  }

  Error options_error_;
  Engine engine_;
  std::vector<std::uint32_t> batch_;
  std::string text_;
  std::vector<char> stage_;
  std::string error_message_;
};

}  // namespace nats::wasm

namespace {
/// -Errc on failure, else the pending output length (what JS needs next).
int output_or_error(const nats::wasm::Connection &c, int rc) {
  return rc != 0 ? -rc : static_cast<int>(c.output_len());
}
}  // namespace

// Hot-path entry points as plain wasm exports: a call through embind costs
// more than the publish itself (docs/benchmarks.md). `c` is handle().
extern "C" {
/// publish() on staged arguments; returns the pending output length, or -Errc.
EMSCRIPTEN_KEEPALIVE int nw_publish(nats::wasm::Connection *c, std::size_t subject_len,
                                    std::size_t reply_len, std::size_t headers_len,
                                    std::size_t payload_len) {
  return output_or_error(*c, c->publish(subject_len, reply_len, headers_len, payload_len));
}
/// publish_packed() on n staged bytes; returns the pending output length, or -Errc.
EMSCRIPTEN_KEEPALIVE int nw_publish_packed(nats::wasm::Connection *c, std::size_t n) {
  return output_or_error(*c, c->publish_packed(n));
}
/// feed(): commits n received bytes; returns the record count.
EMSCRIPTEN_KEEPALIVE std::size_t nw_feed(nats::wasm::Connection *c, std::size_t n) {
  return c->feed(n);
}
/// receive_ptr(): room for n received bytes.
EMSCRIPTEN_KEEPALIVE std::uintptr_t nw_receive_ptr(nats::wasm::Connection *c, std::size_t n) {
  return c->receive_ptr(n);
}
}

namespace nats::wasm {

/// The bare parser, for running tests/vectors through the WASM build.
class ParserProbe {
public:
  ParserProbe(double max_line, double max_payload)
      : parser_(static_cast<std::size_t>(max_line), static_cast<std::size_t>(max_payload)) {}
  std::uintptr_t receive_ptr(std::size_t n) {
    return reinterpret_cast<std::uintptr_t>(parser_.prepare(n).data());
  }
  void commit(std::size_t n) { parser_.commit(n); }
  /// The next op as {status: "op"|"need_more"|"error", ...}; strings are
  /// latin1 (one char per byte) so binary payloads compare exactly.
  val next() {
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

private:
  static val bytes(std::string_view s) {
    return val(emscripten::typed_memory_view(s.size(),
                                             reinterpret_cast<const std::uint8_t *>(s.data())))
        .call<val>("slice");
  }
  Parser parser_;
};

EMSCRIPTEN_BINDINGS(nats_wasm) {
  using emscripten::class_;
  class_<Connection>("Connection")
      .constructor<val>()
      .function("configError", &Connection::config_error)
      .function("start", &Connection::start)
      .function("receiveEof", &Connection::receive_eof)
      .function("poll", &Connection::poll)
      .function("batchPtr", &Connection::batch_ptr)
      .function("textPtr", &Connection::text_ptr)
      .function("outputPtr", &Connection::output_ptr)
      .function("outputLen", &Connection::output_len)
      .function("consumeOutput", &Connection::consume_output)
      .function("handleTimeout", &Connection::handle_timeout)
      .function("nextDeadline", &Connection::next_deadline)
      .function("stagePtr", &Connection::stage_ptr)
      .function("subscribe", &Connection::subscribe)
      .function("unsubscribe", &Connection::unsubscribe)
      .function("drainSubscription", &Connection::drain_subscription)
      .function("request", &Connection::request)
      .function("cancelRequest", &Connection::cancel_request)
      .function("flush", &Connection::flush)
      .function("drain", &Connection::drain)
      .function("close", &Connection::close)
      .function("state", &Connection::state)
      .function("errorMessage", &Connection::error_message)
      .function("lastError", &Connection::last_error)
      .function("infoJson", &Connection::info_json)
      .function("maxPayload", &Connection::max_payload)
      .function("stats", &Connection::stats)
      .function("pendingRequests", &Connection::pending_requests)
      .function("subscriptionCount", &Connection::subscription_count)
      .function("receiveBuffered", &Connection::receive_buffered)
      .function("newInbox", &Connection::new_inbox)
      .function("handle", &Connection::handle);
  class_<ParserProbe>("ParserProbe")
      .constructor<double, double>()
      .function("receivePtr", &ParserProbe::receive_ptr)
      .function("commit", &ParserProbe::commit)
      .function("next", &ParserProbe::next);
}

}  // namespace nats::wasm
