// Key-value buckets from the native client against a real nats-server, over
// TCP and WebSocket: writes and revisions, reads at a revision, create over
// a tombstone, update by revision, delete and purge, keys and history,
// watches (every include mode, deletes ignored, resumed, across a server
// restart), bucket management and typed errors. Every wait is bounded.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "jetstream_fixture.hpp"
#include "nats/native/kv.hpp"
#include "watch_collector.hpp"

namespace {

using namespace std::chrono_literals;
using nats::Errc;
using nats::native::KeyValue;
using nats::native::KvEntry;
using nats::native::KvWatchOptions;
using nats::testing::JetStreamFixture;
using nats::testing::JsTransport;
using nats::testing::NatsServer;
namespace kv = nats::js::kv;

using nats::testing::kWait;

using Collector = nats::testing::WatchCollector<KvEntry>;

std::vector<std::uint64_t> revisions(const std::vector<KvEntry> &entries) {
  std::vector<std::uint64_t> out;
  for (const auto &e : entries) out.push_back(e.revision);
  return out;
}

std::vector<std::string> keys_of(const std::vector<KvEntry> &entries) {
  std::vector<std::string> out;
  for (const auto &e : entries) out.push_back(e.key);
  return out;
}

class KvTest : public JetStreamFixture {
protected:
  /// A bucket no other test uses.
  KeyValue bucket(const std::string &base, std::int64_t history = 10, bool direct = true) {
    kv::BucketConfig cfg;
    cfg.bucket = unique(base);
    cfg.history = history;
    cfg.allow_direct = direct;
    auto b = js_->create_key_value(cfg);
    EXPECT_TRUE(b.ok()) << b.error().message;
    if (!b.ok()) throw std::runtime_error("no bucket");
    return *b;
  }

