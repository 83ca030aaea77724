#pragma once
/// The sans-IO NATS connection engine.
///
/// The host owns the socket, the clock and the thread; the engine owns the
/// protocol, and names the server the host must connect to:
///
///   engine.connect(now)            → event transport_open (text = URL)
///   host opens it                  → engine.transport_opened(now)
///   bytes arrive                   → engine.receive(bytes, now)  (or prepare/commit_receive)
///   the socket ends                → engine.transport_closed(now)
///   event transport_close          → host writes pending_output(), then closes the socket
///   next_deadline() passes         → engine.handle_timeout(now)
///
/// Events come out of next_event(); bytes to send out of pending_output().
/// The engine never blocks.
///
/// Lifetime of views: string_views in a message Event point into the receive
/// buffer and stay valid until the next receive(), prepare_receive() or
/// transport_closed(). next_event() never moves the buffer, so a host can
/// drain all events of one chunk and still read every payload.

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "nats/auth.hpp"
#include "nats/detail/jetstream_state.hpp"
#include "nats/detail/request_mux.hpp"
#include "nats/detail/server_pool.hpp"
#include "nats/detail/subscription_table.hpp"
#include "nats/engine_types.hpp"
#include "nats/error.hpp"
#include "nats/event.hpp"
#include "nats/headers.hpp"
#include "nats/jetstream/api.hpp"
#include "nats/jetstream/kv.hpp"
#include "nats/jetstream/obj.hpp"
#include "nats/jetstream/publish.hpp"
#include "nats/jetstream/push.hpp"
#include "nats/nuid.hpp"
#include "nats/options.hpp"
#include "nats/parser.hpp"
#include "nats/server_info.hpp"
#include "nats/state.hpp"
#include "nats/url.hpp"

namespace nats {

/// The engine. Not thread-safe: one host thread drives it.
class Engine {
public:
  explicit Engine(Options options = {});

  // --- driving -----------------------------------------------------------
  /// Starts connecting: arms the connect timeout and emits transport_open.
  void connect(Time now);
  /// The transport named by the last transport_open is open.
  void transport_opened(Time now);
  /// Feeds received bytes.
  void receive(std::string_view bytes, Time now);
  /// Room to write n received bytes in place; then commit_receive(written).
  std::span<char> prepare_receive(std::size_t n);
  void commit_receive(std::size_t n, Time now);
  /// The transport ended (EOF, error, or it never opened). `reason`, when
  /// the host knows it (e.g. a TLS or DNS failure), goes into the error.
  void transport_closed(Time now, std::string_view reason = {});
  /// Takes the next event; false when there is none until more input/time.
  bool next_event(Event &event);
  /// Bytes to write to the transport (stable until the next engine call).
  std::string_view pending_output() const { return std::string_view(out_).substr(out_pos_); }
  /// Marks n bytes of pending_output() as written.
  void consume_output(std::size_t n);
  /// Moves all pending output out.
  std::string take_output();
  /// Answers auth_needed with this connection's auth (added to Options').
  Error authenticate(const Auth &auth, Time now);
  /// Answers sign_nonce: the seed's 32-byte public key and the 64-byte
  /// Ed25519 signature of the nonce.
  Error nonce_signed(std::string_view public_key, std::string_view signature, Time now);
  /// The host could not authenticate (auth_needed or sign_nonce): closes.
  void auth_failed(Error error, Time now);
  /// Answers tls_upgrade: the TLS handshake is done (error empty), or it
  /// failed (the connection is lost with that error; reconnecting may follow).
  Error tls_upgraded(Error error, Time now);
  /// Fires timers due at `now`.
  void handle_timeout(Time now);
  /// The earliest time handle_timeout() has work, if any.
  std::optional<Time> next_deadline() const;

