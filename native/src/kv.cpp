// Key-value buckets for the native client: bucket calls and reads are
// engine API calls (JetStream::call), writes go through the context's
// publish window (JetStream::start_write), and a watch is the engine's
// ordered consumer run as one consume session whose events the I/O thread
// routes to a PullState (io_loop.cpp). The rules are the engine's; this file
// translates types and waits.
#include "nats/native/kv.hpp"

#include <charconv>
#include <condition_variable>
#include <mutex>
#include <set>
#include <utility>

#include "client_impl.hpp"
#include "nats/jetstream/publish.hpp"
#include "nats/native/jetstream.hpp"

namespace nats::native {

namespace kv = js::kv;
using std::chrono::milliseconds;

namespace {

using detail::blocked_on_io_thread;
using detail::kSlack;

// {"bucket":...,"key":...,"direct":...}: values quoted by the core's json_quote().
std::string key_args(std::string_view bucket, std::string_view key, bool direct) {
  return "{\"bucket\":" + js::json_quote(bucket) + ",\"key\":" + js::json_quote(key) +
         ",\"direct\":" + (direct ? "true" : "false");
}

// kv_bucket_create's arguments (api.hpp documents them).
std::string bucket_config_args(const kv::BucketConfig &c) {
  const auto num = [](std::int64_t v) { return std::to_string(v); };
  std::string out =
      "{\"config\":{\"bucket\":" + js::json_quote(c.bucket) +
      ",\"description\":" + js::json_quote(c.description) + ",\"history\":" + num(c.history) +
      ",\"ttl\":" + num(c.ttl.count()) + ",\"max_value_size\":" + num(c.max_value_size) +
      ",\"max_bytes\":" + num(c.max_bytes) + ",\"storage\":" + js::json_quote(c.storage) +
      ",\"replicas\":" + num(c.replicas) +
      ",\"allow_direct\":" + (c.allow_direct ? "true" : "false");
  // Placement and republish are JSON already; the core checks them.
  if (!c.placement_json.empty()) out += ",\"placement\":" + c.placement_json;
  if (!c.republish_json.empty()) out += ",\"republish\":" + c.republish_json;
  if (!c.mirror.empty()) out += ",\"mirror\":" + js::json_quote(c.mirror);
  return out + "}}";
}

// RFC 3339 ("2024-05-01T10:20:30.123456789Z", or with a ±hh:mm offset) as a
// time point; the epoch when it is not one. Reads carry the server's time as
// text, watches as nanoseconds in the ack subject: entries have one type.
std::chrono::sys_time<std::chrono::nanoseconds> parse_time(std::string_view t) {
  using namespace std::chrono;
  const auto num = [&](std::size_t pos, std::size_t len, int &out) {
    if (pos + len > t.size()) return false;
    auto r = std::from_chars(t.data() + pos, t.data() + pos + len, out);
    return r.ec == std::errc() && r.ptr == t.data() + pos + len;
  };
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!num(0, 4, y) || !num(5, 2, mo) || !num(8, 2, d) || !num(11, 2, h) || !num(14, 2, mi) ||
      !num(17, 2, s)) {
    return {};
  }
  std::size_t pos = 19;
  std::int64_t frac = 0;
  int digits = 0;
  if (pos < t.size() && t[pos] == '.') {
    for (++pos; pos < t.size() && t[pos] >= '0' && t[pos] <= '9'; ++pos) {
      if (digits < 9) frac = frac * 10 + (t[pos] - '0'), ++digits;
    }
  }
  for (; digits < 9; ++digits) frac *= 10;
  minutes offset{0};
  if (pos < t.size() && (t[pos] == '+' || t[pos] == '-')) {
    int oh = 0, om = 0;
    if (!num(pos + 1, 2, oh) || !num(pos + 4, 2, om)) return {};
    offset = hours(oh) + minutes(om);
    if (t[pos] == '-') offset = -offset;
  }
  const year_month_day date{year(y), month(static_cast<unsigned>(mo)),
                            day(static_cast<unsigned>(d))};
  if (!date.ok()) return {};
  return sys_days(date) + hours(h) + minutes(mi) + seconds(s) + nanoseconds(frac) - offset;
}

// A watch entry: the engine hands the key as the subject and the operation
// where a consumer's delivery sequence would be (js_msg num2).
KvEntry entry_of(const std::string &bucket, const JsMsg &m) {
  KvEntry e;
  e.bucket = bucket;
  e.key = m.subject;
  e.value = m.data;
  e.revision = m.seq();
  e.operation = static_cast<kv::Operation>(m.delivery_seq());
  if (auto info = m.metadata()) {
    e.created = std::chrono::sys_time<std::chrono::nanoseconds>(
        std::chrono::nanoseconds(info->timestamp_ns));
    e.delta = info->pending;
  }
  return e;
}

KvStatus status_of(std::string bucket, js::StreamInfo info) {
  KvStatus st;
  st.bucket = std::move(bucket);
  st.values = info.state.messages;
  st.history = info.config.max_msgs_per_subject.value_or(1);
  st.ttl = std::chrono::duration_cast<milliseconds>(info.config.max_age.value_or(js::Nanos{0}));
  st.bytes = info.state.bytes;
  st.stream_info = std::move(info);
  return st;
}

}  // namespace

