// The I/O thread: opens the transports the engine names, feeds it bytes and
// time, writes its output, and hands its events out.
#include <boost/asio/post.hpp>

#include "client_impl.hpp"
#include "ed25519.hpp"

namespace nats::native::detail {

namespace asio = boost::asio;

Time now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now().time_since_epoch());
}

Msg to_msg(const Message &m) {
  return Msg{std::string(m.subject), std::string(m.reply), std::string(m.headers),
             std::string(m.payload), m.sid};
}

void ClientImpl::start() {
  // The thread owns a reference: a Client destroyed from one of its own
  // callbacks must not free this object while io.run() is still on it.
  thread = std::thread([self = shared_from_this()] {
    self->io_thread_id = std::this_thread::get_id();
    self->io.run();
    std::lock_guard lock(self->mu);
    self->io_done = true;
    self->cv.notify_all();
  });
  asio::post(io, [this] {
    {
      std::lock_guard lock(mu);
      engine.connect(now_ms());
    }
    pump();
  });
}

void ClientImpl::kick() {
  if (!kick_posted.exchange(true)) {
    asio::post(io, [this] {
      kick_posted = false;
      pump();
    });
  }
}

void ClientImpl::open_transport() {
  const ServerUrl *url = nullptr;
  {
    std::lock_guard lock(mu);
    url = engine.current_server();
    if (url == nullptr) return;
  }
  const std::uint64_t gen = ++generation;
  if (transport) {
    // A reconnect: the old transport is closed; it lives on until its last
    // handlers have run (they see an old generation and do nothing).
    transport->close();
    retired.push_back(std::move(transport));
    if (retired.size() > 8) retired.erase(retired.begin());
  }
  transport_up = false;
  close_after_write = false;
  tls_pending = false;
  transport = url->websocket()
                  ? make_ws_transport(io, url->scheme == "wss" ? tls_ctx : nullptr, tls_verify)
                  : make_tcp_transport(io, tls_ctx, tls_verify);
  transport->async_connect(*url, [this, gen](ErrorCode ec) {
    if (gen != generation) return;
    {
      std::lock_guard lock(mu);
      if (ec) {
        engine.transport_closed(now_ms(), ec.message());  // DNS, refused, TLS ...
      } else {
        transport_up = true;
        engine.transport_opened(now_ms());
      }
    }
    if (!ec) start_read(gen);
    pump();
  });
}

void ClientImpl::start_read(std::uint64_t gen) {
  transport->async_read_some(read_buf, [this, gen](ErrorCode ec, std::size_t n) {
    bool again = false;
    {
      std::lock_guard lock(mu);
      if (gen != generation) return;
      if (ec) {
        transport_up = false;
        engine.transport_closed(now_ms());
      } else {
        engine.receive({read_buf.data(), n}, now_ms());
        again = true;
      }
    }
    pump();
    // During a TLS upgrade the handshake owns the socket's reads.
    if (again && gen == generation && transport_up && !tls_pending) start_read(gen);
  });
}

// Called with mu held.
void ClientImpl::start_write() {
  if (writing || !transport_up || engine.pending_output().empty()) return;
  write_buf = engine.take_output();
  writing = true;
  const std::uint64_t gen = generation;
  transport->async_write(write_buf, [this, gen](ErrorCode ec) {
    {
      std::lock_guard lock(mu);
      writing = false;
      if (gen == generation && ec) {
        transport_up = false;
        engine.transport_closed(now_ms());
      }
    }
    cv.notify_all();  // publishers waiting for room (Client::publish)
    pump();
  });
}