  // --- operations --------------------------------------------------------
  /// Publishes. `headers` is a complete NATS/1.0 block (checked) or empty.
  Error publish(std::string_view subject, std::string_view payload, std::string_view reply = {},
                std::string_view headers = {});
  /// Publishes with a Headers object (validated and encoded here; always
  /// sent as a header block, even when empty).
  Error publish(std::string_view subject, std::string_view payload, std::string_view reply,
                const Headers &headers);
  /// Subscribes; returns the sid. max > 0 auto-unsubscribes after max msgs.
  Result<std::uint64_t> subscribe(std::string_view subject, std::string_view queue = {},
                                  std::uint64_t max = 0);
  /// Limits what sub `sid` may hold for the user; from then on the host
  /// reports what the user took with subscription_consumed().
  Error set_pending_limits(std::uint64_t sid, const PendingLimits &limits);
  /// The user took `msgs` messages of `bytes` (headers + payload) from sub `sid`.
  Error subscription_consumed(std::uint64_t sid, std::uint64_t msgs, std::uint64_t bytes);
  /// Pending and dropped counts of a tracked subscription.
  std::optional<SubscriptionPending> subscription_pending(std::uint64_t sid) const;
  /// nats.js SubOpts.timeout: unless a message arrives within `timeout`,
  /// the subscription is unsubscribed and closes with a timeout error. The
  /// first message cancels it.
  Error set_subscription_timeout(std::uint64_t sid, Time now, Duration timeout);
  /// Unsubscribes now (max 0) or after `max` messages in total.
  Error unsubscribe(std::uint64_t sid, std::uint64_t max = 0);
  /// Unsubscribes, then delivers what the server already sent; the sub
  /// closes when the PONG after the UNSUB arrives.
  Error drain_subscription(std::uint64_t sid);
  /// Sends a request over the shared reply subscription; returns its id.
  /// Ends in request_reply or request_failed (timeout, no_responders,
  /// permission_violation, connection_closed). timeout must be > 0.
  Result<std::uint64_t> request(std::string_view subject, std::string_view payload, Time now,
                                Duration timeout, std::string_view headers = {});
  /// request() with Headers (always sent as a header block).
  Result<std::uint64_t> request(std::string_view subject, std::string_view payload, Time now,
                                Duration timeout, const Headers &headers);
  /// Sends one request and collects many replies: request_reply events, then
  /// request_done, or request_failed (no_responders when the first reply is
  /// an empty 503; connection_closed ...).
  Result<std::uint64_t> request_many(std::string_view subject, std::string_view payload, Time now,
                                     const RequestManyOptions &options,
                                     const Headers *headers = nullptr);
  /// Forgets a pending request (the caller gave up). No event follows.
  Error cancel_request(std::uint64_t id);
  /// Sends PING; returns an id ended by flush_done. timeout 0 = none.
  /// Not allowed while draining (the drain ends in close).
  Result<std::uint64_t> flush(Time now, Duration timeout = Duration{0});
  /// Drains every subscription, then closes (closed event). A second call
  /// is a connection_draining error, as in nats.js.
  Error drain();
  /// Closes now: pending requests and flushes fail, subs close, `closed`.
  void close();
  /// Drops the connection and reconnects (nats.js nc.reconnect()).
  Error reconnect(Time now);
  /// The network went away or came back (browsers: offline/online). While
  /// offline no attempt is made; back online, one is made at once.
  void set_online(bool online, Time now);
  /// Checks the connection now (a PING that must be answered within
  /// `timeout`, else it counts as lost); while reconnecting, tries at once.
  void check_connection(Time now, Duration timeout);
  /// The server pool: given and announced servers.
  const std::vector<detail::PoolServer> &servers() const { return pool_.servers(); }
  /// Replaces the server pool (nats.js setServers, nats.py set_server_pool)
  /// for later reconnects; the live connection stays. invalid_argument for
  /// an empty list or a URL that cannot be read (nothing changes then).
  Error set_servers(const std::vector<std::string> &urls);

  // --- JetStream (core/src/jetstream/engine_jetstream.cpp) -------------------
  /// A JetStream context (prefix or domain, timeout, publish window); its id.
  Result<std::uint64_t> js_context(const js::ContextOptions &options);
  /// Starts an API call with JSON arguments (js::ApiOp); ends in js_result or
  /// js_stored_msg, or either with an error. timeout 0: the context's.
  /// `payload`: the value of a kv_create.
  Result<std::uint64_t> js_api(std::uint64_t context, js::ApiOp op, std::string_view args_json,
                               Time now, Duration timeout = Duration{0},
                               std::string_view payload = {});
  /// Publishes to a stream subject; ends in js_pub_ack. window_full (nothing
  /// sent) while the context's window of unacknowledged publishes is full.
  Result<std::uint64_t> js_publish(std::uint64_t context, std::string_view subject,
                                   std::string_view payload, const Headers *headers,
                                   const js::PublishOptions &options, Time now);
  /// Publishes of a context waiting for their ack.
  std::size_t js_pending(std::uint64_t context) const;
  /// Forgets a JetStream call or publish (the caller gave up). No event follows.
  Error js_cancel(std::uint64_t id);
  /// JetStream calls and publishes in flight (for leak checks).
  std::size_t js_in_flight() const { return js_.calls.size() + js_.pubs.size(); }