  static std::uint64_t must(const nats::Result<std::uint64_t> &r) {
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : 0;
  }
};

void expect_wrong_last_sequence(const nats::Result<std::uint64_t> &r) {
  ASSERT_FALSE(r.ok()) << "expected the write to be refused";
  EXPECT_EQ(r.error().code, Errc::js_api_error) << r.error().message;
  EXPECT_EQ(r.error().err_code, 10071) << r.error().message;
  EXPECT_TRUE(kv::is_wrong_last_sequence(r.error().err_code));
}

// --- writes and reads ----------------------------------------------------------------------

TEST_P(KvTest, PutAndGetWithRevisionsByDirectAndStreamReads) {
  for (bool direct : {true, false}) {
    SCOPED_TRACE(direct ? "direct get" : "STREAM.MSG.GET");
    KeyValue b = bucket(direct ? "rev_direct" : "rev_msg_get", 10, direct);
    EXPECT_EQ(must(b.put("a", "one")), 1u);
    EXPECT_EQ(must(b.put("a", "two")), 2u);
    EXPECT_EQ(must(b.put("b.c", "x")), 3u);

    auto e = b.get("a");
    ASSERT_TRUE(e.ok()) << e.error().message;
    EXPECT_EQ(e->bucket, b.bucket());
    EXPECT_EQ(e->key, "a");
    EXPECT_EQ(e->value, "two");
    EXPECT_EQ(e->revision, 2u);
    EXPECT_EQ(e->operation, kv::Operation::put);
    const auto age = std::chrono::system_clock::now() - e->created;
    EXPECT_LT(std::chrono::abs(age), 60s) << "created is the server's time of the write";

    auto first = b.get("a", 1);
    ASSERT_TRUE(first.ok()) << first.error().message;
    EXPECT_EQ(first->value, "one");
    EXPECT_EQ(first->revision, 1u);
    EXPECT_EQ(b.get("b.c")->value, "x");

    EXPECT_EQ(b.get("a", 3).error().code, Errc::key_not_found) << "revision 3 is another key's";
    EXPECT_EQ(b.get("a", 99).error().code, Errc::key_not_found);
    EXPECT_EQ(b.get("never").error().code, Errc::key_not_found);
  }
}

TEST_P(KvTest, CreateWritesOverDeletedAndPurgedKeys) {
  KeyValue b = bucket("create_tomb");
  must(b.put("k", "v"));
  const std::uint64_t deleted = must(b.del("k"));
  auto after_del = b.create("k", "after delete");
  ASSERT_TRUE(after_del.ok()) << after_del.error().message;
  EXPECT_GT(*after_del, deleted);
  EXPECT_EQ(b.get("k")->value, "after delete");

  must(b.purge("k"));
  auto after_purge = b.create("k", "after purge");
  ASSERT_TRUE(after_purge.ok()) << after_purge.error().message;
  EXPECT_EQ(b.get("k")->value, "after purge");

  auto fresh = b.create("new", "first");
  ASSERT_TRUE(fresh.ok()) << fresh.error().message;
  EXPECT_EQ(b.get("new")->revision, *fresh);
}

TEST_P(KvTest, CreateOverALiveKeyFailsWithWrongLastSequence) {
  KeyValue b = bucket("create_live");
  must(b.create("k", "1"));
  expect_wrong_last_sequence(b.create("k", "2"));
  EXPECT_EQ(b.get("k")->value, "1") << "the refused create wrote nothing";
}

TEST_P(KvTest, UpdateNeedsTheKeysLastRevision) {
  KeyValue b = bucket("update");
  const std::uint64_t r1 = must(b.put("k", "1"));
  expect_wrong_last_sequence(b.update("k", "stale", r1 + 5));
  expect_wrong_last_sequence(b.update("k", "none", 0));
  auto r2 = b.update("k", "2", r1);
  ASSERT_TRUE(r2.ok()) << r2.error().message;
  EXPECT_GT(*r2, r1);
  expect_wrong_last_sequence(b.update("k", "again", r1));
  EXPECT_EQ(b.get("k")->value, "2");
  auto fresh = b.update("other", "x", 0);  // 0: the key must have no value
  ASSERT_TRUE(fresh.ok()) << fresh.error().message;
}

TEST_P(KvTest, DeleteAndPurgeLeaveTombstonesThatGetReturns) {
  KeyValue b = bucket("del_purge");
  must(b.put("k", "1"));
  const std::uint64_t r2 = must(b.put("k", "2"));
  expect_wrong_last_sequence(b.del("k", r2 - 1));
  const std::uint64_t rd = must(b.del("k", r2));
  auto del = b.get("k");
  ASSERT_TRUE(del.ok()) << "a deleted key gives its DEL entry: " << del.error().message;
  EXPECT_EQ(del->operation, kv::Operation::del);
  EXPECT_EQ(del->revision, rd);
  EXPECT_EQ(del->value, "");
  EXPECT_EQ(revisions(*b.history("k")), (std::vector<std::uint64_t>{1, r2, rd}));

  must(b.put("other", "stays"));
  const std::uint64_t rp = must(b.purge("k"));
  auto purged = b.get("k");
  ASSERT_TRUE(purged.ok()) << purged.error().message;
  EXPECT_EQ(purged->operation, kv::Operation::purge);
  EXPECT_EQ(purged->revision, rp);
  auto h = b.history("k");
  ASSERT_TRUE(h.ok()) << h.error().message;
  ASSERT_EQ(h->size(), 1u) << "a purge rolls the key's history up into itself";
  EXPECT_EQ(h->front().operation, kv::Operation::purge);
  EXPECT_EQ(b.get("k", rd).error().code, Errc::key_not_found);
  EXPECT_EQ(b.get("other")->value, "stays");
}

TEST_P(KvTest, KeysLeaveDeletedAndPurgedKeysOut) {
  KeyValue b = bucket("keys");
  auto none = b.keys();
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_TRUE(none->empty());
  for (const char *k : {"a", "b", "c", "x.1", "x.2"}) must(b.put(k, "v"));
  must(b.put("a", "again"));
  must(b.del("b"));
  must(b.purge("c"));
  auto all = b.keys();
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ(*all, (std::vector<std::string>{"x.1", "x.2", "a"})) << "by latest revision, once each";
  auto x = b.keys("x.*");
  ASSERT_TRUE(x.ok()) << x.error().message;
  EXPECT_EQ(*x, (std::vector<std::string>{"x.1", "x.2"}));
  must(b.del("x.1"));
  must(b.del("x.2"));
  EXPECT_TRUE(b.keys("x.>")->empty());
}

TEST_P(KvTest, HistoryListsTheKeptRevisionsOldestFirst) {
  KeyValue b = bucket("history", 3);
  for (int i = 1; i <= 5; ++i) must(b.put("k", std::to_string(i)));
  must(b.put("other", "o"));
  auto h = b.history("k");
  ASSERT_TRUE(h.ok()) << h.error().message;
  ASSERT_EQ(h->size(), 3u) << "history 3 keeps three";
  EXPECT_EQ(h->at(0).value, "3");
  EXPECT_EQ(h->at(2).value, "5");
  EXPECT_EQ(revisions(*h), (std::vector<std::uint64_t>{3, 4, 5}));
  EXPECT_EQ(h->at(0).key, "k");
  auto none = b.history("nothing");
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_TRUE(none->empty());
}

TEST_P(KvTest, EntriesExpireAfterTheBucketsTtl) {
  kv::BucketConfig cfg;
  cfg.bucket = unique("ttl");
  cfg.ttl = 1s;
  auto b = js_->create_key_value(cfg);
  ASSERT_TRUE(b.ok()) << b.error().message;
  must(b->put("k", "v"));
  ASSERT_TRUE(b->get("k").ok());
  // The server removes it on its own schedule: poll, bounded.
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  Errc last = Errc::ok;
  while (std::chrono::steady_clock::now() < deadline) {
    auto got = b->get("k");
    last = got.ok() ? Errc::ok : got.error().code;
    if (last != Errc::ok) break;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(last, Errc::key_not_found) << "the entry outlived the bucket's ttl";
}

// --- watches -------------------------------------------------------------------------------

TEST_P(KvTest, WatchGivesLastValuesThenCaughtUpThenUpdatesInOrder) {
  KeyValue b = bucket("watch");
  must(b.put("a", "1"));
  must(b.put("b", "1"));
  must(b.put("a", "2"));
  Collector seen;
  auto w = b.watch_all({}, seen.on_item(), seen.on_caught_up());
  ASSERT_TRUE(w.ok()) << w.error().message;
  ASSERT_TRUE(seen.wait_caught_up());
  EXPECT_EQ(seen.caught_up_at(), std::vector<std::size_t>{2});
  auto initial = seen.items();
  EXPECT_EQ(keys_of(initial), (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(revisions(initial), (std::vector<std::uint64_t>{2, 3}));
  EXPECT_EQ(initial[1].value, "2");
  EXPECT_EQ(initial[0].delta, 1u) << "one more initial entry to come";
  EXPECT_EQ(initial[1].delta, 0u);
  EXPECT_EQ(initial[0].bucket, b.bucket());
  EXPECT_LT(std::chrono::abs(std::chrono::system_clock::now() - initial[0].created), 60s);

  must(b.put("c", "1"));
  must(b.del("a"));
  must(b.put("b", "2"));
  ASSERT_TRUE(seen.wait_items(5));
  auto all = seen.items();
  EXPECT_EQ(revisions(all), (std::vector<std::uint64_t>{2, 3, 4, 5, 6}));
  EXPECT_EQ(all[3].key, "a");
  EXPECT_EQ(all[3].operation, kv::Operation::del);
  EXPECT_EQ(all[4].value, "2");
  EXPECT_EQ(seen.caught_up_at().size(), 1u) << "caught up once";
  EXPECT_EQ(w->received(), 5u);
  w->stop();
  EXPECT_TRUE(w->is_closed());
  EXPECT_FALSE(w->error());
  EXPECT_EQ(js_->pull_sessions(), 0u);
}

TEST_P(KvTest, WatchOfAnEmptyBucketIsCaughtUpAtOnce) {
  KeyValue b = bucket("watch_empty");
  Collector seen;
  auto w = b.watch("k.*", {}, seen.on_item(), seen.on_caught_up());
  ASSERT_TRUE(w.ok()) << w.error().message;
  ASSERT_TRUE(seen.wait_caught_up());
  EXPECT_EQ(seen.caught_up_at(), std::vector<std::size_t>{0});
  must(b.put("other", "not watched"));
  must(b.put("k.1", "watched"));
  ASSERT_TRUE(seen.wait_items(1));
  EXPECT_EQ(keys_of(seen.items()), std::vector<std::string>{"k.1"});
}

TEST_P(KvTest, WatchCanIgnoreDeletes) {
  KeyValue b = bucket("watch_nodel");
  must(b.put("a", "1"));
  must(b.del("a"));
  must(b.put("b", "1"));
  must(b.put("c", "1"));
  must(b.purge("c"));
  Collector seen;
  KvWatchOptions o;
  o.ignore_deletes = true;
  auto w = b.watch_all(o, seen.on_item(), seen.on_caught_up());
  ASSERT_TRUE(w.ok()) << w.error().message;
  ASSERT_TRUE(seen.wait_caught_up());
  EXPECT_EQ(seen.caught_up_at(), std::vector<std::size_t>{1});
  must(b.del("b"));
  must(b.put("d", "1"));
  ASSERT_TRUE(seen.wait_items(2));
  EXPECT_EQ(keys_of(seen.items()), (std::vector<std::string>{"b", "d"}))
      << "the delete of b, written before d, never came";
}

TEST_P(KvTest, WatchOfUpdatesOnlyStartsWithNothing) {
  KeyValue b = bucket("watch_updates");
  must(b.put("a", "old"));
  Collector seen;
  KvWatchOptions o;
  o.include = kv::WatchInclude::updates_only;
  auto w = b.watch_all(o, seen.on_item(), seen.on_caught_up());
  ASSERT_TRUE(w.ok()) << w.error().message;
  ASSERT_TRUE(seen.wait_caught_up());
  EXPECT_EQ(seen.caught_up_at(), std::vector<std::size_t>{0});
  must(b.put("a", "new"));
  ASSERT_TRUE(seen.wait_items(1));
  auto e = seen.items();
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].value, "new");
  EXPECT_EQ(e[0].revision, 2u);
}

TEST_P(KvTest, WatchResumesFromARevision) {
  KeyValue b = bucket("watch_resume");
  for (const char *k : {"a", "b", "c", "d"}) must(b.put(k, k));
  Collector seen;
  KvWatchOptions o;
  o.resume_from = 3;
  auto w = b.watch_all(o, seen.on_item(), seen.on_caught_up());
  ASSERT_TRUE(w.ok()) << w.error().message;
  ASSERT_TRUE(seen.wait_caught_up());
  EXPECT_EQ(revisions(seen.items()), (std::vector<std::uint64_t>{3, 4}));
  EXPECT_EQ(seen.caught_up_at(), std::vector<std::size_t>{2});
}

TEST_P(KvTest, WatchOfAllHistoryWithHeadersOnly) {
  KeyValue b = bucket("watch_history");
  must(b.put("a", "1"));
  must(b.put("a", "2"));
  must(b.put("b", "3"));
  Collector seen;
  KvWatchOptions o;
  o.include = kv::WatchInclude::all_history;
  o.headers_only = true;
  auto w = b.watch_all(o, seen.on_item(), seen.on_caught_up());
  ASSERT_TRUE(w.ok()) << w.error().message;
  ASSERT_TRUE(seen.wait_caught_up());
  auto e = seen.items();
  EXPECT_EQ(revisions(e), (std::vector<std::uint64_t>{1, 2, 3}));
  for (const auto &x : e) EXPECT_EQ(x.value, "") << "headers only: no values";
}

TEST_P(KvTest, BlockingCallsFromAWatchCallbackAreIllegalState) {
  KeyValue b = bucket("watch_blocking");
  std::mutex mu;
  std::condition_variable cv;
  std::vector<Errc> codes;
  auto w = b.watch_all({}, [&](const KvEntry &) {
    std::vector<Errc> got = {b.get("k").error().code, b.put("k", "x").error().code,
                             b.keys().error().code,
                             b.watch_all({}, [](const KvEntry &) {}).error().code};
    std::lock_guard lock(mu);
    codes = got;
    cv.notify_all();
  });
  ASSERT_TRUE(w.ok()) << w.error().message;
  must(b.put("k", "v"));
  std::unique_lock lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, kWait, [&] { return !codes.empty(); }));
  for (Errc c : codes) EXPECT_EQ(c, Errc::illegal_state);
}

