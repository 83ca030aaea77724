#pragma once
/// Object stores for the native client (nats.py names where it has them:
/// create_object_store, object_store, delete_object_store; ObjectStore with
/// put, get, get_info, list, delete (del here), watch, status, seal; links
/// as nats.js has them: link, link_store).
///
///   nats::native::ObjectStoreConfig cfg;
///   cfg.bucket = "files";
///   auto store = (*js)->create_object_store(cfg);
///   auto info = store->put("a.txt", "hello");
///   auto obj = store->get("a.txt");  // obj->data == "hello"
///   std::ifstream in("big.bin", std::ios::binary);
///   store->put({.name = "big.bin"}, in);  // one chunk in memory at a time
///   store->get("big.bin", [&](std::string_view chunk) { out.write(...); });
///
/// The store's stream, subjects, info records, rollups, purges and links
/// are the engine's (core/src/jetstream/obj.cpp, api_call_obj.cpp,
/// engine_obj.cpp); this layer streams chunks, hashes them (SHA-256 by
/// OpenSSL) and waits. Blocking calls return illegal_state from a callback
/// on the I/O thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "nats/error.hpp"
#include "nats/headers.hpp"
#include "nats/jetstream/obj.hpp"
#include "nats/jetstream/types.hpp"

namespace nats::native {

class JetStream;
namespace detail {
class ObjRead;
}  // namespace detail

/// A store's settings: bucket, description, ttl, max_bytes, storage
/// ("file" or "memory"), replicas (nats.py ObjectStoreConfig).
using ObjectStoreConfig = js::obj::StoreConfig;

/// Where a link points: an object (name set) or a whole store (name empty).
struct ObjectLink {
  std::string bucket;
  std::string name;
};

/// What a put says about the object besides its bytes (nats.py ObjectMeta).
struct ObjectMeta {
  std::string name;
  std::string description;
  Headers headers;
  std::map<std::string, std::string> metadata;
  /// 0: 128 KiB. Never over the server's max_payload.
  std::size_t max_chunk_size = 0;
};

/// An object's info (nats.py ObjectInfo, nats.js ObjectInfo).
struct ObjectInfo {
  std::string bucket;
  std::string name;
  std::string description;
  Headers headers;
  std::map<std::string, std::string> metadata;
  std::string nuid;  ///< names the chunks of this version
  std::uint64_t size = 0;
  std::uint64_t chunks = 0;
  std::string digest;  ///< "SHA-256=<padded URL base64>"
  std::string mtime;   ///< RFC 3339, as the writer wrote it
  bool deleted = false;
  std::uint64_t revision = 0;  ///< the info's stream sequence
  std::optional<ObjectLink> link;
  std::size_t max_chunk_size = 0;
  /// True for a link (to an object or a whole store).
  bool is_link() const { return link.has_value(); }
};

/// A whole object (nats.py ObjectResult).
struct ObjectResult {
  ObjectInfo info;
  std::string data;
};

/// A store's settings and size (nats.py ObjectStoreStatus).
struct ObjectStoreStatus {
  std::string bucket;
  std::string description;
  std::chrono::milliseconds ttl{0};  ///< 0: forever
  std::string storage;               ///< "file" or "memory"
  int replicas = 1;
  bool sealed = false;
  std::uint64_t size = 0;      ///< bytes stored, infos included
  js::StreamInfo stream_info;  ///< the store's stream
};

/// Feeds a put: fills up to buffer.size() bytes and returns how many; 0
/// ends the object. An error aborts the put (its chunks are purged).
using ObjectReader = std::function<Result<std::size_t>(std::span<char> buffer)>;
/// Takes an object's bytes in order, one chunk at a time (on the calling thread).
using ObjectSink = std::function<void(std::string_view chunk)>;

/// What a watch delivers (nats.py watch() flags).
struct ObjectWatchOptions {
  bool include_history = false;  ///< first every object's latest info, then changes
  bool ignore_deletes = false;   ///< leave deletions out
};

/// A running watch. Its callbacks run on the client's I/O thread. Move-only;
/// destroying it stops it.
class ObjectWatch {
public:
  ObjectWatch(ObjectWatch &&other) noexcept;
  ObjectWatch &operator=(ObjectWatch &&other) noexcept;
  ~ObjectWatch();

