#include "nats/native/client.hpp"

#include <array>
#include <atomic>
#include <charconv>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "nats/native/url.hpp"
#include "transport.hpp"

namespace nats::native {

namespace asio = boost::asio;
using std::chrono::milliseconds;

Result<Headers> Msg::headers() const {
  if (headers_raw.empty()) return Headers{};
  return Headers::parse(headers_raw);
}

Result<Url> parse_url(std::string_view text) {
  Url url;
  std::string_view rest = text;
  std::uint16_t default_port = 4222;
  if (auto pos = rest.find("://"); pos != std::string_view::npos) {
    std::string_view scheme = rest.substr(0, pos);
    rest.remove_prefix(pos + 3);
    if (scheme == "ws") {
      url.websocket = true;
      default_port = 80;
    } else if (scheme != "nats" && scheme != "tcp") {
      return Error{Errc::invalid_argument,
                   "unsupported URL scheme '" + std::string(scheme) + "' (nats, tcp or ws)"};
    }
  }
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    url.path = std::string(rest.substr(slash));
    rest = rest.substr(0, slash);
  }
  url.port = default_port;
  if (auto colon = rest.rfind(':'); colon != std::string_view::npos) {
    std::string_view port = rest.substr(colon + 1);
    unsigned value = 0;
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || p != port.data() + port.size() || value == 0 || value > 65535) {
      return Error{Errc::invalid_argument, "invalid port in URL '" + std::string(text) + "'"};
    }
    url.port = static_cast<std::uint16_t>(value);
    rest = rest.substr(0, colon);
  }
  if (rest.empty()) {
    return Error{Errc::invalid_argument, "no host in URL '" + std::string(text) + "'"};
  }
  url.host = std::string(rest);
  return url;
}

namespace detail {
namespace {

Time now_ms() {
  return std::chrono::duration_cast<milliseconds>(
      std::chrono::steady_clock::now().time_since_epoch());
}

Msg to_msg(const Message &m) {
  return Msg{std::string(m.subject), std::string(m.reply), std::string(m.headers),
             std::string(m.payload), m.sid};
}

}  // namespace

struct SubState {
  std::deque<Msg> queue;
  std::function<void(const Msg &)> callback;
  bool closed = false;
  Error reason;
  std::uint64_t delivered = 0;
};

// A request or flush waiting for its event.
struct Waiter {
  bool done = false;
  Error error;
  Msg msg;
};

struct ClientImpl {
  explicit ClientImpl(Options options) : engine(std::move(options)) {}

  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
  asio::steady_timer timer{io};
  std::unique_ptr<Transport> transport;
  std::thread thread;
  std::thread::id io_thread_id;

  mutable std::mutex mu;
  std::condition_variable cv;  // any waiter: connect, request, flush, next_msg, close
  Engine engine;
  bool connected = false;
  bool transport_closed = false;
  bool io_done = false;
  Error connect_error;
  bool writing = false;
  std::string write_buf;
  std::atomic<bool> kick_posted{false};
  std::atomic<std::uint64_t> callback_errors{0};
  std::array<char, 64 * 1024> read_buf{};
  std::optional<Time> armed;
  std::unordered_map<std::uint64_t, std::shared_ptr<SubState>> subs;
  std::unordered_map<std::uint64_t, std::shared_ptr<Waiter>> requests;
  std::unordered_map<std::uint64_t, std::shared_ptr<Waiter>> flushes;

  bool on_io_thread() const { return std::this_thread::get_id() == io_thread_id; }

  // Any thread: make the I/O thread write output and re-arm its timer.
  void kick() {
    if (!kick_posted.exchange(true)) {
      asio::post(io, [this] {
        kick_posted = false;
        pump();
      });
    }
  }

  void start_read() {
    transport->async_read_some(read_buf, [this](ErrorCode ec, std::size_t n) {
      {
        std::lock_guard lock(mu);
        if (ec) {
          engine.receive_eof();
        } else {
          engine.receive({read_buf.data(), n});
        }
      }
      pump();
      std::lock_guard lock(mu);
      if (!ec && engine.state() != State::closed) start_read();
    });
  }

  // I/O thread: hand out events, start a write, arm the timer, close the
  // socket once the engine is closed and everything is written.
  void pump() {
    std::vector<std::pair<std::shared_ptr<SubState>, Msg>> calls;
    bool close_transport = false;
    {
      std::lock_guard lock(mu);
      Event ev;
      while (engine.next_event(ev)) dispatch(ev, calls);
      if (!writing && !engine.pending_output().empty() && !transport_closed) {
        write_buf = engine.take_output();
        writing = true;
        transport->async_write(write_buf, [this](ErrorCode ec) {
          {
            std::lock_guard lock2(mu);
            writing = false;
            if (ec) engine.receive_eof();
          }
          pump();
        });
      }
      arm_timer();
      if (engine.state() == State::closed && !writing && !transport_closed) {
        transport_closed = close_transport = true;
        cv.notify_all();
      }
    }
    if (close_transport) {
      timer.cancel();
      transport->close();
    }
    for (auto &[sub, msg] : calls) {
      // An exception must not unwind through io.run() (std::terminate) nor
      // cost the other messages of this batch.
      try {
        sub->callback(msg);
      } catch (...) {
        ++callback_errors;
      }
    }
  }

