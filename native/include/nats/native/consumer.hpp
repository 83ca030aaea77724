#pragma once
/// JetStream consumers for the native client (nats.js / nats.py names):
/// pull consumers by name and ordered consumers, each with a blocking
/// fetch()/next(), a callback consume() and a blocking iterator messages().
///
///   auto c = (*js)->pull_consumer("ORDERS", "worker");
///   auto batch = c->fetch({.max_messages = 10, .expires = std::chrono::seconds(1)});
///   for (auto &m : *batch) m.ack();
///   auto handle = c->consume([](const nats::native::JsMsg &m) { m.ack(); });
///
/// Pulling, pending counts, heartbeats, statuses and recovery are the
/// engine's (core/src/jetstream/engine_pull.cpp); this layer queues what it
/// hands out and tells the engine what the user consumed, so a consume never
/// holds more than its max_messages / max_bytes.
///
/// Callbacks (messages and notifications) run on the client's I/O thread,
/// as subscription callbacks do. Calls that would block (fetch, next,
/// MessageStream::next, ack_sync, info, closed) return illegal_state there.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nats/error.hpp"
#include "nats/headers.hpp"
#include "nats/jetstream/consumer.hpp"
#include "nats/jetstream/push.hpp"
#include "nats/jetstream/types.hpp"
#include "nats/native/client.hpp"

namespace nats::native {

class JetStream;
class JsMsg;
namespace detail {
struct ClientImpl;
struct PullState;
struct AckState;
/// Builds a JsMsg from a js_msg event (io_loop.cpp; views copied).
JsMsg make_js_msg(const Event &ev, std::shared_ptr<ClientImpl> impl);
}  // namespace detail

/// A message delivered by a consumer. Copies share one acknowledgement
/// state: they are the same delivery.
///
/// Acknowledging twice follows nats.py's MsgAlreadyAckdError: after a
/// terminal acknowledgement (ack, nak, term, ack_sync) another terminal one
/// is refused locally with Errc::illegal_state ("message already
/// acknowledged") and nothing is sent; in_progress() may be repeated. An
/// acknowledgement that could not be sent (e.g. Errc::connection_closed once
/// the client closed) does not count.
class JsMsg {
public:
  JsMsg() = default;

  std::string subject;
  std::string reply;        ///< the ack subject ($JS.ACK....)
  std::string headers_raw;  ///< the NATS/1.0 block, empty when none
  std::string data;

  /// Parsed headers (empty Headers when there are none).
  Result<Headers> headers() const;
  /// The stream sequence (0 when the reply is not an ack subject).
  std::uint64_t seq() const { return seq_; }
  /// The consumer's delivery sequence.
  std::uint64_t delivery_seq() const { return delivery_seq_; }
  /// How often the server delivered it (1 on the first delivery).
  std::uint64_t delivery_count() const { return delivery_count_; }
  /// Where it sits (stream, consumer, sequences, time, pending), from the
  /// ack subject; invalid_argument when it is not a JetStream message.
  Result<js::DeliveryInfo> metadata() const;