// --- buckets (JetStream entry points) ----------------------------------------------------

Result<KeyValue> JetStream::key_value(std::string_view bucket) {
  auto r = call_json(js::ApiOp::kv_bucket_info, "{\"bucket\":" + js::json_quote(bucket) + "}");
  if (!r) return r.error();
  auto info = js::stream_info_from_json(*r);
  if (!info) return info.error();
  remember(*info);
  return KeyValue(shared_from_this(), std::string(bucket),
                  info->config.allow_direct.value_or(false));
}

Result<KeyValue> JetStream::create_key_value(const js::kv::BucketConfig &config) {
  auto r = call_json(js::ApiOp::kv_bucket_create, bucket_config_args(config));
  if (!r) return r.error();
  auto info = js::stream_info_from_json(*r);
  if (!info) return info.error();
  remember(*info);
  return KeyValue(shared_from_this(), config.bucket, info->config.allow_direct.value_or(false));
}

Result<bool> JetStream::delete_key_value(std::string_view bucket) {
  auto r = call_json(js::ApiOp::kv_bucket_delete, "{\"bucket\":" + js::json_quote(bucket) + "}");
  if (!r) return r.error();
  forget(kv::stream_name(bucket));
  return js::success_from_json(*r);
}

Result<std::vector<KvStatus>> JetStream::key_value_buckets() {
  // kv_bucket_list's result ({"buckets":[{bucket, info}]}) has no typed
  // decoder in core, so this lists the streams on the buckets' subjects and
  // keeps those named as a bucket's (the same two rules the engine applies).
  auto infos = streams_info(kv::key_subject("*", ">"));
  if (!infos) return infos.error();
  std::vector<KvStatus> out;
  for (auto &info : *infos) {
    std::string bucket = kv::bucket_of_stream(info.config.name);
    if (!bucket.empty()) out.push_back(status_of(std::move(bucket), std::move(info)));
  }
  return out;
}

// --- writes and reads ----------------------------------------------------------------------

Result<std::uint64_t> KeyValue::write(std::string_view key, std::string_view value,
                                      kv::Operation op, std::optional<std::uint64_t> last) {
  JetStream &js = *js_;
  if (js.impl_->on_io_thread()) return blocked_on_io_thread();
  auto future = js.start_write(
      [&] {
        return js.impl_->engine.kv_write(js.context_, bucket_, key, value, op, last,
                                         detail::now_ms());
      },
      js.options_.timeout);
  if (!future) return future.error();
  auto ack = future->get();
  if (!ack) return ack.error();
  return ack->seq;  // the revision
}

Result<std::uint64_t> KeyValue::put(std::string_view key, std::string_view value) {
  return write(key, value, kv::Operation::put, std::nullopt);
}

Result<std::uint64_t> KeyValue::update(std::string_view key, std::string_view value,
                                       std::uint64_t last) {
  return write(key, value, kv::Operation::put, last);
}

Result<std::uint64_t> KeyValue::del(std::string_view key, std::optional<std::uint64_t> last) {
  return write(key, {}, kv::Operation::del, last);
}

Result<std::uint64_t> KeyValue::purge(std::string_view key, std::optional<std::uint64_t> last) {
  return write(key, {}, kv::Operation::purge, last);
}

