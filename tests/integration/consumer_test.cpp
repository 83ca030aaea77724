// Integration tests: the native consumer API (fetch, next, consume,
// messages(), acks, ordered consumers) against a real nats-server 2.9.
// Tests that exercise the transport run over TCP and WebSocket; the rest
// over TCP only. Waits are on conditions (messages, notifications), never
// on sleeps; where time itself is the subject (ack wait, nak delay) the
// waiting is done by fetches that expire.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "jetstream_fixture.hpp"
#include "nats/native/consumer.hpp"

namespace {

using namespace std::chrono_literals;
using nats::Errc;
using nats::native::ConsumeOptions;
using nats::native::ConsumerStatus;
using nats::native::FetchOptions;
using nats::native::JsMsg;
using nats::testing::JsTransport;
using Clock = std::chrono::steady_clock;
namespace js = nats::js;
namespace fs = std::filesystem;

// --- helpers -------------------------------------------------------------------------

// The pid of the child process listening on 127.0.0.1:port (the fixture's
// server does not expose its pid): the socket's inode from /proc/net/tcp,
// then the child holding it.
pid_t listening_child(std::uint16_t port) {
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, ":%04X", port);
  std::ifstream tcp("/proc/net/tcp");
  std::string line, inode;
  std::getline(tcp, line);  // header
  while (std::getline(tcp, line)) {
    std::istringstream in(line);
    std::string sl, local, remote, st, queues, timer, retr, uid, timeout, ino;
    in >> sl >> local >> remote >> st >> queues >> timer >> retr >> uid >> timeout >> ino;
    if (st == "0A" && local.size() > 5 && local.substr(local.size() - 5) == suffix) {
      inode = ino;
      break;
    }
  }
  if (inode.empty()) return -1;
  const std::string target = "socket:[" + inode + "]";
  std::error_code ec;
  for (const auto &proc : fs::directory_iterator("/proc", ec)) {
    const std::string pid = proc.path().filename();
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(proc.path() / "stat");
    std::string s;
    std::getline(stat, s);
    auto close = s.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(s.substr(close + 1));
    std::string state;
    pid_t ppid = 0;
    rest >> state >> ppid;
    if (ppid != ::getpid()) continue;
    for (const auto &fd : fs::directory_iterator(proc.path() / "fd", ec)) {
      if (fs::read_symlink(fd.path(), ec) == target) return std::stoi(pid);
    }
  }
  return -1;
}

// Freezes a process (SIGSTOP) until resume() or the end of the scope.
class Frozen {
public:
  explicit Frozen(pid_t pid) : pid_(pid) { ::kill(pid_, SIGSTOP); }
  ~Frozen() { resume(); }
  void resume() {
    if (pid_ > 0) ::kill(pid_, SIGCONT);
    pid_ = -1;
  }

private:
  pid_t pid_;
};

// What callbacks on the I/O thread saw, and waits on it.
class Seen {
public:
  void msg(std::uint64_t seq, int worker = 0) {
    std::lock_guard lock(mu_);
    seqs_.push_back(seq);
    workers_.push_back(worker);
    cv_.notify_all();
  }
  void status(const ConsumerStatus &s) {
    std::lock_guard lock(mu_);
    statuses_.push_back(s.type);
    cv_.notify_all();
  }
  bool wait_msgs(std::size_t n, std::chrono::milliseconds timeout = 20s) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return seqs_.size() >= n; });
  }
  bool wait_status(const std::string &type, std::chrono::milliseconds timeout = 10s) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return has_status_locked(type); });
  }
  std::vector<std::uint64_t> seqs() const {
    std::lock_guard lock(mu_);
    return seqs_;
  }
  std::vector<int> workers() const {
    std::lock_guard lock(mu_);
    return workers_;
  }

private:
  bool has_status_locked(const std::string &type) const {
    return std::find(statuses_.begin(), statuses_.end(), type) != statuses_.end();
  }
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::uint64_t> seqs_;
  std::vector<int> workers_;
  std::vector<std::string> statuses_;
};

