// Object store rules: subjects, the store's stream, the digest's form.
#include "nats/jetstream/obj.hpp"

#include <nlohmann/json.hpp>

#include "../json_parse.hpp"
#include "nats/base64.hpp"
#include "nats/jetstream/kv.hpp"
#include "nats/micro/service.hpp"  // rfc3339_millis: mtime as nats.js writes it

namespace nats::js::obj {

using json = nlohmann::json;

std::string stream_name(std::string_view bucket) { return "OBJ_" + std::string(bucket); }

std::size_t chunk_size(std::size_t requested, std::size_t max_payload) {
  const std::size_t size = requested == 0 ? kDefaultChunkSize : requested;
  return max_payload > 0 && size > max_payload ? max_payload : size;
}

std::string bucket_of_stream(std::string_view stream) {
  constexpr std::string_view prefix = "OBJ_";
  if (stream.size() <= prefix.size() || stream.substr(0, prefix.size()) != prefix) return {};
  return std::string(stream.substr(prefix.size()));
}

std::string chunk_subject(std::string_view bucket, std::string_view nuid) {
  return "$O." + std::string(bucket) + ".C." + std::string(nuid);
}

std::string meta_subject(std::string_view bucket, std::string_view name) {
  return "$O." + std::string(bucket) + ".M." + base64_encode(name, Base64::url);
}

std::string meta_filter(std::string_view bucket) { return "$O." + std::string(bucket) + ".M.>"; }

Error validate_bucket(std::string_view bucket) { return kv::validate_bucket(bucket); }

Error validate_name(std::string_view name) {
  if (name.empty()) return {Errc::invalid_name, "an object needs a name"};
  return {};
}

Result<std::string> stream_config_json(const StoreConfig &c) {
  if (Error e = validate_bucket(c.bucket)) return e;
  if (c.storage != "file" && c.storage != "memory") {
    return Error{Errc::invalid_argument, "storage must be file or memory"};
  }
  json cfg = {{"name", stream_name(c.bucket)},
              {"subjects", {"$O." + c.bucket + ".C.>", "$O." + c.bucket + ".M.>"}},
              {"max_age", std::chrono::duration_cast<std::chrono::nanoseconds>(c.ttl).count()},
              {"max_bytes", c.max_bytes},
              {"storage", c.storage},
              {"num_replicas", c.replicas},
              {"discard", "new"},
              {"allow_rollup_hdrs", true},
              {"allow_direct", true}};
  if (!c.description.empty()) cfg["description"] = c.description;
  if (!c.placement_json.empty()) {
    auto placement = nats::detail::parse_json(c.placement_json);
    if (placement.is_discarded() || !placement.is_object()) {
      return Error{Errc::invalid_argument, "placement must be an object"};
    }
    cfg["placement"] = std::move(placement);
  }
  return cfg.dump();
}

std::string digest_text(std::string_view sha256_bytes) {
  return "SHA-256=" + base64_encode(sha256_bytes, Base64::url);
}

namespace {

Error bad_arg(std::string what) { return {Errc::invalid_argument, std::move(what)}; }

Error check_meta(const json &meta) {
  if (meta.is_null()) return {};
  if (!meta.is_object()) return bad_arg("the object's meta must be an object");
  auto options = meta.find("options");
  if (options != meta.end() && options->is_object()) {
    auto link = options->find("link");
    if (link != options->end() && !link->is_null()) {
      return bad_arg("link cannot be set when putting the object in bucket");
    }
  }
  return {};
}

// A link's options.link: {bucket, name} for an object, {bucket} for a store.
Result<json> link_of(std::string_view bucket, const json &args) {
  if (auto store = args.find("store"); store != args.end()) {
    if (!store->is_string() || store->get_ref<const std::string &>().empty()) {
      return bad_arg("bucket required");
    }
    if (Error e = validate_bucket(store->get_ref<const std::string &>())) return e;
    return json{{"bucket", *store}};
  }
  const json &target = args["target"];
  if (!target.is_object()) return bad_arg("the object to link to is required");
  if (target.value("deleted", false)) return bad_arg("src object is deleted");
  auto options = target.find("options");
  if (options != target.end() && options->is_object() && options->contains("link") &&
      !(*options)["link"].is_null()) {
    return bad_arg("src object is a link");
  }
  const std::string name = target.value("name", std::string());
  if (name.empty()) return bad_arg("the object to link to has no name");
  std::string in = target.value("bucket", std::string());
  if (in.empty()) in = bucket;
  return json{{"bucket", in}, {"name", name}};
}

}  // namespace

Error check_put_meta(std::string_view meta_json) {
  if (meta_json.empty()) return {};
  json meta = nats::detail::parse_json(meta_json);
  if (meta.is_discarded()) return bad_arg("the object's meta is not JSON");
  return check_meta(meta);
}

Result<std::string> info_record(std::string_view bucket, std::string_view args_json,
                                std::int64_t unix_ns) {
  json args = nats::detail::parse_json(args_json);
  if (args.is_discarded() || !args.is_object()) return bad_arg("the args must be an object");
  const std::string name = args.value("name", std::string());
  if (Error e = validate_name(name)) return e;
  json info = {{"name", name},
               {"description", ""},
               {"options", json::object()},
               {"nuid", ""},
               {"size", 0},
               {"chunks", 0},
               {"digest", ""},
               {"mtime", micro::rfc3339_millis(unix_ns)},
               {"deleted", false}};
  if (args.contains("target") || args.contains("store")) {
    auto link = link_of(bucket, args);
    if (!link) return link.error();
    info["options"]["link"] = std::move(*link);
    return info.dump();
  }
  const json meta = args.value("meta", json());
  if (Error e = check_meta(meta)) return e;
  if (meta.is_object()) {
    if (auto d = meta.find("description"); d != meta.end() && d->is_string()) {
      info["description"] = *d;
    }
    if (auto o = meta.find("options"); o != meta.end() && o->is_object()) info["options"] = *o;
    for (const char *kept : {"headers", "metadata"}) {
      if (auto it = meta.find(kept); it != meta.end() && it->is_object() && !it->empty()) {
        info[kept] = *it;
      }
    }
  }
  const std::string nuid = args.value("nuid", std::string());
  if (nuid.empty()) return bad_arg("a put needs its nuid");
  info["nuid"] = nuid;
  info["size"] = args.value("size", std::uint64_t{0});
  info["chunks"] = args.value("chunks", std::uint64_t{0});
  info["digest"] = args.value("digest", std::string());
  if (auto chunk = args.value("max_chunk_size", std::uint64_t{0}); chunk > 0) {
    info["options"]["max_chunk_size"] = chunk;
  }
  return info.dump();
}

}  // namespace nats::js::obj
