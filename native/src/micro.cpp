// Micro services on a native Client: subscriptions, handlers and replies.
// Every rule (names, subjects, discovery JSON, stats, error headers, the
// stream convention) is the core's (core/src/micro/).
#include "nats/native/micro.hpp"

#include <condition_variable>
#include <mutex>

namespace nats::native::micro {

using Clock = std::chrono::steady_clock;

namespace {

std::int64_t unix_ns_now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

namespace detail {

struct EndpointState {
  std::size_t index = 0;
  Handler handler;
  std::shared_ptr<Subscription> sub;
  std::uint64_t handled = 0;  ///< callbacks finished (compared with sub->delivered())
};

struct ServiceCore : std::enable_shared_from_this<ServiceCore> {
  Client *nc = nullptr;
  mutable std::mutex mu;
  std::condition_variable cv;
  nats::micro::Service svc;
  std::vector<std::shared_ptr<EndpointState>> endpoints;
  std::vector<std::shared_ptr<Subscription>> discovery;
  std::uint64_t in_flight = 0;  ///< requests not yet answered or dropped
  bool stopped = false;

  explicit ServiceCore(nats::micro::Service s) : svc(std::move(s)) {}

  void serve(const std::shared_ptr<EndpointState> &ep, const Msg &msg);
  void record(std::size_t index, Clock::time_point start, const ServiceError *error) {
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start);
    std::lock_guard lock(mu);
    (void)svc.record(index, static_cast<std::uint64_t>(ns.count()), error);
    --in_flight;
    cv.notify_all();
  }
};

struct RequestState {
  std::shared_ptr<ServiceCore> core;
  std::size_t index = 0;
  Msg msg;
  Clock::time_point start;
  std::mutex mu;
  bool done = false;  ///< counted in the stats