Result<std::uint64_t> KeyValue::create(std::string_view key, std::string_view value) {
  // One engine call: the write expecting no value, and over a tombstone the
  // write after it (api_call_kv.cpp).
  auto w = js_->call(js::ApiOp::kv_create, key_args(bucket_, key, direct_) + "}", value);
  if (!w) return w.error();
  auto ack = js::parse_pub_ack((*w)->js.text);
  if (!ack) return ack.error();
  return ack->seq;
}

Result<KvEntry> KeyValue::get(std::string_view key, std::optional<std::uint64_t> revision) {
  // A direct read that gets no answer is checked against the stream's
  // config by the engine (api_call_kv.cpp), so this is one call.
  std::string args = key_args(bucket_, key, direct_);
  if (revision) args += ",\"revision\":" + std::to_string(*revision);
  auto w = js_->call(js::ApiOp::kv_get, args + "}");
  if (!w) return w.error();
  const Event &ev = (*w)->js;
  KvEntry e;
  e.bucket = bucket_;
  e.key = std::string(key);
  e.value = ev.data.substr(ev.data_headers);
  e.revision = ev.num;
  e.created = parse_time(ev.text2);
  e.operation = static_cast<kv::Operation>(ev.num2);
  return e;
}

Result<std::uint64_t> KeyValue::purge_deletes(std::chrono::milliseconds older_than) {
  KvWatchOptions o;
  o.headers_only = true;
  auto entries = initial_entries(">", o);
  if (!entries) return entries.error();
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  const auto now = duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch());
  std::uint64_t purged = 0;
  for (const auto &e : *entries) {
    const auto created = duration_cast<milliseconds>(e.created.time_since_epoch());
    auto args = kv::purge_deletes_args(bucket_, e.key, e.operation, created.count(), now.count(),
                                       older_than.count());
    if (!args) continue;  // the key has a value
    auto r = js_->call_json(js::ApiOp::stream_purge, *args);
    if (!r) return r.error();
    auto p = js::purge_response_from_json(*r);
    if (!p) return p.error();
    purged += p->purged;
  }
  return purged;
}

Result<KvStatus> KeyValue::status() {
  auto r =
      js_->call_json(js::ApiOp::kv_bucket_info, "{\"bucket\":" + js::json_quote(bucket_) + "}");
  if (!r) return r.error();
  auto info = js::stream_info_from_json(*r);
  if (!info) return info.error();
  return status_of(bucket_, std::move(*info));
}

// --- watches -----------------------------------------------------------------------------

Result<KvWatch> KeyValue::watch(std::string_view keys, const KvWatchOptions &options,
                                std::function<void(const KvEntry &)> callback,
                                std::function<void()> on_caught_up) {
  if (!callback) return Error{Errc::invalid_argument, "callback is empty"};
  JetStream &js = *js_;
  const auto &impl = js.impl_;
  if (impl->on_io_thread()) return blocked_on_io_thread();
  auto created = std::make_shared<detail::Waiter>();
  std::uint64_t ordered = 0;
  {
    std::lock_guard lock(impl->mu);
    auto r = impl->engine.kv_watch(
        js.context_, bucket_, keys, options.include, options.headers_only,
        options.ignore_deletes ? js::kv::Ignore::deletes_and_purges : js::kv::Ignore::nothing,
        options.resume_from, detail::now_ms());
    if (!r) return r.error();
    ordered = *r;
    impl->js_ops.emplace(ordered, created);  // its js_result carries the same id
  }
  impl->kick();
  auto state = std::make_shared<detail::PullState>();
  state->callback = [bucket = bucket_, cb = std::move(callback)](const JsMsg &m) {
    cb(entry_of(bucket, m));
  };
  state->status_callback = [cb = std::move(on_caught_up)](const ConsumerStatus &st) {
    if (cb && st.type == "caught_up") cb();
  };
  js::PullOptions pull;
  pull.mode = js::PullMode::consume;
  std::unique_lock lock(impl->mu);
  // Creating is two API calls in turn (the stream, then the consumer).
  if (!impl->cv.wait_for(lock, 2 * js.options_.timeout + kSlack, [&] { return created->done; })) {
    impl->js_ops.erase(ordered);
    impl->engine.ordered_delete(ordered);
    return Error{Errc::timeout, "creating the watch timed out"};
  }
  if (created->error) return created->error;
  // Registered under the lock that starts it: no entry can be missed.
  auto session = impl->engine.ordered_pull(ordered, pull, detail::now_ms());
  if (!session) {
    impl->engine.ordered_delete(ordered);
    return session.error();
  }
  impl->pulls.emplace(*session, state);
  lock.unlock();
  impl->kick();
  return KvWatch(impl, std::move(state), ordered, *session);
}

