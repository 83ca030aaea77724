// JetStream for the native client: each call starts an engine operation
// under the client's mutex, registers a waiter that the I/O thread settles
// from the js_* event (io_loop.cpp), and turns the event into typed values.
// Every protocol rule stays in the engine; this file translates and waits.
#include "nats/native/jetstream.hpp"

#include "client_impl.hpp"
#include "nats/base64.hpp"

namespace nats::native {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

namespace {

using detail::blocked_on_io_thread;
using detail::kSlack;

// The JSON arguments of an API call. Values are quoted by the core's
// json_quote(), so a name the engine will refuse still makes valid JSON and
// the engine's own message reaches the caller.
class Args {
public:
  Args &str(std::string_view key, std::string_view value) {
    field(key) += js::json_quote(value);
    return *this;
  }
  Args &num(std::string_view key, std::uint64_t value) {
    field(key) += std::to_string(value);
    return *this;
  }
  Args &flag(std::string_view key, bool value) {
    field(key) += value ? "true" : "false";
    return *this;
  }
  Args &raw(std::string_view key, std::string_view json) {
    field(key) += json;
    return *this;
  }
  std::string done() const { return out_ + "}"; }

private:
  std::string &field(std::string_view key) {
    if (out_.size() > 1) out_ += ',';
    out_ += js::json_quote(key);
    out_ += ':';
    return out_;
  }
  std::string out_ = "{";
};

StoredMsg to_stored(const Event &ev) {
  StoredMsg m;
  m.subject = ev.text;
  m.seq = ev.num;
  m.headers = ev.data.substr(0, ev.data_headers);
  m.data = ev.data.substr(ev.data_headers);
  m.time = ev.text2;
  m.stream = ev.text3;
  return m;
}

// A stored message in STREAM.MSG.GET's JSON form, for api().
std::string stored_json(const Event &ev) {
  const StoredMsg m = to_stored(ev);
  Args msg;
  msg.str("subject", m.subject).num("seq", m.seq).str("time", m.time).str("stream", m.stream);
  if (!m.headers.empty()) msg.str("hdrs", base64_encode(m.headers));
  if (!m.data.empty()) msg.str("data", base64_encode(m.data));
  return Args().raw("message", msg.done()).done();
}

}  // namespace

Result<std::shared_ptr<JetStream>> Client::jetstream(js::ContextOptions options) {
  std::lock_guard lock(impl_->mu);
  auto id = impl_->engine.js_context(options);
  if (!id) return id.error();
  return std::shared_ptr<JetStream>(new JetStream(impl_, *id, std::move(options)));
}

// --- publish ---------------------------------------------------------------------------

bool PubAckFuture::done() const {
  std::lock_guard lock(impl_->mu);
  return waiter_->done;
}

bool PubAckFuture::wait_for(milliseconds timeout) {
  if (impl_->on_io_thread()) return done();
  std::unique_lock lock(impl_->mu);
  return impl_->cv.wait_for(lock, timeout, [&] { return waiter_->done; });
}

Result<js::PubAck> PubAckFuture::get() {
  std::unique_lock lock(impl_->mu);
  if (!waiter_->done) {
    if (impl_->on_io_thread()) return blocked_on_io_thread();
    if (!impl_->cv.wait_until(lock, deadline_, [&] { return waiter_->done; })) {
      impl_->js_ops.erase(id_);
      impl_->engine.js_cancel(id_);
      waiter_->done = true;
      waiter_->error = {Errc::timeout, "JetStream publish timed out"};
    }
  }
  if (waiter_->error) return waiter_->error;
  const Event &ev = waiter_->js;
  return js::PubAck{ev.text, ev.num, (ev.flags & 1u) != 0, ev.text2};
}

Result<PubAckFuture> JetStream::start_publish(std::string_view subject, std::string_view data,
                                              const js::PublishOptions &options,
                                              const Headers *headers) {
  const milliseconds timeout = options.timeout.count() > 0 ? options.timeout : options_.timeout;
  return start_write(
      [&] {
        return impl_->engine.js_publish(context_, subject, data, headers, options,
                                        detail::now_ms());
      },
      timeout, js::publish_max_time(timeout, options.retries));
}

Result<PubAckFuture> JetStream::start_write(const std::function<Result<std::uint64_t>()> &send,
                                            milliseconds timeout,
                                            std::optional<milliseconds> max_time) {
  const auto room_deadline = steady_clock::now() + timeout;
  auto w = std::make_shared<detail::Waiter>();
  std::unique_lock lock(impl_->mu);
  for (;;) {
    auto id = send();
    if (id) {
      impl_->js_ops.emplace(*id, w);
      lock.unlock();
      impl_->kick();
      return PubAckFuture(impl_, std::move(w), *id,
                          steady_clock::now() + max_time.value_or(timeout) + kSlack);
    }
    if (id.error().code != Errc::window_full) return id.error();
    // Only acks make room, and the I/O thread is the one that reads them.
    if (impl_->on_io_thread()) return id.error();
    const bool room = impl_->cv.wait_until(lock, room_deadline, [&] {
      return impl_->engine.js_pending(context_) < options_.max_pending ||
             impl_->engine.state() == State::closed;
    });
    if (!room) {
      return Error{Errc::timeout, "timed out waiting for room in the JetStream publish window"};
    }
  }
}

Result<js::PubAck> JetStream::publish(std::string_view subject, std::string_view data,
                                      const js::PublishOptions &options, const Headers *headers) {
  if (impl_->on_io_thread()) return blocked_on_io_thread();
  auto future = start_publish(subject, data, options, headers);
  if (!future) return future.error();
  return future->get();
}

Result<PubAckFuture> JetStream::publish_async(std::string_view subject, std::string_view data,
                                              const js::PublishOptions &options,
                                              const Headers *headers) {
  return start_publish(subject, data, options, headers);
}

std::size_t JetStream::publish_async_pending() const {
  std::lock_guard lock(impl_->mu);
  return impl_->engine.js_pending(context_);
}

Error JetStream::publish_async_completed(milliseconds timeout) {
  if (impl_->on_io_thread()) return blocked_on_io_thread();
  std::unique_lock lock(impl_->mu);
  // Closing fails every publish in flight, so pending reaches 0 then too.
  if (!impl_->cv.wait_for(lock, timeout, [&] { return impl_->engine.js_pending(context_) == 0; })) {
    return {Errc::timeout, "JetStream publishes still waiting for their ack"};
  }
  return {};
}

// --- API calls -------------------------------------------------------------------------

Result<std::shared_ptr<detail::Waiter>> JetStream::call(js::ApiOp op, const std::string &args,
                                                        std::string_view payload) {
  if (impl_->on_io_thread()) return blocked_on_io_thread();
  auto w = std::make_shared<detail::Waiter>();
  std::uint64_t id = 0;
  {
    std::lock_guard lock(impl_->mu);
    auto r = impl_->engine.js_api(context_, op, args, detail::now_ms(), Duration{0}, payload);
    if (!r) return r.error();
    id = *r;
    impl_->js_ops.emplace(id, w);
  }
  impl_->kick();
  std::unique_lock lock(impl_->mu);
  if (!impl_->cv.wait_for(lock, options_.timeout + kSlack, [&] { return w->done; })) {
    impl_->js_ops.erase(id);
    impl_->engine.js_cancel(id);
    return Error{Errc::timeout, "JetStream API request timed out"};
  }
  if (w->error) return w->error;
  return w;
}

Result<std::string> JetStream::call_json(js::ApiOp op, const std::string &args) {
  auto w = call(op, args);
  if (!w) return w.error();
  return std::move((*w)->js.text);
}

Result<std::string> JetStream::api(js::ApiOp op, std::string_view args_json) {
  auto w = call(op, std::string(args_json));
  if (!w) return w.error();
  const Event &ev = (*w)->js;
  if (ev.type == EventType::js_stored_msg) return stored_json(ev);
  return ev.text;
}

Result<js::AccountInfo> JetStream::account_info() {
  auto r = call_json(js::ApiOp::account_info, "{}");
  if (!r) return r.error();
  return js::account_info_from_json(*r);
}

void JetStream::remember(const js::StreamInfo &info) {
  std::lock_guard lock(direct_mu_);
  direct_[info.config.name] = info.config.allow_direct.value_or(false);
}

void JetStream::forget(std::string_view stream) {
  std::lock_guard lock(direct_mu_);
  direct_.erase(std::string(stream));
}

Result<js::StreamInfo> JetStream::add_stream(const js::StreamConfig &config) {
  auto r = call_json(js::ApiOp::stream_create, Args().raw("config", js::to_json(config)).done());
  if (!r) return r.error();
  auto info = js::stream_info_from_json(*r);
  if (info) remember(*info);
  return info;
}

Result<js::StreamInfo> JetStream::update_stream(const js::StreamConfig &config) {
  auto r = call_json(js::ApiOp::stream_update, Args().raw("config", js::to_json(config)).done());
  if (!r) return r.error();
  auto info = js::stream_info_from_json(*r);
  if (info) remember(*info);
  return info;
}

Result<js::StreamInfo> JetStream::stream_info(std::string_view name,
                                              std::string_view subjects_filter) {
  Args args;
  args.str("name", name);
  if (!subjects_filter.empty()) args.str("subjects_filter", subjects_filter);
  auto r = call_json(js::ApiOp::stream_info, args.done());
  if (!r) return r.error();
  auto info = js::stream_info_from_json(*r);
  if (info) remember(*info);
  return info;
}

Result<bool> JetStream::delete_stream(std::string_view name) {
  auto r = call_json(js::ApiOp::stream_delete, Args().str("name", name).done());
  if (!r) return r.error();
  forget(name);
  return js::success_from_json(*r);
}

Result<std::uint64_t> JetStream::purge_stream(std::string_view name, std::string_view filter,
                                              std::uint64_t seq, std::uint64_t keep) {
  Args args;
  args.str("name", name);
  if (!filter.empty()) args.str("filter", filter);
  if (seq > 0) args.num("seq", seq);
  if (keep > 0) args.num("keep", keep);
  auto r = call_json(js::ApiOp::stream_purge, args.done());
  if (!r) return r.error();
  auto purged = js::purge_response_from_json(*r);
  if (!purged) return purged.error();
  return purged->purged;
}

Result<std::vector<std::string>> JetStream::stream_names(std::string_view subject) {
  Args args;
  if (!subject.empty()) args.str("subject", subject);
  auto r = call_json(js::ApiOp::stream_names, args.done());
  if (!r) return r.error();
  return js::names_from_json(*r, "streams");
}

Result<std::vector<js::StreamInfo>> JetStream::streams_info(std::string_view subject) {
  Args args;
  if (!subject.empty()) args.str("subject", subject);
  auto r = call_json(js::ApiOp::stream_list, args.done());
  if (!r) return r.error();
  auto infos = js::stream_infos_from_json(*r);
  if (infos) {
    for (const auto &info : *infos) remember(info);
  }
  return infos;
}

// --- messages --------------------------------------------------------------------------

Result<bool> JetStream::allows_direct(std::string_view stream) {
  {
    std::lock_guard lock(direct_mu_);
    if (auto it = direct_.find(std::string(stream)); it != direct_.end()) return it->second;
  }
  auto info = stream_info(stream);  // remembers it
  if (!info) return info.error();
  return info->config.allow_direct.value_or(false);
}

Result<StoredMsg> JetStream::read_msg(std::string_view stream, const std::string &query) {
  const std::string args = "{\"name\":" + js::json_quote(stream) + "," + query + "}";
  for (int attempt = 0;; ++attempt) {
    auto direct = allows_direct(stream);
    if (!direct) return direct.error();
    auto w = call(*direct ? js::ApiOp::direct_get : js::ApiOp::stream_msg_get, args);
    if (w) return to_stored((*w)->js);
    // nats-server 2.9 drops a DIRECT.GET to a stream without allow_direct
    // (no reply at all): after a timeout, look again in case someone turned
    // it off since we cached it.
    if (attempt > 0 || !*direct || w.error().code != Errc::timeout) return w.error();
    forget(stream);
  }
}

Result<StoredMsg> JetStream::get_msg(std::string_view stream, std::uint64_t seq) {
  return read_msg(stream, "\"seq\":" + std::to_string(seq));
}

Result<StoredMsg> JetStream::get_last_msg(std::string_view stream, std::string_view subject) {
  return read_msg(stream, "\"last_by_subj\":" + js::json_quote(subject));
}

Result<bool> JetStream::delete_msg(std::string_view stream, std::uint64_t seq, bool erase) {
  Args args;
  args.str("name", stream).num("seq", seq);
  if (!erase) args.flag("no_erase", true);
  auto r = call_json(js::ApiOp::stream_msg_delete, args.done());
  if (!r) return r.error();
  return js::success_from_json(*r);
}

// --- consumers -------------------------------------------------------------------------

Result<js::ConsumerInfo> JetStream::add_consumer(std::string_view stream,
                                                 const js::ConsumerConfig &config) {
  auto r = call_json(js::ApiOp::consumer_create,
                     Args().str("stream", stream).raw("config", js::to_json(config)).done());
  if (!r) return r.error();
  return js::consumer_info_from_json(*r);
}

Result<js::ConsumerInfo> JetStream::consumer_info(std::string_view stream, std::string_view name) {
  auto r =
      call_json(js::ApiOp::consumer_info, Args().str("stream", stream).str("name", name).done());
  if (!r) return r.error();
  return js::consumer_info_from_json(*r);
}

Result<bool> JetStream::delete_consumer(std::string_view stream, std::string_view name) {
  auto r =
      call_json(js::ApiOp::consumer_delete, Args().str("stream", stream).str("name", name).done());
  if (!r) return r.error();
  return js::success_from_json(*r);
}

Result<std::vector<std::string>> JetStream::consumer_names(std::string_view stream) {
  auto r = call_json(js::ApiOp::consumer_names, Args().str("stream", stream).done());
  if (!r) return r.error();
  return js::names_from_json(*r, "consumers");
}

Result<std::vector<js::ConsumerInfo>> JetStream::consumers_info(std::string_view stream) {
  auto r = call_json(js::ApiOp::consumer_list, Args().str("stream", stream).done());
  if (!r) return r.error();
  return js::consumer_infos_from_json(*r);
}

// --- reading from consumers -----------------------------------------------------------

Result<PullConsumer> JetStream::pull_consumer(std::string_view stream, std::string_view name) {
  auto info = consumer_info(stream, name);
  if (!info) return info.error();
  if (info->config.deliver_subject) {
    return Error{Errc::illegal_state,
                 "consumer '" + info->name + "' is push based; pull consumers only"};
  }
  return PullConsumer(shared_from_this(), impl_, context_, std::move(*info));
}

Result<OrderedConsumer> JetStream::ordered_consumer(std::string_view stream,
                                                    const js::OrderedOptions &options) {
  if (impl_->on_io_thread()) return blocked_on_io_thread();
  auto w = std::make_shared<detail::Waiter>();
  std::uint64_t id = 0;
  {
    std::lock_guard lock(impl_->mu);
    auto r = impl_->engine.ordered_create(context_, stream, options, detail::now_ms());
    if (!r) return r.error();
    id = *r;
    impl_->js_ops.emplace(id, w);  // its js_result carries the same id
  }
  impl_->kick();
  std::unique_lock lock(impl_->mu);
  // Creating is two API calls in turn (the stream or the offset, then the
  // consumer), each within the context's timeout.
  if (!impl_->cv.wait_for(lock, 2 * options_.timeout + kSlack, [&] { return w->done; })) {
    impl_->js_ops.erase(id);
    impl_->engine.ordered_delete(id);
    return Error{Errc::timeout, "creating the ordered consumer timed out"};
  }
  if (w->error) return w->error;
  lock.unlock();
  return OrderedConsumer(shared_from_this(), impl_, id, std::string(stream));
}

std::size_t JetStream::pull_sessions() const {
  std::lock_guard lock(impl_->mu);
  return impl_->engine.pull_sessions();
}

}  // namespace nats::native