  void arm_timer() {
    std::optional<Time> next = engine.next_deadline();
    if (next == armed) return;
    armed = next;
    if (!next) {
      timer.cancel();
      return;
    }
    timer.expires_at(std::chrono::steady_clock::time_point(
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(*next)));
    timer.async_wait([this](ErrorCode ec) {
      if (ec == asio::error::operation_aborted) return;
      {
        std::lock_guard lock(mu);
        armed.reset();
        engine.handle_timeout(now_ms());
      }
      pump();
    });
  }

  void finish(std::unordered_map<std::uint64_t, std::shared_ptr<Waiter>> &map, const Event &ev) {
    auto it = map.find(ev.id);
    if (it == map.end()) return;
    it->second->done = true;
    it->second->error = ev.error;
    if (ev.type == EventType::request_reply) it->second->msg = to_msg(ev.msg);
    map.erase(it);
    cv.notify_all();
  }

  void dispatch(const Event &ev, std::vector<std::pair<std::shared_ptr<SubState>, Msg>> &calls) {
    switch (ev.type) {
      case EventType::connected:
        connected = true;
        cv.notify_all();
        break;
      case EventType::message:
        if (auto it = subs.find(ev.id); it != subs.end()) {
          auto &sub = it->second;
          ++sub->delivered;
          if (sub->callback) {
            calls.emplace_back(sub, to_msg(ev.msg));
          } else {
            sub->queue.push_back(to_msg(ev.msg));
            cv.notify_all();
          }
        }
        break;
      case EventType::request_reply:
      case EventType::request_failed: finish(requests, ev); break;
      case EventType::flush_done: finish(flushes, ev); break;
      case EventType::subscription_closed:
        if (auto it = subs.find(ev.id); it != subs.end()) {
          it->second->closed = true;
          it->second->reason = ev.error;
          subs.erase(it);
          cv.notify_all();
        }
        break;
      case EventType::error:
      case EventType::info:
      case EventType::lame_duck: break;
      case EventType::closed: cv.notify_all(); break;
    }
  }
};

}  // namespace detail

namespace {

Error blocked_on_io_thread() {
  return {Errc::invalid_argument, "blocking call from a callback on the I/O thread"};
}

// A little slack over engine timeouts: the engine's own timer normally
// answers first; this only guards against a stuck I/O thread.
constexpr milliseconds kSlack{5000};

}  // namespace

// ---------------------------------------------------------------------------
// Subscription
// ---------------------------------------------------------------------------
Result<Msg> Subscription::next_msg(milliseconds timeout) {
  if (impl_->on_io_thread()) return blocked_on_io_thread();
  std::unique_lock lock(impl_->mu);
  bool ready =
      impl_->cv.wait_for(lock, timeout, [&] { return !state_->queue.empty() || state_->closed; });
  if (!state_->queue.empty()) {
    Msg m = std::move(state_->queue.front());
    state_->queue.pop_front();
    return m;
  }
  if (!ready) return Error{Errc::timeout, "no message within the timeout"};
  if (state_->reason) return state_->reason;
  return Error{Errc::bad_subscription, "subscription closed"};
}

Error Subscription::unsubscribe(std::uint64_t max) {
  Error e;
  {
    std::lock_guard lock(impl_->mu);
    e = impl_->engine.unsubscribe(sid_, max);
  }
  impl_->kick();
  return e;
}

Error Subscription::drain() {
  Error e;
  {
    std::lock_guard lock(impl_->mu);
    e = impl_->engine.drain_subscription(sid_);
  }
  impl_->kick();
  return e;
}

bool Subscription::is_closed() const {
  std::lock_guard lock(impl_->mu);
  return state_->closed;
}

std::uint64_t Subscription::delivered() const {
  std::lock_guard lock(impl_->mu);
  return state_->delivered;
}

std::size_t Subscription::pending() const {
  std::lock_guard lock(impl_->mu);
  return state_->queue.size();
}

