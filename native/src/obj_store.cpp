// Object stores and object infos: creating, opening, listing, sealing and
// deleting stores; reading, listing, watching, linking and deleting
// objects. Each is an engine API call (api_call_obj.cpp) or an engine read
// of the infos (obj_read.hpp); this file builds arguments and types results.
#include <stdexcept>
#include <utility>

#include "client_impl.hpp"
#include "nats/native/jetstream.hpp"
#include "nats/native/obj.hpp"
#include "obj_json.hpp"
#include "obj_read.hpp"

namespace nats::native {

namespace obj = js::obj;

namespace {

std::string bucket_args(std::string_view bucket) {
  return "{\"bucket\":" + js::json_quote(bucket) + "}";
}

std::string object_args(std::string_view bucket, std::string_view name) {
  return "{\"bucket\":" + js::json_quote(bucket) + ",\"name\":" + js::json_quote(name) + "}";
}

// obj_store_create's arguments (api.hpp documents them).
std::string store_config_args(const ObjectStoreConfig &c) {
  const auto num = [](std::int64_t v) { return std::to_string(v); };
  return "{\"config\":{\"bucket\":" + js::json_quote(c.bucket) +
         ",\"description\":" + js::json_quote(c.description) + ",\"ttl\":" + num(c.ttl.count()) +
         ",\"max_bytes\":" + num(c.max_bytes) + ",\"storage\":" + js::json_quote(c.storage) +
         ",\"replicas\":" + num(c.replicas) + "}}";
}

Result<ObjectStoreStatus> status_of(std::string bucket, const Result<std::string> &reply) {
  if (!reply) return reply.error();
  auto info = js::stream_info_from_json(*reply);
  if (!info) return info.error();
  const js::StreamConfig &c = info->config;
  ObjectStoreStatus st;
  st.bucket = std::move(bucket);
  st.description = c.description.value_or("");
  st.ttl = std::chrono::duration_cast<std::chrono::milliseconds>(c.max_age.value_or(js::Nanos{0}));
  st.storage = std::string(js::to_string(c.storage.value_or(js::StorageType::file)));
  st.replicas = c.num_replicas.value_or(1);
  st.sealed = c.sealed.value_or(false);
  st.size = info->state.bytes;
  st.stream_info = std::move(*info);
  return st;
}

Error not_found(std::string_view name, const char *why) {
  Error e{Errc::object_not_found, "object '" + std::string(name) + "' " + why};
  e.status = 404;
  return e;
}

}  // namespace

// --- stores (JetStream entry points) -------------------------------------------------------

Result<ObjectStore> JetStream::object_store(std::string_view bucket) {
  auto r = call_json(js::ApiOp::obj_store_info, bucket_args(bucket));
  if (!r) return r.error();
  return ObjectStore(shared_from_this(), std::string(bucket));
}

Result<ObjectStore> JetStream::create_object_store(const ObjectStoreConfig &config) {
  auto r = call_json(js::ApiOp::obj_store_create, store_config_args(config));
  if (!r) return r.error();
  return ObjectStore(shared_from_this(), config.bucket);
}

Result<bool> JetStream::delete_object_store(std::string_view bucket) {
  auto r = call_json(js::ApiOp::obj_store_delete, bucket_args(bucket));
  if (!r) return r.error();
  return js::success_from_json(*r);
}

Result<std::vector<ObjectStoreStatus>> JetStream::object_stores() {
  auto r = call_json(js::ApiOp::obj_store_list, "{}");
  if (!r) return r.error();
  auto stores = detail::store_list_from_json(*r);
  if (!stores) return stores.error();
  std::vector<ObjectStoreStatus> out;
  for (auto &s : *stores) {
    auto st = status_of(std::move(s.bucket), std::move(s.info_json));
    if (!st) return st.error();
    out.push_back(std::move(*st));
  }
  return out;
}

Result<std::vector<std::string>> JetStream::object_store_names() {
  auto stores = object_stores();
  if (!stores) return stores.error();
  std::vector<std::string> out;
  for (auto &s : *stores) out.push_back(std::move(s.bucket));
  return out;
}

Result<ObjectStoreStatus> ObjectStore::status() {
  return status_of(bucket_, js_->call_json(js::ApiOp::obj_store_info, bucket_args(bucket_)));
}

Result<ObjectStoreStatus> ObjectStore::seal() {
  return status_of(bucket_, js_->call_json(js::ApiOp::obj_store_seal, bucket_args(bucket_)));
}

// --- infos ---------------------------------------------------------------------------------

Result<ObjectInfo> ObjectStore::get_info(std::string_view name, bool show_deleted) {
  auto r = js_->call_json(js::ApiOp::obj_info, object_args(bucket_, name));
  if (!r) return r.error();
  auto info = detail::object_info_from_json(*r);
  if (info && info->deleted && !show_deleted) return not_found(name, "was deleted");
  return info;
}

Result<ObjectInfo> ObjectStore::put_meta(const std::string &fields) {
  auto r = js_->call_json(js::ApiOp::obj_put_meta,
                          "{\"bucket\":" + js::json_quote(bucket_) + "," + fields +
                              ",\"now_unix_ns\":" + std::to_string(detail::now_unix_ns()) + "}");
  if (!r) return r.error();
  return detail::object_info_from_json(*r);
}

void ObjectStore::purge_chunks(const std::string &nuid) {
  (void)js_->call_json(js::ApiOp::obj_purge_chunks, "{\"bucket\":" + js::json_quote(bucket_) +
                                                        ",\"nuid\":" + js::json_quote(nuid) + "}");
}

Result<std::uint64_t> ObjectStore::del(std::string_view name) {
  auto r = js_->call_json(js::ApiOp::obj_delete, object_args(bucket_, name));
  if (!r) return r.error();
  auto purged = js::purge_response_from_json(*r);
  if (!purged) return purged.error();
  return purged->purged;
}

Result<std::vector<ObjectInfo>> ObjectStore::list(bool show_deleted) {
  detail::ObjRead::Options o;
  o.bucket = bucket_;
  o.include = obj::Include::latest;
  auto read = detail::ObjRead::open(js_->impl_, js_->context_, std::move(o), js_->options_.timeout);
  if (!read) return read.error();
  std::vector<ObjectInfo> out;
  for (;;) {
    auto m = (*read)->next(js_->options_.timeout);
    if (!m) return m.error();
    if (!*m) break;  // caught up
    const JsMsg &msg = **m;
    auto info = detail::object_info_from_json(msg.data, msg.seq());
    if (!info) return info.error();
    if (show_deleted || !info->deleted) out.push_back(std::move(*info));
    if (auto at = msg.metadata(); at && at->pending == 0) break;  // the last one there
  }
  return out;
}

// --- links ---------------------------------------------------------------------------------

Result<ObjectInfo> ObjectStore::update_meta(std::string_view name, const ObjectMeta &meta) {
  ObjectInfo m;  // only its name, description, headers and metadata are read
  m.name = meta.name.empty() ? std::string(name) : meta.name;
  m.description = meta.description;
  m.headers = meta.headers;
  m.metadata = meta.metadata;
  auto r = js_->call_json(js::ApiOp::obj_update_meta,
                          "{\"bucket\":" + js::json_quote(bucket_) +
                              ",\"name\":" + js::json_quote(name) +
                              ",\"meta\":" + detail::object_info_json(m) + "}");
  if (!r) return r.error();
  return detail::object_info_from_json(*r);
}

// The engine refuses a deleted object or a link as a target and writes the record.
Result<ObjectInfo> ObjectStore::link(std::string_view name, const ObjectInfo &target) {
  std::string target_json = detail::object_info_json(target);  // without its bucket
  if (!target.bucket.empty()) {
    target_json.insert(1, "\"bucket\":" + js::json_quote(target.bucket) + ",");
  }
  return put_meta("\"name\":" + js::json_quote(name) + ",\"target\":" + target_json);
}

Result<ObjectInfo> ObjectStore::link_store(std::string_view name, const ObjectStore &store) {
  return put_meta("\"name\":" + js::json_quote(name) +
                  ",\"store\":" + js::json_quote(store.bucket()));
}

// --- watches -------------------------------------------------------------------------------

Result<ObjectWatch> ObjectStore::watch(const ObjectWatchOptions &options,
                                       std::function<void(const ObjectInfo &)> callback,
                                       std::function<void()> on_caught_up) {
  if (!callback) return Error{Errc::invalid_argument, "callback is empty"};
  detail::ObjRead::Options o;
  o.bucket = bucket_;
  o.include = options.include_history ? obj::Include::latest : obj::Include::updates;
  o.callback = [cb = std::move(callback), ignore = options.ignore_deletes](const JsMsg &m) {
    auto info = detail::object_info_from_json(m.data, m.seq());
    if (!info) throw std::runtime_error(info.error().message);  // counted by the I/O thread
    if (ignore && info->deleted) return;
    cb(*info);
  };
  o.on_caught_up = std::move(on_caught_up);
  auto read = detail::ObjRead::open(js_->impl_, js_->context_, std::move(o), js_->options_.timeout);
  if (!read) return read.error();
  return ObjectWatch(std::move(*read));
}

ObjectWatch::ObjectWatch(std::unique_ptr<detail::ObjRead> read) : read_(std::move(read)) {}
ObjectWatch::ObjectWatch(ObjectWatch &&other) noexcept = default;
ObjectWatch &ObjectWatch::operator=(ObjectWatch &&other) noexcept {
  if (this != &other) {
    stop();
    read_ = std::move(other.read_);
  }
  return *this;
}
ObjectWatch::~ObjectWatch() = default;  // ~ObjRead stops it

void ObjectWatch::stop() {
  if (read_) read_->stop();
}

bool ObjectWatch::is_closed() const { return !read_ || read_->is_closed(); }

Error ObjectWatch::error() const { return read_ ? read_->error() : Error{}; }

}  // namespace nats::native