  // A request dropped unanswered still counts (num_requests, time).
  ~RequestState() {
    if (!done) core->record(index, start, nullptr);
  }
};

void ServiceCore::serve(const std::shared_ptr<EndpointState> &ep, const Msg &msg) {
  {
    std::lock_guard lock(mu);
    ++in_flight;
  }
  auto state = std::make_shared<RequestState>();
  state->core = shared_from_this();
  state->index = ep->index;
  state->msg = msg;
  state->start = Clock::now();
  // A handler that throws gets an error reply, never a lost request: the
  // copy kept here outlives the handler's own.
  Request keep(state);
  state.reset();
  std::string failure;
  try {
    ep->handler(keep);
  } catch (const std::exception &e) {
    failure = e.what();
  } catch (...) {
    failure = "the handler threw";
  }
  if (!failure.empty()) (void)keep.respond_error("500", failure);
  {
    std::lock_guard lock(mu);
    ++ep->handled;
  }
  cv.notify_all();
}

}  // namespace detail

const Msg &Request::msg() const { return state_->msg; }

Error Request::reply(std::string_view data, const Headers *headers, const ServiceError *error,
                     bool ends) {
  auto &st = *state_;
  // Held across the publish: two threads answering one request send one
  // answer, and a chunk cannot follow the end of its stream.
  std::lock_guard lock(st.mu);
  if (st.done) return {Errc::illegal_state, "the request was answered already"};
  Error e = st.msg.reply.empty() ? Error{} : st.core->nc->publish(st.msg.reply, data, {}, headers);
  if (ends) {
    st.done = true;
    st.core->record(st.index, st.start, error);
  }
  return e;
}

Error Request::respond(std::string_view data, const Headers *headers) {
  return reply(data, headers, nullptr, true);
}

Error Request::respond_error(std::string_view code, std::string_view description,
                             std::string_view data, const Headers *headers) {
  auto h = nats::micro::error_headers(code, description);
  if (!h) return h.error();
  if (headers != nullptr) {
    for (const auto &[k, v] : headers->entries()) {
      if (!h->has(k)) h->append(k, v);
    }
  }
  ServiceError err{std::string(code), std::string(description)};
  return reply(data, &*h, &err, true);
}

Error Request::send_chunk(std::string_view data) {
  if (data.empty()) {
    return {Errc::invalid_argument,
            "a stream chunk may not be empty: an empty reply ends the stream"};
  }
  return reply(data, nullptr, nullptr, false);
}

Error Request::end_stream() { return reply({}, nullptr, nullptr, true); }

Result<std::shared_ptr<Service>> Service::add(Client &nc, ServiceConfig config) {
  auto svc = nats::micro::Service::create(std::move(config), nc.new_nuid(), unix_ns_now());
  if (!svc) return svc.error();
  auto core = std::make_shared<detail::ServiceCore>(std::move(*svc));
  core->nc = &nc;
  std::weak_ptr<detail::ServiceCore> weak = core;
  for (const auto &d : core->svc.discovery()) {
    auto sub = nc.subscribe(d.subject, [weak, verb = d.verb](const Msg &m) {
      auto c = weak.lock();
      if (!c || m.reply.empty()) return;
      std::string json;
      {
        std::lock_guard lock(c->mu);
        json = c->svc.reply_json(verb);
      }
      (void)c->nc->publish(m.reply, json);
    });
    if (!sub) {
      for (auto &made : core->discovery) (void)made->unsubscribe();
      return sub.error();
    }
    core->discovery.push_back(*sub);
  }
  if (auto e = nc.flush()) {
    for (auto &made : core->discovery) (void)made->unsubscribe();
    return e;
  }
  return std::shared_ptr<Service>(new Service(std::move(core)));
}

Service::~Service() {
  // Unsubscribe what is left so no callback outlives the handle's owner.
  for (auto &s : core_->discovery) (void)s->unsubscribe();
  for (auto &ep : core_->endpoints) (void)ep->sub->unsubscribe();
}

Result<Group> Service::add_group(std::string_view name, std::optional<std::string> queue,
                                 const Group &parent) {
  return nats::micro::Service::add_group(parent, name, std::move(queue));
}

Error Service::add_endpoint(EndpointConfig config, Handler handler, const Group &group) {
  if (!handler) return {Errc::invalid_argument, "handler is empty"};
  auto ep = std::make_shared<detail::EndpointState>();
  std::string subject, queue;
  {
    std::lock_guard lock(core_->mu);
    if (core_->stopped) return {Errc::illegal_state, "the service is stopped"};
    auto index = core_->svc.add_endpoint(std::move(config), group);
    if (!index) return index.error();
    ep->index = *index;
    subject = core_->svc.endpoints()[*index].subject;
    queue = core_->svc.endpoints()[*index].queue_group;
  }
  ep->handler = std::move(handler);
  std::weak_ptr<detail::ServiceCore> weak = core_;
  std::weak_ptr<detail::EndpointState> weak_ep = ep;
  auto sub = core_->nc->subscribe(
      subject,
      [weak, weak_ep](const Msg &m) {
        auto c = weak.lock();
        auto e = weak_ep.lock();
        if (c && e) c->serve(e, m);
      },
      queue);
  if (!sub) return sub.error();
  ep->sub = *sub;
  {
    std::lock_guard lock(core_->mu);
    if (core_->stopped) {  // stop() ran meanwhile: this endpoint never serves
      (void)ep->sub->unsubscribe();
      return {Errc::illegal_state, "the service is stopped"};
    }
    core_->endpoints.push_back(ep);
  }
  return core_->nc->flush();
}

std::string Service::id() const { return core_->svc.id(); }

std::string Service::ping_json() const {
  std::lock_guard lock(core_->mu);
  return core_->svc.ping_json();
}
std::string Service::info_json() const {
  std::lock_guard lock(core_->mu);
  return core_->svc.info_json();
}
std::string Service::stats_json() const {
  std::lock_guard lock(core_->mu);
  return core_->svc.stats_json();
}

void Service::reset() {
  std::lock_guard lock(core_->mu);
  core_->svc.reset(unix_ns_now());
}

bool Service::is_stopped() const {
  std::lock_guard lock(core_->mu);
  return core_->stopped;
}

Error Service::stop(std::chrono::milliseconds timeout) {
  // From a handler (the I/O thread) the wait below could never end.
  if (core_->nc->on_io_thread()) {
    return {Errc::illegal_state, "stop() from a handler: call it from another thread"};
  }
  const auto deadline = Clock::now() + timeout;
  std::vector<std::shared_ptr<Subscription>> subs;
  {
    std::lock_guard lock(core_->mu);
    core_->stopped = true;
    subs = core_->discovery;
    for (auto &ep : core_->endpoints) subs.push_back(ep->sub);
  }
  for (auto &s : subs) (void)s->drain();
  for (auto &s : subs) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (!s->wait_closed(std::max(left, std::chrono::milliseconds(0)))) {
      return {Errc::timeout, "the service's subscriptions did not drain in time"};
    }
  }
  // Every delivered request has run its handler and been answered (or dropped).
  std::unique_lock lock(core_->mu);
  bool done = core_->cv.wait_until(lock, deadline, [&] {
    for (auto &ep : core_->endpoints) {
      if (ep->handled != ep->sub->delivered()) return false;
    }
    return core_->in_flight == 0;
  });
  return done ? Error{} : Error{Errc::timeout, "requests still unanswered when stop timed out"};
}

Result<StreamResult> request_stream(Client &nc, std::string_view subject, std::string_view data,
                                    std::chrono::milliseconds timeout, const Headers *headers) {
  RequestManyOptions opts;
  opts.strategy = ReplyStrategy::sentinel;
  opts.max_wait = Duration{timeout.count()};
  auto replies = nc.request_many(subject, data, opts, headers);
  if (!replies) return replies.error();
  StreamResult out;
  for (auto &m : *replies) {
    auto r = nats::micro::classify_reply(m.headers_raw, m.data.size());
    if (r.kind == nats::micro::Reply::Kind::end) return out;
    if (r.kind == nats::micro::Reply::Kind::error) {
      out.error = std::move(r.error);
      return out;
    }
    out.chunks.push_back(std::move(m));
  }
  return Error{Errc::timeout, "the stream from '" + std::string(subject) + "' did not end in time"};
}

Result<std::vector<std::string>> discover(Client &nc, Verb verb, std::string_view name,
                                          std::string_view id, std::chrono::milliseconds max_wait) {
  auto subject = nats::micro::control_subject(verb, name, id);
  if (!subject) return subject.error();
  RequestManyOptions opts;
  opts.strategy = ReplyStrategy::stall;
  opts.max_wait = Duration{max_wait.count()};
  auto replies = nc.request_many(*subject, {}, opts);
  if (!replies) return replies.error();
  std::vector<std::string> out;
  for (auto &m : *replies) out.push_back(std::move(m.data));
  return out;
}

}  // namespace nats::native::micro