// --- buckets -------------------------------------------------------------------------------

TEST_P(KvTest, BucketsAreCreatedOpenedListedAndDeleted) {
  kv::BucketConfig cfg;
  cfg.bucket = unique("manage");
  cfg.history = 3;
  cfg.ttl = 60s;
  cfg.storage = "memory";
  cfg.description = "settings";
  auto created = js_->create_key_value(cfg);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_TRUE(js_->create_key_value(cfg).ok()) << "the same settings again open it";
  kv::BucketConfig changed = cfg;
  changed.history = 5;
  EXPECT_EQ(js_->create_key_value(changed).error().code, Errc::js_api_error);

  auto opened = js_->key_value(cfg.bucket);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(opened->bucket(), cfg.bucket);
  must(opened->put("k", "v"));
  EXPECT_EQ(created->get("k")->value, "v") << "two handles, one bucket";

  auto st = opened->status();
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(st->bucket, cfg.bucket);
  EXPECT_EQ(st->values, 1u);
  EXPECT_EQ(st->history, 3);
  EXPECT_EQ(st->ttl, 60s);
  EXPECT_GT(st->bytes, 0u);
  EXPECT_EQ(st->stream_info.config.name, kv::stream_name(cfg.bucket));
  EXPECT_EQ(st->stream_info.config.storage, nats::js::StorageType::memory);

  auto list = js_->key_value_buckets();
  ASSERT_TRUE(list.ok()) << list.error().message;
  bool listed = false;
  for (const auto &s : *list) {
    EXPECT_FALSE(s.bucket.empty());
    if (s.bucket == cfg.bucket) listed = s.history == 3;
  }
  EXPECT_TRUE(listed);

  auto deleted = js_->delete_key_value(cfg.bucket);
  ASSERT_TRUE(deleted.ok()) << deleted.error().message;
  EXPECT_TRUE(*deleted);
  EXPECT_EQ(js_->key_value(cfg.bucket).error().code, Errc::bucket_not_found);
  EXPECT_EQ(opened->status().error().code, Errc::bucket_not_found);
  EXPECT_EQ(js_->delete_key_value(cfg.bucket).error().code, Errc::bucket_not_found);
  auto after = js_->key_value_buckets();  // kept: a range-for over *temporary() would dangle
  ASSERT_TRUE(after.ok()) << after.error().message;
  for (const auto &s : *after) EXPECT_NE(s.bucket, cfg.bucket);
}