  /// Acknowledges.
  Error ack() const;
  /// Asks for redelivery, after `delay` when > 0.
  Error nak(std::chrono::milliseconds delay = std::chrono::milliseconds(0)) const;
  /// Still working on it: the server restarts the ack wait. Repeatable.
  Error in_progress() const;
  /// Never redeliver.
  Error term() const;
  /// Acknowledges and waits for the server to confirm (timeout otherwise).
  Error ack_sync(std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;
  /// Acknowledges and asks the consumer for `batch` more, delivered to
  /// `deliver_to` (nats.js JsMsg.next; subscribe to it first).
  Error next(std::string_view deliver_to, std::uint64_t batch = 1,
             std::chrono::milliseconds expires = std::chrono::milliseconds(0)) const;
  /// True once a terminal acknowledgement was sent.
  bool is_acked() const;

private:
  friend JsMsg detail::make_js_msg(const Event &ev, std::shared_ptr<detail::ClientImpl> impl);
  Error send_ack(js::AckKind kind, std::chrono::milliseconds delay) const;
  std::uint64_t seq_ = 0;
  std::uint64_t delivery_seq_ = 0;
  std::uint64_t delivery_count_ = 0;
  std::shared_ptr<detail::AckState> ack_;
};

/// A notification of a pull session (nats.js ConsumerNotification): type
/// is the engine's name ("heartbeats_missed", "consumer_deleted", "discard",
/// "heartbeat", "reset", "ordered_consumer_recreated", "consumer_not_found",
/// "stream_not_found", "exceeded_limits", "no_responders", "debug"); detail
/// and the numbers depend on it (docs/design.md).
struct ConsumerStatus {
  std::string type;
  std::string detail;
  std::uint64_t num = 0;
  std::uint64_t num2 = 0;
};

/// One batch (nats.js FetchOptions). Zero means the engine's default.
struct FetchOptions {
  std::uint64_t max_messages = 0;  ///< 0: 100 (exclusive with max_bytes)
  std::uint64_t max_bytes = 0;
  std::chrono::milliseconds expires{0};         ///< 0: 30 s
  std::chrono::milliseconds idle_heartbeat{0};  ///< 0: expires / 2 (none under 1 s)
  /// false: wait until the batch is full or expires (nats.js fetch).
  /// true: nats.py's fetch: what is there now; if nothing, the first
  /// messages to arrive before expires.
  bool prompt = false;
};

/// A continuous pull (nats.js ConsumeOptions). Zero means the engine's default.
struct ConsumeOptions {
  std::uint64_t max_messages = 0;  ///< outstanding at most: 0: 100 (exclusive with max_bytes)
  std::uint64_t max_bytes = 0;
  std::chrono::milliseconds expires{0};         ///< per pull request; 0: 30 s, at least 1 s
  std::chrono::milliseconds idle_heartbeat{0};  ///< 0: expires / 2
  std::uint64_t threshold_messages = 0;         ///< re-pull at or below; 0: 75 %
  std::uint64_t threshold_bytes = 0;
  bool bind = false;                       ///< never look the consumer up when recovering
  bool abort_on_missing_resource = false;  ///< a deleted consumer or stream ends the session
  /// Notifications, on the I/O thread.
  std::function<void(const ConsumerStatus &)> status_callback;
};

/// What ConsumeHandle and MessageStream share: one engine session. Moving
/// is allowed; destroying stops the session.
class PullSessionHandle {
public:
  PullSessionHandle(PullSessionHandle &&) noexcept = default;
  PullSessionHandle &operator=(PullSessionHandle &&other) noexcept;
  PullSessionHandle(const PullSessionHandle &) = delete;
  PullSessionHandle &operator=(const PullSessionHandle &) = delete;
  ~PullSessionHandle();

  /// Stops pulling. Returns once no callback of this session runs or will
  /// run (from the session's own callback: after it returns).
  void stop();
  /// True once the session ended (stopped, failed, or the client closed).
  bool is_closed() const;
  /// Why it ended: ok when stopped or closed cleanly (or still running).
  Error error() const;
  /// Waits for the end; returns error() then (ok for a clean end), timeout
  /// when still running, illegal_state on the I/O thread while running.
  Error closed(std::chrono::milliseconds timeout = std::chrono::seconds(30)) const;
  /// Messages received so far.
  std::uint64_t received() const;

protected:
  PullSessionHandle(std::shared_ptr<detail::ClientImpl> impl,
                    std::shared_ptr<detail::PullState> state, std::uint64_t session)
      : impl_(std::move(impl)), state_(std::move(state)), session_(session) {}
  std::shared_ptr<detail::ClientImpl> impl_;
  std::shared_ptr<detail::PullState> state_;
  std::uint64_t session_ = 0;
};

/// A consume with a callback (nats.js consumer.consume({callback})).
class ConsumeHandle : public PullSessionHandle {
private:
  friend class ConsumerBase;
  ConsumeHandle(std::shared_ptr<detail::ClientImpl> impl, std::shared_ptr<detail::PullState> state,
                std::uint64_t session)
      : PullSessionHandle(std::move(impl), std::move(state), session) {}
};

/// A consume read by blocking next() calls. The queue never holds more than
/// the options' max_messages / max_bytes: the engine pulls more only as
/// next() hands messages out.
class MessageStream : public PullSessionHandle {
public:
  /// The next message; nullopt when none came within timeout, or at once
  /// when the session ended and the queue is empty (is_closed()); the
  /// session's error when it failed.
  Result<std::optional<JsMsg>> next(std::chrono::milliseconds timeout);
  /// Messages queued and not yet taken.
  std::size_t pending() const;

private:
  friend class ConsumerBase;
  MessageStream(std::shared_ptr<detail::ClientImpl> impl, std::shared_ptr<detail::PullState> state,
                std::uint64_t session)
      : PullSessionHandle(std::move(impl), std::move(state), session) {}
};

/// fetch / next / consume / messages, for both kinds of consumer.
class ConsumerBase {
public:
  virtual ~ConsumerBase() = default;