std::vector<std::uint64_t> range(std::uint64_t from, std::uint64_t to) {
  std::vector<std::uint64_t> out;
  for (std::uint64_t i = from; i <= to; ++i) out.push_back(i);
  return out;
}

FetchOptions fetch_of(std::uint64_t max, std::chrono::milliseconds expires, bool prompt = false) {
  FetchOptions o;
  o.max_messages = max;
  o.expires = expires;
  o.prompt = prompt;
  return o;
}

class ConsumerTest : public nats::testing::JetStreamFixture {
protected:
  /// A durable explicit-ack consumer `name` on `stream`, and its handle
  /// (nullopt, with a failure recorded, when either call fails).
  std::optional<nats::native::PullConsumer> durable(const std::string &stream,
                                                    const std::string &name,
                                                    std::chrono::milliseconds ack_wait = 0ms) {
    js::ConsumerConfig cfg;
    cfg.durable_name = name;
    cfg.ack_policy = js::AckPolicy::explicit_;
    if (ack_wait.count() > 0) cfg.ack_wait = ack_wait;
    auto created = js_->add_consumer(stream, cfg);
    EXPECT_TRUE(created.ok()) << created.error().message;
    auto c = js_->pull_consumer(stream, name);
    EXPECT_TRUE(c.ok()) << c.error().message;
    if (!c.ok()) return std::nullopt;
    return std::move(*c);
  }

  /// Publishes n messages "0".."n-1" to subject and waits for every ack.
  void publish_n(const std::string &subject, int n) {
    for (int i = 0; i < n; ++i) {
      auto f = js_->publish_async(subject, std::to_string(i));
      ASSERT_TRUE(f.ok()) << f.error().message;
    }
    ASSERT_FALSE(js_->publish_async_completed(20s));
  }
};
// Tests where the transport does not matter.
class ConsumerTcpTest : public ConsumerTest {};

// --- fetch and next ----------------------------------------------------------------------

TEST_P(ConsumerTest, FetchFromAnEmptyStreamIsEmpty) {
  const std::string s = unique("CEMPTY");
  make_stream(s);
  auto c = durable(s, "C");
  ASSERT_TRUE(c);
  const auto t0 = Clock::now();
  auto batch = c->fetch(fetch_of(10, 500ms));
  ASSERT_TRUE(batch.ok()) << batch.error().message;
  EXPECT_TRUE(batch->empty());
  EXPECT_GE(Clock::now() - t0, 400ms) << "a fetch waits for its expiry";
  auto prompt = c->fetch(fetch_of(10, 500ms, true));
  ASSERT_TRUE(prompt.ok()) << prompt.error().message;
  EXPECT_TRUE(prompt->empty());
  auto one = c->next(500ms);
  ASSERT_TRUE(one.ok()) << one.error().message;
  EXPECT_FALSE(one->has_value());
  EXPECT_EQ(js_->pull_sessions(), 0u);
}