TEST_P(KvTest, MissingBucketIsBucketNotFound) {
  auto b = js_->key_value(unique("never_made"));
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().code, Errc::bucket_not_found);
  EXPECT_EQ(b.error().err_code, 10059);
  EXPECT_FALSE(b.error().local());
}

TEST_P(KvTest, DirectReadOfADeletedBucketIsBucketNotFound) {
  // nats-server 2.9 never answers a direct get to a missing stream: the read
  // times out (a short context keeps this quick), then the bucket is looked up.
  nats::js::ContextOptions quick;
  quick.timeout = 1s;  // every call of this test: setup and the lookup too
  auto js = nc_->jetstream(quick);
  ASSERT_TRUE(js.ok());
  kv::BucketConfig cfg;
  cfg.bucket = unique("deleted_direct");
  auto b = (*js)->create_key_value(cfg);
  ASSERT_TRUE(b.ok()) << b.error().message;
  must(b->put("k", "v"));
  ASSERT_TRUE((*js)->delete_key_value(cfg.bucket).ok());
  EXPECT_EQ(b->get("k").error().code, Errc::bucket_not_found);
}

TEST_P(KvTest, DirectReadAfterDirectWasTurnedOffReadsThroughTheApi) {
  // The handle still believes in direct gets; the server drops them now. The
  // engine reads the stream's config after the timeout and asks the API.
  nats::js::ContextOptions quick;
  quick.timeout = 1s;
  auto js = nc_->jetstream(quick);
  ASSERT_TRUE(js.ok());
  kv::BucketConfig cfg;
  cfg.bucket = unique("direct_off");
  auto b = (*js)->create_key_value(cfg);
  ASSERT_TRUE(b.ok()) << b.error().message;
  must(b->put("k", "v"));
  auto info = (*js)->stream_info(kv::stream_name(cfg.bucket));
  ASSERT_TRUE(info.ok()) << info.error().message;
  nats::js::StreamConfig sc = info->config;
  sc.allow_direct = false;
  ASSERT_TRUE((*js)->update_stream(sc).ok());
  auto got = b->get("k");
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->value, "v");
}

