#pragma once
/// NATS micro services (the "Service API", io.nats.micro.v1): every rule of
/// the protocol in one place, with no I/O. A host subscribes to the subjects
/// a Service names, hands endpoint requests to its handlers, and publishes
/// what the Service builds:
///
///   auto svc = micro::Service::create(config, nuid, unix_ns);
///   svc->add_endpoint({.name = "echo"});      // subject "echo", queue "q"
///   for (auto &d : svc->discovery())         // $SRV.PING, $SRV.PING.<name> ...
///     host.subscribe(d.subject, no queue) → reply with svc->ping_json() ...
///   endpoint request done                    → svc->record(i, elapsed_ns, error)
///   handler failed                           → headers micro::error_headers(code, text)
///
/// Streamed replies (our convention on top of requestMany's sentinel): each
/// chunk is one reply with a non-empty payload, an empty reply ends the
/// stream, and an error reply (error headers, empty payload) ends it with
/// that error. classify_reply() reads a reply the same way in every host.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nats/error.hpp"
#include "nats/headers.hpp"

namespace nats::micro {

/// Header names of a service error reply.
inline constexpr std::string_view kErrorHeader = "Nats-Service-Error";
inline constexpr std::string_view kErrorCodeHeader = "Nats-Service-Error-Code";
/// The queue group endpoints use unless configured otherwise.
inline constexpr std::string_view kDefaultQueueGroup = "q";
/// The discovery subjects' prefix.
inline constexpr std::string_view kApiPrefix = "$SRV";

using Metadata = std::map<std::string, std::string>;

/// The discovery requests a service answers.
enum class Verb : std::uint8_t { ping, info, stats };
/// "PING", "INFO", "STATS".
std::string_view verb_name(Verb verb);
/// "io.nats.micro.v1.ping_response" ...
std::string_view response_type(Verb verb);

struct ServiceConfig {
  std::string name;         ///< letters, digits, '-' and '_'
  std::string version;      ///< semantic version (semver.org 2.0)
  std::string description;  ///< optional
  Metadata metadata;
  /// The queue group of endpoints that set none (nullopt: "q"; "": none,
  /// every instance gets every request, as in nats.js).
  std::optional<std::string> queue_group;
};

struct EndpointConfig {
  std::string name;  ///< letters, digits, '-' and '_'
  /// Defaults to the name; a group's prefix is put in front of either.
  std::string subject;
  /// nullopt or "": the group's, else the service's.
  std::optional<std::string> queue_group;
  Metadata metadata;
};

/// A group: a subject prefix (and queue group) for the endpoints added to it.
struct Group {
  std::string prefix;                      ///< "" for the service itself
  std::optional<std::string> queue_group;  ///< nullopt: inherited
};

/// One endpoint as discovery reports it.
struct Endpoint {
  std::string name;
  std::string subject;
  std::string queue_group;  ///< "" when queueing is off
  Metadata metadata;
  std::uint64_t num_requests = 0;
  std::uint64_t num_errors = 0;
  std::string last_error;             ///< "" or "<code>:<description>"
  std::uint64_t processing_time = 0;  ///< nanoseconds, all requests
};

/// One discovery subscription: subscribe to `subject` without a queue group.
struct Discovery {
  Verb verb;
  std::string subject;
};

/// An error a service replied with.
struct ServiceError {
  std::string code;  ///< e.g. "500" (a string on the wire)
  std::string description;
};

/// What a reply to a request (or one of a stream) is.
struct Reply {
  enum class Kind : std::uint8_t { data, end, error } kind = Kind::data;
  ServiceError error;  ///< kind error
};

class Service {
public:
  /// Checks the config. `id` is the instance id (a nuid); `started_unix_ns`
  /// the wall-clock start (the host owns clocks).
  static Result<Service> create(ServiceConfig config, std::string id, std::int64_t started_unix_ns);

  /// A group under `parent` (the service: Group{}): its name is one or more
  /// subject tokens ('*' allowed, '>' not: endpoints follow).
  static Result<Group> add_group(const Group &parent, std::string_view name,
                                 std::optional<std::string> queue_group);
  /// Adds an endpoint in `group`; returns its index.
  Result<std::size_t> add_endpoint(EndpointConfig config, const Group &group = {});

  /// The nine discovery subscriptions ($SRV.<VERB>, .<name>, .<name>.<id>).
  std::vector<Discovery> discovery() const;
  /// The reply to a discovery request of `verb`; for stats, `data` may hold
  /// one JSON text per endpoint (the stats handler's; "" for none).
  std::string reply_json(Verb verb, const std::vector<std::string> *data = nullptr) const;
  std::string ping_json() const { return reply_json(Verb::ping); }
  std::string info_json() const { return reply_json(Verb::info); }
  std::string stats_json(const std::vector<std::string> *data = nullptr) const {
    return reply_json(Verb::stats, data);
  }

  /// One request of endpoint `index` finished after `elapsed_ns`; with an
  /// error when it was answered with one, raised or replied (num_errors,
  /// last_error "<code>:<description>", as nats.go counts).
  Error record(std::size_t index, std::uint64_t elapsed_ns, const ServiceError *error = nullptr);
  /// Zeroes every endpoint's counters; `started` becomes now (nats.js).
  void reset(std::int64_t now_unix_ns);

  const ServiceConfig &config() const { return config_; }
  const std::string &id() const { return id_; }
  /// RFC 3339 in UTC with milliseconds, e.g. "2026-11-28T12:00:00.001Z".
  const std::string &started() const { return started_; }
  const std::vector<Endpoint> &endpoints() const { return endpoints_; }

private:
  Service() = default;
  ServiceConfig config_;
  std::string id_;
  std::string started_;
  std::vector<Endpoint> endpoints_;
};

/// Headers of an error reply (code must be non-empty; the description may
/// be empty but not span lines: newlines become spaces).
Result<Headers> error_headers(std::string_view code, std::string_view description);
/// Reads a reply: an error when it carries the error headers (or a code),
/// the end of a stream when its payload is empty, else data.
Reply classify_reply(const Headers *headers, std::size_t payload_size);
/// The same from a raw header block ("" when none).
Reply classify_reply(std::string_view raw_headers, std::size_t payload_size);

/// The subject of a discovery request: <prefix>.<VERB>[.<name>[.<id>]]
/// (an id needs a name; both are checked). The prefix is $SRV unless a
/// client asks another (nats.js ServiceClient, nats.py control_subject); it
/// must be a subject without wildcards.
Result<std::string> control_subject(Verb verb, std::string_view name = {}, std::string_view id = {},
                                    std::string_view prefix = kApiPrefix);

/// Checks a service or endpoint name (letters, digits, '-', '_').
Error validate_name(std::string_view what, std::string_view name);
/// Checks a semantic version (semver.org 2.0's grammar).
Error validate_version(std::string_view version);
/// Unix nanoseconds → RFC 3339 UTC with milliseconds, as nats.js and
/// nats.py write `started` (Python before 3.11 cannot read more digits).
std::string rfc3339_millis(std::int64_t unix_ns);

/// Configs from JSON (hosts pass them so): {"name","version","description",
/// "metadata","queue_group"}; metadata values must be strings.
Result<ServiceConfig> service_config_from_json(std::string_view json);
/// {"name","subject","queue_group","metadata"}.
Result<EndpointConfig> endpoint_config_from_json(std::string_view json);

}  // namespace nats::micro