  /// One batch. Empty when nothing came before expires. When the session
  /// fails after some messages arrived they are returned (the next call sees
  /// the failure); with none, the error (consumer_deleted, heartbeats_missed,
  /// js_status_error with status 503 for a missing consumer, ...).
  Result<std::vector<JsMsg>> fetch(const FetchOptions &options = {});
  /// One message, or nullopt when none arrived before expires.
  Result<std::optional<JsMsg>> next(std::chrono::milliseconds expires = std::chrono::seconds(30));
  /// Pulls continuously and calls `callback` on the I/O thread for each
  /// message (an exception it throws is counted and dropped, as for
  /// subscriptions: the message is not acknowledged).
  Result<ConsumeHandle> consume(std::function<void(const JsMsg &)> callback,
                                ConsumeOptions options = {});
  /// Pulls continuously into a bounded queue read by MessageStream::next().
  Result<MessageStream> messages(ConsumeOptions options = {});
  /// The stream.
  const std::string &stream() const { return stream_; }

protected:
  ConsumerBase(std::shared_ptr<JetStream> js, std::shared_ptr<detail::ClientImpl> impl,
               std::string stream)
      : js_(std::move(js)), impl_(std::move(impl)), stream_(std::move(stream)) {}
  ConsumerBase(const ConsumerBase &) = default;
  ConsumerBase(ConsumerBase &&) = default;
  ConsumerBase &operator=(const ConsumerBase &) = default;
  ConsumerBase &operator=(ConsumerBase &&) = default;
  /// Starts an engine session; called with the client's mutex held.
  virtual Result<std::uint64_t> start_locked(const js::PullOptions &options) = 0;

  std::shared_ptr<JetStream> js_;
  std::shared_ptr<detail::ClientImpl> impl_;
  std::string stream_;

private:
  Result<std::uint64_t> start(const js::PullOptions &options,
                              const std::shared_ptr<detail::PullState> &state);
};

/// A durable (or named ephemeral) pull consumer (nats.js PullConsumer).
class PullConsumer : public ConsumerBase {
public:
  /// The consumer's name.
  const std::string &name() const { return name_; }
  /// The consumer's current config and progress (a round trip).
  Result<js::ConsumerInfo> info();
  /// The info read when this handle was made.
  const js::ConsumerInfo &cached_info() const { return info_; }

private:
  friend class JetStream;
  PullConsumer(std::shared_ptr<JetStream> js, std::shared_ptr<detail::ClientImpl> impl,
               std::uint64_t context, js::ConsumerInfo info);
  Result<std::uint64_t> start_locked(const js::PullOptions &options) override;
  std::uint64_t context_;
  std::string name_;
  js::ConsumerInfo info_;
};

/// An ordered consumer (nats.js js.consumers.get(stream, opts)): every
/// stream message once, in order; the engine recreates its server consumer
/// after gaps, lost heartbeats or deletion. One fetch/consume at a time
/// (illegal_state otherwise). Move-only; destroying it closes it.
class OrderedConsumer : public ConsumerBase {
public:
  OrderedConsumer(OrderedConsumer &&other) noexcept;
  OrderedConsumer &operator=(OrderedConsumer &&other) noexcept;
  ~OrderedConsumer() override;

  /// The server consumer's current name (it changes on every reset).
  std::string name() const;
  /// The current server consumer's info (a round trip).
  Result<js::ConsumerInfo> info();
  /// Ends a running session, deletes the server consumer and forgets the
  /// ordered consumer (nats.js delete()). connection_closed once the client
  /// closed; ok when already closed.
  Error close();

private:
  friend class JetStream;
  OrderedConsumer(std::shared_ptr<JetStream> js, std::shared_ptr<detail::ClientImpl> impl,
                  std::uint64_t ordered, std::string stream);
  Result<std::uint64_t> start_locked(const js::PullOptions &options) override;
  std::uint64_t ordered_ = 0;  ///< the engine's id; 0 once closed or moved from
};

/// A push consumer (nats.js PushConsumer): the server delivers to its
/// deliver subject, in its deliver group. consume() and messages() only
/// (fetch() and next() are illegal_state); their pull options do not apply
/// but abort_on_missing_resource and status_callback do. Flow control is
/// answered as the messages before it are consumed (native/src/push_consumer.cpp).
class PushConsumer : public ConsumerBase {
public:
  /// The consumer's name ("" for a bound consumer).
  const std::string &name() const { return name_; }
  /// The consumer's current config and progress (a round trip);
  /// illegal_state for a bound consumer (it has no name).
  Result<js::ConsumerInfo> info();
  /// What this consumer subscribes to.
  const js::PushOptions &options() const { return push_; }

private:
  friend class JetStream;
  PushConsumer(std::shared_ptr<JetStream> js, std::shared_ptr<detail::ClientImpl> impl,
               std::uint64_t context, std::string stream, std::string name, js::PushOptions push);
  Result<std::uint64_t> start_locked(const js::PullOptions &options) override;
  std::uint64_t context_;
  std::string name_;
  js::PushOptions push_;
};

}  // namespace nats::native
