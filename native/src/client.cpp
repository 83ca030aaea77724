// The blocking C++ API over the I/O thread (client_impl.hpp).
#include "nats/native/client.hpp"

#include <random>

#include "client_impl.hpp"
#include "tls.hpp"

namespace nats::native {

using std::chrono::milliseconds;

namespace {

using detail::blocked_on_io_thread;
using detail::kSlack;

}  // namespace

Result<std::unique_ptr<Client>> Client::connect(std::string_view url, Options options) {
  options.servers = {std::string(url)};
  return connect(std::move(options));
}

Result<std::unique_ptr<Client>> Client::connect(Options options) {
  options.schemes = {"nats", "tls", "ws", "wss"};
  options.default_scheme = "nats";
  if (Error e = validate_options(options)) return e;
  auto tls = detail::make_tls_context(options.tls);
  if (!tls) return tls.error();
  milliseconds timeout =
      options.connect_timeout.count() > 0 ? options.connect_timeout : milliseconds(10000);
  if (options.seed[0] == 0 && options.seed[1] == 0) {
    std::random_device rd;
    options.seed[0] = (std::uint64_t{rd()} << 32) ^ rd();
    options.seed[1] = (std::uint64_t{rd()} << 32) ^ rd();
  }
  const bool keep_trying = options.wait_on_first_connect;
  auto impl = std::make_shared<detail::ClientImpl>(std::move(options), std::move(*tls));
  std::unique_ptr<Client> client(new Client(impl));
  impl->start();
  std::unique_lock lock(impl->mu);
  auto settled = [&] { return impl->connected || impl->engine.state() == State::closed; };
  bool done = true;
  if (keep_trying) {
    // The engine tries until a server answers or its attempts run out (then
    // it closes), as nats.js's connect() does: no deadline here.
    impl->cv.wait(lock, settled);
  } else {
    // A safety net only: the engine times each attempt out itself.
    done = impl->cv.wait_for(lock, timeout + milliseconds(500), settled);
  }
  if (impl->connected) return client;
  Error why = impl->engine.last_error();
  if (!done || !why) why = {Errc::timeout, "connect timed out"};
  lock.unlock();
  return why;  // ~Client closes and joins
}

Client::~Client() {
  close();
  if (impl_->on_io_thread()) {
    // Destroyed from one of its own callbacks: the I/O thread cannot join
    // itself. It holds its own reference and ends once the socket is closed.
    impl_->work.reset();
    impl_->thread.detach();
    return;
  }
  std::unique_lock lock(impl_->mu);
  // Let a close frame and pending output go out, then stop the loop.
  impl_->cv.wait_for(lock, milliseconds(3000), [&] { return impl_->transport_closed; });
  impl_->work.reset();
  bool finished = impl_->cv.wait_for(lock, milliseconds(2500), [&] { return impl_->io_done; });
  lock.unlock();
  if (!finished) impl_->io.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

std::size_t Client::pending_output_bytes() const {
  std::lock_guard lock(impl_->mu);
  return impl_->outbound_bytes();
}

Error Client::publish(std::string_view subject, std::string_view data, std::string_view reply,
                      const Headers *headers) {
  Error e;
  {
    std::lock_guard lock(impl_->mu);
    e = headers ? impl_->engine.publish(subject, data, reply, *headers)
                : impl_->engine.publish(subject, data, reply);
  }
  if (e) return e;
  impl_->kick();
  // Backpressure: a publishing thread waits while more than the high-water
  // mark waits to go out (the I/O thread's own callbacks cannot wait).
  if (!impl_->on_io_thread()) {
    std::unique_lock lock(impl_->mu);
    impl_->cv.wait(lock, [&] {
      return impl_->outbound_bytes() <= detail::kOutputHighWater ||
             impl_->engine.state() != State::connected || !impl_->transport_up;
    });
  }
  return {};
}

Result<std::shared_ptr<Subscription>> Client::subscribe_impl(
    const std::shared_ptr<detail::ClientImpl> &impl, std::string_view subject,
    std::string_view queue, std::uint64_t max, std::function<void(const Msg &)> callback) {
  auto state = std::make_shared<detail::SubState>();
  state->callback = std::move(callback);
  std::uint64_t sid = 0;
  {
    std::lock_guard lock(impl->mu);
    auto r = impl->engine.subscribe(subject, queue, max);
    if (!r) return r.error();
    sid = *r;
    // A queue the user drains is bounded; a callback consumes as it goes.
    if (!state->callback) impl->engine.set_pending_limits(sid, kDefaultPendingLimits);
    impl->subs.emplace(sid, state);
  }
  impl->kick();
  return std::shared_ptr<Subscription>(new Subscription(impl, state, sid));
}

Result<std::shared_ptr<Subscription>> Client::subscribe(std::string_view subject,
                                                        std::string_view queue, std::uint64_t max) {
  return subscribe_impl(impl_, subject, queue, max, nullptr);
}

Result<std::shared_ptr<Subscription>> Client::subscribe(std::string_view subject,
                                                        std::function<void(const Msg &)> callback,
                                                        std::string_view queue, std::uint64_t max) {
  if (!callback) return Error{Errc::invalid_argument, "callback is empty"};
  return subscribe_impl(impl_, subject, queue, max, std::move(callback));
}

Result<Msg> Client::request(std::string_view subject, std::string_view data, milliseconds timeout,
                            const Headers *headers) {
  if (impl_->on_io_thread()) return blocked_on_io_thread();
  auto w = std::make_shared<detail::Waiter>();
  std::uint64_t id = 0;
  {
    std::lock_guard lock(impl_->mu);
    auto r = headers ? impl_->engine.request(subject, data, detail::now_ms(), timeout, *headers)
                     : impl_->engine.request(subject, data, detail::now_ms(), timeout,
                                             std::string_view{});
    if (!r) return r.error();
    id = *r;
    impl_->requests.emplace(id, w);
  }
  impl_->kick();
  std::unique_lock lock(impl_->mu);
  bool settled =
      impl_->cv.wait_for(lock, timeout + kSlack, [&] { return w->done || !w->msgs.empty(); });
  impl_->requests.erase(id);
  if (!settled) {
    impl_->engine.cancel_request(id);
    return Error{Errc::timeout, "request timed out"};
  }
  if (!w->msgs.empty()) return std::move(w->msgs.front());
  return w->error;
}

Result<std::vector<Msg>> Client::request_many(std::string_view subject, std::string_view data,
                                              const RequestManyOptions &options,
                                              const Headers *headers) {
  if (impl_->on_io_thread()) return blocked_on_io_thread();
  auto w = std::make_shared<detail::Waiter>();
  std::uint64_t id = 0;
  {
    std::lock_guard lock(impl_->mu);
    auto r = impl_->engine.request_many(subject, data, detail::now_ms(), options, headers);
    if (!r) return r.error();
    id = *r;
    impl_->requests.emplace(id, w);
  }
  impl_->kick();
  std::unique_lock lock(impl_->mu);
  if (!impl_->cv.wait_for(lock, options.max_wait + kSlack, [&] { return w->done; })) {
    impl_->engine.cancel_request(id);
    impl_->requests.erase(id);
  }
  if (w->error) return w->error;
  return std::move(w->msgs);
}

Error Client::flush(milliseconds timeout) {
  if (impl_->on_io_thread()) return blocked_on_io_thread();
  auto w = std::make_shared<detail::Waiter>();
  {
    std::lock_guard lock(impl_->mu);
    auto r = impl_->engine.flush(detail::now_ms(), timeout);
    if (!r) return r.error();
    impl_->flushes.emplace(*r, w);
  }
  impl_->kick();
  std::unique_lock lock(impl_->mu);
  if (!impl_->cv.wait_for(lock, timeout + kSlack, [&] { return w->done; })) {
    return {Errc::timeout, "flush timed out"};
  }
  return w->error;
}

Error Client::drain(milliseconds timeout) {
  if (impl_->on_io_thread()) return blocked_on_io_thread();
  {
    std::lock_guard lock(impl_->mu);
    if (Error e = impl_->engine.drain()) return e;
  }
  impl_->kick();
  std::unique_lock lock(impl_->mu);
  // Closed, and the callbacks of what came before the close have run.
  const auto drained = [&] {
    return impl_->engine.state() == State::closed && impl_->closed_callbacks_run;
  };
  if (!impl_->cv.wait_for(lock, timeout, drained)) {
    lock.unlock();
    close();
    return {Errc::timeout, "drain timed out; closed"};
  }
  return impl_->engine.last_error();
}

void Client::close() {
  impl_->close_called = true;
  {
    std::lock_guard lock(impl_->mu);
    impl_->engine.close();
  }
  impl_->kick();
}

Error Client::reconnect() {
  Error e;
  {
    std::lock_guard lock(impl_->mu);
    e = impl_->engine.reconnect(detail::now_ms());
  }
  impl_->kick();
  return e;
}

void Client::on_status(std::function<void(const Status &)> callback) {
  std::lock_guard lock(impl_->mu);
  impl_->status_callback =
      std::make_shared<std::function<void(const Status &)>>(std::move(callback));
}

bool Client::is_reconnecting() const {
  std::lock_guard lock(impl_->mu);
  const State s = impl_->engine.state();
  return impl_->connected && s != State::connected && s != State::draining && s != State::closed;
}

bool Client::is_connected() const {
  std::lock_guard lock(impl_->mu);
  return impl_->engine.state() == State::connected;
}

std::vector<std::string> Client::servers() const {
  std::lock_guard lock(impl_->mu);
  std::vector<std::string> out;
  for (const auto &s : impl_->engine.servers()) out.push_back(s.url.str());
  return out;
}

bool Client::is_closed() const {
  std::lock_guard lock(impl_->mu);
  return impl_->engine.state() == State::closed;
}

Error Client::last_error() const {
  std::lock_guard lock(impl_->mu);
  return impl_->engine.last_error();
}

ServerInfo Client::info() const {
  std::lock_guard lock(impl_->mu);
  return impl_->engine.info();
}

Stats Client::stats() const {
  std::lock_guard lock(impl_->mu);
  return impl_->engine.stats();
}

std::size_t Client::pending_requests() const {
  std::lock_guard lock(impl_->mu);
  return impl_->engine.pending_requests();
}

std::string Client::new_inbox() {
  std::lock_guard lock(impl_->mu);
  return impl_->engine.new_inbox();
}

std::string Client::new_nuid() {
  std::lock_guard lock(impl_->mu);
  return impl_->engine.new_nuid();
}

Error Client::set_servers(const std::vector<std::string> &urls) {
  std::lock_guard lock(impl_->mu);
  return impl_->engine.set_servers(urls);
}

bool Client::on_io_thread() const { return impl_->on_io_thread(); }

}  // namespace nats::native
