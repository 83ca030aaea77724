#pragma once
/// NATS micro services for C++ (the rules are the core's,
/// nats/micro/service.hpp; this is the plumbing on a native Client):
///
///   auto svc = nats::native::micro::Service::add(*nc, {.name = "calc", .version = "1.0.0"});
///   (*svc)->add_endpoint({.name = "add"}, [](nats::native::micro::Request req) {
///     req.respond("3");
///   });
///   ... (*svc)->stop();
///
/// Handlers run on the client's I/O thread and must not block it; a Request
/// is a handle that may be moved to another thread and answered there. The
/// request counts for the stats when it is answered, or when its last
/// handle goes away unanswered. The Client must outlive its services.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nats/micro/service.hpp"
#include "nats/native/client.hpp"

namespace nats::native::micro {

using nats::micro::EndpointConfig;
using nats::micro::Group;
using nats::micro::ServiceConfig;
using nats::micro::ServiceError;
using nats::micro::Verb;

namespace detail {
struct ServiceCore;
struct RequestState;
}  // namespace detail

/// A request to an endpoint.
class Request {
public:
  const Msg &msg() const;
  std::string_view subject() const { return msg().subject; }
  std::string_view data() const { return msg().data; }
  /// Replies (the first reply ends the request for the stats).
  Error respond(std::string_view data, const Headers *headers = nullptr);
  /// Replies with an error: the Nats-Service-Error(-Code) headers, with
  /// `headers`' own entries kept; counts as an error.
  Error respond_error(std::string_view code, std::string_view description,
                      std::string_view data = {}, const Headers *headers = nullptr);
  /// A chunk of a streamed reply (not empty: an empty reply ends a stream).
  Error send_chunk(std::string_view data);
  /// Ends a streamed reply (an empty reply).
  Error end_stream();

private:
  friend struct detail::ServiceCore;
  explicit Request(std::shared_ptr<detail::RequestState> state) : state_(std::move(state)) {}
  Error reply(std::string_view data, const Headers *headers, const ServiceError *error, bool ends);
  std::shared_ptr<detail::RequestState> state_;
};

using Handler = std::function<void(Request)>;

class Service {
public:
  /// Starts a service on `nc`: checks the config and subscribes to discovery.
  static Result<std::shared_ptr<Service>> add(Client &nc, ServiceConfig config);
  ~Service();
  Service(const Service &) = delete;
  Service &operator=(const Service &) = delete;

  /// A group under `parent` (a subject prefix and queue group).
  static Result<Group> add_group(std::string_view name, std::optional<std::string> queue = {},
                                 const Group &parent = {});
  /// Adds an endpoint in `group`; `handler` runs on the I/O thread.
  Error add_endpoint(EndpointConfig config, Handler handler, const Group &group = {});

  std::string id() const;
  /// The discovery replies (JSON).
  std::string ping_json() const;
  std::string info_json() const;
  std::string stats_json() const;
  /// Zeroes the stats; `started` becomes now.
  void reset();
  /// Stops taking requests (the subscriptions drain), then waits for the
  /// requests already received to be answered (or dropped), up to timeout.
  /// Not from a handler (illegal_state): the I/O thread would wait for itself.
  Error stop(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  bool is_stopped() const;

private:
  explicit Service(std::shared_ptr<detail::ServiceCore> core) : core_(std::move(core)) {}
  std::shared_ptr<detail::ServiceCore> core_;
};

/// Calls an endpoint that streams its reply: the chunks in order, up to the
/// empty end. An error reply ends the stream: it comes back in `error`
/// with the chunks before it. A stream not ended within `timeout` is
/// Errc::timeout; nobody serving is Errc::no_responders.
struct StreamResult {
  std::vector<Msg> chunks;
  std::optional<ServiceError> error;
};
Result<StreamResult> request_stream(Client &nc, std::string_view subject, std::string_view data,
                                    std::chrono::milliseconds timeout = std::chrono::seconds(30),
                                    const Headers *headers = nullptr);

/// Discovery: the replies (JSON texts) of every service, those named, or
/// one instance, collected until none came for 300 ms (at most max_wait).
Result<std::vector<std::string>> discover(
    Client &nc, Verb verb, std::string_view name = {}, std::string_view id = {},
    std::chrono::milliseconds max_wait = std::chrono::seconds(2));

}  // namespace nats::native::micro
