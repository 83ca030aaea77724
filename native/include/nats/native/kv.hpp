#pragma once
/// Key-value buckets for the native client (nats.py names where it has
/// them: key_value, create_key_value, delete_key_value; KeyValue with put,
/// get, create, update, delete (del here), purge, keys, history, watch,
/// status).
///
///   nats::js::kv::BucketConfig cfg;
///   cfg.bucket = "settings";
///   auto kv = (*js)->create_key_value(cfg);
///   auto rev = kv->put("color", "blue");
///   auto e = kv->get("color");  // e->value == "blue", e->revision == *rev
///   auto w = kv->watch(">", {}, [](const nats::native::KvEntry &e) { ... });
///
/// Every rule (the bucket's stream, subjects, headers, create over a
/// tombstone, what a watch delivers) is the engine's (core/src/jetstream/
/// kv.cpp, api_call_kv.cpp, engine_kv.cpp); this layer translates and waits.
/// Blocking calls return illegal_state from a callback on the I/O thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nats/error.hpp"
#include "nats/jetstream/kv.hpp"
#include "nats/jetstream/types.hpp"

namespace nats::native {

class JetStream;
namespace detail {
struct ClientImpl;
struct PullState;
}  // namespace detail

/// One entry of a key (nats.py KeyValue.Entry, nats.js KvEntry).
struct KvEntry {
  std::string bucket;
  std::string key;
  std::string value;  ///< empty for deletes, purges and headers-only watches
  std::uint64_t revision = 0;
  /// When the server stored it (the Unix epoch when the server did not say).
  std::chrono::sys_time<std::chrono::nanoseconds> created{};
  /// Watches: entries of the watch still to come after this one when it was
  /// sent (0 for get()).
  std::uint64_t delta = 0;
  js::kv::Operation operation = js::kv::Operation::put;
};

/// What a watch delivers (nats.py watch() flags, nats.js KvWatchOptions).
struct KvWatchOptions {
  js::kv::WatchInclude include = js::kv::WatchInclude::last_values;
  bool ignore_deletes = false;    ///< leave deletes and purges out
  bool headers_only = false;      ///< entries without their values (nats.py meta_only)
  std::uint64_t resume_from = 0;  ///< > 0: every entry from this revision on (include ignored)
};

/// A bucket's settings and size (nats.py KeyValue.BucketStatus).
struct KvStatus {
  std::string bucket;
  std::uint64_t values = 0;          ///< entries stored: every kept revision and tombstone
  std::int64_t history = 1;          ///< revisions kept per key
  std::chrono::milliseconds ttl{0};  ///< 0: forever
  std::uint64_t bytes = 0;
  js::StreamInfo stream_info;  ///< the bucket's stream
};

/// A running watch. Its callbacks run on the client's I/O thread. Move-only;
/// destroying it stops it.
class KvWatch {
public:
  KvWatch(KvWatch &&other) noexcept;
  KvWatch &operator=(KvWatch &&other) noexcept;
  KvWatch(const KvWatch &) = delete;
  KvWatch &operator=(const KvWatch &) = delete;
  ~KvWatch();

  /// Ends the watch and deletes its server consumer. Returns once no callback
  /// of this watch runs or will run (from its own callback: after it returns).
  void stop();
  /// True once it ended (stopped, failed, or the client closed).
  bool is_closed() const;
  /// Why it ended: ok when stopped or closed cleanly (or still running).
  Error error() const;
  /// Entries delivered so far (ignored deletes not counted).
  std::uint64_t received() const;

private:
  friend class KeyValue;
  KvWatch(std::shared_ptr<detail::ClientImpl> impl, std::shared_ptr<detail::PullState> state,
          std::uint64_t ordered, std::uint64_t session)
      : impl_(std::move(impl)), state_(std::move(state)), ordered_(ordered), session_(session) {}
  std::shared_ptr<detail::ClientImpl> impl_;
  std::shared_ptr<detail::PullState> state_;
  std::uint64_t ordered_ = 0;  ///< the engine's ordered consumer; 0 once stopped or moved from
  std::uint64_t session_ = 0;
};

/// A key-value bucket. Copies share the JetStream context. Get one from
/// JetStream::key_value() or create_key_value().
class KeyValue {
public:
  using Entry = KvEntry;
  using WatchOptions = KvWatchOptions;