TEST_P(KvTest, WatchOfADeletedBucketIsBucketNotFound) {
  kv::BucketConfig cfg;
  cfg.bucket = unique("deleted_watch");
  auto b = js_->create_key_value(cfg);
  ASSERT_TRUE(b.ok()) << b.error().message;
  ASSERT_TRUE(js_->delete_key_value(cfg.bucket).ok());
  auto w = b->watch(">", {}, [](const KvEntry &) {});
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().code, Errc::bucket_not_found);
  EXPECT_EQ(w.error().err_code, 10059);
}

TEST_P(KvTest, CreateInADeletedBucketIsBucketNotFound) {
  // create() writes to the key's subject: with the stream gone nobody answers.
  kv::BucketConfig cfg;
  cfg.bucket = unique("deleted_create");
  auto b = js_->create_key_value(cfg);
  ASSERT_TRUE(b.ok()) << b.error().message;
  ASSERT_TRUE(js_->delete_key_value(cfg.bucket).ok());
  auto c = b->create("k", "v");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, Errc::bucket_not_found) << c.error().message;
}

TEST_P(KvTest, ApiReadOfADeletedBucketIsBucketNotFound) {
  // Without direct get the read is a STREAM.MSG.GET, whose 404 (err_code
  // 10059) is about the stream, not the key.
  kv::BucketConfig cfg;
  cfg.bucket = unique("deleted_api");
  cfg.allow_direct = false;
  auto b = js_->create_key_value(cfg);
  ASSERT_TRUE(b.ok()) << b.error().message;
  must(b->put("k", "v"));
  ASSERT_TRUE(js_->delete_key_value(cfg.bucket).ok());
  auto got = b->get("k");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, Errc::bucket_not_found);
  EXPECT_EQ(got.error().err_code, 10059);
}