TEST_P(ConsumerTest, NextAndFetchBatchesWithMetadataAndAcks) {
  const std::string s = unique("CBATCH");
  make_stream(s);
  nats::Headers h;
  h.append("X-Id", "first");
  publish(s + ".a", "m0", &h);
  publish_n(s + ".a", 9);
  auto c = durable(s, "C");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->name(), "C");
  EXPECT_EQ(c->stream(), s);

  auto first = c->next(5s);
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_TRUE(first->has_value());
  const JsMsg &m = **first;
  EXPECT_EQ(m.subject, s + ".a");
  EXPECT_EQ(m.data, "m0");
  EXPECT_EQ(m.seq(), 1u);
  EXPECT_EQ(m.delivery_count(), 1u);
  auto hdrs = m.headers();
  ASSERT_TRUE(hdrs.ok());
  EXPECT_EQ(hdrs->get("X-Id"), "first");
  auto meta = m.metadata();
  ASSERT_TRUE(meta.ok()) << meta.error().message;
  EXPECT_EQ(meta->stream, s);
  EXPECT_EQ(meta->consumer, "C");
  EXPECT_EQ(meta->stream_seq, 1u);
  EXPECT_EQ(meta->consumer_seq, 1u);
  EXPECT_EQ(meta->pending, 9u);
  EXPECT_FALSE(m.in_progress());
  EXPECT_FALSE(m.is_acked());
  EXPECT_FALSE(m.ack());
  EXPECT_TRUE(m.is_acked());
  // nats.py MsgAlreadyAckdError: a second terminal ack is refused, typed.
  EXPECT_EQ(m.ack().code, Errc::illegal_state);
  EXPECT_EQ(m.nak().code, Errc::illegal_state);
  EXPECT_EQ(m.term().code, Errc::illegal_state);
  EXPECT_EQ(m.ack_sync().code, Errc::illegal_state);
  JsMsg copy = m;
  EXPECT_EQ(copy.ack().code, Errc::illegal_state) << "copies are the same delivery";

  // A full batch returns without waiting for the expiry.
  const auto t0 = Clock::now();
  auto four = c->fetch(fetch_of(4, 5s));
  ASSERT_TRUE(four.ok()) << four.error().message;
  EXPECT_LT(Clock::now() - t0, 4s);
  std::vector<std::uint64_t> seqs;
  for (const auto &x : *four) seqs.push_back(x.seq());
  EXPECT_EQ(seqs, range(2, 5));
  // A short batch ends at its expiry with what there was.
  auto rest = c->fetch(fetch_of(10, 500ms));
  ASSERT_TRUE(rest.ok()) << rest.error().message;
  seqs.clear();
  for (const auto &x : *rest) seqs.push_back(x.seq());
  EXPECT_EQ(seqs, range(6, 10));
  for (const auto &x : *four) EXPECT_FALSE(x.ack());
  for (std::size_t i = 0; i + 1 < rest->size(); ++i) EXPECT_FALSE((*rest)[i].ack());
  EXPECT_FALSE(rest->back().ack_sync()) << "the server confirms; earlier acks are in too";
  auto info = c->info();
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->num_pending, 0u);
  EXPECT_EQ(info->num_ack_pending, 0);
  EXPECT_EQ(info->delivered.stream_seq, 10u);

  // After the client closed: acks and fetches fail typed.
  publish(s + ".a", "late");
  auto late = c->next(5s);
  ASSERT_TRUE(late.ok() && late->has_value());
  nc_->close();
  EXPECT_EQ((*late)->ack().code, Errc::connection_closed);
  EXPECT_FALSE((*late)->is_acked()) << "an ack that was not sent does not count";
  auto after = c->fetch(fetch_of(1, 500ms));
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().code, Errc::connection_closed);
}

// --- consume -------------------------------------------------------------------------------

TEST_P(ConsumerTest, ConsumeFiveThousandWithAcks) {
  constexpr std::uint64_t kCount = 5000;
  const std::string s = unique("CMANY");
  make_stream(s);
  publish_n(s + ".x", static_cast<int>(kCount));
  auto c = durable(s, "C");
  ASSERT_TRUE(c);
  Seen seen;
  std::promise<JsMsg> last;
  std::vector<Errc> from_callback;  // written by the first callback, read after wait_msgs
  auto handle = c->consume(
      [&](const JsMsg &m) {
        if (m.seq() == 1) {
          // Blocking calls on the I/O thread are refused, not deadlocked.
          from_callback.push_back(m.ack_sync().code);
          from_callback.push_back(c->fetch(fetch_of(1, 1s)).error().code);
          from_callback.push_back(c->next(1s).error().code);
        }
        if (m.seq() == kCount) {
          last.set_value(m);  // acknowledged with ack_sync by the test thread
        } else {
          EXPECT_FALSE(m.ack());
        }
        seen.msg(m.seq());
      },
      ConsumeOptions{});
  ASSERT_TRUE(handle.ok()) << handle.error().message;
  ASSERT_TRUE(seen.wait_msgs(kCount, 30s)) << seen.seqs().size();
  EXPECT_EQ(from_callback,
            (std::vector<Errc>{Errc::illegal_state, Errc::illegal_state, Errc::illegal_state}));
  auto tail = last.get_future();
  ASSERT_EQ(tail.wait_for(5s), std::future_status::ready);
  EXPECT_FALSE(tail.get().ack_sync(5s));
  EXPECT_EQ(seen.seqs(), range(1, kCount)) << "each once, in order";
  auto info = c->info();
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->num_pending, 0u);
  EXPECT_EQ(info->num_ack_pending, 0);
  EXPECT_EQ(handle->received(), kCount);
  handle->stop();
  EXPECT_TRUE(handle->is_closed());
  EXPECT_FALSE(handle->closed(1s));
  EXPECT_EQ(js_->pull_sessions(), 0u);
}

