#pragma once
/// JetStream for the native client: blocking, thread-safe calls over the
/// engine's JetStream context (names follow nats.py where it has them).
///
///   auto js = nc->jetstream();
///   nats::js::StreamConfig cfg;
///   cfg.name = "ORDERS";
///   cfg.subjects = {"orders.>"};
///   (*js)->add_stream(cfg);
///   auto ack = (*js)->publish("orders.1", "hello");
///
/// Like the client's other blocking calls, these return illegal_state when
/// called from a callback on the I/O thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "nats/error.hpp"
#include "nats/headers.hpp"
#include "nats/jetstream/advisory.hpp"
#include "nats/jetstream/api.hpp"
#include "nats/jetstream/publish.hpp"
#include "nats/jetstream/types.hpp"
#include "nats/native/client.hpp"
#include "nats/native/consumer.hpp"
#include "nats/native/kv.hpp"
#include "nats/native/obj.hpp"

namespace nats::native {

namespace detail {
struct Waiter;
}  // namespace detail

/// A message read from a stream (subject, seq, raw headers, data, time).
using StoredMsg = js::StoredMessage;

/// One JetStream advisory (nats.js jsm.advisories()): its kind, a nats.js
/// AdvisoryKind value ("stream_action", "consumer_action", "max_deliver",
/// ...; js::kAdvisoryKinds), and the advisory's JSON as the server sent it.
struct Advisory {
  std::string kind;
  std::string json;
};

/// JetStream's advisories as they happen, from JetStream::advisories().
/// Stopping (or dropping the handle) unsubscribes.
class Advisories {
public:
  /// Waits for the next advisory. Errors: timeout; protocol_error for a
  /// message that is not an advisory (then the stream stops); the reason
  /// the subscription closed.
  Result<Advisory> next(std::chrono::milliseconds timeout);
  /// Unsubscribes: next() then reports the end.
  Error stop();
  Advisories(Advisories &&) noexcept = default;
  Advisories &operator=(Advisories &&) noexcept = default;
  ~Advisories();

private:
  friend class JetStream;
  explicit Advisories(std::shared_ptr<Subscription> sub) : sub_(std::move(sub)) {}
  std::shared_ptr<Subscription> sub_;
};

/// The ack of one publish_async(), to wait for when needed.
class PubAckFuture {
public:
  /// Waits for the ack (the engine ends every publish within its timeout).
  Result<js::PubAck> get();
  /// Waits up to `timeout`; true when the ack (or its failure) is in.
  bool wait_for(std::chrono::milliseconds timeout);
  /// True when the ack (or its failure) is in.
  bool done() const;

private:
  friend class JetStream;
  PubAckFuture(std::shared_ptr<detail::ClientImpl> impl, std::shared_ptr<detail::Waiter> waiter,
               std::uint64_t id, std::chrono::steady_clock::time_point deadline)
      : impl_(std::move(impl)), waiter_(std::move(waiter)), id_(id), deadline_(deadline) {}
  std::shared_ptr<detail::ClientImpl> impl_;
  std::shared_ptr<detail::Waiter> waiter_;
  std::uint64_t id_;
  std::chrono::steady_clock::time_point deadline_;  ///< the guard past the engine's timeout
};

/// A JetStream context of one connection (prefix or domain, timeout,
/// publish window). Get one from Client::jetstream().
class JetStream : public std::enable_shared_from_this<JetStream> {
public:
  JetStream(const JetStream &) = delete;
  JetStream &operator=(const JetStream &) = delete;

  // --- publishing ---------------------------------------------------------------
  /// Publishes and waits for the PubAck. While the context's window of
  /// unacknowledged publishes is full, waits for room first (within the
  /// publish timeout).
  Result<js::PubAck> publish(std::string_view subject, std::string_view data,
                             const js::PublishOptions &options = {},
                             const Headers *headers = nullptr);
  /// Publishes without waiting for the ack, only for room in the window
  /// (from the I/O thread a full window is window_full instead).
  Result<PubAckFuture> publish_async(std::string_view subject, std::string_view data,
                                     const js::PublishOptions &options = {},
                                     const Headers *headers = nullptr);
  /// Publishes of this context still waiting for their ack.
  std::size_t publish_async_pending() const;
  /// Waits until no publish of this context waits for its ack.
  Error publish_async_completed(std::chrono::milliseconds timeout);

  // --- account and streams -------------------------------------------------------
  /// The account's usage and limits.
  Result<js::AccountInfo> account_info();
  /// Creates a stream.
  Result<js::StreamInfo> add_stream(const js::StreamConfig &config);
  /// Updates a stream with this (complete) config.
  Result<js::StreamInfo> update_stream(const js::StreamConfig &config);
  /// A stream's config and state; a non-empty filter also lists its subjects.
  Result<js::StreamInfo> stream_info(std::string_view name, std::string_view subjects_filter = {});
  /// Deletes a stream and its messages.
  Result<bool> delete_stream(std::string_view name);
  /// Purges a stream (all, or those on `filter`, below `seq`, or all but
  /// the last `keep`); returns how many messages went. seq/keep 0: unset.
  Result<std::uint64_t> purge_stream(std::string_view name, std::string_view filter = {},
                                     std::uint64_t seq = 0, std::uint64_t keep = 0);
  /// Names of the streams (those that listen on `subject`, when given).
  Result<std::vector<std::string>> stream_names(std::string_view subject = {});
  /// Infos of the streams (those that listen on `subject`, when given).
  Result<std::vector<js::StreamInfo>> streams_info(std::string_view subject = {});

