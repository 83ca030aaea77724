// An object store read: the engine's ordered consumer (obj_read) pulled as
// one consume session, routed by the I/O thread to a PullState
// (io_loop.cpp), as a key-value watch is (kv.cpp).
#include "obj_read.hpp"

#include <utility>

#include "client_impl.hpp"

namespace nats::native::detail {

using std::chrono::milliseconds;

Result<std::unique_ptr<ObjRead>> ObjRead::open(std::shared_ptr<ClientImpl> impl,
                                               std::uint64_t context, Options options,
                                               milliseconds timeout) {
  if (impl->on_io_thread()) {
    return Error{Errc::illegal_state, "blocking call from a callback on the I/O thread"};
  }
  auto state = std::make_shared<PullState>();
  std::unique_ptr<ObjRead> read(new ObjRead(impl, state));
  state->callback = std::move(options.callback);
  // Raw pointer: the state lives in impl->pulls, so a capture of impl would
  // be a cycle; the callback only runs while impl does.
  state->status_callback = [raw = impl.get(), flag = read->caught_up_,
                            cb = std::move(options.on_caught_up)](const ConsumerStatus &st) {
    if (st.type != "caught_up") return;
    {
      std::lock_guard lock(raw->mu);
      *flag = true;
    }
    raw->cv.notify_all();
    if (cb) cb();
  };
  auto created = std::make_shared<Waiter>();
  std::uint64_t ordered = 0;
  {
    std::lock_guard lock(impl->mu);
    auto r =
        impl->engine.obj_read(context, options.bucket, options.nuid, options.include, now_ms());
    if (!r) return r.error();
    ordered = *r;
    impl->js_ops.emplace(ordered, created);  // its js_result carries the same id
  }
  impl->kick();
  js::PullOptions pull;
  pull.mode = js::PullMode::consume;
  pull.max_messages = options.read_ahead;
  std::unique_lock lock(impl->mu);
  // Creating is two API calls in turn (the stream, then the consumer).
  if (!impl->cv.wait_for(lock, 2 * timeout + kSlack, [&] { return created->done; })) {
    impl->js_ops.erase(ordered);
    impl->engine.ordered_delete(ordered);
    return Error{Errc::timeout, "creating the object store read timed out"};
  }
  if (created->error) return created->error;
  // Registered under the lock that starts it: no message can be missed.
  auto session = impl->engine.ordered_pull(ordered, pull, now_ms());
  if (!session) {
    impl->engine.ordered_delete(ordered);
    return session.error();
  }
  impl->pulls.emplace(*session, state);
  read->ordered_ = ordered;
  read->session_ = *session;
  lock.unlock();
  impl->kick();
  return read;
}

ObjRead::~ObjRead() { stop(); }

Result<std::optional<JsMsg>> ObjRead::next(milliseconds timeout) {
  if (impl_->on_io_thread()) {
    return Error{Errc::illegal_state, "blocking call from a callback on the I/O thread"};
  }
  std::unique_lock lock(impl_->mu);
  const bool woke = impl_->cv.wait_for(
      lock, timeout, [&] { return !state_->queue.empty() || state_->done || *caught_up_; });
  if (!state_->queue.empty()) {
    JsMsg m = std::move(state_->queue.front());
    state_->queue.pop_front();
    // Only now does the message leave the queue: the engine may pull one more.
    impl_->engine.pull_consumed(session_, 1, js_msg_size(m));
    lock.unlock();
    impl_->kick();
    return std::optional<JsMsg>(std::move(m));
  }
  if (state_->done && state_->error) return state_->error;
  if (!woke) return Error{Errc::timeout, "no object store message in time"};
  return std::optional<JsMsg>();
}

void ObjRead::stop() {
  if (ordered_ == 0 && session_ == 0) return;  // never started
  impl_->stop_ordered_read(*state_, ordered_, session_);
}

bool ObjRead::is_closed() const {
  std::lock_guard lock(impl_->mu);
  return state_->done;
}

Error ObjRead::error() const {
  std::lock_guard lock(impl_->mu);
  return state_->error;
}

}  // namespace nats::native::detail