TEST_P(ConsumerTcpTest, MessageStreamHoldsAtMostMaxMessages) {
  const std::string s = unique("CSTREAM");
  make_stream(s);
  publish_n(s + ".x", 100);
  auto c = durable(s, "C");
  ASSERT_TRUE(c);
  {
    ConsumeOptions o;
    o.max_messages = 10;
    auto stream = c->messages(o);
    ASSERT_TRUE(stream.ok()) << stream.error().message;
    auto first = stream->next(5s);
    ASSERT_TRUE(first.ok() && first->has_value());
    EXPECT_EQ((*first)->seq(), 1u);
    // Nine are waiting in the queue; the engine asks for no more until they
    // are taken, so the server has delivered at most the first batch.
    ASSERT_FALSE(nc_->flush());
    auto info = c->info();
    ASSERT_TRUE(info.ok()) << info.error().message;
    EXPECT_LE(info->delivered.consumer_seq, 10u);
    EXPECT_GE(info->num_pending, 90u);
    EXPECT_LE(stream->pending(), 9u);
    std::vector<std::uint64_t> seqs{(*first)->seq()};
    EXPECT_FALSE((*first)->ack());
    while (seqs.size() < 100) {
      auto m = stream->next(5s);
      ASSERT_TRUE(m.ok()) << m.error().message;
      ASSERT_TRUE(m->has_value()) << "after " << seqs.size();
      EXPECT_LE(stream->pending(), 10u);
      seqs.push_back((*m)->seq());
      EXPECT_FALSE((*m)->ack());
    }
    EXPECT_EQ(seqs, range(1, 100));
    stream->stop();
    EXPECT_TRUE(stream->is_closed());
    auto end = stream->next(1s);
    ASSERT_TRUE(end.ok());
    EXPECT_FALSE(end->has_value());
    // A second stream, dropped without stop(): the destructor stops it.
    auto dropped = c->messages(o);
    ASSERT_TRUE(dropped.ok());
    EXPECT_EQ(js_->pull_sessions(), 1u);
  }
  EXPECT_EQ(js_->pull_sessions(), 0u);
}

// --- acknowledgements ----------------------------------------------------------------------

TEST_P(ConsumerTcpTest, NakWithDelayRedeliversWithDeliveryCountTwo) {
  const std::string s = unique("CNAK");
  make_stream(s);
  publish(s + ".x", "again");
  auto c = durable(s, "C");
  ASSERT_TRUE(c);
  auto m = c->next(5s);
  ASSERT_TRUE(m.ok() && m->has_value());
  EXPECT_EQ((*m)->delivery_count(), 1u);
  const auto t0 = Clock::now();
  ASSERT_FALSE((*m)->nak(700ms));
  auto again = c->next(5s);
  ASSERT_TRUE(again.ok()) << again.error().message;
  ASSERT_TRUE(again->has_value());
  EXPECT_GE(Clock::now() - t0, 600ms) << "not before the delay";
  EXPECT_EQ((*again)->seq(), 1u);
  EXPECT_EQ((*again)->data, "again");
  EXPECT_EQ((*again)->delivery_count(), 2u);
  EXPECT_EQ((*again)->metadata()->delivered, 2u);
  EXPECT_FALSE((*again)->ack_sync());
}

