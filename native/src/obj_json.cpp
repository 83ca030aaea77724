// Object infos and store lists as JSON, by nlohmann/json (as the core does).
#include "obj_json.hpp"

#include <chrono>

#include <nlohmann/json.hpp>

namespace nats::native::detail {

using json = nlohmann::json;

namespace {

Error bad(std::string what) { return {Errc::protocol_error, std::move(what)}; }

}  // namespace

std::int64_t now_unix_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string object_info_json(const ObjectInfo &info) {
  json options = json::object();
  if (info.link) {
    json link = {{"bucket", info.link->bucket}};
    if (!info.link->name.empty()) link["name"] = info.link->name;  // none: the whole store
    options["link"] = std::move(link);
  }
  if (info.max_chunk_size > 0) options["max_chunk_size"] = info.max_chunk_size;
  json j = {{"name", info.name},
            {"description", info.description},
            {"options", std::move(options)},
            {"nuid", info.nuid},
            {"size", info.size},
            {"chunks", info.chunks},
            {"digest", info.digest},
            {"mtime", info.mtime},
            {"deleted", info.deleted}};
  if (!info.headers.entries().empty()) {
    json h = json::object();  // {"Key": ["v1", "v2"]}, as every client writes them
    for (const auto &[k, v] : info.headers.entries()) h[k].push_back(v);
    j["headers"] = std::move(h);
  }
  if (!info.metadata.empty()) j["metadata"] = info.metadata;
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<ObjectInfo> object_info_from_json(std::string_view text, std::uint64_t revision) {
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return bad("an object info that is not a JSON object");
  // Other clients may write null for absent fields; type errors must not throw.
  const auto str = [&](const json &o, const char *key) {
    auto it = o.find(key);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  const auto num = [&](const json &o, const char *key) {
    auto it = o.find(key);
    return it != o.end() && it->is_number_unsigned() ? it->get<std::uint64_t>() : 0;
  };
  ObjectInfo info;
  info.bucket = str(j, "bucket");
  info.name = str(j, "name");
  info.description = str(j, "description");
  info.nuid = str(j, "nuid");
  info.size = num(j, "size");
  info.chunks = num(j, "chunks");
  info.digest = str(j, "digest");
  info.mtime = str(j, "mtime");
  info.revision = j.contains("revision") ? num(j, "revision") : revision;
  if (auto d = j.find("deleted"); d != j.end() && d->is_boolean()) info.deleted = d->get<bool>();
  if (auto h = j.find("headers"); h != j.end() && h->is_object()) {
    for (const auto &[k, vs] : h->items()) {
      if (!vs.is_array()) continue;
      for (const auto &v : vs) {
        if (v.is_string()) info.headers.append(k, v.get<std::string>());
      }
    }
  }
  if (auto m = j.find("metadata"); m != j.end() && m->is_object()) {
    for (const auto &[k, v] : m->items()) {
      if (v.is_string()) info.metadata.emplace(k, v.get<std::string>());
    }
  }
  if (auto o = j.find("options"); o != j.end() && o->is_object()) {
    info.max_chunk_size = static_cast<std::size_t>(num(*o, "max_chunk_size"));
    if (auto l = o->find("link"); l != o->end() && l->is_object()) {
      info.link = ObjectLink{str(*l, "bucket"), str(*l, "name")};
    }
  }
  return info;
}

Result<std::vector<ListedStore>> store_list_from_json(std::string_view text) {
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return bad("a store list that is not a JSON object");
  auto stores = j.find("stores");
  if (stores == j.end() || !stores->is_array()) return bad("a store list without stores");
  std::vector<ListedStore> out;
  for (const auto &s : *stores) {
    if (!s.is_object() || !s.contains("info")) return bad("a listed store without its info");
    const auto b = s.find("bucket");
    out.push_back(
        {b != s.end() && b->is_string() ? b->get<std::string>() : std::string(), s["info"].dump()});
  }
  return out;
}

}  // namespace nats::native::detail
