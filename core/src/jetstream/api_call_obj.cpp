// Object store calls: create, inspect, seal and delete stores; read an
// object's info; write an object's info after its chunks (rolling up the
// earlier info and purging the chunks it replaced); delete an object.
// Chunks themselves are publishes (engine_obj.cpp) read back by ordered
// consumers.
#include "../json_parse.hpp"
#include "api_call_state.hpp"
#include "nats/headers.hpp"
#include "nats/jetstream/obj.hpp"

namespace nats::detail {
namespace {

using namespace api_call;
namespace obj = js::obj;

// Steps of obj_put_meta / obj_delete.
constexpr int kReadCurrent = 0;
constexpr int kWriteMeta = 1;
constexpr int kPurgeOld = 2;
constexpr int kPurgeNew = 3;  // obj_put_meta refused: the chunks written for it go
// Steps of obj_store_seal.
constexpr int kReadConfig = 0;
constexpr int kUpdate = 1;
// Steps of obj_update_meta.
constexpr int kUpdReadCurrent = 0;
constexpr int kUpdReadTarget = 1;  // a rename: is the new name free?
constexpr int kUpdWrite = 2;
constexpr int kUpdPurgeOldName = 3;

Error object_not_found(const std::string &name) {
  Error e{Errc::object_not_found, "object '" + name + "' not found"};
  e.status = 404;
  return e;
}

}  // namespace

Error JsApiCall::State::prepare_obj() {
  if (op == ApiOp::obj_store_create) {
    auto cfg = args.find("config");
    if (cfg == args.end() || !cfg->is_object()) return bad("a store config is required");
    obj::StoreConfig c;
    c.bucket = cfg->value("bucket", std::string());
    c.description = cfg->value("description", std::string());
    c.ttl = std::chrono::milliseconds(cfg->value("ttl", std::int64_t{0}));
    c.max_bytes = cfg->value("max_bytes", std::int64_t{-1});
    c.storage = cfg->value("storage", std::string("file"));
    c.replicas = cfg->value("replicas", std::int64_t{1});
    if (auto p = cfg->find("placement"); p != cfg->end() && !p->is_null())
      c.placement_json = p->dump();
    // Settings of nats-server 2.10+ are refused, never silently dropped.
    for (const char *unsupported : {"metadata", "compression"}) {
      auto it = cfg->find(unsupported);
      if (it != cfg->end() && !it->is_null() && *it != false && *it != "none" && *it != "") {
        return bad(std::string(unsupported) + " is not supported for object stores here");
      }
    }
    auto stream = obj::stream_config_json(c);
    if (!stream) return stream.error();
    subject = api("STREAM.CREATE." + obj::stream_name(c.bucket));
    body = *stream;
    return {};
  }
  const std::string bucket = args.value("bucket", std::string());
  if (Error e = obj::validate_bucket(bucket)) return e;
  const std::string stream = obj::stream_name(bucket);
  req_headers.clear();
  if (op == ApiOp::obj_update_meta) return prepare_obj_update(bucket, stream);
  switch (op) {
    case ApiOp::obj_store_info:
    case ApiOp::obj_store_delete:
      subject = api((op == ApiOp::obj_store_info ? "STREAM.INFO." : "STREAM.DELETE.") + stream);
      body.clear();
      return {};
    case ApiOp::obj_store_seal:
      if (obj_phase == kReadConfig) {
        subject = api("STREAM.INFO." + stream);
        body.clear();
      } else {
        subject = api("STREAM.UPDATE." + stream);
        body = dump(obj_current);
      }
      return {};
    case ApiOp::obj_purge_chunks: {
      const std::string nuid = args.value("nuid", std::string());
      if (nuid.empty()) return bad("a nuid is required");
      subject = api("STREAM.PURGE." + stream);
      body = dump(json{{"filter", obj::chunk_subject(bucket, nuid)}});
      return {};
    }
    default: break;
  }
  // obj_info, obj_put_meta, obj_delete: about one object.
  std::string name;
  if (op == ApiOp::obj_put_meta && !args.contains("info")) {
    // The record is written here, once for every host (obj.cpp's rule).
    auto record = obj::info_record(bucket, dump(args), args.value("now_unix_ns", std::int64_t{0}));
    if (!record) return record.error();
    if (args.contains("target") || args.contains("store")) args["link"] = true;
    args["info"] = nats::detail::parse_json(*record);
  }
  if (op == ApiOp::obj_info && args.contains("meta")) {
    // Before a put sends its chunks: a meta it would refuse is refused now.
    if (Error e = obj::check_put_meta(dump(args["meta"]))) return e;
  }
  if (op == ApiOp::obj_put_meta) {
    auto info = args.find("info");
    if (info == args.end() || !info->is_object()) return bad("an object info is required");
    name = info->value("name", std::string());
  } else {
    name = args.value("name", std::string());
  }
  if (Error e = obj::validate_name(name)) return e;
  if (op == ApiOp::obj_info || obj_phase == kReadCurrent) {
    subject = api("STREAM.MSG.GET." + stream);
    body = dump(json{{"last_by_subj", obj::meta_subject(bucket, name)}});
    return {};
  }
  if (obj_phase == kWriteMeta) {
    json info;
    if (op == ApiOp::obj_put_meta) {
      info = args["info"];
    } else {
      // A delete: the info stays, marked deleted, with nothing in it.
      info = obj_current;
      info["deleted"] = true;
      info["size"] = 0;
      info["chunks"] = 0;
      info["digest"] = "";
    }
    info["bucket"] = bucket;
    subject = obj::meta_subject(bucket, name);
    body = dump(info);
    Headers h;
    h.set("Nats-Rollup", "sub");  // earlier infos of this object go
    if (auto prev = args.find("previous_revision");
        op == ApiOp::obj_put_meta && prev != args.end() && prev->is_number_unsigned()) {
      // nats.js previousRevision: only over that revision of the info (10071 otherwise).
      h.set("Nats-Expected-Last-Subject-Sequence", std::to_string(prev->get<std::uint64_t>()));
    }
    req_headers = h.encode();
    return {};
  }
  if (obj_phase == kPurgeNew) {
    subject = api("STREAM.PURGE." + stream);
    body = dump(
        json{{"filter", obj::chunk_subject(bucket, args["info"].value("nuid", std::string()))}});
    return {};
  }
  // kPurgeOld: the chunks of the version just replaced (or deleted).
  subject = api("STREAM.PURGE." + stream);
  body =
      dump(json{{"filter", obj::chunk_subject(bucket, obj_current.value("nuid", std::string()))}});
  return {};
}

bool JsApiCall::State::on_obj(std::string_view /*headers*/, std::string_view reply) {
  const std::string bucket = args.value("bucket", std::string());
  json r = nats::detail::parse_json(reply);
  if (r.is_discarded() || !r.is_object()) {
    return finish({Errc::protocol_error, "JetStream API reply is not a JSON object"});
  }
  auto api_error = js::api_error_of(reply);
  if (api_error && api_error->err_code == 10059) {
    Error nf{Errc::bucket_not_found, "object store '" + bucket + "' not found"};
    nf.status = 404;
    nf.err_code = 10059;
    return finish(std::move(nf));
  }
  if (op == ApiOp::obj_update_meta) return on_obj_update(r, api_error);
  const bool no_message = api_error && (api_error->err_code == 10037 || api_error->status == 404);
  const bool reading =
      op == ApiOp::obj_info ||
      ((op == ApiOp::obj_put_meta || op == ApiOp::obj_delete) && obj_phase == kReadCurrent);
  const std::string name = op == ApiOp::obj_put_meta ? args["info"].value("name", std::string())
                                                     : args.value("name", std::string());
  if (reading) {
    if (api_error && !no_message) return finish(std::move(*api_error));
    obj_current = json();
    if (!no_message) {
      if (!decode_msg_get(r, obj::stream_name(bucket))) return false;
      if (error) return true;
      stored = false;
      json info = nats::detail::parse_json(stored_msg.data);
      if (!info.is_object())
        return finish({Errc::protocol_error, "an object info that is not JSON"});
      info["revision"] = stored_msg.seq;
      obj_current = std::move(info);
    }
    if (op == ApiOp::obj_info) {
      if (obj_current.is_null()) return finish(object_not_found(name));
      const json link = obj_current.value("options", json::object()).value("link", json());
      if (args.value("follow", false) && link.is_object()) {
        const std::string target = link.value("name", std::string());
        if (target.empty()) {
          return finish({Errc::link_is_bucket, "object '" + name + "' links to a whole store"});
        }
        if (obj_phase == kReadCurrent) {  // one hop: links to links are never written
          obj_phase = kWriteMeta;
          args["bucket"] = link.value("bucket", bucket);
          args["name"] = target;
          if (Error e = prepare()) return finish(std::move(e));
          return false;
        }
      }
      result = dump(obj_current);
      return true;
    }
    if (op == ApiOp::obj_put_meta && args.value("link", false) && obj_current.is_object() &&
        !obj_current.value("deleted", false)) {
      return finish({Errc::object_exists, "an object named '" + name + "' exists"});
    }
    if (op == ApiOp::obj_delete && (obj_current.is_null() || obj_current.value("deleted", false))) {
      return finish(object_not_found(name));
    }
    obj_phase = kWriteMeta;
    if (Error e = prepare()) return finish(std::move(e));
    return false;
  }
  if (obj_phase == kPurgeNew) return finish(std::move(obj_refusal));  // whatever the purge said
  if (api_error && op == ApiOp::obj_put_meta && obj_phase == kWriteMeta &&
      !args["info"].value("nuid", std::string()).empty()) {
    // The info was refused (a sealed store, a stale previous_revision): the
    // chunks written for it would be orphans. (A timeout never gets here: the
    // info may have been written, so its chunks stay.)
    obj_refusal = std::move(*api_error);
    obj_phase = kPurgeNew;
    if (Error e = prepare()) return finish(std::move(obj_refusal));
    return false;
  }
  if (api_error) return finish(std::move(*api_error));
  if (op == ApiOp::obj_store_seal) {
    if (obj_phase == kReadConfig) {
      obj_current = r.value("config", json::object());
      obj_current["sealed"] = true;
      obj_phase = kUpdate;
      if (Error e = prepare()) return finish(std::move(e));
      return false;
    }
    result.assign(reply);
    return true;
  }
  if (op == ApiOp::obj_put_meta || op == ApiOp::obj_delete) {
    if (obj_phase == kWriteMeta) {
      obj_revision = r.value("seq", std::uint64_t{0});  // the PubAck of the info
      const std::string old_nuid =
          obj_current.is_object() ? obj_current.value("nuid", std::string()) : std::string();
      const std::string new_nuid =
          op == ApiOp::obj_put_meta ? args["info"].value("nuid", std::string()) : std::string();
      if (!old_nuid.empty() && old_nuid != new_nuid) {
        obj_phase = kPurgeOld;
        if (Error e = prepare()) return finish(std::move(e));
        return false;
      }
    }
    if (op == ApiOp::obj_delete) {  // the purge's reply (nats.js PurgeResponse)
      result = obj_phase == kPurgeOld ? std::string(reply) : R"({"success":true,"purged":0})";
      return true;
    }
    json written = args["info"];
    written["bucket"] = bucket;
    written["revision"] = obj_revision;
    result = dump(written);
    return true;
  }
  // Store create / info / delete.
  result.assign(reply);
  return true;
}

// --- obj_update_meta (as nats.js update): the same chunks under a new info ---

Error JsApiCall::State::prepare_obj_update(const std::string &bucket, const std::string &stream) {
  const std::string name = args.value("name", std::string());
  if (Error e = obj::validate_name(name)) return e;
  auto meta = args.find("meta");
  if (meta == args.end() || !meta->is_object()) return bad("the new meta is required");
  const std::string to = meta->value("name", name);
  if (Error e = obj::validate_name(to)) return e;
  switch (obj_phase) {
    case kUpdReadCurrent:
    case kUpdReadTarget:
      subject = api("STREAM.MSG.GET." + stream);
      body = dump(json{
          {"last_by_subj", obj::meta_subject(bucket, obj_phase == kUpdReadCurrent ? name : to)}});
      return {};
    case kUpdWrite: {
      json info = obj_current;
      info.erase("revision");
      info["name"] = to;
      info["bucket"] = bucket;
      info["description"] = meta->value("description", std::string());
      for (const char *field : {"headers", "metadata"}) {
        if (meta->contains(field)) info[field] = (*meta)[field];
      }
      subject = obj::meta_subject(bucket, to);
      body = dump(info);
      Headers h;
      h.set("Nats-Rollup", "sub");
      req_headers = h.encode();
      return {};
    }
    default:  // kUpdPurgeOldName: the info under the old name goes (its chunks stay)
      subject = api("STREAM.PURGE." + stream);
      body = dump(json{{"filter", obj::meta_subject(bucket, name)}});
      return {};
  }
}

bool JsApiCall::State::on_obj_update(json &reply, const std::optional<Error> &api_error) {
  const std::string bucket = args.value("bucket", std::string());
  const std::string name = args.value("name", std::string());
  const std::string to = args["meta"].value("name", name);
  const bool no_message = api_error && (api_error->err_code == 10037 || api_error->status == 404);
  if (obj_phase == kUpdReadCurrent || obj_phase == kUpdReadTarget) {
    if (api_error && !no_message) return finish(*api_error);
    json info;
    if (!no_message) {
      if (!decode_msg_get(reply, obj::stream_name(bucket))) return false;
      if (error) return true;
      stored = false;
      info = nats::detail::parse_json(stored_msg.data);
      if (!info.is_object())
        return finish({Errc::protocol_error, "an object info that is not JSON"});
    }
    const bool live = info.is_object() && !info.value("deleted", false);
    if (obj_phase == kUpdReadCurrent) {
      if (!live) return finish(object_not_found(name));
      obj_current = std::move(info);
      obj_phase = to == name ? kUpdWrite : kUpdReadTarget;
    } else {
      if (live) return finish({Errc::object_exists, "an object named '" + to + "' exists"});
      obj_phase = kUpdWrite;
    }
    if (Error e = prepare()) return finish(std::move(e));
    return false;
  }
  if (api_error) return finish(*api_error);
  if (obj_phase == kUpdWrite) {
    obj_revision = reply.value("seq", std::uint64_t{0});
    obj_current = nats::detail::parse_json(body);  // what was written
    if (to != name) {
      obj_phase = kUpdPurgeOldName;
      if (Error e = prepare()) return finish(std::move(e));
      return false;
    }
  }
  json written = obj_current;
  written["revision"] = obj_revision;
  result = dump(written);
  return true;
}

}  // namespace nats::detail