TEST_P(KvTest, InvalidNamesAndKeysAreTypedLocalErrors) {
  kv::BucketConfig cfg;
  cfg.bucket = "a.b";
  EXPECT_EQ(js_->create_key_value(cfg).error().code, Errc::invalid_bucket_name);
  cfg.bucket = unique("bad_history");
  cfg.history = 65;
  EXPECT_EQ(js_->create_key_value(cfg).error().code, Errc::history_too_large);
  EXPECT_EQ(js_->key_value("a b").error().code, Errc::invalid_bucket_name);
  EXPECT_EQ(js_->delete_key_value("*").error().code, Errc::invalid_bucket_name);

  KeyValue b = bucket("bad_keys");
  EXPECT_EQ(b.put("bad key", "v").error().code, Errc::invalid_key);
  EXPECT_EQ(b.put(".a", "v").error().code, Errc::invalid_key);
  EXPECT_EQ(b.put("a*", "v").error().code, Errc::invalid_key) << "no wildcards in a write";
  EXPECT_EQ(b.create("a..b", "v").error().code, Errc::invalid_key);
  EXPECT_EQ(b.update("", "v", 1).error().code, Errc::invalid_key);
  EXPECT_EQ(b.del("a.").error().code, Errc::invalid_key);
  EXPECT_EQ(b.purge("a b").error().code, Errc::invalid_key);
  auto get = b.get("a>");
  EXPECT_EQ(get.error().code, Errc::invalid_key);
  EXPECT_TRUE(get.error().local());
  EXPECT_EQ(b.keys("a.>.b").error().code, Errc::invalid_key);
  EXPECT_EQ(b.history("a b").error().code, Errc::invalid_key);
  EXPECT_EQ(b.watch("a..b", {}, [](const KvEntry &) {}).error().code, Errc::invalid_key);
  EXPECT_EQ(js_->pull_sessions(), 0u) << "nothing left running";
}

INSTANTIATE_TEST_SUITE_P(Transports, KvTest, ::testing::Values(JsTransport::tcp, JsTransport::ws),
                         nats::testing::js_transport_name);

// --- a watch across a server restart -------------------------------------------------------

class KvRestartTest : public ::testing::TestWithParam<JsTransport> {};