  /// The bucket's name.
  const std::string &bucket() const { return bucket_; }

  /// Stores a value; returns its revision.
  Result<std::uint64_t> put(std::string_view key, std::string_view value);
  /// Stores a value only if the key has none: never written, deleted or
  /// purged. Over a live value: js_api_error with err_code 10071 (wrong last
  /// sequence).
  Result<std::uint64_t> create(std::string_view key, std::string_view value);
  /// Stores a value only if the key's last revision is `last` (0: it has
  /// none); js_api_error with err_code 10071 otherwise.
  Result<std::uint64_t> update(std::string_view key, std::string_view value, std::uint64_t last);
  /// A soft delete: a DEL entry (history kept); with `last`, only if the key
  /// is at that revision. Returns the delete's revision (nats.py returns
  /// True; the revision is what resume_from and update() take).
  Result<std::uint64_t> del(std::string_view key, std::optional<std::uint64_t> last = {});
  /// Removes the key's history, leaving one PURGE entry; `last` as del().
  Result<std::uint64_t> purge(std::string_view key, std::optional<std::uint64_t> last = {});

  /// The key's latest entry, or the one at `revision`. key_not_found when
  /// the key has no entry (at that revision). A deleted or purged key gives
  /// its DEL/PURGE entry (operation says so, value empty), as nats.js does;
  /// nats.py raises KeyNotFoundError with the entry attached, which a
  /// Result cannot carry, and the tombstone's revision is what update()
  /// needs to write after it.
  Result<KvEntry> get(std::string_view key, std::optional<std::uint64_t> revision = {});

  /// The keys that have a value (matching `filter`, wildcards allowed), each
  /// once; empty when there are none (nats.py raises NoKeysError).
  Result<std::vector<std::string>> keys(std::string_view filter = ">");
  /// Every entry kept of `key` (wildcards allowed), oldest first; empty when
  /// there are none (nats.py raises NoKeysError).
  Result<std::vector<KvEntry>> history(std::string_view key);

  /// Watches `keys` (wildcards allowed): `callback` gets the initial entries
  /// (per options.include), then `on_caught_up` runs once, then every update
  /// in order. Across reconnects and server restarts each entry comes once,
  /// in order (the engine's ordered consumer). Callbacks run on the I/O
  /// thread; an exception they throw is counted and dropped.
  Result<KvWatch> watch(std::string_view keys, const KvWatchOptions &options,
                        std::function<void(const KvEntry &)> callback,
                        std::function<void()> on_caught_up = {});
  /// watch(">", ...).
  Result<KvWatch> watch_all(const KvWatchOptions &options,
                            std::function<void(const KvEntry &)> callback,
                            std::function<void()> on_caught_up = {});

  /// The bucket's settings and size (bucket_not_found once it is deleted).
  Result<KvStatus> status();

  /// Clears delete and purge markers (nats.py purge_deletes, nats.js
  /// purgeDeletes): every key whose latest entry is one loses its history,
  /// and the marker too once older than `older_than`. Keys with a value are
  /// never touched. Returns how many messages went.
  Result<std::uint64_t> purge_deletes(
      std::chrono::milliseconds older_than = std::chrono::minutes(30));

private:
  friend class JetStream;
  KeyValue(std::shared_ptr<JetStream> js, std::string bucket, bool direct)
      : js_(std::move(js)), bucket_(std::move(bucket)), direct_(direct) {}
  Result<std::uint64_t> write(std::string_view key, std::string_view value, js::kv::Operation op,
                              std::optional<std::uint64_t> last);
  /// The entries a watch starts with (until it is caught up), then it ends.
  Result<std::vector<KvEntry>> initial_entries(std::string_view keys,
                                               const KvWatchOptions &options);

  std::shared_ptr<JetStream> js_;
  std::string bucket_;
  bool direct_ = false;  ///< reads by direct get (the bucket's allow_direct)
};

}  // namespace nats::native