TEST_P(ConsumerTcpTest, TermIsNotRedelivered) {
  const std::string s = unique("CTERM");
  make_stream(s);
  publish(s + ".x", "poison");
  publish(s + ".x", "good");
  auto c = durable(s, "C", 1s);
  ASSERT_TRUE(c);
  auto m = c->next(5s);
  ASSERT_TRUE(m.ok() && m->has_value());
  EXPECT_EQ((*m)->data, "poison");
  ASSERT_FALSE((*m)->term());
  auto good = c->next(5s);
  ASSERT_TRUE(good.ok() && good->has_value());
  EXPECT_EQ((*good)->seq(), 2u);
  ASSERT_FALSE((*good)->ack());
  // Past the ack wait (1 s) nothing comes back.
  auto none = c->next(1500ms);
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_FALSE(none->has_value()) << "redelivered seq " << (**none).seq();
  auto info = c->info();
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->num_ack_pending, 0);
  EXPECT_EQ(info->num_redelivered, 0);
}

TEST_P(ConsumerTcpTest, InProgressExtendsTheAckWait) {
  const std::string s = unique("CWPI");
  make_stream(s);
  publish(s + ".x", "slow");
  auto c = durable(s, "C", 2s);
  ASSERT_TRUE(c);
  auto m = c->next(5s);
  ASSERT_TRUE(m.ok() && m->has_value());
  // Four seconds of work with progress reports: never redelivered (1.5 s
  // of slack for each report under load).
  for (int i = 0; i < 8; ++i) {
    ASSERT_FALSE((*m)->in_progress());
    auto r = c->next(500ms);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_FALSE(r->has_value()) << "redelivered despite in_progress";
  }
  EXPECT_FALSE((*m)->ack_sync());
  // Without progress reports the same ack wait does redeliver.
  publish(s + ".x", "forgotten");
  auto f = c->next(5s);
  ASSERT_TRUE(f.ok() && f->has_value());
  auto again = c->next(5s);
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ((*again)->seq(), (*f)->seq());
  EXPECT_EQ((*again)->delivery_count(), 2u);
  EXPECT_FALSE((*again)->ack());
}

// --- failures ------------------------------------------------------------------------------

TEST_P(ConsumerTcpTest, ConsumerDeletedWhileConsumed) {
  const std::string s = unique("CDEL");
  make_stream(s);
  publish(s + ".x", "1");
  ConsumeOptions o;
  o.expires = 2s;

  // Without abort_on_missing_resource: a notification, and it keeps going.
  auto c = durable(s, "C");
  ASSERT_TRUE(c);
  Seen seen;
  o.status_callback = [&](const ConsumerStatus &st) { seen.status(st); };
  auto handle = c->consume([&](const JsMsg &m) { seen.msg(m.seq()); }, o);
  ASSERT_TRUE(handle.ok()) << handle.error().message;
  ASSERT_TRUE(seen.wait_msgs(1));
  ASSERT_TRUE(js_->delete_consumer(s, "C").ok());
  EXPECT_TRUE(seen.wait_status("consumer_deleted"));
  EXPECT_FALSE(handle->is_closed());
  handle->stop();

  // With it: the session ends with consumer_deleted.
  auto c2 = durable(s, "C2");
  ASSERT_TRUE(c2);
  Seen seen2;
  o.abort_on_missing_resource = true;
  o.status_callback = nullptr;
  auto aborting = c2->consume([&](const JsMsg &m) { seen2.msg(m.seq()); }, o);
  ASSERT_TRUE(aborting.ok());
  ASSERT_TRUE(seen2.wait_msgs(1));
  ASSERT_TRUE(js_->delete_consumer(s, "C2").ok());
  auto why = aborting->closed(10s);
  EXPECT_EQ(why.code, Errc::consumer_deleted) << why.message;
  EXPECT_EQ(why.status, 409);
  EXPECT_EQ(aborting->error().code, Errc::consumer_deleted);

  // A fetch waiting on the server when its consumer goes.
  auto c3 = durable(s, "C3");
  ASSERT_TRUE(c3);
  ASSERT_TRUE(c3->next(5s).ok());  // takes the one message
  auto pending = std::async(std::launch::async, [&] { return c3->fetch(fetch_of(5, 10s)); });
  const auto deadline = Clock::now() + 5s;
  // Polls the server (no sleep): the fetch's request is waiting there.
  for (;;) {
    auto waiting = c3->info();
    ASSERT_TRUE(waiting.ok()) << waiting.error().message;
    if (waiting->num_waiting > 0) break;
    ASSERT_LT(Clock::now(), deadline) << "the fetch never reached the server";
  }
  ASSERT_TRUE(js_->delete_consumer(s, "C3").ok());
  auto failed = pending.get();
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, Errc::consumer_deleted);
  // Fetching from it afterwards fails typed too: nats-server 2.9 answers a
  // pull for a missing consumer with silence (no 503), so the fetch ends
  // when two heartbeats (500 ms each for a 1 s fetch) do not come.
  auto gone = c3->fetch(fetch_of(1, 1s));
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, Errc::heartbeats_missed) << gone.error().message;
  // Looking it up says why.
  auto lookup = js_->pull_consumer(s, "C3");
  ASSERT_FALSE(lookup.ok());
  EXPECT_EQ(lookup.error().code, Errc::js_api_error);
  EXPECT_EQ(lookup.error().err_code, 10014);
  EXPECT_EQ(js_->pull_sessions(), 0u);
}