// Entries written before the kill, and after the restart (some by another
// client before the watcher is back): the watch sees each once, in order,
// exactly what the bucket holds.
TEST_P(KvRestartTest, WatchGetsEveryEntryOnceInOrderAcrossAServerRestart) {
  NatsServer server("default.conf");
  // Declared before the client: its status callback may run until it is gone.
  std::mutex mu;
  std::condition_variable cv;
  int reconnects = 0;
  const auto url = [&] {
    return GetParam() == JsTransport::tcp ? server.tcp_url() : server.ws_url();
  };
  nats::Options o;
  o.max_reconnect_attempts = -1;
  o.reconnect_time_wait = 500ms;
  o.connect_timeout = 2000ms;
  auto nc = nats::native::Client::connect(url(), o);
  ASSERT_TRUE(nc.ok()) << nc.error().message;
  (*nc)->on_status([&](const nats::native::Status &st) {
    std::lock_guard lock(mu);
    if (st.type == nats::native::Status::Type::reconnected) ++reconnects;
    cv.notify_all();
  });
  auto js = (*nc)->jetstream();
  ASSERT_TRUE(js.ok());
  kv::BucketConfig cfg;
  cfg.bucket = "RESTART";
  cfg.history = 64;
  auto b = (*js)->create_key_value(cfg);
  ASSERT_TRUE(b.ok()) << b.error().message;
  ASSERT_TRUE(b->put("a", "1").ok());

  Collector seen;
  KvWatchOptions all;
  all.include = kv::WatchInclude::all_history;
  auto w = b->watch_all(all, seen.on_item(), seen.on_caught_up());
  ASSERT_TRUE(w.ok()) << w.error().message;
  ASSERT_TRUE(seen.wait_caught_up());
  for (int i = 2; i <= 4; ++i) ASSERT_TRUE(b->put("a", std::to_string(i)).ok());
  ASSERT_TRUE(seen.wait_items(4));

  server.kill_hard();
  server.restart();
  // Another client writes first; then the watcher's own client. JetStream
  // may need a moment after the restart: a failed write is tried again.
  auto writer = nats::native::Client::connect(url(), o);
  ASSERT_TRUE(writer.ok()) << writer.error().message;
  auto wjs = (*writer)->jetstream();
  ASSERT_TRUE(wjs.ok());
  const auto put_retrying = [](KeyValue &kv, const std::string &key, const std::string &value) {
    nats::Error last;
    for (int attempt = 0; attempt < 100; ++attempt) {
      auto r = kv.put(key, value);
      if (r.ok()) return;
      last = r.error();
      std::this_thread::sleep_for(50ms);  // a backoff between attempts, not a wait for an event
    }
    FAIL() << "put " << key << ": " << last.message;
  };
  std::optional<KeyValue> wb;
  for (int attempt = 0; attempt < 100 && !wb; ++attempt) {
    auto opened = (*wjs)->key_value("RESTART");
    if (opened.ok())
      wb = *opened;
    else
      std::this_thread::sleep_for(50ms);
  }
  ASSERT_TRUE(wb.has_value()) << "the bucket is back after the restart";
  for (int i = 5; i <= 7; ++i) put_retrying(*wb, "b", std::to_string(i));
  for (int i = 8; i <= 10; ++i) put_retrying(*b, "c", std::to_string(i));

  // What the bucket holds is what the watch must have seen.
  auto held = wb->history(">");
  ASSERT_TRUE(held.ok()) << held.error().message;
  ASSERT_GE(held->size(), 10u);
  ASSERT_TRUE(seen.wait_items(held->size(), 15s))
      << "got " << seen.items().size() << " of " << held->size();
  auto got = seen.items();
  EXPECT_EQ(revisions(got), revisions(*held)) << "each entry once, in order";
  for (std::size_t i = 0; i < got.size() && i < held->size(); ++i) {
    EXPECT_EQ(got[i].value, (*held)[i].value) << i;
  }
  EXPECT_EQ(seen.caught_up_at(), std::vector<std::size_t>{1}) << "caught up once, at the start";
  EXPECT_FALSE(w->is_closed());
  std::unique_lock lock(mu);
  EXPECT_TRUE(cv.wait_for(lock, kWait, [&] { return reconnects == 1; }))
      << "the watcher's connection went through the restart";
}

INSTANTIATE_TEST_SUITE_P(Transports, KvRestartTest,
                         ::testing::Values(JsTransport::tcp, JsTransport::ws),
                         nats::testing::js_transport_name);

}  // namespace