  // --- messages -------------------------------------------------------------------
  /// The message at `seq` (direct get when the stream allows it).
  Result<StoredMsg> get_msg(std::string_view stream, std::uint64_t seq);
  /// The last message on `subject` (direct get when the stream allows it).
  Result<StoredMsg> get_last_msg(std::string_view stream, std::string_view subject);
  /// Deletes one message; erase overwrites its bytes on disk too.
  Result<bool> delete_msg(std::string_view stream, std::uint64_t seq, bool erase = true);

  // --- consumers ------------------------------------------------------------------
  /// Creates a consumer (durable when the config has a durable_name or name).
  Result<js::ConsumerInfo> add_consumer(std::string_view stream, const js::ConsumerConfig &config);
  /// A consumer's config and progress.
  Result<js::ConsumerInfo> consumer_info(std::string_view stream, std::string_view name);
  /// Deletes a consumer.
  Result<bool> delete_consumer(std::string_view stream, std::string_view name);
  /// Names of a stream's consumers.
  Result<std::vector<std::string>> consumer_names(std::string_view stream);
  /// Infos of a stream's consumers.
  Result<std::vector<js::ConsumerInfo>> consumers_info(std::string_view stream);

  // --- reading from consumers (nats/native/consumer.hpp) ----------------------------
  /// A pull consumer by name; checks that it exists and is pull based
  /// (illegal_state for a push consumer).
  Result<PullConsumer> pull_consumer(std::string_view stream, std::string_view name);
  /// A push consumer by name; illegal_state for a pull consumer, or for a
  /// push consumer already bound to a subscriber without a deliver group.
  Result<PushConsumer> push_consumer(std::string_view stream, std::string_view name);
  /// A push consumer known only by its deliver subject (and group and
  /// heartbeat): nothing is looked up (nats.js getBoundPushConsumer).
  Result<PushConsumer> bound_push_consumer(const js::PushOptions &options);
  /// Creates an ordered consumer (its server consumer is made now).
  Result<OrderedConsumer> ordered_consumer(std::string_view stream,
                                           const js::OrderedOptions &options = {});
  /// Pull sessions running in the connection's engine (for leak checks).
  std::size_t pull_sessions() const;

  // --- key-value buckets (nats/native/kv.hpp; defined in kv.cpp) -----------------------
  /// Opens a bucket (bucket_not_found when there is none).
  Result<KeyValue> key_value(std::string_view bucket);
  /// Creates a bucket (an existing one with the same settings is opened).
  Result<KeyValue> create_key_value(const js::kv::BucketConfig &config);
  /// Deletes a bucket and everything in it.
  Result<bool> delete_key_value(std::string_view bucket);
  /// Every bucket's status.
  Result<std::vector<KvStatus>> key_value_buckets();

  // --- object stores (nats/native/obj.hpp; defined in obj_store.cpp) --------------------
  /// Opens a store (bucket_not_found when there is none).
  Result<ObjectStore> object_store(std::string_view bucket);
  /// Creates a store (an existing one with the same settings is opened).
  Result<ObjectStore> create_object_store(const ObjectStoreConfig &config);
  /// Deletes a store and everything in it.
  Result<bool> delete_object_store(std::string_view bucket);
  /// Every store's name.
  Result<std::vector<std::string>> object_store_names();
  /// Every store's status.
  Result<std::vector<ObjectStoreStatus>> object_stores();

  /// JetStream's advisories from now on (nats.js jsm.advisories()), on
  /// js::kAdvisorySubject; subscribed once this returns.
  Result<Advisories> advisories();

  /// Any API call with JSON arguments (js::ApiOp documents them); the JSON
  /// result. A call that reads a message returns its JSON form (subject,
  /// seq, time, stream, hdrs and data in base64 as STREAM.MSG.GET sends).
  Result<std::string> api(js::ApiOp op, std::string_view args_json);

  /// The options this context was made with.
  const js::ContextOptions &options() const { return options_; }

private:
  friend class Client;
  friend class KeyValue;     // its calls and writes go through call() and start_write()
  friend class ObjectStore;  // likewise, and its reads use the context's engine id
  JetStream(std::shared_ptr<detail::ClientImpl> impl, std::uint64_t context,
            js::ContextOptions options)
      : impl_(std::move(impl)), context_(context), options_(std::move(options)) {}
  /// Runs one API call and waits for its event (result or stored message).
  /// `payload`: the value of a kv_create.
  Result<std::shared_ptr<detail::Waiter>> call(js::ApiOp op, const std::string &args,
                                               std::string_view payload = {});
  Result<std::string> call_json(js::ApiOp op, const std::string &args);
  Result<PubAckFuture> start_publish(std::string_view subject, std::string_view data,
                                     const js::PublishOptions &options, const Headers *headers);
  /// Starts a write through the context's window of unacknowledged
  /// publishes: `send` (called with the client's mutex held) starts it and
  /// returns its engine id, or window_full to wait for room first.
  /// max_time: how long the engine may take to end it (default timeout).
  Result<PubAckFuture> start_write(const std::function<Result<std::uint64_t>()> &send,
                                   std::chrono::milliseconds timeout,
                                   std::optional<std::chrono::milliseconds> max_time = {});
  Result<StoredMsg> read_msg(std::string_view stream, const std::string &query);
  /// Whether a stream answers direct gets (cached from every info seen).
  Result<bool> allows_direct(std::string_view stream);
  void remember(const js::StreamInfo &info);
  void forget(std::string_view stream);

  std::shared_ptr<detail::ClientImpl> impl_;
  std::uint64_t context_;
  js::ContextOptions options_;
  std::mutex direct_mu_;  // guards direct_ (the engine's mutex guards the rest)
  std::unordered_map<std::string, bool> direct_;
};

}  // namespace nats::native
