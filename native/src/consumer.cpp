// Consumers for the native client: each fetch, consume or messages() is one
// engine pull session whose events the I/O thread routes to a PullState
// (io_loop.cpp). This file starts sessions, waits on them, and turns acks
// into engine calls; every rule of pulling and acknowledging is the engine's.
#include "nats/native/consumer.hpp"

#include <iterator>
#include <utility>

#include "client_impl.hpp"
#include "nats/native/jetstream.hpp"

namespace nats::native {

using std::chrono::milliseconds;

namespace {

using detail::blocked_on_io_thread;
using detail::kSlack;

// The engine ends a fetch at most this long after its expiry (kFetchGrace
// in engine_pull.cpp) when the server says nothing.
constexpr milliseconds kFetchGrace{1000};
constexpr milliseconds kDefaultExpires{30000};

Error already_acked() { return {Errc::illegal_state, "message already acknowledged"}; }

js::PullOptions to_pull(const FetchOptions &o) {
  js::PullOptions p;
  p.mode = o.prompt ? js::PullMode::fetch_prompt : js::PullMode::fetch;
  p.max_messages = o.max_messages;
  p.max_bytes = o.max_bytes;
  p.expires = o.expires;
  p.idle_heartbeat = o.idle_heartbeat;
  return p;
}

js::PullOptions to_pull(const ConsumeOptions &o) {
  js::PullOptions p;
  p.mode = js::PullMode::consume;
  p.max_messages = o.max_messages;
  p.max_bytes = o.max_bytes;
  p.expires = o.expires;
  p.idle_heartbeat = o.idle_heartbeat;
  p.threshold_messages = o.threshold_messages;
  p.threshold_bytes = o.threshold_bytes;
  p.bind = o.bind;
  p.abort_on_missing_resource = o.abort_on_missing_resource;
  return p;
}

}  // namespace

// --- JsMsg ---------------------------------------------------------------------------

JsMsg detail::make_js_msg(const Event &ev, std::shared_ptr<ClientImpl> impl) {
  JsMsg m;
  m.subject.assign(ev.msg.subject);
  m.reply.assign(ev.msg.reply);
  m.headers_raw.assign(ev.msg.headers);
  m.data.assign(ev.msg.payload);
  m.seq_ = ev.num;
  m.delivery_seq_ = ev.num2;
  m.delivery_count_ = ev.flags;
  m.ack_ = std::make_shared<AckState>();
  m.ack_->impl = std::move(impl);
  return m;
}

Result<Headers> JsMsg::headers() const {
  if (headers_raw.empty()) return Headers{};
  return Headers::parse(headers_raw);
}

Result<js::DeliveryInfo> JsMsg::metadata() const {
  auto info = js::parse_ack_reply(reply);
  if (!info) return Error{Errc::invalid_argument, "not a JetStream message (no ack subject)"};
  return *info;
}

bool JsMsg::is_acked() const { return ack_ && ack_->acked; }

Error JsMsg::send_ack(js::AckKind kind, milliseconds delay) const {
  if (!ack_) return {Errc::invalid_argument, "not a JetStream message"};
  const bool terminal = kind != js::AckKind::working;
  if (terminal && ack_->acked.exchange(true)) return already_acked();
  detail::ClientImpl &impl = *ack_->impl;
  Error e;
  {
    std::lock_guard lock(impl.mu);
    e = impl.engine.js_ack(reply, kind, delay);
  }
  if (e) {
    if (terminal) ack_->acked = false;  // nothing went out: it may be tried again
    return e;
  }
  impl.kick();
  return {};
}

Error JsMsg::ack() const { return send_ack(js::AckKind::ack, milliseconds(0)); }
Error JsMsg::nak(milliseconds delay) const { return send_ack(js::AckKind::nak, delay); }
Error JsMsg::in_progress() const { return send_ack(js::AckKind::working, milliseconds(0)); }
Error JsMsg::term() const { return send_ack(js::AckKind::term, milliseconds(0)); }

Error JsMsg::next(std::string_view deliver_to, std::uint64_t batch, milliseconds expires) const {
  if (!ack_) return {Errc::invalid_argument, "not a JetStream message"};
  if (ack_->acked.exchange(true)) return already_acked();
  detail::ClientImpl &impl = *ack_->impl;
  Error e;
  {
    std::lock_guard lock(impl.mu);
    e = impl.engine.js_ack_next(reply, deliver_to, batch, expires, false);
  }
  if (e) {
    ack_->acked = false;
    return e;
  }
  impl.kick();
  return {};
}

Error JsMsg::ack_sync(milliseconds timeout) const {
  if (!ack_) return {Errc::invalid_argument, "not a JetStream message"};
  detail::ClientImpl &impl = *ack_->impl;
  if (impl.on_io_thread()) return blocked_on_io_thread();
  if (ack_->acked.exchange(true)) return already_acked();
  auto w = std::make_shared<detail::Waiter>();
  std::uint64_t id = 0;
  {
    std::lock_guard lock(impl.mu);
    auto r = impl.engine.js_ack_sync(reply, detail::now_ms(), timeout);
    if (!r) {
      ack_->acked = false;
      return r.error();
    }
    id = *r;
    impl.requests.emplace(id, w);
  }
  impl.kick();
  // The ack went out: it stays acknowledged even when the confirmation
  // does not come (the server may well have it).
  std::unique_lock lock(impl.mu);
  const bool settled =
      impl.cv.wait_for(lock, timeout + kSlack, [&] { return w->done || !w->msgs.empty(); });
  impl.requests.erase(id);
  if (!settled) {
    impl.engine.cancel_request(id);
    return {Errc::timeout, "ack not confirmed in time"};
  }
  if (!w->msgs.empty()) return {};
  return w->error;
}

// --- session handles -----------------------------------------------------------------

PullSessionHandle &PullSessionHandle::operator=(PullSessionHandle &&other) noexcept {
  if (this != &other) {
    stop();
    impl_ = std::move(other.impl_);
    state_ = std::move(other.state_);
    session_ = other.session_;
  }
  return *this;
}

PullSessionHandle::~PullSessionHandle() { stop(); }

void PullSessionHandle::stop() {
  if (!state_) return;
  state_->stopped = true;
  {
    std::lock_guard lock(impl_->mu);
    // The engine ends the session at once (its pull_done finds nothing
    // left to do): the handle is closed from here on.
    if (!state_->done && !impl_->engine.pull_stop(session_)) {
      state_->done = true;
      impl_->pulls.erase(session_);
      impl_->cv.notify_all();
    }
  }
  impl_->after_callbacks(*state_);
}

void detail::ClientImpl::after_callbacks(PullState &state) {
  kick();
  if (!on_io_thread()) {
    std::lock_guard running(state.callback_mu);  // taken once no callback runs
  }
}

void detail::ClientImpl::stop_ordered_read(PullState &state, std::uint64_t &ordered,
                                           std::uint64_t session) {
  state.stopped = true;
  {
    std::lock_guard lock(mu);
    if (ordered != 0) {
      // Ends the session at once and deletes the server consumer; closing
      // the connection forgot every ordered consumer already.
      const std::uint64_t id = std::exchange(ordered, 0);
      if (engine.state() != State::closed) (void)engine.ordered_delete(id);
    }
    // Whatever the engine still says about the session finds no one.
    if (!state.done) {
      state.done = true;
      pulls.erase(session);
      cv.notify_all();
    }
  }
  after_callbacks(state);
}

bool PullSessionHandle::is_closed() const {
  if (!state_) return true;
  std::lock_guard lock(impl_->mu);
  return state_->done;
}

Error PullSessionHandle::error() const {
  if (!state_) return {};
  std::lock_guard lock(impl_->mu);
  return state_->error;
}

Error PullSessionHandle::closed(milliseconds timeout) const {
  if (!state_) return {};
  std::unique_lock lock(impl_->mu);
  if (!state_->done) {
    if (impl_->on_io_thread()) return blocked_on_io_thread();
    if (!impl_->cv.wait_for(lock, timeout, [&] { return state_->done; })) {
      return {Errc::timeout, "the pull session is still running"};
    }
  }
  return state_->error;
}

std::uint64_t PullSessionHandle::received() const {
  if (!state_) return 0;
  std::lock_guard lock(impl_->mu);
  return state_->received;
}

Result<std::optional<JsMsg>> MessageStream::next(milliseconds timeout) {
  if (!state_) return Error{Errc::illegal_state, "moved-from MessageStream"};
  if (impl_->on_io_thread()) return blocked_on_io_thread();
  std::unique_lock lock(impl_->mu);
  impl_->cv.wait_for(lock, timeout, [&] { return !state_->queue.empty() || state_->done; });
  if (!state_->queue.empty()) {
    JsMsg m = std::move(state_->queue.front());
    state_->queue.pop_front();
    // Only now does the message leave the queue: the engine may pull one more.
    impl_->engine.pull_consumed(session_, 1, detail::js_msg_size(m));
    lock.unlock();
    impl_->kick();
    return std::optional<JsMsg>(std::move(m));
  }
  if (state_->done && state_->error) return state_->error;
  return std::optional<JsMsg>();
}

std::size_t MessageStream::pending() const {
  if (!state_) return 0;
  std::lock_guard lock(impl_->mu);
  return state_->queue.size();
}

// --- consumers -----------------------------------------------------------------------

Result<std::uint64_t> ConsumerBase::start(const js::PullOptions &options,
                                          const std::shared_ptr<detail::PullState> &state) {
  std::uint64_t id = 0;
  {
    // Registered under the same lock that starts it: no event can be missed.
    std::lock_guard lock(impl_->mu);
    auto r = start_locked(options);
    if (!r) return r.error();
    id = *r;
    impl_->pulls.emplace(id, state);
  }
  impl_->kick();
  return id;
}

Result<std::vector<JsMsg>> ConsumerBase::fetch(const FetchOptions &options) {
  if (impl_->on_io_thread()) return blocked_on_io_thread();
  auto state = std::make_shared<detail::PullState>();
  auto id = start(to_pull(options), state);
  if (!id) return id.error();
  const milliseconds expires = options.expires.count() > 0 ? options.expires : kDefaultExpires;
  std::unique_lock lock(impl_->mu);
  if (!impl_->cv.wait_for(lock, expires + kFetchGrace + kSlack, [&] { return state->done; })) {
    impl_->engine.pull_stop(*id);
    impl_->pulls.erase(*id);
  }
  std::vector<JsMsg> out(std::make_move_iterator(state->queue.begin()),
                         std::make_move_iterator(state->queue.end()));
  if (out.empty() && state->error) return state->error;
  return out;
}

Result<std::optional<JsMsg>> ConsumerBase::next(milliseconds expires) {
  FetchOptions options;
  options.max_messages = 1;
  options.expires = expires;
  auto batch = fetch(options);
  if (!batch) return batch.error();
  if (batch->empty()) return std::optional<JsMsg>();
  return std::optional<JsMsg>(std::move(batch->front()));
}

Result<ConsumeHandle> ConsumerBase::consume(std::function<void(const JsMsg &)> callback,
                                            ConsumeOptions options) {
  if (!callback) return Error{Errc::invalid_argument, "callback is empty"};
  auto state = std::make_shared<detail::PullState>();
  state->callback = std::move(callback);
  state->status_callback = std::move(options.status_callback);
  auto id = start(to_pull(options), state);
  if (!id) return id.error();
  return ConsumeHandle(impl_, std::move(state), *id);
}

Result<MessageStream> ConsumerBase::messages(ConsumeOptions options) {
  auto state = std::make_shared<detail::PullState>();
  state->status_callback = std::move(options.status_callback);
  auto id = start(to_pull(options), state);
  if (!id) return id.error();
  return MessageStream(impl_, std::move(state), *id);
}

PullConsumer::PullConsumer(std::shared_ptr<JetStream> js, std::shared_ptr<detail::ClientImpl> impl,
                           std::uint64_t context, js::ConsumerInfo info)
    : ConsumerBase(std::move(js), std::move(impl), info.stream_name),
      context_(context),
      name_(info.name),
      info_(std::move(info)) {}

Result<std::uint64_t> PullConsumer::start_locked(const js::PullOptions &options) {
  return impl_->engine.pull_start(context_, stream_, name_, options, detail::now_ms());
}

Result<js::ConsumerInfo> PullConsumer::info() { return js_->consumer_info(stream_, name_); }

OrderedConsumer::OrderedConsumer(std::shared_ptr<JetStream> js,
                                 std::shared_ptr<detail::ClientImpl> impl, std::uint64_t ordered,
                                 std::string stream)
    : ConsumerBase(std::move(js), std::move(impl), std::move(stream)), ordered_(ordered) {}

OrderedConsumer::OrderedConsumer(OrderedConsumer &&other) noexcept
    : ConsumerBase(std::move(other)), ordered_(std::exchange(other.ordered_, 0)) {}

OrderedConsumer &OrderedConsumer::operator=(OrderedConsumer &&other) noexcept {
  if (this != &other) {
    close();
    ConsumerBase::operator=(std::move(other));
    ordered_ = std::exchange(other.ordered_, 0);
  }
  return *this;
}

OrderedConsumer::~OrderedConsumer() { close(); }

Result<std::uint64_t> OrderedConsumer::start_locked(const js::PullOptions &options) {
  if (ordered_ == 0) return Error{Errc::illegal_state, "ordered consumer closed"};
  return impl_->engine.ordered_pull(ordered_, options, detail::now_ms());
}

std::string OrderedConsumer::name() const {
  if (!impl_) return {};
  std::lock_guard lock(impl_->mu);
  return ordered_ == 0 ? std::string() : impl_->engine.ordered_name(ordered_);
}

Result<js::ConsumerInfo> OrderedConsumer::info() { return js_->consumer_info(stream_, name()); }

Error OrderedConsumer::close() {
  if (!impl_) return {};  // moved from
  Error e;
  {
    // ordered_ changes under the client's mutex: start_locked() reads it there.
    std::lock_guard lock(impl_->mu);
    if (ordered_ == 0) return {};
    const std::uint64_t id = std::exchange(ordered_, 0);
    // Closing the connection forgot every ordered consumer already.
    e = impl_->engine.state() == State::closed ? Error{Errc::connection_closed, "connection closed"}
                                               : impl_->engine.ordered_delete(id);
  }
  impl_->kick();
  return e;
}

}  // namespace nats::native
