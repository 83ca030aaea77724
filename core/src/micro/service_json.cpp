// The JSON of micro services: discovery replies (io.nats.micro.v1 schemas)
// and configs from hosts.
#include <nlohmann/json.hpp>

#include "../json_parse.hpp"
#include "nats/micro/service.hpp"

namespace nats::micro {
namespace {

using nlohmann::json;

json metadata_json(const Metadata &m) {
  json out = json::object();
  for (const auto &[k, v] : m) out[k] = v;
  return out;
}

Result<json> parse_object(std::string_view text, std::string_view what) {
  auto j = nats::detail::parse_json(text);
  if (j.is_discarded() || !j.is_object()) {
    return Error{Errc::invalid_argument, std::string(what) + " is not a JSON object"};
  }
  return j;
}

// A string field: absent or null leaves `out` unset; anything else but a
// string is an error.
Error read_string(const json &j, const char *key, std::optional<std::string> &out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return {};
  if (!it->is_string()) return {Errc::invalid_argument, std::string(key) + " must be a string"};
  out = it->get<std::string>();
  return {};
}

Error read_string(const json &j, const char *key, std::string &out) {
  std::optional<std::string> v;
  if (auto e = read_string(j, key, v)) return e;
  if (v) out = std::move(*v);
  return {};
}

Error read_metadata(const json &j, Metadata &out) {
  auto it = j.find("metadata");
  if (it == j.end() || it->is_null()) return {};
  if (!it->is_object()) return {Errc::invalid_argument, "metadata must be an object"};
  for (const auto &[k, v] : it->items()) {
    if (!v.is_string()) {
      return {Errc::invalid_argument, "metadata value of '" + k + "' must be a string"};
    }
    out[k] = v.get<std::string>();
  }
  return {};
}

}  // namespace

std::string Service::reply_json(Verb verb, const std::vector<std::string> *data) const {
  json out = {{"type", response_type(verb)},
              {"name", config_.name},
              {"id", id_},
              {"version", config_.version},
              {"metadata", metadata_json(config_.metadata)}};
  if (verb == Verb::ping) return out.dump();
  json eps = json::array();
  for (std::size_t i = 0; i < endpoints_.size(); ++i) {
    const auto &ep = endpoints_[i];
    json e = {{"name", ep.name}, {"subject", ep.subject}};
    if (!ep.queue_group.empty()) e["queue_group"] = ep.queue_group;
    if (verb == Verb::info) {
      e["metadata"] = metadata_json(ep.metadata);
    } else {
      e["num_requests"] = ep.num_requests;
      e["num_errors"] = ep.num_errors;
      e["last_error"] = ep.last_error;
      e["processing_time"] = ep.processing_time;
      e["average_processing_time"] =
          ep.num_requests == 0 ? 0 : ep.processing_time / ep.num_requests;
      // The stats handler's JSON; text that is not JSON goes as a string.
      if (data != nullptr && i < data->size() && !(*data)[i].empty()) {
        auto d = nats::detail::parse_json((*data)[i]);
        e["data"] = d.is_discarded() ? json((*data)[i]) : d;
      } else {
        e["data"] = nullptr;
      }
    }
    eps.push_back(std::move(e));
  }
  if (verb == Verb::info) out["description"] = config_.description;
  if (verb == Verb::stats) out["started"] = started_;
  out["endpoints"] = std::move(eps);
  return out.dump();
}

Result<ServiceConfig> service_config_from_json(std::string_view text) {
  auto j = parse_object(text, "service config");
  if (!j) return j.error();
  ServiceConfig c;
  if (auto e = read_string(*j, "name", c.name)) return e;
  if (auto e = read_string(*j, "version", c.version)) return e;
  if (auto e = read_string(*j, "description", c.description)) return e;
  if (auto e = read_string(*j, "queue_group", c.queue_group)) return e;
  if (auto e = read_metadata(*j, c.metadata)) return e;
  return c;
}

Result<EndpointConfig> endpoint_config_from_json(std::string_view text) {
  auto j = parse_object(text, "endpoint config");
  if (!j) return j.error();
  EndpointConfig c;
  if (auto e = read_string(*j, "name", c.name)) return e;
  if (auto e = read_string(*j, "subject", c.subject)) return e;
  if (auto e = read_string(*j, "queue_group", c.queue_group)) return e;
  if (auto e = read_metadata(*j, c.metadata)) return e;
  return c;
}

}  // namespace nats::micro
