#pragma once
/// A blocking-friendly C++ client on top of the engine: one background I/O
/// thread (Asio) per connection, TCP or WebSocket. Thread-safe.
///
///   auto nc = nats::native::Client::connect("ws://127.0.0.1:8080");
///   auto sub = (*nc)->subscribe("greet.*");
///   (*nc)->publish("greet.joe", "hello");
///   auto msg = (*sub)->next_msg(std::chrono::seconds(1));
///
/// Callbacks run on the I/O thread: they must not call the blocking methods
/// (request, flush, drain, next_msg) of their own client; those return
/// illegal_state when called from there.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "nats/engine.hpp"
#include "nats/error.hpp"
#include "nats/headers.hpp"

namespace nats::native {

/// A received message with owned data.
struct Msg {
  std::string subject;
  std::string reply;
  std::string headers_raw;  ///< the NATS/1.0 block, empty when none
  std::string data;
  std::uint64_t sid = 0;

  /// Parsed headers (empty Headers when there are none).
  Result<Headers> headers() const;
};

/// A change of the connection (nats.js status(), nats.py's callbacks).
struct Status {
  enum class Type : std::uint8_t {
    disconnected,     ///< lost `server` (`error` says why); reconnecting
    reconnecting,     ///< attempt `attempt` at `server` starts (`error`: why the one before failed)
    reconnected,      ///< connected again to `server`; subscriptions and consumers resumed
    servers_changed,  ///< the cluster announced servers: `added`, `removed` ("host:port")
    lame_duck,        ///< the server is shutting down (the client moves when it can)
    slow_consumer,    ///< subscription `sid` is behind; `dropped` messages dropped in all
    error,            ///< a non-fatal server error (e.g. a permission violation)
    closed,           ///< for good; `error` when it failed
  } type = Type::closed;
  std::string server;
  Error error;
  std::uint64_t attempt = 0;
  std::vector<std::string> added;
  std::vector<std::string> removed;
  std::uint64_t sid = 0;      ///< slow_consumer: the subscription
  std::uint64_t dropped = 0;  ///< slow_consumer: messages dropped so far
};

/// Pending limits of next_msg() subscriptions unless set otherwise (nats.go's).
inline constexpr PendingLimits kDefaultPendingLimits{512 * 1024, 64 * 1024 * 1024, 0};

class Client;
class JetStream;
namespace detail {
struct ClientImpl;
struct SubState;
}  // namespace detail

/// A subscription handle. Without a callback, messages queue for next_msg().
class Subscription {
public:
  /// The subscription id.
  std::uint64_t sid() const { return sid_; }
  /// Waits for the next queued message. Errors: timeout, or the reason the
  /// subscription closed (connection_closed / bad_subscription when it ended
  /// cleanly and the queue is empty, permission_violation ...).
  Result<Msg> next_msg(std::chrono::milliseconds timeout);
  /// Unsubscribes now, or after max messages in total.
  Error unsubscribe(std::uint64_t max = 0);
  /// Stops interest, delivers what is in flight, then closes.
  Error drain();
  /// True when no more messages will be queued.
  bool is_closed() const;
  /// Waits until the subscription is closed (e.g. a drain finished); false
  /// on timeout. Its last callbacks may still be running when this returns:
  /// compare delivered() with what the callback counted.
  bool wait_closed(std::chrono::milliseconds timeout);
  /// Messages delivered so far (queued or handed to the callback).
  std::uint64_t delivered() const;
  /// Messages queued and not yet taken by next_msg().
  std::size_t pending() const;
  /// How much the queue may hold (0: no limit) before messages are dropped
  /// and a slow_consumer status is reported (kDefaultPendingLimits at first).
  Error set_pending_limits(std::uint64_t msgs, std::uint64_t bytes);
  /// Messages dropped because the queue was full.
  std::uint64_t dropped() const;

private:
  friend class Client;
  Subscription(std::shared_ptr<detail::ClientImpl> impl, std::shared_ptr<detail::SubState> state,
               std::uint64_t sid)
      : impl_(std::move(impl)), state_(std::move(state)), sid_(sid) {}
  std::shared_ptr<detail::ClientImpl> impl_;
  std::shared_ptr<detail::SubState> state_;
  std::uint64_t sid_;
};

/// A connection to one server.
class Client {
public:
  /// Connects to url (nats://, tcp://, ws://) and waits for the handshake
  /// (bounded by options.connect_timeout).
  static Result<std::unique_ptr<Client>> connect(std::string_view url, Options options = {});
  /// Connects to options.servers.
  static Result<std::unique_ptr<Client>> connect(Options options);
  /// Closes the connection (without draining) and joins the I/O thread.
  ~Client();
  Client(const Client &) = delete;
  Client &operator=(const Client &) = delete;

