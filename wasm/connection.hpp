#pragma once
// One connection's engine as JavaScript sees it. Only numbers cross on the
// hot path: strings and bytes are written by JS into a staging area in the
// heap, received bytes straight into the engine's receive buffer, and events
// come back as a RecordBatch.

#include <emscripten/val.h>

#include <cstdint>
#include <string>
#include <vector>

#include "nats/engine.hpp"
#include "records.hpp"

namespace nats::wasm {

class Connection {
public:
  explicit Connection(emscripten::val opts);

  /// An Errc when the options are invalid (the message is errorMessage()).
  int config_error() { return code(options_error_); }

  // --- driving: each returns the number of event records now in the batch.
  std::size_t connect(double now);
  std::size_t transport_opened(double now);
  std::size_t transport_closed(double now);
  std::size_t handle_timeout(double now);
  /// Collects all pending events into the batch.
  std::size_t poll();
  /// Room for n received bytes; write them, then feed(n, now).
  std::uintptr_t receive_ptr(std::size_t n);
  std::size_t feed(std::size_t n, double now);
  const BatchSummary &batch_summary() { return batch_.summary(); }
  std::uintptr_t output_ptr() const {
    return reinterpret_cast<std::uintptr_t>(engine_.pending_output().data());
  }
  std::size_t output_len() const { return engine_.pending_output().size(); }
  void consume_output(std::size_t n) { engine_.consume_output(n); }
  /// Next deadline in ms, or -1 when there is none.
  double next_deadline() const;

  // --- authentication (wasm/auth_api.cpp): answers to auth_needed/sign_nonce.
  /// This connection's auth {user, pass, token, jwt, seed, creds, nkey, sig}.
  std::size_t authenticate(emscripten::val fields, double now);
  /// The seed's public key and the nonce's signature, in unpadded base64url.
  std::size_t nonce_signed(const std::string &public_key_b64, const std::string &signature_b64,
                           double now);
  /// The host could not authenticate: closes with authorization_violation.
  std::size_t auth_failed(const std::string &message, double now);

  // --- operations: arguments come through the staging area ------------------
  /// Room for the arguments of the next operation.
  std::uintptr_t stage_ptr(std::size_t n);
  /// Staged: subject, reply, headers (staged format, boundary.hpp), payload.
  /// Returns an Errc (0 = ok).
  int publish(std::size_t subject_len, std::size_t reply_len, std::size_t headers_len,
              std::size_t payload_len);
  /// Staged: n bytes of packed publishes (js/src/pyodide.mjs publishPacked).
  int publish_packed(std::size_t n);
  /// Staged: subject, queue. Returns the sid, or -Errc.
  double subscribe(std::size_t subject_len, std::size_t queue_len, double max);
  int unsubscribe(double sid, double max);
  // Pending limits (wasm/pending_api.cpp).
  /// Limits sub `sid` (0: none); returns an Errc.
  int set_pending_limits(double sid, double msgs, double bytes, double slow);
  /// The user took msgs messages of bytes from sub `sid`.
  void subscription_consumed(double sid, double msgs, double bytes);
  /// {msgs, bytes, dropped} of a tracked sub, or undefined.
  emscripten::val subscription_pending(double sid) const;
  /// nats.js SubOpts.timeout (ms): 0 or an error code.
  int set_subscription_timeout(double sid, double now, double timeout_ms);
  int drain_subscription(double sid);
  /// Staged: subject, headers, payload. Returns the request id, or -Errc.
  double request(std::size_t subject_len, std::size_t headers_len, std::size_t payload_len,
                 double now, double timeout);
  /// Staged like request(); strategy is a ReplyStrategy number.
  double request_many(std::size_t subject_len, std::size_t headers_len, std::size_t payload_len,
                      double now, int strategy, double max_wait, double max_messages, double stall);
  int cancel_request(double id);
  /// Returns the flush id, or -Errc.
  double flush(double now, double timeout);
  int drain() { return code(engine_.drain()); }
  void close() { engine_.close(); }
  int reconnect(double now) {
    return code(engine_.reconnect(Time{static_cast<std::int64_t>(now)}));
  }
  void set_online(bool online, double now) {
    engine_.set_online(online, Time{static_cast<std::int64_t>(now)});
  }
  void check_connection(double now, double timeout) {
    engine_.check_connection(Time{static_cast<std::int64_t>(now)},
                             Duration{static_cast<std::int64_t>(timeout)});
  }
  /// The server pool as [{url, implicit, didConnect}].
  emscripten::val servers() const;  // pool_api.cpp
  /// Replaces the server pool (an array of URL strings): 0 or an error code.
  int set_servers(const emscripten::val &urls);