  // --- pull consumers (core/src/jetstream/engine_pull.cpp) ------------------
  /// Starts a fetch or consume on a consumer; messages come as js_msg,
  /// notifications as pull_status, the end as pull_done.
  Result<std::uint64_t> pull_start(std::uint64_t context, std::string_view stream,
                                   std::string_view consumer, const js::PullOptions &options,
                                   Time now);
  /// The host handed `msgs` messages (`bytes` bytes) to the user: consume
  /// pulls more only as messages are consumed, so memory stays bounded.
  Error pull_consumed(std::uint64_t session, std::uint64_t msgs, std::uint64_t bytes);
  /// Stops a session: no more pulls; pull_done follows the messages already out.
  Error pull_stop(std::uint64_t session);
  /// Pull sessions running (for leak checks).
  std::size_t pull_sessions() const { return js_.pulls.size(); }
  /// Acknowledges a message by its reply subject (fire and forget).
  Error js_ack(std::string_view reply, js::AckKind kind, Duration nak_delay = Duration{0});
  /// Acknowledges and asks for the next `batch` messages to be delivered to
  /// `deliver_to` (nats.js JsMsg.next: "+NXT {...}" with a reply subject).
  Error js_ack_next(std::string_view reply, std::string_view deliver_to, std::uint64_t batch,
                    Duration expires, bool no_wait);
  /// Acknowledges and waits for the server's confirmation: a request ending
  /// in request_reply (confirmed) or request_failed.
  Result<std::uint64_t> js_ack_sync(std::string_view reply, Time now, Duration timeout);

  // --- push consumers (core/src/jetstream/engine_push.cpp) --------------------
  /// Consumes a push consumer: subscribes to its deliver subject (in its
  /// deliver group), answers flow control once the host consumed what came
  /// before, watches idle heartbeats. Events as for pull_start; the host
  /// reports consumption with pull_consumed and stops with pull_stop.
  /// stream and consumer may be "" (a bound consumer: nothing is looked up).
  Result<std::uint64_t> push_start(std::uint64_t context, std::string_view stream,
                                   std::string_view consumer, const js::PushOptions &options,
                                   Time now);

  // --- ordered consumers (core/src/jetstream/engine_ordered.cpp) -------------
  /// Creates an ordered consumer (checks the stream, creates the server
  /// consumer); js_result with its ConsumerInfo JSON, or an error, follows.
  Result<std::uint64_t> ordered_create(std::uint64_t context, std::string_view stream,
                                       const js::OrderedOptions &options, Time now);
  /// A fetch or consume on an ordered consumer (one at a time): every stream
  /// message once, in order; gaps and lost heartbeats recreate the server
  /// consumer from the next stream sequence.
  Result<std::uint64_t> ordered_pull(std::uint64_t ordered, const js::PullOptions &options,
                                     Time now);
  /// Forgets an ordered consumer and deletes its server consumer.
  Error ordered_delete(std::uint64_t ordered);
  /// The server name an ordered consumer has now ("" when unknown).
  std::string ordered_name(std::uint64_t ordered) const;

  // --- key-value (core/src/jetstream/engine_kv.cpp) ----------------------------
  /// A write to a key of a bucket: a put, a delete (KV-Operation: DEL) or a
  /// purge (the key's history rolled up); with an expected revision, only
  /// if the key's last revision is that (0: it has no value). Ends in
  /// js_pub_ack (the revision is the seq).
  Result<std::uint64_t> kv_write(std::uint64_t context, std::string_view bucket,
                                 std::string_view key, std::string_view value, js::kv::Operation op,
                                 std::optional<std::uint64_t> expected_revision, Time now);
  /// A watch of `keys` (wildcards allowed): an ordered consumer (its id;
  /// js_result once created) whose sessions deliver entries as js_msg with
  /// `msg.subject` the key, `num` the revision and `num2` the
  /// kv::Operation, and a "caught_up" pull_status once the initial entries
  /// are out. resume_from > 0: from that revision on.
  Result<std::uint64_t> kv_watch(std::uint64_t context, std::string_view bucket,
                                 std::string_view keys, js::kv::WatchInclude include,
                                 bool headers_only, js::kv::Ignore ignore,
                                 std::uint64_t resume_from, Time now);

  // --- object stores (core/src/jetstream/engine_obj.cpp) ----------------------
  /// One chunk of an object version `nuid`: a publish ending in js_pub_ack.
  Result<std::uint64_t> obj_put_chunk(std::uint64_t context, std::string_view bucket,
                                      std::string_view nuid, std::string_view data, Time now);
  /// An ordered consumer (its id; js_result once created) reading the
  /// chunks of version `nuid` in order, or with nuid "" the objects' infos
  /// (`include`); "caught_up" follows the last one there.
  Result<std::uint64_t> obj_read(std::uint64_t context, std::string_view bucket,
                                 std::string_view nuid, js::obj::Include include, Time now);