  /// Publishes without waiting.
  Error publish(std::string_view subject, std::string_view data, std::string_view reply = {},
                const Headers *headers = nullptr);
  /// Subscribes with a pull queue (next_msg).
  Result<std::shared_ptr<Subscription>> subscribe(std::string_view subject,
                                                  std::string_view queue = {},
                                                  std::uint64_t max = 0);
  /// Subscribes with a callback run on the I/O thread.
  Result<std::shared_ptr<Subscription>> subscribe(std::string_view subject,
                                                  std::function<void(const Msg &)> callback,
                                                  std::string_view queue = {},
                                                  std::uint64_t max = 0);
  /// Sends a request and waits for one reply (timeout, no_responders ...).
  Result<Msg> request(std::string_view subject, std::string_view data,
                      std::chrono::milliseconds timeout, const Headers *headers = nullptr);
  /// Sends one request and collects replies until the strategy ends it
  /// (nats.js requestMany); no_responders when nobody answers.
  Result<std::vector<Msg>> request_many(std::string_view subject, std::string_view data,
                                        const RequestManyOptions &options,
                                        const Headers *headers = nullptr);
  /// Round trip to the server: everything published before is processed.
  Error flush(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  /// Drains all subscriptions and closes; waits up to timeout.
  Error drain(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  /// Closes now. Pending requests fail with connection_closed.
  void close();

  /// Drops the connection and reconnects (nats.js reconnect()).
  Error reconnect();
  /// Replaces the server pool for later reconnects (nats.js setServers);
  /// the live connection stays.
  Error set_servers(const std::vector<std::string> &urls);
  /// Status changes, on the I/O thread (set it before they matter; one callback).
  void on_status(std::function<void(const Status &)> callback);
  /// True once the connection is closed (by us, the server or an error).
  bool is_closed() const;
  /// True on the client's I/O thread (in a callback or handler).
  bool on_io_thread() const;
  /// True while the connection is lost and being re-established.
  bool is_reconnecting() const;
  /// True while connected (not reconnecting, not closed).
  bool is_connected() const;
  /// The servers the client knows: given and announced by the cluster (URLs).
  std::vector<std::string> servers() const;
  /// Why the connection closed (ok when closed cleanly or still open).
  Error last_error() const;
  /// The server's INFO.
  ServerInfo info() const;
  /// Message and byte counters.
  Stats stats() const;
  /// Requests waiting for a reply (for cancellation tests).
  std::size_t pending_requests() const;
  /// Bytes published and not yet written to the socket. publish() waits
  /// while this is over 1 MiB (from threads other than the I/O thread).
  std::size_t pending_output_bytes() const;
  /// A fresh unique inbox subject.
  std::string new_inbox();
  /// A fresh unique id (a nuid: 22 letters and digits).
  std::string new_nuid();
  /// A JetStream context on this connection (nats/native/jetstream.hpp).
  Result<std::shared_ptr<JetStream>> jetstream(js::ContextOptions options = {});

private:
  friend class JetStream;  // advisories() subscribes through subscribe_impl
  explicit Client(std::shared_ptr<detail::ClientImpl> impl) : impl_(std::move(impl)) {}
  static Result<std::shared_ptr<Subscription>> subscribe_impl(
      const std::shared_ptr<detail::ClientImpl> &impl, std::string_view subject,
      std::string_view queue, std::uint64_t max, std::function<void(const Msg &)> callback);
  std::shared_ptr<detail::ClientImpl> impl_;
};

}  // namespace nats::native