  // --- JetStream ---------------------------------------------------------------
  /// A JetStream context from {prefix, domain, timeout, maxPending}; its id or -Errc.
  double js_context(emscripten::val opts);
  /// Starts API call `op` (a js::ApiOp number) with JSON arguments; its id or -Errc.
  double js_api(double context, int op, const std::string &args_json, double now, double timeout,
                std::size_t payload_len);
  /// A key-value write (op: kv::Operation; expected < 0: none); the value staged.
  double kv_write(double context, const std::string &bucket, const std::string &key, int op,
                  double expected, std::size_t payload_len, double now);
  /// One chunk of an object version (the data staged); a publish id.
  double obj_put_chunk(double context, const std::string &bucket, const std::string &nuid,
                       std::size_t payload_len, double now);
  /// An ordered consumer over an object's chunks (or, nuid "", the infos;
  /// include: js::obj::Include).
  double obj_read(double context, const std::string &bucket, const std::string &nuid, int include,
                  double now);
  /// A key-value watch (an ordered consumer id; include: kv::WatchInclude).
  double kv_watch(double context, const std::string &bucket, const std::string &keys, int include,
                  bool headers_only, int ignore, double resume, double now);
  /// Staged: subject, headers (staged format), payload, options (js_publish_options
  /// format). Returns the publish id, or -Errc.
  double js_publish(double context, std::size_t subject_len, std::size_t headers_len,
                    std::size_t payload_len, std::size_t options_len, double now);
  double js_pending(double context) const;
  int js_cancel(double id);
  double js_in_flight() const { return static_cast<double>(engine_.js_in_flight()); }

  // --- pull and ordered consumers ----------------------------------------------
  /// A fetch/consume on stream/consumer; its session id or -Errc.
  double pull_start(double context, const std::string &stream, const std::string &consumer,
                    emscripten::val opts, double now);
  /// A push session (wasm/consumer_sessions.cpp): on the consumer of `info_json`
  /// (its ConsumerInfo), or with info_json "" on the bound consumer that
  /// `opts` describes. Its session id or -Errc.
  double push_start(double context, const std::string &info_json, emscripten::val opts, double now);
  /// Acks and asks for `batch` more to `deliver_to` (nats.js JsMsg.next). Errc.
  int js_ack_next(const std::string &reply, const std::string &deliver_to, double batch,
                  double expires_ms, bool no_wait);
  /// Errc: whether the consumer of `info_json` is a push consumer.
  int push_check(const std::string &info_json);
  int pull_consumed(double session, double msgs, double bytes);
  int pull_stop(double session);
  double pull_sessions() const { return static_cast<double>(engine_.pull_sessions()); }
  /// An ordered consumer; its id (ended by js_result) or -Errc.
  double ordered_create(double context, const std::string &stream, emscripten::val opts,
                        double now);
  double ordered_pull(double ordered, emscripten::val opts, double now);
  int ordered_delete(double ordered);
  std::string ordered_name(double ordered) const;
  /// Staged: the reply subject. kind: js::AckKind. Returns an Errc.
  int js_ack(std::size_t reply_len, int kind, double delay_ms);
  /// Staged: the reply subject. A request id (request_reply confirms), or -Errc.
  double js_ack_sync(std::size_t reply_len, double now, double timeout);

  /// This object's address, for the raw exports (hot paths skip embind).
  std::uintptr_t handle() { return reinterpret_cast<std::uintptr_t>(this); }

  // --- state ----------------------------------------------------------------
  int state() const { return static_cast<int>(engine_.state()); }
  /// The message of the last failed call.
  std::string error_message() const { return error_message_; }
  /// Why the connection closed: {code, message}.
  emscripten::val last_error() const;
  std::string info_json() const { return engine_.info_json(); }
  double max_payload() const { return static_cast<double>(engine_.max_payload()); }
  emscripten::val stats() const;
  double pending_requests() const { return static_cast<double>(engine_.pending_requests()); }
  double subscription_count() const { return static_cast<double>(engine_.subscription_count()); }
  double receive_buffered() const { return static_cast<double>(engine_.receive_buffered()); }
  std::string new_inbox() { return engine_.new_inbox(); }
  std::string new_nuid() { return engine_.new_nuid(); }
  /// The server in use as "host:port" (nats.js getServer; "" before connect()).
  std::string current_server() const;

  /// Sets the error message and returns the code (for the raw exports).
  int code(const Error &e);
  int exception_code();

private:
  struct Built {
    Options options;
    Error error;
  };
  static Built build(const emscripten::val &opts);
  explicit Connection(Built built);

  Error options_error_;
  Engine engine_;
  RecordBatch batch_;
  const char *receiving_ = nullptr;  ///< where receive_ptr() put the bytes feed() commits
  std::vector<char> stage_;
  std::string error_message_;
};

}  // namespace nats::wasm