  // --- state -------------------------------------------------------------
  State state() const { return state_; }
  /// The latest INFO.
  const ServerInfo &info() const { return info_; }
  /// The latest INFO as the server sent it (JSON text).
  const std::string &info_json() const { return info_json_; }
  /// Why the connection failed (code ok when closed cleanly or still open).
  const Error &last_error() const { return last_error_; }
  const Stats &stats() const { return stats_; }
  /// The server's max_payload (from INFO).
  std::size_t max_payload() const { return info_.max_payload; }
  /// User subscriptions open (the request mux is not counted).
  std::size_t subscription_count() const;
  /// Requests waiting for a reply.
  std::size_t pending_requests() const { return mux_.size(); }
  /// Delivered and max (0 none) for an open subscription.
  std::optional<std::pair<std::uint64_t, std::uint64_t>> subscription_progress(
      std::uint64_t sid) const;
  /// A fresh unique inbox subject ("<prefix>.<22 chars>").
  std::string new_inbox();
  /// A fresh unique id (object versions are named by one).
  std::string new_nuid() { return nuid_.next(); }
  /// Bytes held by the receive buffer (for bounded-memory checks).
  std::size_t receive_buffered() const { return parser_.buffered(); }
  /// The server the engine is connected (or connecting) to, if any.
  const ServerUrl *current_server() const;

private:
  // What each PING we sent is waiting for, answered by PONGs in order.
  enum class PongFor : std::uint8_t { handshake, keepalive, flush, sub_drain, conn_drain, probe };
  struct PongWaiter {
    PongFor kind;
    std::uint64_t id = 0;
  };
  struct Flush {
    Time deadline{0};
    bool has_deadline = false;
  };