Result<KvWatch> KeyValue::watch_all(const KvWatchOptions &options,
                                    std::function<void(const KvEntry &)> callback,
                                    std::function<void()> on_caught_up) {
  return watch(">", options, std::move(callback), std::move(on_caught_up));
}

Result<std::vector<KvEntry>> KeyValue::initial_entries(std::string_view keys,
                                                       const KvWatchOptions &options) {
  struct Collected {
    std::mutex mu;
    std::condition_variable cv;
    std::vector<KvEntry> entries;
    std::optional<std::size_t> caught_up_at;  ///< entries before the caught-up signal
  };
  auto c = std::make_shared<Collected>();
  auto w = watch(
      keys, options,
      [c](const KvEntry &e) {
        std::lock_guard lock(c->mu);
        c->entries.push_back(e);
        c->cv.notify_all();
      },
      [c] {
        std::lock_guard lock(c->mu);
        c->caught_up_at = c->entries.size();
        c->cv.notify_all();
      });
  if (!w) return w.error();
  // Bounded without capping the bucket's size: it gives up only after the
  // context's timeout passes with no entry at all.
  std::vector<KvEntry> out;
  bool caught_up = false;
  {
    std::unique_lock lock(c->mu);
    for (std::size_t seen = 0;; seen = c->entries.size()) {
      const bool moved = c->cv.wait_for(lock, js_->options_.timeout, [&] {
        return c->caught_up_at.has_value() || c->entries.size() != seen;
      });
      if (c->caught_up_at) {
        caught_up = true;
        out.assign(c->entries.begin(), c->entries.begin() + *c->caught_up_at);
        break;
      }
      if (!moved) break;
    }
  }
  w->stop();  // not under c->mu: stop() waits for a running callback, which takes it
  if (caught_up) return out;
  if (Error e = w->error()) return e;
  return Error{Errc::timeout, "the watch did not catch up in time"};
}

Result<std::vector<std::string>> KeyValue::keys(std::string_view filter) {
  KvWatchOptions o;
  o.headers_only = true;
  o.ignore_deletes = true;
  auto entries = initial_entries(filter, o);
  if (!entries) return entries.error();
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (auto &e : *entries) {
    if (seen.insert(e.key).second) out.push_back(std::move(e.key));
  }
  return out;
}

Result<std::vector<KvEntry>> KeyValue::history(std::string_view key) {
  KvWatchOptions o;
  o.include = kv::WatchInclude::all_history;
  return initial_entries(key, o);
}

// --- KvWatch -------------------------------------------------------------------------------

KvWatch::KvWatch(KvWatch &&other) noexcept
    : impl_(std::move(other.impl_)),
      state_(std::move(other.state_)),
      ordered_(std::exchange(other.ordered_, 0)),
      session_(std::exchange(other.session_, 0)) {}

KvWatch &KvWatch::operator=(KvWatch &&other) noexcept {
  if (this != &other) {
    stop();
    impl_ = std::move(other.impl_);
    state_ = std::move(other.state_);
    ordered_ = std::exchange(other.ordered_, 0);
    session_ = std::exchange(other.session_, 0);
  }
  return *this;
}

KvWatch::~KvWatch() { stop(); }

void KvWatch::stop() {
  if (!state_) return;
  impl_->stop_ordered_read(*state_, ordered_, session_);
}

bool KvWatch::is_closed() const {
  if (!state_) return true;
  std::lock_guard lock(impl_->mu);
  return state_->done;
}

Error KvWatch::error() const {
  if (!state_) return {};
  std::lock_guard lock(impl_->mu);
  return state_->error;
}

std::uint64_t KvWatch::received() const {
  if (!state_) return 0;
  std::lock_guard lock(impl_->mu);
  return state_->received;
}

}  // namespace nats::native
