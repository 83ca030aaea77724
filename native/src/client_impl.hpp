#pragma once
// The native client's I/O side (internal): one Asio thread drives the engine,
// opens the transports the engine names, and hands events to waiting
// threads (condition variable) or to callbacks (run on the I/O thread).

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "nats/engine.hpp"
#include "nats/native/client.hpp"
#include "nats/native/consumer.hpp"
#include "transport.hpp"

namespace nats::native::detail {

/// Over the engine's own deadlines for a blocking call: the engine ends every
/// call itself, so this only guards against a stuck I/O thread.
inline constexpr std::chrono::milliseconds kSlack{5000};

/// What a blocking call made from a callback on the I/O thread returns: it
/// would wait for the thread it runs on.
inline Error blocked_on_io_thread() {
  return {Errc::illegal_state, "blocking call from a callback on the I/O thread"};
}

/// Milliseconds on the steady clock: the engine's time.
Time now_ms();
/// An owned copy of an engine message.
Msg to_msg(const Message &m);

/// What a subscription handle shares with the I/O thread.
struct SubState {
  std::deque<Msg> queue;
  std::function<void(const Msg &)> callback;
  bool closed = false;
  Error reason;
  std::uint64_t delivered = 0;
  std::uint64_t dropped = 0;  ///< the last count reported (kept after the sub closed)
  /// Set by unsubscribe(): messages already taken from the engine for this
  /// batch's callbacks are not delivered after it (read without the lock).
  std::atomic<bool> unsubscribed{false};
};

/// A request, request_many, flush or JetStream call waiting for its events.
struct Waiter {
  bool done = false;
  Error error;
  std::vector<Msg> msgs;
  Event js;  ///< the JetStream event that ended it (text, num, data ...)
};

/// What copies of one JsMsg share: the client to acknowledge through, and
/// whether a terminal acknowledgement went out (claimed atomically, so two
/// threads acking one message send one ack).
struct AckState {
  std::shared_ptr<ClientImpl> impl;
  std::atomic<bool> acked{false};
};

/// What a delivered message counts against a consume's max_bytes: the
/// engine's measure (subject, reply, headers and payload), reported back to
/// it as consumed.
inline std::uint64_t js_msg_size(const JsMsg &m) {
  return m.subject.size() + m.reply.size() + m.headers_raw.size() + m.data.size();
}

/// What a pull session handle shares with the I/O thread.
struct PullState {
  std::deque<JsMsg> queue;  ///< fetch and MessageStream; consumption is reported as taken
  std::function<void(const JsMsg &)> callback;
  std::function<void(const ConsumerStatus &)> status_callback;
  /// Held while one of this session's callbacks runs: stop() takes it to
  /// know no callback runs after it returns (callbacks may capture objects
  /// that die with the handle).
  std::mutex callback_mu;
  std::atomic<bool> stopped{false};
  bool done = false;  ///< pull_done arrived, or stop() ended it
  Error error;
  std::uint64_t received = 0;
};

/// A callback the I/O thread runs after releasing the mutex: a message
/// (msg set) or a notification.
struct PullCall {
  std::shared_ptr<PullState> pull;
  std::uint64_t session = 0;
  std::optional<JsMsg> msg;
  ConsumerStatus status;
};

/// Bytes waiting to go out (engine output and the write in progress) over
/// which publish() blocks until the socket takes them.
inline constexpr std::size_t kOutputHighWater = 1024 * 1024;

struct ClientImpl : std::enable_shared_from_this<ClientImpl> {
  ClientImpl(Options options, std::shared_ptr<boost::asio::ssl::context> tls)
      : tls_ctx(std::move(tls)), tls_verify(options.tls.verify), engine(std::move(options)) {}

  boost::asio::io_context io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{io.get_executor()};
  boost::asio::steady_timer timer{io};
  std::unique_ptr<Transport> transport;
  std::uint64_t generation = 0;  // which transport callbacks still count
  bool transport_up = false;     // open and usable for writes
  bool close_after_write = false;
  std::shared_ptr<boost::asio::ssl::context> tls_ctx;  ///< for tls://, wss:// and upgrades
  bool tls_verify = true;
  bool tls_pending = false;  ///< a TLS upgrade runs: no read may be outstanding
  std::thread thread;
  std::thread::id io_thread_id;

  mutable std::mutex mu;
  std::condition_variable cv;  // every waiter: connect, request, flush, next_msg, close
  Engine engine;
  bool connected = false;
  bool transport_closed = false;  // the engine closed and the socket is shut
  bool io_done = false;
  /// The pump that saw the engine closed has run its callbacks (drain()
  /// returns only then: every message delivered before the close was seen).
  bool closed_callbacks_run = false;
  bool writing = false;
  std::string write_buf;
  std::atomic<bool> kick_posted{false};
  /// Set by Client::close(): the callbacks left in a batch do not run after
  /// it (close() from a callback stops the batch there, as in nats.js).
  std::atomic<bool> close_called{false};
  std::atomic<std::uint64_t> callback_errors{0};
  std::array<char, 64 * 1024> read_buf{};
  std::optional<Time> armed;
  std::unordered_map<std::uint64_t, std::shared_ptr<SubState>> subs;
  std::unordered_map<std::uint64_t, std::shared_ptr<Waiter>> requests;
  std::unordered_map<std::uint64_t, std::shared_ptr<Waiter>> flushes;
  std::unordered_map<std::uint64_t, std::shared_ptr<Waiter>> js_ops;    ///< calls and publishes
  std::unordered_map<std::uint64_t, std::shared_ptr<PullState>> pulls;  ///< by engine session
  std::shared_ptr<std::function<void(const Status &)>> status_callback;
  /// Transports given up but maybe still finishing an operation: kept
  /// alive until their handlers can no longer run (the oldest go).
  std::vector<std::unique_ptr<Transport>> retired;

  /// Bytes not yet written to the socket (call with mu held).
  std::size_t outbound_bytes() const {
    return engine.pending_output().size() + (writing ? write_buf.size() : 0);
  }
  /// Starts the I/O thread and the engine's first connect.
  void start();
  bool on_io_thread() const { return std::this_thread::get_id() == io_thread_id; }
  /// Any thread: make the I/O thread write output and re-arm its timer.
  void kick();
  /// Any thread, mutex not held: kicks the I/O thread, then returns once no
  /// callback of `state` runs (on the I/O thread: at once, since that is the
  /// callback itself).
  void after_callbacks(PullState &state);
  /// Any thread, mutex not held: ends a read through an ordered consumer
  /// (KV watch, object read): deletes the consumer (`ordered` becomes 0),
  /// closes the session's state, then after_callbacks().
  void stop_ordered_read(PullState &state, std::uint64_t &ordered, std::uint64_t session);

  // I/O thread only.
  void pump();
  void open_transport();
  void start_read(std::uint64_t gen);
  void start_write();
  void arm_timer();
  void dispatch(const Event &ev, std::vector<std::pair<std::shared_ptr<SubState>, Msg>> &calls,
                std::vector<PullCall> &pull_calls, std::vector<Status> &statuses);
  void dispatch_pull(const Event &ev, std::vector<PullCall> &pull_calls);
  /// Runs pull callbacks (mutex not held) and reports what they consumed.
  void run_pull_calls(std::vector<PullCall> &pull_calls);
  void finish(std::unordered_map<std::uint64_t, std::shared_ptr<Waiter>> &map, const Event &ev);
};

}  // namespace nats::native::detail