void ClientImpl::pump() {
  std::vector<std::pair<std::shared_ptr<SubState>, Msg>> calls;
  std::vector<PullCall> pull_calls;
  std::vector<Status> statuses;
  std::shared_ptr<std::function<void(const Status &)>> status_cb;
  bool open = false;
  bool close_now = false;
  bool closed = false;  // read under the lock: close() changes the state from other threads
  {
    std::lock_guard lock(mu);
    Event ev;
    while (engine.next_event(ev)) {
      if (ev.type == EventType::transport_open) {
        open = true;
      } else if (ev.type == EventType::transport_close) {
        close_after_write = true;  // what is pending (a last PUB, UNSUBs) goes out first
      } else {
        dispatch(ev, calls, pull_calls, statuses);
      }
    }
    start_write();
    if (close_after_write && !writing) {
      close_after_write = false;
      close_now = transport != nullptr;
      transport_up = false;
    }
    arm_timer();
    closed = engine.state() == State::closed;
    status_cb = status_callback;
    if (closed && !writing && !close_after_write) {
      transport_closed = true;
      cv.notify_all();
    }
  }
  if (close_now) {
    ++generation;  // late callbacks of this transport count for nothing
    transport->close();
  }
  if (closed) timer.cancel();
  if (open) open_transport();
  for (auto &[sub, msg] : calls) {
    // A callback before this one may have closed the client or ended this
    // subscription: nothing is delivered after that.
    if (close_called.load(std::memory_order_relaxed) ||
        sub->unsubscribed.load(std::memory_order_relaxed)) {
      continue;
    }
    // An exception must not unwind through io.run() (std::terminate) nor
    // cost the other messages of this batch.
    try {
      sub->callback(msg);
    } catch (...) {
      ++callback_errors;
    }
  }
  if (!pull_calls.empty()) run_pull_calls(pull_calls);
  if (status_cb && *status_cb) {
    for (const auto &st : statuses) {
      try {
        (*status_cb)(st);
      } catch (...) {
        ++callback_errors;
      }
    }
  }
  if (closed) {
    std::lock_guard lock(mu);
    closed_callbacks_run = true;
    cv.notify_all();
  }
}

void ClientImpl::arm_timer() {
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

void ClientImpl::finish(std::unordered_map<std::uint64_t, std::shared_ptr<Waiter>> &map,
                        const Event &ev) {
  auto it = map.find(ev.id);
  if (it == map.end()) return;
  Waiter &w = *it->second;
  if (ev.type == EventType::request_reply) {
    // A single request's waiter wakes on its first reply; a multi-reply one
    // keeps collecting until request_done.
    w.msgs.push_back(to_msg(ev.msg));
    cv.notify_all();
    return;
  }
  w.done = true;
  w.error = ev.error;
  map.erase(it);
  cv.notify_all();
}

namespace {

// ["a:1","b:2"] → {"a:1", "b:2"} (the engine writes host:port strings).
std::vector<std::string> string_array(const std::string &json) {
  std::vector<std::string> out;
  for (std::size_t a = json.find('"'); a != std::string::npos; a = json.find('"', a)) {
    const std::size_t b = json.find('"', a + 1);
    if (b == std::string::npos) break;
    out.push_back(json.substr(a + 1, b - a - 1));
    a = b + 1;
  }
  return out;
}

Status status(Status::Type type, const Event &ev) {
  Status st;
  st.type = type;
  st.error = ev.error;
  if (type == Status::Type::servers_changed) {
    st.added = string_array(ev.text);
    st.removed = string_array(ev.text2);
  } else {
    st.server = ev.text;
  }
  if (type == Status::Type::reconnecting) st.attempt = ev.num;
  return st;
}

}  // namespace

void ClientImpl::dispatch(const Event &ev,
                          std::vector<std::pair<std::shared_ptr<SubState>, Msg>> &calls,
                          std::vector<PullCall> &pull_calls, std::vector<Status> &statuses) {
  using T = Status::Type;
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
    case EventType::request_failed:
    case EventType::request_done: finish(requests, ev); break;
    case EventType::flush_done: finish(flushes, ev); break;
    case EventType::js_msg:
    case EventType::pull_status:
    case EventType::pull_done: dispatch_pull(ev, pull_calls); break;
    // js_result also ends an ordered consumer's creation (its id is the op).
    case EventType::js_result:
    case EventType::js_pub_ack:
    case EventType::js_stored_msg:
      if (auto it = js_ops.find(ev.id); it != js_ops.end()) {
        it->second->js = ev;
        it->second->js.msg = Message{};  // no views into the receive buffer survive
      }
      finish(js_ops, ev);
      break;
    case EventType::subscription_closed:
      if (auto it = subs.find(ev.id); it != subs.end()) {
        it->second->closed = true;
        it->second->reason = ev.error;
        subs.erase(it);
        cv.notify_all();
      }
      break;
    case EventType::disconnected: statuses.push_back(status(T::disconnected, ev)); break;
    case EventType::reconnecting: statuses.push_back(status(T::reconnecting, ev)); break;
    case EventType::reconnected: statuses.push_back(status(T::reconnected, ev)); break;
    case EventType::servers_changed: statuses.push_back(status(T::servers_changed, ev)); break;
    case EventType::lame_duck: statuses.push_back(status(T::lame_duck, ev)); break;
    case EventType::error: statuses.push_back(status(T::error, ev)); break;
    case EventType::slow_consumer: {
      Status st;
      st.type = T::slow_consumer;
      st.sid = ev.id;
      st.dropped = ev.num2;
      st.error = {Errc::slow_consumer, ev.flags != 0 ? "slow consumer: messages dropped"
                                                     : "slow consumer: messages pending"};
      if (auto it = subs.find(ev.id); it != subs.end()) it->second->dropped = ev.num2;
      statuses.push_back(std::move(st));
      break;
    }
    case EventType::tls_upgrade: {
      // The read that brought INFO has completed and no other is issued
      // until the handshake is done (start_read checks tls_pending).
      tls_pending = true;
      const std::uint64_t gen = generation;
      transport->async_start_tls(ev.text, [this, gen](ErrorCode ec) {
        {
          std::lock_guard lock(mu);
          if (gen != generation) return;
          tls_pending = false;
          engine.tls_upgraded(
              ec ? Error{Errc::tls_failed, "TLS handshake: " + ec.message()} : Error{}, now_ms());
        }
        pump();
        if (!ec) start_read(gen);
      });
      break;
    }
    case EventType::sign_nonce: {
      // Signing is microseconds: done here, under the lock, in event order.
      auto signed_nonce = ed25519_sign(ev.data, ev.text);
      if (signed_nonce) {
        engine.nonce_signed(signed_nonce->public_key, signed_nonce->signature, now_ms());
      } else {
        engine.auth_failed(signed_nonce.error(), now_ms());
      }
      break;
    }
    case EventType::auth_needed:
      engine.auth_failed({Errc::invalid_argument,
                          "the native client takes its credentials from Options (token, "
                          "user/pass, nkey_seed, jwt, creds); host_auth is not supported"},
                         now_ms());
      break;
    case EventType::info:
    case EventType::transport_open:
    case EventType::transport_close: break;
    case EventType::closed:
      statuses.push_back(status(T::closed, ev));
      cv.notify_all();
      break;
  }
}