  /// Ends the watch and deletes its server consumer. Returns once no callback
  /// of this watch runs or will run (from its own callback: after it returns).
  void stop();
  /// True once it ended (stopped, failed, or the client closed).
  bool is_closed() const;
  /// Why it ended: ok when stopped or closed cleanly (or still running).
  Error error() const;

private:
  friend class ObjectStore;
  explicit ObjectWatch(std::unique_ptr<detail::ObjRead> read);
  std::unique_ptr<detail::ObjRead> read_;
};

/// An object store. Copies share the JetStream context. Get one from
/// JetStream::object_store() or create_object_store().
class ObjectStore {
public:
  /// The store's name.
  const std::string &bucket() const { return bucket_; }

  /// Stores `data` as object `name` (replacing any earlier version, whose
  /// chunks are purged); returns its info.
  Result<ObjectInfo> put(std::string_view name, std::string_view data);
  /// Stores `data` with `meta`.
  Result<ObjectInfo> put(const ObjectMeta &meta, std::string_view data);
  /// Stores what `reader` yields, one chunk in memory at a time and a few
  /// chunk publishes awaiting their acks. On any failure the chunks already
  /// stored are purged and the earlier version stays.
  Result<ObjectInfo> put(const ObjectMeta &meta, const ObjectReader &reader);
  /// Stores what `in` holds (read to its end; a read error aborts the put).
  Result<ObjectInfo> put(const ObjectMeta &meta, std::istream &in);

  /// The whole object (links followed). object_not_found when there is
  /// none or it was deleted; link_is_bucket for a link to a store;
  /// digest_mismatch when the bytes do not match the info.
  Result<ObjectResult> get(std::string_view name);
  /// The object's bytes into `sink`, chunk by chunk as they arrive, hashed
  /// as they pass; returns the info once the digest, size and chunk count
  /// match (digest_mismatch otherwise, after what was read was passed on;
  /// more bytes than the info says are never passed on). An exception the
  /// sink throws ends the read and propagates.
  Result<ObjectInfo> get(std::string_view name, const ObjectSink &sink);

  /// An object's info (links not followed). object_not_found when there is
  /// none, or when it was deleted and `show_deleted` is false.
  Result<ObjectInfo> get_info(std::string_view name, bool show_deleted = false);
  /// Every object's latest info, in the order they were written. Deleted
  /// objects only with `show_deleted` (nats.js leaves them out; nats.py's
  /// list keeps them unless ignore_deletes).
  Result<std::vector<ObjectInfo>> list(bool show_deleted = false);
  /// Marks an object deleted and purges its chunks; returns how many
  /// chunks went. object_not_found when there is none (or it was deleted).
  Result<std::uint64_t> del(std::string_view name);

  /// Renames (`meta.name`, to a name no live object has: object_exists
  /// otherwise) or re-describes an object without rewriting its data: the
  /// description is replaced, headers and metadata when `meta` has some.
  /// object_not_found when there is no live object `name`.
  Result<ObjectInfo> update_meta(std::string_view name, const ObjectMeta &meta);

  /// An object `name` that reads as `target` (in this or another store).
  /// invalid_argument when `target` is deleted or is a link itself;
  /// object_exists when `name` is a live object.
  Result<ObjectInfo> link(std::string_view name, const ObjectInfo &target);
  /// An object `name` that stands for the whole store `store` (getting it
  /// gives link_is_bucket).
  Result<ObjectInfo> link_store(std::string_view name, const ObjectStore &store);

  /// Watches the objects' infos: `callback` gets each (per options), then
  /// `on_caught_up` runs once the initial ones are out, then every change in
  /// order. Callbacks run on the I/O thread; an exception they throw is
  /// counted and dropped.
  Result<ObjectWatch> watch(const ObjectWatchOptions &options,
                            std::function<void(const ObjectInfo &)> callback,
                            std::function<void()> on_caught_up = {});

  /// The store's settings and size (bucket_not_found once it is deleted).
  Result<ObjectStoreStatus> status();
  /// Seals the store: nothing more can be written or deleted.
  Result<ObjectStoreStatus> seal();

private:
  friend class JetStream;
  ObjectStore(std::shared_ptr<JetStream> js, std::string bucket)
      : js_(std::move(js)), bucket_(std::move(bucket)) {}
  /// Writes an info (obj_put_meta): the engine makes the record from
  /// `fields` (obj::info_record's args, as JSON members without braces).
  Result<ObjectInfo> put_meta(const std::string &fields);
  /// Purges the chunks of a put that did not complete (best effort).
  void purge_chunks(const std::string &nuid);

  std::shared_ptr<JetStream> js_;
  std::string bucket_;
};

}  // namespace nats::native
