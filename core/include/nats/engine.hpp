#pragma once
/// The sans-IO NATS connection engine.
///
/// The host owns the socket, the clock and the thread. It feeds received
/// bytes (receive / prepare_receive+commit_receive, receive_eof), drains
/// events with next_event(), writes pending_output() to the socket, and calls
/// handle_timeout(now) when next_deadline() passes. The engine never blocks.
///
/// Lifetime of views: string_views in a message Event point into the receive
/// buffer and stay valid until the next receive(), prepare_receive() or
/// receive_eof(). next_event() never moves the buffer, so a host can drain
/// all events of one chunk and still read every payload.

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "nats/error.hpp"
#include "nats/headers.hpp"
#include "nats/parser.hpp"
#include "nats/server_info.hpp"

namespace nats {

/// Milliseconds on the host's monotonic clock (any epoch).
using Time = std::chrono::milliseconds;
/// A span of time in milliseconds.
using Duration = std::chrono::milliseconds;

/// Engine configuration.
struct Options {
  std::string name;               ///< client name shown by the server
  std::string lang = "cpp";       ///< CONNECT lang
  std::string version = "0.1.0";  ///< CONNECT version
  std::string token;              ///< token auth
  std::string user;               ///< user/password auth
  std::string pass;
  bool echo = true;                 ///< receive own publishes
  Duration connect_timeout{10000};  ///< INFO..PONG of the handshake; 0 = none
  Duration ping_interval{120000};   ///< keepalive PING period; 0 = none
  int max_pings_out = 2;            ///< unanswered PINGs before stale
  std::size_t max_control_line = Parser::default_max_line;
  std::string inbox_prefix = "_INBOX";  ///< prefix of reply subjects
  std::uint64_t seed[2] = {0, 0};       ///< host randomness for inbox names
};

/// Connection states. Every transition is in Engine::transition().
enum class State : std::uint8_t {
  awaiting_info,  ///< started; nothing sent yet
  connecting,     ///< CONNECT + PING sent; waiting for the PONG
  connected,      ///< handshake done
  draining,       ///< unsubscribed everything; waiting for the final PONG
  closed,         ///< terminal
};

/// A stable name for a state ("connected").
std::string_view state_name(State s);

/// A received message. Views: see the file comment.
struct Message {
  std::string_view subject;
  std::string_view reply;
  std::string_view headers;  ///< raw NATS/1.0 block, empty when none
  std::string_view payload;
  std::uint64_t sid = 0;
};

/// What happened.
enum class EventType : std::uint8_t {
  connected,            ///< handshake done (PONG to the first PING)
  message,              ///< msg for subscription `id`
  request_reply,        ///< request `id` got `msg`
  request_failed,       ///< request `id` failed with `error`
  flush_done,           ///< flush `id` round-tripped (or failed: `error`)
  subscription_closed,  ///< sub `id` ended: max reached, drained,
                        ///< unsubscribed, or `error` (e.g. permissions)
  error,                ///< a non-fatal server error (e.g. permissions)
  info,                 ///< INFO changed after connect (info())
  lame_duck,            ///< the server entered lame-duck mode
  closed,               ///< terminal; `error` says why when it failed
};

/// One engine event.
struct Event {
  EventType type = EventType::closed;
  std::uint64_t id = 0;  ///< sid, request id or flush id
  Message msg;
  Error error;
};

/// Counters since connect.
struct Stats {
  std::uint64_t in_msgs = 0, out_msgs = 0, in_bytes = 0, out_bytes = 0;
};

/// Checks options before use (e.g. the inbox prefix must be a valid subject).
/// Engine::start() closes with this error when it is set.
Error validate_options(const Options &options);

/// The engine. Not thread-safe: one host thread drives it.
class Engine {
public:
  explicit Engine(Options options = {});

  // --- driving -----------------------------------------------------------
  /// Arms the connect timeout. Call once, when the transport is open.
  void start(Time now);
  /// Feeds received bytes.
  void receive(std::string_view bytes);
  /// Room to write n received bytes in place; then commit_receive(written).
  std::span<char> prepare_receive(std::size_t n);
  void commit_receive(std::size_t n);
  /// The transport ended. Closes with connection_lost unless already closing.
  void receive_eof();
  /// Takes the next event; false when there is none until more input/time.
  bool next_event(Event &event);
  /// Bytes to write to the transport (stable until the next engine call).
  std::string_view pending_output() const { return std::string_view(out_).substr(out_pos_); }
  /// Marks n bytes of pending_output() as written.
  void consume_output(std::size_t n);
  /// Moves all pending output out.
  std::string take_output();
  /// Fires timers due at `now`.
  void handle_timeout(Time now);
  /// The earliest time handle_timeout() has work, if any.
  std::optional<Time> next_deadline() const;

