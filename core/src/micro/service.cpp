// NATS micro services: names, versions, groups, endpoints, discovery
// subjects, stats and error replies (nats/micro/service.hpp). JSON is in
// service_json.cpp.
#include "nats/micro/service.hpp"

#include <array>
#include <utility>

#include "nats/subject.hpp"

namespace nats::micro {
namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// One dot-separated semver identifier: non-empty [0-9A-Za-z-]; a numeric
// one of a pre-release may not have a leading zero.
bool semver_identifier(std::string_view id, bool pre_release) {
  if (id.empty()) return false;
  bool numeric = true;
  for (char c : id) {
    if (!is_alnum(c) && c != '-') return false;
    if (!is_digit(c)) numeric = false;
  }
  return !(pre_release && numeric && id.size() > 1 && id[0] == '0');
}

bool dotted_identifiers(std::string_view s, bool pre_release) {
  std::size_t start = 0;
  for (;;) {
    auto dot = s.find('.', start);
    auto part =
        s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (!semver_identifier(part, pre_release)) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool numeric_part(std::string_view s) {
  if (s.empty() || (s.size() > 1 && s[0] == '0')) return false;
  for (char c : s) {
    if (!is_digit(c)) return false;
  }
  return true;
}

std::string joined(std::string_view prefix, std::string_view subject) {
  if (prefix.empty()) return std::string(subject);
  std::string out(prefix);
  out += '.';
  out += subject;
  return out;
}

// Days since 1970-01-01 → civil date (proleptic Gregorian; the well-known
// era-based conversion).
void civil_from_days(std::int64_t z, std::int64_t &y, unsigned &m, unsigned &d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0);
}

void append_padded(std::string &out, std::uint64_t v, int width) {
  std::array<char, 24> buf{};
  int n = 0;
  do {
    buf[static_cast<std::size_t>(n++)] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  for (int i = n; i < width; ++i) out += '0';
  while (n > 0) out += buf[static_cast<std::size_t>(--n)];
}

}  // namespace

std::string_view verb_name(Verb verb) {
  switch (verb) {
    case Verb::ping: return "PING";
    case Verb::info: return "INFO";
    case Verb::stats: return "STATS";
  }
  return "";
}

std::string_view response_type(Verb verb) {
  switch (verb) {
    case Verb::ping: return "io.nats.micro.v1.ping_response";
    case Verb::info: return "io.nats.micro.v1.info_response";
    case Verb::stats: return "io.nats.micro.v1.stats_response";
  }
  return "";
}

Error validate_name(std::string_view what, std::string_view name) {
  if (name.empty()) return {Errc::invalid_name, std::string(what) + " name is required"};
  for (char c : name) {
    if (!is_alnum(c) && c != '-' && c != '_') {
      return {Errc::invalid_name, std::string(what) + " name '" + std::string(name) +
                                      "' may only hold letters, digits, '-' and '_'"};
    }
  }
  return {};
}

Error validate_version(std::string_view version) {
  auto bad = [&] {
    return Error{Errc::invalid_argument,
                 "version '" + std::string(version) + "' is not a semantic version (x.y.z)"};
  };
  auto rest = version;
  auto plus = rest.find('+');
  if (plus != std::string_view::npos) {
    if (!dotted_identifiers(rest.substr(plus + 1), false)) return bad();
    rest = rest.substr(0, plus);
  }
  auto dash = rest.find('-');
  if (dash != std::string_view::npos) {
    if (!dotted_identifiers(rest.substr(dash + 1), true)) return bad();
    rest = rest.substr(0, dash);
  }
  for (int i = 0; i < 3; ++i) {
    auto dot = rest.find('.');
    if ((i < 2) == (dot == std::string_view::npos)) return bad();
    if (!numeric_part(rest.substr(0, dot))) return bad();
    rest = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
  }
  return {};
}

std::string rfc3339_millis(std::int64_t unix_ns) {
  constexpr std::int64_t kNsPerDay = 86'400'000'000'000;
  std::int64_t days = unix_ns / kNsPerDay;
  std::int64_t in_day = unix_ns % kNsPerDay;
  if (in_day < 0) {
    in_day += kNsPerDay;
    --days;
  }
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  const auto ns = static_cast<std::uint64_t>(in_day);
  std::string out;
  append_padded(out, static_cast<std::uint64_t>(y < 0 ? 0 : y), 4);
  out += '-';
  append_padded(out, m, 2);
  out += '-';
  append_padded(out, d, 2);
  out += 'T';
  append_padded(out, ns / 3'600'000'000'000, 2);
  out += ':';
  append_padded(out, ns / 60'000'000'000 % 60, 2);
  out += ':';
  append_padded(out, ns / 1'000'000'000 % 60, 2);
  out += '.';
  append_padded(out, ns / 1'000'000 % 1000, 3);
  out += 'Z';
  return out;
}

Result<Service> Service::create(ServiceConfig config, std::string id,
                                std::int64_t started_unix_ns) {
  if (auto e = validate_name("service", config.name)) return e;
  if (auto e = validate_version(config.version)) return e;
  // "" at the service turns queueing off (nats.js); anything else must be a queue name.
  if (config.queue_group && !config.queue_group->empty()) {
    if (auto e = validate_queue(*config.queue_group)) return e;
  }
  if (auto e = validate_name("service id", id)) return e;
  Service svc;
  svc.config_ = std::move(config);
  svc.id_ = std::move(id);
  svc.started_ = rfc3339_millis(started_unix_ns);
  return svc;
}

Result<Group> Service::add_group(const Group &parent, std::string_view name,
                                 std::optional<std::string> queue_group) {
  if (name.empty()) return Error{Errc::invalid_name, "group name is required"};
  // A group is a subject prefix: endpoints follow it, so it may not hold '>'.
  if (name.find('>') != std::string_view::npos) {
    return Error{Errc::invalid_name, "group name '" + std::string(name) + "' may not hold '>'"};
  }
  if (auto e = validate_subscribe_subject(name)) {
    return Error{Errc::invalid_name, "group name '" + std::string(name) + "': " + e.message};
  }
  // "" below the service inherits (nats.js and nats.py agree).
  if (queue_group && queue_group->empty()) queue_group.reset();
  if (queue_group) {
    if (auto e = validate_queue(*queue_group)) return e;
  }
  return Group{joined(parent.prefix, name), queue_group ? queue_group : parent.queue_group};
}

Result<std::size_t> Service::add_endpoint(EndpointConfig config, const Group &group) {
  if (auto e = validate_name("endpoint", config.name)) return e;
  std::string subject = joined(group.prefix, config.subject.empty() ? config.name : config.subject);
  if (auto e = validate_subscribe_subject(subject)) return e;
  if (config.queue_group && config.queue_group->empty()) config.queue_group.reset();
  std::string queue = config.queue_group    ? *config.queue_group
                      : group.queue_group   ? *group.queue_group
                      : config_.queue_group ? *config_.queue_group
                                            : std::string(kDefaultQueueGroup);
  if (!queue.empty()) {
    if (auto e = validate_queue(queue)) return e;
  }
  for (const auto &ep : endpoints_) {
    if (ep.name == config.name) {
      return Error{Errc::invalid_argument, "endpoint '" + config.name + "' exists"};
    }
  }
  Endpoint ep;
  ep.name = std::move(config.name);
  ep.subject = std::move(subject);
  ep.queue_group = std::move(queue);
  ep.metadata = std::move(config.metadata);
  endpoints_.push_back(std::move(ep));
  return endpoints_.size() - 1;
}

Result<std::string> control_subject(Verb verb, std::string_view name, std::string_view id,
                                    std::string_view prefix) {
  if (Error e = validate_publish_subject(prefix)) {
    return Error{Errc::invalid_argument, "discovery prefix: " + e.message};
  }
  std::string out = std::string(prefix) + "." + std::string(verb_name(verb));
  if (name.empty()) {
    if (!id.empty()) return Error{Errc::invalid_argument, "a service id needs a service name"};
    return out;
  }
  if (auto e = validate_name("service", name)) return e;
  out += '.';
  out += name;
  if (id.empty()) return out;
  if (auto e = validate_name("service id", id)) return e;
  out += '.';
  out += id;
  return out;
}

std::vector<Discovery> Service::discovery() const {
  std::vector<Discovery> out;
  for (Verb verb : {Verb::ping, Verb::info, Verb::stats}) {
    out.push_back({verb, *control_subject(verb)});
    out.push_back({verb, *control_subject(verb, config_.name)});
    out.push_back({verb, *control_subject(verb, config_.name, id_)});
  }
  return out;
}

Error Service::record(std::size_t index, std::uint64_t elapsed_ns, const ServiceError *error) {
  if (index >= endpoints_.size()) return {Errc::invalid_argument, "no such endpoint"};
  auto &ep = endpoints_[index];
  ++ep.num_requests;
  ep.processing_time += elapsed_ns;
  if (error != nullptr) {
    // As nats.go: an error reply counts, whether the handler raised or
    // answered with respondError; last_error is "<code>:<description>".
    ++ep.num_errors;
    ep.last_error = error->code + ":" + error->description;
  }
  return {};
}

void Service::reset(std::int64_t now_unix_ns) {
  started_ = rfc3339_millis(now_unix_ns);
  for (auto &ep : endpoints_) {
    ep.num_requests = ep.num_errors = ep.processing_time = 0;
    ep.last_error.clear();
  }
}

Result<Headers> error_headers(std::string_view code, std::string_view description) {
  if (code.empty()) return Error{Errc::invalid_argument, "a service error needs a code"};
  std::string text(description);
  for (char &c : text) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  Headers h;
  h.set(std::string(kErrorHeader), std::move(text));
  h.set(std::string(kErrorCodeHeader), std::string(code));
  if (auto e = h.validate()) return e;
  return h;
}

Reply classify_reply(const Headers *headers, std::size_t payload_size) {
  if (headers != nullptr && (headers->has(kErrorCodeHeader) || headers->has(kErrorHeader))) {
    Reply r{Reply::Kind::error,
            {std::string(headers->get(kErrorCodeHeader)), std::string(headers->get(kErrorHeader))}};
    if (r.error.code.empty()) r.error.code = "500";
    return r;
  }
  return {payload_size == 0 ? Reply::Kind::end : Reply::Kind::data, {}};
}

Reply classify_reply(std::string_view raw_headers, std::size_t payload_size) {
  if (raw_headers.empty()) return classify_reply(nullptr, payload_size);
  auto parsed = Headers::parse(raw_headers);
  return classify_reply(parsed.ok() ? &parsed.value() : nullptr, payload_size);
}

}  // namespace nats::micro
