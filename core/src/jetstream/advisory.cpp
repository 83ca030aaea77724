// The kind of a JetStream advisory, read from its "type"
// ("io.nats.jetstream.advisory.v1.<kind>").
#include "nats/jetstream/advisory.hpp"

#include <nlohmann/json.hpp>
#include "../json_parse.hpp"

namespace nats::js {

Result<std::string> advisory_kind(std::string_view text) {
  const auto j = nats::detail::parse_json(text);
  const auto type = j.is_object() ? j.find("type") : j.end();
  if (!j.is_object() || type == j.end() || !type->is_string()) {
    return Error{Errc::protocol_error, "not a JetStream advisory (no \"type\")"};
  }
  const auto &t = type->get_ref<const std::string &>();
  const auto dot = t.rfind('.');
  std::string kind = dot == std::string::npos ? t : t.substr(dot + 1);
  if (kind.empty()) return Error{Errc::protocol_error, "not a JetStream advisory (empty type)"};
  return kind;
}

}  // namespace nats::js
