// nats.py's js.subscribe and js.pull_subscribe, as rules: which consumer
// they mean, and the config of the consumer they create when there is none.
// The host looks the consumer up and creates it; what goes in the config is
// decided here.
#include <nlohmann/json.hpp>

#include "../json_parse.hpp"
#include "nats/jetstream/api.hpp"
#include "nats/jetstream/consumer.hpp"
#include "nats/jetstream/push.hpp"
#include "nats/subject.hpp"

namespace nats::js {

namespace {

/// Absent, null, "", false and 0 are "not set" in nats.py's `if not
/// config.x` (its dataclass fields default to None).
bool unset(const nlohmann::json &config, const char *key) {
  auto it = config.find(key);
  if (it == config.end() || it->is_null()) return true;
  if (it->is_string()) return it->get_ref<const std::string &>().empty();
  if (it->is_boolean()) return !it->get<bool>();
  if (it->is_number()) return it->get<double>() == 0;
  if (it->is_array()) return it->empty();
  return false;
}

Result<nlohmann::json> config_object(std::string_view config_json) {
  if (config_json.empty()) return nlohmann::json::object();
  nlohmann::json config = detail::parse_json(config_json);
  if (!config.is_object()) {
    return Error{Errc::invalid_argument, "the consumer config must be a JSON object"};
  }
  return config;
}

}  // namespace

Result<std::string> pull_subscribe_config(std::string_view config_json, std::string_view subject,
                                          std::string_view durable, std::string_view fresh_name) {
  if (Error e = validate_subscribe_subject(subject)) return Error{e.code, "subject: " + e.message};
  const std::string_view name = durable.empty() ? fresh_name : durable;
  if (Error e = validate_consumer_name(name)) return e;
  auto config = config_object(config_json);
  if (!config) return config.error();
  // The subject is the filter, unless several filters are named.
  if (unset(*config, "filter_subjects")) (*config)["filter_subject"] = std::string(subject);
  (*config)["name"] = std::string(name);
  if (!durable.empty()) (*config)["durable_name"] = std::string(durable);
  return config->dump();
}

Result<std::string> push_subscribe_name(std::string_view queue, std::string_view durable) {
  if (!queue.empty() && !durable.empty() && queue != durable) {
    return Error{Errc::illegal_state, "cannot create queue subscription '" + std::string(queue) +
                                          "' to consumer '" + std::string(durable) + "'"};
  }
  return std::string(queue.empty() ? durable : queue);
}

Result<std::string> push_subscribe_config(std::string_view config_json, const PushSubscribe &r) {
  if (Error e = validate_subscribe_subject(r.subject))
    return Error{e.code, "subject: " + e.message};
  if (!r.queue.empty()) {
    if (Error e = validate_queue(r.queue)) return Error{e.code, "queue: " + e.message};
  }
  if (Error e = validate_publish_subject(r.inbox)) return Error{e.code, "inbox: " + e.message};
  if (r.idle_heartbeat.count() < 0 || r.inactive_threshold.count() < 0) {
    return Error{Errc::invalid_argument, "idle_heartbeat and inactive_threshold must be >= 0"};
  }
  auto parsed = config_object(config_json);
  if (!parsed) return parsed.error();
  nlohmann::json &config = *parsed;
  if (unset(config, "durable_name") && !r.name.empty()) config["durable_name"] = r.name;
  if (unset(config, "deliver_group") && !r.queue.empty()) config["deliver_group"] = r.queue;
  if (unset(config, "headers_only") && r.headers_only) config["headers_only"] = *r.headers_only;
  // deliver_policy defaults to "all", so only one the caller names replaces it.
  if (r.deliver_policy) config["deliver_policy"] = std::string(to_string(*r.deliver_policy));
  if (r.inactive_threshold.count() > 0) config["inactive_threshold"] = r.inactive_threshold.count();
  // A push consumer needs somewhere to deliver: a fresh inbox by default.
  auto deliver = config.find("deliver_subject");
  if (deliver == config.end() || deliver->is_null()) config["deliver_subject"] = r.inbox;
  // The subscribe subject is the filter, unless several filters are named.
  if (unset(config, "filter_subjects")) config["filter_subject"] = r.subject;
  config["flow_control"] = r.flow_control;
  if (r.idle_heartbeat.count() > 0) config["idle_heartbeat"] = r.idle_heartbeat.count();
  return config.dump();
}

}  // namespace nats::js