TEST_P(ConsumerTcpTest, HeartbeatsMissedWhileTheServerIsFrozenThenResumes) {
  const std::string s = unique("CFREEZE");
  make_stream(s);
  publish_n(s + ".x", 50);
  auto c = durable(s, "C");
  ASSERT_TRUE(c);
  const pid_t pid = listening_child(server_->port());
  ASSERT_GT(pid, 0) << "the server's pid";
  Seen seen;
  ConsumeOptions o;
  o.expires = 2s;
  o.idle_heartbeat = 500ms;
  o.status_callback = [&](const ConsumerStatus &st) { seen.status(st); };
  auto handle = c->consume(
      [&](const JsMsg &m) {
        EXPECT_FALSE(m.ack());
        seen.msg(m.seq());
      },
      o);
  ASSERT_TRUE(handle.ok()) << handle.error().message;
  ASSERT_TRUE(seen.wait_msgs(50));
  {
    Frozen frozen(pid);
    EXPECT_TRUE(seen.wait_status("heartbeats_missed", 10s));
  }
  EXPECT_FALSE(handle->is_closed()) << "a consume survives missed heartbeats";
  publish_n(s + ".x", 50);
  ASSERT_TRUE(seen.wait_msgs(100)) << seen.seqs().size();
  auto seqs = seen.seqs();
  std::set<std::uint64_t> unique_seqs(seqs.begin(), seqs.end());
  EXPECT_EQ(std::vector<std::uint64_t>(unique_seqs.begin(), unique_seqs.end()), range(1, 100))
      << "nothing lost";
  handle->stop();
  EXPECT_EQ(js_->pull_sessions(), 0u);
}

// --- ordered consumers ---------------------------------------------------------------------

TEST_P(ConsumerTcpTest, OrderedConsumerResetsAfterItsServerConsumerIsDeleted) {
  const std::string s = unique("CORD");
  make_stream(s);
  publish_n(s + ".x", 50);
  auto oc = js_->ordered_consumer(s);
  ASSERT_TRUE(oc.ok()) << oc.error().message;
  const std::string first_name = oc->name();
  ASSERT_FALSE(first_name.empty());
  Seen seen;
  ConsumeOptions o;
  o.expires = 2s;
  o.status_callback = [&](const ConsumerStatus &st) { seen.status(st); };
  auto handle = oc->consume([&](const JsMsg &m) { seen.msg(m.seq()); }, o);
  ASSERT_TRUE(handle.ok()) << handle.error().message;
  ASSERT_TRUE(seen.wait_msgs(50));
  auto second = oc->fetch(fetch_of(1, 1s));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, Errc::illegal_state) << "one session at a time";
  ASSERT_TRUE(js_->delete_consumer(s, first_name).ok());
  EXPECT_TRUE(seen.wait_status("ordered_consumer_recreated"));
  publish_n(s + ".x", 50);
  ASSERT_TRUE(seen.wait_msgs(100)) << seen.seqs().size();
  EXPECT_EQ(seen.seqs(), range(1, 100)) << "each once, in order";
  EXPECT_NE(oc->name(), first_name);
  auto info = oc->info();
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->delivered.stream_seq, 100u);
  EXPECT_FALSE(oc->close());
  EXPECT_FALSE(handle->closed(2s)) << "closing the consumer ends its session cleanly";
  EXPECT_TRUE(handle->is_closed());
  EXPECT_EQ(js_->pull_sessions(), 0u);
}