  // --- operations --------------------------------------------------------
  /// Publishes. `headers` is an encoded block (Headers::encode) or empty.
  Error publish(std::string_view subject, std::string_view payload, std::string_view reply = {},
                std::string_view headers = {});
  /// Publishes with a Headers object.
  Error publish(std::string_view subject, std::string_view payload, std::string_view reply,
                const Headers &headers);
  /// Subscribes; returns the sid. max > 0 auto-unsubscribes after max msgs.
  Result<std::uint64_t> subscribe(std::string_view subject, std::string_view queue = {},
                                  std::uint64_t max = 0);
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
  /// Forgets a pending request (e.g. the caller gave up). No event follows.
  Error cancel_request(std::uint64_t id);
  /// Sends PING; returns an id ended by flush_done. timeout 0 = none.
  /// Not allowed while draining (the drain ends in close).
  Result<std::uint64_t> flush(Time now, Duration timeout = Duration{0});
  /// Drains every subscription, then closes (closed event).
  Error drain();
  /// Closes now: pending requests and flushes fail, subs close, `closed`.
  void close();

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
  std::size_t subscription_count() const { return subs_.size() - (mux_sid_ ? 1 : 0); }
  /// Requests waiting for a reply.
  std::size_t pending_requests() const { return requests_.size(); }
  /// Delivered and max (0 none) for an open subscription.
  std::optional<std::pair<std::uint64_t, std::uint64_t>> subscription_progress(
      std::uint64_t sid) const;
  /// A fresh unique inbox subject ("<prefix>.<22 chars>").
  std::string new_inbox();
  /// Bytes held by the receive buffer (for bounded-memory checks).
  std::size_t receive_buffered() const { return parser_.buffered(); }

private:
  struct Subscription {
    std::string subject;
    std::string queue;
    std::uint64_t max = 0;
    std::uint64_t delivered = 0;
    bool draining = false;
  };
  struct Request {
    Time deadline;
    std::string subject;
  };
  // What each PING we sent is waiting for, answered by PONGs in order.
  enum class PongFor : std::uint8_t { handshake, keepalive, flush, sub_drain, conn_drain };
  struct PongWaiter {
    PongFor kind;
    std::uint64_t id = 0;
  };
  struct Flush {
    Time deadline;
    bool has_deadline = false;
  };

  void transition(State to);
  void fail(Error error);
  void finish_close(Error error);
  void queue(Event event) { events_.push_back(std::move(event)); }
  bool handle_op(const Op &op, Event &event);
  bool handle_msg(const Op &op, Event &event);
  bool handle_request_reply(const Op &op, Event &event);
  void handle_info(std::string_view json);
  void handle_err(std::string_view text);
  void handle_pong();
  void send_ping(PongFor kind, std::uint64_t id);
  void close_subscription(std::uint64_t sid, Error error);
  Error check_usable(bool allow_draining) const;
  Error check_publish(std::string_view subject, std::string_view payload, std::string_view reply,
                      std::string_view headers) const;
  void write_publish(std::string_view subject, std::string_view payload, std::string_view reply,
                     std::string_view headers);
  template <typename Pred>
  void fail_requests(Pred match, const Error &error);
  template <typename Map>
  static std::uint64_t take_id(std::uint64_t &counter, const Map &in_use);
  void ensure_mux();
  std::string next_nuid();

  Options options_;
  State state_ = State::awaiting_info;
  Parser parser_;
  ServerInfo info_;
  std::string info_json_;
  Error last_error_;
  Stats stats_;
  std::string out_;
  std::size_t out_pos_ = 0;
  std::deque<Event> events_;
  std::deque<PongWaiter> pongs_;

  std::unordered_map<std::uint64_t, Subscription> subs_;
  std::uint64_t next_sid_ = 1;

  std::uint64_t mux_sid_ = 0;
  std::string mux_prefix_;  // "<inbox>." — replies are mux_prefix_ + id
  std::unordered_map<std::uint64_t, Request> requests_;
  std::set<std::pair<Time, std::uint64_t>> request_deadlines_;
  std::uint64_t next_request_ = 1;

  std::unordered_map<std::uint64_t, Flush> flushes_;
  std::set<std::pair<Time, std::uint64_t>> flush_deadlines_;
  std::uint64_t next_flush_ = 1;

  std::optional<Time> connect_deadline_;
  std::optional<Time> next_ping_;
  int pings_out_ = 0;
  bool saw_info_ = false;
  std::uint64_t rng_[2];
};

}  // namespace nats