  // engine.cpp: the state machine and driving.
  Error move_to(State to);
  void enter(State to);
  void enter_closed();
  void fail(Error error);
  void queue(Event event) { events_.push_back(std::move(event)); }
  /// Queues an event of `type` for `id` (error and text optional).
  void emit(EventType type, std::uint64_t id, Error error = {}, std::string text = {});
  // engine_server_ops.cpp
  bool handle_op(const Op &op, Event &event);
  void handle_info(std::string_view json);
  void handle_err(std::string_view text);
  void handle_pong();
  void send_ping(PongFor kind, std::uint64_t id);
  // engine_auth.cpp
  void begin_auth();
  void begin_credentials();
  void continue_auth();
  void send_connect();
  // engine_reconnect.cpp
  /// True while this session's bytes may go out: open, and not in a
  /// reconnect's handshake (publishes then wait in the reconnect buffer).
  bool wire_up() const;
  /// The transport is gone or must go: reconnect when allowed, else close.
  void lost(Error why);
  void drop_in_flight();
  void schedule_attempt();
  void attempt();
  void resume_session();
  Error check_buffer(std::size_t bytes) const;
  // engine_subscriptions.cpp
  bool handle_msg(const Op &op, Event &event);
  /// Pending accounting of a tracked sub: false when the message is dropped.
  bool admit(detail::SubEntry &sub, std::uint64_t sid, std::uint64_t size);
  void close_subscription(std::uint64_t sid, Error error);
  /// Closes the subscriptions whose first-message timeout passed.
  void expire_subscriptions(Time now);
  // engine_requests.cpp
  bool handle_mux_reply(const Op &op, Event &event);
  void ensure_mux();
  Result<std::uint64_t> start_request(std::string_view subject, std::string_view payload,
                                      std::string_view headers, detail::MuxEntry entry);
  /// Fails the requests sent to `subject` (all when null).
  void fail_requests(const Error &error, const std::string *subject);
  void expire_requests(Time now);
  // jetstream/engine_jetstream.cpp
  bool js_on_reply(std::uint64_t mux_id, const Op &op, Event &event);
  void js_on_failed(std::uint64_t mux_id, const Error &error);
  // jetstream/engine_publish_retry.cpp: true when the publish waits for a
  // retry (no event yet).
  bool js_publish_retry_later(std::uint64_t pub_id, const Error &error);
  void js_publish_retries(Time now);
  std::optional<Time> js_publish_next_retry() const;
  void js_publish_fail_waiting(const Error &error);
  Error js_send_call(std::uint64_t call_id);
  bool js_finish_call(std::uint64_t call_id, Event &event);
  Result<std::uint64_t> js_start_internal(std::uint64_t context, js::ApiOp op,
                                          const std::string &args, std::uint64_t owner);
  // jetstream/engine_pull.cpp
  bool pull_on_message(std::uint64_t session, const Op &op, Event &event);
  void pull_on_status(std::uint64_t session, const js::PullStatus &status);
  void pull_send(std::uint64_t session, std::uint64_t batch, std::uint64_t bytes, bool no_wait);
  void pull_refill(std::uint64_t session);
  void pull_subscribe(std::uint64_t session);
  void pull_unsubscribe(std::uint64_t session);
  void pull_finish(std::uint64_t session, Error error);
  void pull_notify(std::uint64_t session, std::string_view type, std::string detail = {},
                   std::uint64_t a = 0, std::uint64_t b = 0);
  // jetstream/engine_pull_recovery.cpp
  void pull_recover(std::uint64_t session);
  void pull_timeouts(Time now);
  std::optional<Time> pull_next_deadline() const;
  void pull_call_done(std::uint64_t owner, std::uint64_t call, const Error &error,
                      const std::string &result);
  // jetstream/engine_acks.cpp
  void remember_ack(std::string_view reply, js::AckKind kind);
  bool acked_before(detail::PullSession &session, std::uint64_t stream_seq) const;
  /// Forgets the acks remembered for a consumer: when no session but
  /// `except` consumes it any more, or at once with except 0 (deleted).
  void forget_acks(const std::string &stream, const std::string &consumer, std::uint64_t except);
  // jetstream/engine_kv.cpp: a bucket's info says whether it mirrors another.
  void kv_note_bucket(std::uint64_t context, std::string_view stream_info_json);
  /// The bucket whose keys `bucket` holds: its mirror source, or itself.
  std::string kv_keys_of(std::uint64_t context, std::string_view bucket) const;
  // jetstream/engine_push.cpp
  void push_on_status(std::uint64_t session, const js::PullStatus &status, std::string_view reply);
  void push_flow_control(std::uint64_t session);
  /// False (dropped, slow_consumer told) when the host holds too much already.
  bool push_admit(std::uint64_t session, std::uint64_t size);
  // jetstream/engine_ordered.cpp
  void ordered_reset(std::uint64_t session);
  void ordered_create_next(std::uint64_t ordered, std::uint64_t owner);
  void ordered_call_done(std::uint64_t ordered, const Error &error, const std::string &result);
  // engine_publish.cpp
  Error check_usable(bool allow_draining) const;
  Error check_publish(std::string_view subject, std::string_view payload, std::string_view reply,
                      std::string_view headers) const;
  void write_publish(std::string_view subject, std::string_view payload, std::string_view reply,
                     std::string_view headers);

  Options options_;
  Error options_error_;
  detail::ServerPool pool_;
  detail::Backoff backoff_;
  bool ever_connected_ = false;         ///< a handshake completed once: losses reconnect
  std::size_t first_failures_ = 0;      ///< failed first-connect attempts
  int auth_errors_in_a_row_ = 0;        ///< authorization errors since the last handshake
  std::uint64_t attempts_ = 0;          ///< reconnect attempts since the connection was lost
  std::optional<Time> attempt_at_;      ///< when the next attempt starts (reconnecting)
  std::optional<Time> probe_deadline_;  ///< check_connection()'s PONG is due
  bool online_ = true;
  std::string reconnect_buf_;  ///< publishes made while reconnecting, in order
  State state_ = State::disconnected;
  Parser parser_;
  ServerInfo info_;
  std::string info_json_;
  Error last_error_;
  Stats stats_;
  std::string out_;
  std::size_t out_pos_ = 0;
  std::deque<Event> events_;
  std::deque<PongWaiter> pongs_;
  detail::SubscriptionTable subs_;
  detail::RequestMux mux_;
  detail::JetStreamState js_;
  std::unordered_map<std::uint64_t, Flush> flushes_;
  /// Subscriptions waiting for their first message, by sid: the deadline.
  std::unordered_map<std::uint64_t, Time> sub_timeouts_;
  std::uint64_t next_flush_ = 1;
  std::optional<Time> connect_deadline_;
  std::optional<Time> next_ping_;
  int pings_out_ = 0;
  Time now_{0};
  Nuid nuid_;
  // This connection's authentication, built during the handshake.
  enum class AuthStep : std::uint8_t { none, tls, fields, signature };
  Auth conn_auth_;
  AuthStep auth_step_ = AuthStep::none;
  std::uint8_t seed_type_ = 0;
  bool tls_on_ = false;  ///< this connection runs over TLS
};

}  // namespace nats