TEST_P(ConsumerTcpTest, OrderedConsumerFromEndOfOnePartition) {
  const std::string s = unique("CPART");
  make_stream(s);
  // Two partitions, interleaved: message i goes to p.(i % 2) at sequence i + 1.
  for (int i = 0; i < 20; ++i) {
    publish(s + ".p." + std::to_string(i % 2), std::to_string(i));
  }
  js::OrderedOptions opts;
  opts.filter_subject = s + ".p.1";
  opts.offset = js::Offset::from_end(3);
  auto oc = js_->ordered_consumer(s, opts);
  ASSERT_TRUE(oc.ok()) << oc.error().message;
  auto batch = oc->fetch(fetch_of(10, 1s, true));
  ASSERT_TRUE(batch.ok()) << batch.error().message;
  std::vector<std::string> data;
  std::vector<std::uint64_t> seqs;
  for (const auto &m : *batch) {
    EXPECT_EQ(m.subject, s + ".p.1");
    data.push_back(m.data);
    seqs.push_back(m.seq());
  }
  EXPECT_EQ(data, (std::vector<std::string>{"15", "17", "19"}));
  EXPECT_EQ(seqs, (std::vector<std::uint64_t>{16, 18, 20}));
  auto more = oc->next(500ms);
  ASSERT_TRUE(more.ok()) << more.error().message;
  EXPECT_FALSE(more->has_value());
}

// --- groups ----------------------------------------------------------------------------------

TEST_P(ConsumerTcpTest, ThreeWorkersShareThreeThousandMessagesOnce) {
  constexpr std::uint64_t kCount = 3000;
  const std::string s = unique("CGROUP");
  make_stream(s);
  auto c = durable(s, "WORKERS");
  ASSERT_TRUE(c);
  Seen seen;
  std::vector<nats::native::ConsumeHandle> workers;
  for (int w = 0; w < 3; ++w) {
    ConsumeOptions o;
    o.max_messages = 50;
    auto h = c->consume(
        [&seen, w](const JsMsg &m) {
          EXPECT_FALSE(m.ack());
          seen.msg(m.seq(), w);
        },
        o);
    ASSERT_TRUE(h.ok()) << h.error().message;
    workers.push_back(std::move(*h));
  }
  EXPECT_EQ(js_->pull_sessions(), 3u);
  publish_n(s + ".x", static_cast<int>(kCount));
  ASSERT_TRUE(seen.wait_msgs(kCount, 30s)) << seen.seqs().size();
  for (auto &w : workers) w.stop();
  EXPECT_EQ(js_->pull_sessions(), 0u);
  std::map<std::uint64_t, int> times;
  for (auto seq : seen.seqs()) ++times[seq];
  EXPECT_EQ(times.size(), kCount);
  EXPECT_EQ(times.begin()->first, 1u);
  EXPECT_EQ(times.rbegin()->first, kCount);
  for (const auto &[seq, n] : times) ASSERT_EQ(n, 1) << "seq " << seq << " processed twice";
  std::map<int, int> per_worker;
  for (int w : seen.workers()) ++per_worker[w];
  EXPECT_EQ(per_worker.size(), 3u) << "every worker got a share";
}

INSTANTIATE_TEST_SUITE_P(Transports, ConsumerTest,
                         ::testing::Values(JsTransport::tcp, JsTransport::ws),
                         nats::testing::js_transport_name);
INSTANTIATE_TEST_SUITE_P(Tcp, ConsumerTcpTest, ::testing::Values(JsTransport::tcp),
                         nats::testing::js_transport_name);

}  // namespace