// ---------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------
Result<std::unique_ptr<Client>> Client::connect(std::string_view url_text, Options options) {
  auto url = parse_url(url_text);
  if (!url) return url.error();
  if (Error e = validate_options(options)) return e;
  milliseconds timeout =
      options.connect_timeout.count() > 0 ? options.connect_timeout : milliseconds(10000);
  if (options.seed[0] == 0 && options.seed[1] == 0) {
    std::random_device rd;
    options.seed[0] = (std::uint64_t{rd()} << 32) ^ rd();
    options.seed[1] = (std::uint64_t{rd()} << 32) ^ rd();
  }
  auto impl = std::make_shared<detail::ClientImpl>(std::move(options));
  impl->transport =
      url->websocket ? detail::make_ws_transport(impl->io) : detail::make_tcp_transport(impl->io);
  detail::ClientImpl *p = impl.get();
  impl->thread = std::thread([p] {
    p->io_thread_id = std::this_thread::get_id();
    p->io.run();
    std::lock_guard lock(p->mu);
    p->io_done = true;
    p->cv.notify_all();
  });
  std::unique_ptr<Client> client(new Client(impl));
  std::string target(url_text);
  asio::post(impl->io, [p, u = *url, target] {
    p->transport->async_connect(u, [p, target](detail::ErrorCode ec) {
      {
        std::lock_guard lock(p->mu);
        if (ec) {
          p->connect_error = {Errc::connection_lost,
                              "cannot connect to " + target + ": " + ec.message()};
          p->engine.close();
        } else {
          p->engine.start(detail::now_ms());
        }
      }
      if (!ec) p->start_read();
      p->pump();
    });
  });
  std::unique_lock lock(impl->mu);
  bool done = impl->cv.wait_for(lock, timeout + milliseconds(500), [&] {
    return impl->connected || impl->engine.state() == State::closed;
  });
  if (impl->connected) return client;
  Error why = impl->connect_error ? impl->connect_error : impl->engine.last_error();
  if (!done || !why) why = {Errc::timeout, "connect to " + target + " timed out"};
  lock.unlock();
  return why;  // ~Client closes and joins
}

Client::~Client() {
  close();
  if (impl_->on_io_thread()) {
    // Destroyed from one of its own callbacks: the I/O thread cannot join
    // itself. Let it finish on its own once the socket is closed.
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

Error Client::publish(std::string_view subject, std::string_view data, std::string_view reply,
                      const Headers *headers) {
  Error e;
  {
    std::lock_guard lock(impl_->mu);
    e = headers ? impl_->engine.publish(subject, data, reply, *headers)
                : impl_->engine.publish(subject, data, reply);
  }
  if (!e) impl_->kick();
  return e;
}

Result<std::shared_ptr<Subscription>> Client::subscribe_impl(
    std::string_view subject, std::string_view queue, std::uint64_t max,
    std::function<void(const Msg &)> callback) {
  auto state = std::make_shared<detail::SubState>();
  state->callback = std::move(callback);
  std::uint64_t sid = 0;
  {
    std::lock_guard lock(impl_->mu);
    auto r = impl_->engine.subscribe(subject, queue, max);
    if (!r) return r.error();
    sid = *r;
    impl_->subs.emplace(sid, state);
  }
  impl_->kick();
  return std::shared_ptr<Subscription>(new Subscription(impl_, state, sid));
}

Result<std::shared_ptr<Subscription>> Client::subscribe(std::string_view subject,
                                                        std::string_view queue, std::uint64_t max) {
  return subscribe_impl(subject, queue, max, nullptr);
}

Result<std::shared_ptr<Subscription>> Client::subscribe(std::string_view subject,
                                                        std::function<void(const Msg &)> callback,
                                                        std::string_view queue, std::uint64_t max) {
  if (!callback) return Error{Errc::invalid_argument, "callback is empty"};
  return subscribe_impl(subject, queue, max, std::move(callback));
}

Result<Msg> Client::request(std::string_view subject, std::string_view data, milliseconds timeout,
                            const Headers *headers) {
  if (impl_->on_io_thread()) return blocked_on_io_thread();
  auto w = std::make_shared<detail::Waiter>();
  std::string block;
  if (headers && !headers->empty()) {
    if (Error e = headers->validate()) return e;
    block = headers->encode();
  }
  std::uint64_t id = 0;
  {
    std::lock_guard lock(impl_->mu);
    auto r = impl_->engine.request(subject, data, detail::now_ms(), timeout, block);
    if (!r) return r.error();
    id = *r;
    impl_->requests.emplace(id, w);
  }
  impl_->kick();
  std::unique_lock lock(impl_->mu);
  if (!impl_->cv.wait_for(lock, timeout + kSlack, [&] { return w->done; })) {
    impl_->engine.cancel_request(id);
    impl_->requests.erase(id);
    return Error{Errc::timeout, "request timed out"};
  }
  if (w->error) return w->error;
  return std::move(w->msg);
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
  if (!impl_->cv.wait_for(lock, timeout, [&] { return impl_->engine.state() == State::closed; })) {
    lock.unlock();
    close();
    return {Errc::timeout, "drain timed out; closed"};
  }
  return impl_->engine.last_error();
}

void Client::close() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->engine.close();
  }
  impl_->kick();
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

}  // namespace nats::native