void ClientImpl::dispatch_pull(const Event &ev, std::vector<PullCall> &pull_calls) {
  auto it = pulls.find(ev.id);
  if (it == pulls.end()) return;  // a fetch that gave up, or a stopped handle
  const std::shared_ptr<PullState> &p = it->second;
  switch (ev.type) {
    case EventType::js_msg:
      ++p->received;
      if (p->callback) {
        pull_calls.push_back({p, ev.id, make_js_msg(ev, shared_from_this()), {}});
      } else {
        p->queue.push_back(make_js_msg(ev, shared_from_this()));
        cv.notify_all();
      }
      break;
    case EventType::pull_status:
      if (p->status_callback) {
        pull_calls.push_back({p, ev.id, std::nullopt, {ev.text, ev.text2, ev.num, ev.num2}});
      }
      break;
    default:  // pull_done
      p->done = true;
      p->error = ev.error;
      pulls.erase(it);
      cv.notify_all();
      break;
  }
}

void ClientImpl::run_pull_calls(std::vector<PullCall> &pull_calls) {
  // Consumption is reported after the callbacks, once per run of one
  // session's messages: consume pulls more only for messages handled.
  struct Consumed {
    std::uint64_t session, msgs, bytes;
  };
  std::vector<Consumed> consumed;
  for (auto &call : pull_calls) {
    PullState &p = *call.pull;
    std::lock_guard running(p.callback_mu);
    if (p.stopped || close_called.load(std::memory_order_relaxed)) continue;
    try {
      if (call.msg) {
        p.callback(*call.msg);
      } else {
        p.status_callback(call.status);
      }
    } catch (...) {
      ++callback_errors;  // as for subscriptions; the message stays unacknowledged
    }
    if (!call.msg) continue;
    if (consumed.empty() || consumed.back().session != call.session) {
      consumed.push_back({call.session, 0, 0});
    }
    consumed.back().msgs += 1;
    consumed.back().bytes += js_msg_size(*call.msg);
  }
  if (consumed.empty()) return;
  {
    std::lock_guard lock(mu);
    for (const auto &c : consumed) engine.pull_consumed(c.session, c.msgs, c.bytes);
  }
  kick();  // the pulls this made room for go out
}

}  // namespace nats::native::detail
