// Object stores from the native client against a real nats-server, over
// TCP and WebSocket: round trips at chunk edges, replacing (old chunks
// purged), deleting, listing, links, sealing, status, typed errors, corrupt
// objects (digest_mismatch), watches, and a 64 MiB streamed put and get
// whose extra memory stays bounded. Every wait is bounded.
#include <gtest/gtest.h>
#include <malloc.h>
#if defined(__SANITIZE_ADDRESS__)
// From the sanitizer runtime (its header is not installed with GCC here).
extern "C" std::size_t __sanitizer_get_current_allocated_bytes();
#endif

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <functional>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "jetstream_fixture.hpp"
#include "nats/native/obj.hpp"
#include "watch_collector.hpp"

namespace {

using namespace std::chrono_literals;
using nats::Errc;
using nats::native::ObjectInfo;
using nats::native::ObjectMeta;
using nats::native::ObjectStore;
using nats::native::ObjectStoreConfig;
using nats::native::ObjectWatchOptions;
using nats::testing::JetStreamFixture;
using nats::testing::JsTransport;
namespace obj = nats::js::obj;

using nats::testing::kWait;
// tests/config/default.conf sets max_payload to 64 KiB: the chunk size of a put.
constexpr std::size_t kChunk = 65536;
// SHA-256 of "" and of "abc" as every client writes them (FIPS 180-2 vectors).
constexpr const char *kEmptyDigest = "SHA-256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU=";
constexpr const char *kAbcDigest = "SHA-256=ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0=";

// Byte `i` of a deterministic pseudo-random stream: objects of any size can
// be produced and checked without holding them.
char byte_at(std::uint64_t i, std::uint64_t seed) {
  std::uint64_t x = (i / 8 + 1) * 0x9E3779B97F4A7C15ull ^ seed;
  x ^= x >> 31;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 29;
  return static_cast<char>(x >> (8 * (i % 8)));
}

std::string bytes(std::size_t n, std::uint64_t seed = 1) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = byte_at(i, seed);
  return s;
}

// Heap in use by every thread (arenas and mmapped blocks). Under
// AddressSanitizer malloc is ASan's, which mallinfo2() does not see.
std::size_t heap_in_use() {
#if defined(__SANITIZE_ADDRESS__)
  return __sanitizer_get_current_allocated_bytes();
#else
  const struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;
#endif
}

using Seen = nats::testing::WatchCollector<ObjectInfo>;

std::vector<std::string> names_of(const std::vector<ObjectInfo> &infos) {
  std::vector<std::string> out;
  for (const auto &i : infos) out.push_back(i.name);
  return out;
}

// Names as a watch saw them, deletions marked "(deleted)".
std::vector<std::string> marked_names(const std::vector<ObjectInfo> &infos) {
  std::vector<std::string> out;
  for (const auto &i : infos) out.push_back(i.name + (i.deleted ? "(deleted)" : ""));
  return out;
}

class ObjTest : public JetStreamFixture {
protected:
  /// A store no other test uses.
  ObjectStore store(const std::string &base, const std::string &storage = "file") {
    ObjectStoreConfig cfg;
    cfg.bucket = unique(base);
    cfg.storage = storage;
    auto s = js_->create_object_store(cfg);
    EXPECT_TRUE(s.ok()) << s.error().message;
    if (!s.ok()) throw std::runtime_error("no store");
    return *s;
  }

  static ObjectInfo must(const nats::Result<ObjectInfo> &r) {
    EXPECT_TRUE(r.ok()) << r.error().message;
    if (!r.ok()) throw std::runtime_error(r.error().message);
    return *r;
  }

  /// Messages in the store's stream (chunks and infos).
  std::uint64_t stream_messages(const ObjectStore &s) {
    auto info = js_->stream_info(obj::stream_name(s.bucket()));
    EXPECT_TRUE(info.ok()) << info.error().message;
    return info.ok() ? info->state.messages : 0;
  }

  /// Puts `data` with chunks of `chunk` bytes.
  ObjectInfo put_chunked(ObjectStore &s, const std::string &name, const std::string &data,
                         std::size_t chunk) {
    ObjectMeta meta;
    meta.name = name;
    meta.max_chunk_size = chunk;
    return must(s.put(meta, data));
  }
};

// --- round trips ---------------------------------------------------------------------------

TEST_P(ObjTest, RoundTripsAtChunkEdges) {
  ObjectStore s = store("edges");
  const std::size_t sizes[] = {0, 1, kChunk - 1, kChunk, kChunk + 1, 3 * kChunk + 7};
  for (std::size_t size : sizes) {
    SCOPED_TRACE("size " + std::to_string(size));
    const std::string name = "obj-" + std::to_string(size);
    const std::string data = bytes(size, size);
    ObjectInfo put = must(s.put(name, data));
    EXPECT_EQ(put.bucket, s.bucket());
    EXPECT_EQ(put.name, name);
    EXPECT_EQ(put.size, size);
    EXPECT_EQ(put.chunks, (size + kChunk - 1) / kChunk);
    EXPECT_EQ(put.max_chunk_size, kChunk) << "the default 128 KiB, capped at max_payload";
    EXPECT_EQ(put.nuid.size(), 22u);
    EXPECT_FALSE(put.deleted);
    EXPECT_GT(put.revision, 0u);
    EXPECT_EQ(put.digest.rfind("SHA-256=", 0), 0u) << put.digest;
    if (size == 0) {
      EXPECT_EQ(put.digest, kEmptyDigest);
    }

    auto got = s.get(name);
    ASSERT_TRUE(got.ok()) << got.error().message;
    EXPECT_TRUE(got->data == data) << "got " << got->data.size() << " bytes";
    EXPECT_EQ(got->info.digest, put.digest);
    EXPECT_EQ(got->info.nuid, put.nuid);
    EXPECT_EQ(got->info.revision, put.revision);

    std::vector<std::size_t> pieces;
    std::string streamed;
    auto info = s.get(name, [&](std::string_view c) {
      pieces.push_back(c.size());
      streamed.append(c);
    });
    ASSERT_TRUE(info.ok()) << info.error().message;
    EXPECT_EQ(pieces.size(), put.chunks) << "the sink gets one chunk at a time";
    EXPECT_TRUE(std::all_of(pieces.begin(), pieces.end(), [](auto n) { return n <= kChunk; }));
    EXPECT_TRUE(streamed == data);
  }
  EXPECT_EQ(stream_messages(s), 0u + 0 + 1 + 1 + 1 + 2 + 4 + 6) << "chunks plus one info each";
}

TEST_P(ObjTest, DigestIsSha256InUrlBase64AndMetaIsKept) {
  ObjectStore s = store("digest");
  ObjectMeta meta;
  meta.name = "dir/a b.txt";  // any text is a name: it is base64'd into the subject
  meta.description = "three letters";
  meta.headers.append("X-Kind", "one");
  meta.headers.append("X-Kind", "two");
  meta.metadata = {{"owner", "me"}};
  meta.max_chunk_size = 2;
  ObjectInfo put = must(s.put(meta, std::string_view("abc")));
  EXPECT_EQ(put.digest, kAbcDigest) << "what nats.go, nats.js and nats.py compute for \"abc\"";
  EXPECT_EQ(put.chunks, 2u);
  EXPECT_EQ(put.max_chunk_size, 2u);
  ObjectInfo info = must(s.get_info(meta.name));
  EXPECT_EQ(info.description, "three letters");
  auto kinds = info.headers.values("X-Kind");
  ASSERT_EQ(kinds.size(), 2u);
  EXPECT_EQ(kinds[0], "one");
  EXPECT_EQ(kinds[1], "two");
  EXPECT_EQ(info.metadata.at("owner"), "me");
  EXPECT_EQ(info.mtime.size(), 24u) << info.mtime;  // 2024-05-01T10:20:30.123Z, as nats.js
  EXPECT_EQ(info.mtime.back(), 'Z');
  EXPECT_EQ(s.get(meta.name)->data, "abc");
}

TEST_P(ObjTest, PutFromAStreamAndFromAReaderInOddPieces) {
  ObjectStore s = store("readers");
  const std::string data = bytes(2 * kChunk + 123, 7);
  std::istringstream in(data);
  ObjectMeta meta;
  meta.name = "from-istream";
  ObjectInfo a = must(s.put(meta, in));
  EXPECT_EQ(a.size, data.size());
  EXPECT_EQ(a.chunks, 3u);
  EXPECT_TRUE(s.get("from-istream")->data == data);

  // A reader that hands out fewer bytes than asked: chunks are still full.
  std::size_t at = 0;
  meta.name = "from-reader";
  ObjectInfo b = must(s.put(meta, [&](std::span<char> buf) -> nats::Result<std::size_t> {
    const std::size_t n = std::min({buf.size(), data.size() - at, std::size_t{1000}});
    std::memcpy(buf.data(), data.data() + at, n);
    at += n;
    return n;
  }));
  EXPECT_EQ(b.chunks, 3u);
  EXPECT_EQ(b.digest, a.digest);
}

TEST_P(ObjTest, AFailingReaderLeavesNoChunksAndTheOldVersion) {
  ObjectStore s = store("reader_fails");
  ObjectInfo old = put_chunked(s, "o", "old bytes", 4);
  const std::uint64_t before = stream_messages(s);
  int calls = 0;
  ObjectMeta meta;
  meta.name = "o";
  meta.max_chunk_size = 4;
  auto r = s.put(meta, [&](std::span<char> buf) -> nats::Result<std::size_t> {
    if (++calls > 5) return nats::Error{Errc::cancelled, "reader gave up"};
    buf[0] = 'x';
    return std::size_t{1};
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::cancelled) << "the reader's own error";
  EXPECT_EQ(stream_messages(s), before) << "the chunk that landed was purged";
  auto got = s.get("o");
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->data, "old bytes");
  EXPECT_EQ(got->info.nuid, old.nuid);
}

TEST_P(ObjTest, ReplacingPurgesTheOldChunks) {
  ObjectStore s = store("replace");
  ObjectInfo first = put_chunked(s, "o", bytes(250, 1), 100);
  ASSERT_EQ(first.chunks, 3u);
  EXPECT_EQ(stream_messages(s), 4u) << "3 chunks + 1 info";
  ObjectInfo second = put_chunked(s, "o", bytes(150, 2), 100);
  EXPECT_EQ(second.chunks, 2u);
  EXPECT_NE(second.nuid, first.nuid);
  EXPECT_GT(second.revision, first.revision);
  EXPECT_EQ(stream_messages(s), 3u) << "the old info rolled up and its 3 chunks purged";
  EXPECT_TRUE(s.get("o")->data == bytes(150, 2));
  auto st = s.status();
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(st->stream_info.state.messages, 3u);
}

// --- delete, info, list --------------------------------------------------------------------

TEST_P(ObjTest, DeletedObjectsAreNotFoundUnlessShown) {
  ObjectStore s = store("delete");
  put_chunked(s, "gone", bytes(300, 3), 100);
  put_chunked(s, "stays", "x", 100);
  auto purged = s.del("gone");
  ASSERT_TRUE(purged.ok()) << purged.error().message;
  EXPECT_EQ(*purged, 3u) << "its chunks went";
  EXPECT_EQ(stream_messages(s), 3u) << "the deleted info, the other object's chunk and info";

  EXPECT_EQ(s.get_info("gone").error().code, Errc::object_not_found);
  EXPECT_EQ(s.get("gone").error().code, Errc::object_not_found);
  EXPECT_EQ(s.del("gone").error().code, Errc::object_not_found) << "deleting twice";
  auto shown = s.get_info("gone", true);
  ASSERT_TRUE(shown.ok()) << shown.error().message;
  EXPECT_TRUE(shown->deleted);
  EXPECT_EQ(shown->size, 0u);
  EXPECT_EQ(shown->chunks, 0u);

  EXPECT_EQ(s.get_info("never").error().code, Errc::object_not_found);
  EXPECT_EQ(s.get_info("never", true).error().code, Errc::object_not_found);
  EXPECT_EQ(s.get("never").error().code, Errc::object_not_found);
  EXPECT_EQ(s.del("never").error().code, Errc::object_not_found);
  EXPECT_EQ(s.get_info("").error().code, Errc::invalid_name);
  EXPECT_EQ(s.put("", "x").error().code, Errc::invalid_name);

  // A put over a deleted object brings it back.
  put_chunked(s, "gone", "back", 100);
  EXPECT_EQ(s.get("gone")->data, "back");
}

TEST_P(ObjTest, ListGivesLatestInfosInWriteOrder) {
  ObjectStore s = store("list");
  auto empty = s.list();
  ASSERT_TRUE(empty.ok()) << empty.error().message;
  EXPECT_TRUE(empty->empty());
  for (const char *n : {"a", "b", "c"}) must(s.put(n, n));
  must(s.put("a", "again"));
  ASSERT_TRUE(s.del("b").ok());
  auto live = s.list();
  ASSERT_TRUE(live.ok()) << live.error().message;
  EXPECT_EQ(names_of(*live), (std::vector<std::string>{"c", "a"}));
  EXPECT_EQ(live->at(1).size, 5u) << "a's latest info";
  EXPECT_GT(live->at(1).revision, live->at(0).revision);
  auto all = s.list(true);
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ(names_of(*all), (std::vector<std::string>{"c", "a", "b"}));
  EXPECT_TRUE(all->at(2).deleted);
  EXPECT_EQ(js_->pull_sessions(), 0u) << "each list ended its read";
}

// --- links ---------------------------------------------------------------------------------

TEST_P(ObjTest, LinksReadAsTheirTarget) {
  ObjectStore s = store("links");
  ObjectStore other = store("links_other");
  ObjectInfo target = put_chunked(s, "target", bytes(250, 4), 100);

  ObjectInfo alias = must(s.link("alias", target));
  ASSERT_TRUE(alias.is_link());
  EXPECT_EQ(alias.link->bucket, s.bucket());
  EXPECT_EQ(alias.link->name, "target");
  EXPECT_EQ(alias.size, 0u);
  ObjectInfo as_stored = must(s.get_info("alias"));
  EXPECT_TRUE(as_stored.is_link()) << "get_info does not follow links";
  auto got = s.get("alias");
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_TRUE(got->data == bytes(250, 4));
  EXPECT_EQ(got->info.name, "target") << "get returns the target's info";

  // Across stores: the chunks are read from the target's store.
  must(other.link("remote", target));
  auto remote = other.get("remote");
  ASSERT_TRUE(remote.ok()) << remote.error().message;
  EXPECT_TRUE(remote->data == bytes(250, 4));

  EXPECT_EQ(s.link("target", target).error().code, Errc::object_exists)
      << "a link never replaces a live object";
  EXPECT_EQ(s.link("again", as_stored).error().code, Errc::invalid_argument) << "link to a link";
  ASSERT_TRUE(s.del("target").ok());
  EXPECT_EQ(s.get("alias").error().code, Errc::object_not_found) << "its target was deleted";
  EXPECT_EQ(s.link("late", *s.get_info("target", true)).error().code, Errc::invalid_argument);
}

TEST_P(ObjTest, ALinkToAStoreIsLinkIsBucketOnGet) {
  ObjectStore s = store("link_store");
  ObjectStore other = store("link_store_target");
  ObjectInfo l = must(s.link_store("everything", other));
  ASSERT_TRUE(l.is_link());
  EXPECT_EQ(l.link->bucket, other.bucket());
  EXPECT_TRUE(l.link->name.empty());
  EXPECT_EQ(s.get("everything").error().code, Errc::link_is_bucket);
  EXPECT_TRUE(s.get_info("everything").ok()) << "its info reads";
}

// --- meta updates --------------------------------------------------------------------------

TEST_P(ObjTest, UpdateMetaRenamesWithoutRewritingTheData) {
  ObjectStore s = store("update");
  ObjectInfo before = put_chunked(s, "old", bytes(300, 9), 100);
  must(s.put("taken", "x"));
  ObjectMeta rename;
  rename.name = "taken";
  EXPECT_EQ(s.update_meta("old", rename).error().code, Errc::object_exists);
  EXPECT_EQ(s.update_meta("never", rename).error().code, Errc::object_not_found);

  ObjectMeta meta;
  meta.name = "new";
  meta.description = "renamed";
  meta.metadata = {{"k", "v"}};
  ObjectInfo after = must(s.update_meta("old", meta));
  EXPECT_EQ(after.name, "new");
  EXPECT_EQ(after.description, "renamed");
  EXPECT_EQ(after.nuid, before.nuid) << "the same chunks";
  EXPECT_EQ(after.digest, before.digest);
  EXPECT_EQ(s.get_info("old").error().code, Errc::object_not_found) << "the old name is gone";
  auto got = s.get("new");
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_TRUE(got->data == bytes(300, 9));
  EXPECT_EQ(got->info.metadata.at("k"), "v");
  auto names = s.list();
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(names_of(*names), (std::vector<std::string>{"taken", "new"}));
}

// --- stores --------------------------------------------------------------------------------

TEST_P(ObjTest, StatusNamesAndDeleteOfStores) {
  ObjectStoreConfig cfg;
  cfg.bucket = unique("status");
  cfg.description = "for status";
  cfg.ttl = 3600s;
  cfg.storage = "memory";
  cfg.max_bytes = 1 << 20;
  auto s = js_->create_object_store(cfg);
  ASSERT_TRUE(s.ok()) << s.error().message;
  must(s->put("x", bytes(1000)));
  auto st = s->status();
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(st->bucket, cfg.bucket);
  EXPECT_EQ(st->description, "for status");
  EXPECT_EQ(st->ttl, 3600s);
  EXPECT_EQ(st->storage, "memory");
  EXPECT_EQ(st->replicas, 1);
  EXPECT_FALSE(st->sealed);
  EXPECT_GT(st->size, 1000u);
  EXPECT_EQ(st->stream_info.config.name, "OBJ_" + cfg.bucket);
  EXPECT_EQ(st->stream_info.config.max_bytes.value_or(0), 1 << 20);

  auto opened = js_->object_store(cfg.bucket);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(opened->get(std::string_view("x"))->data, bytes(1000));
  auto names = js_->object_store_names();
  ASSERT_TRUE(names.ok()) << names.error().message;
  EXPECT_TRUE(nats::testing::contains(*names, cfg.bucket));
  auto stores = js_->object_stores();
  ASSERT_TRUE(stores.ok()) << stores.error().message;
  auto it = std::find_if(stores->begin(), stores->end(),
                         [&](const auto &x) { return x.bucket == cfg.bucket; });
  ASSERT_NE(it, stores->end());
  EXPECT_EQ(it->description, "for status");

  auto deleted = js_->delete_object_store(cfg.bucket);
  ASSERT_TRUE(deleted.ok()) << deleted.error().message;
  EXPECT_TRUE(*deleted);
  EXPECT_EQ(js_->object_store(cfg.bucket).error().code, Errc::bucket_not_found);
  EXPECT_EQ(s->status().error().code, Errc::bucket_not_found);
  EXPECT_FALSE(nats::testing::contains(*js_->object_store_names(), cfg.bucket));
  EXPECT_EQ(js_->delete_object_store(cfg.bucket).error().code, Errc::bucket_not_found);
}

TEST_P(ObjTest, AMissingStoreIsBucketNotFound) {
  ObjectStore s = store("missing");
  must(s.put("x", "y"));
  ASSERT_TRUE(js_->delete_object_store(s.bucket()).ok());
  EXPECT_EQ(js_->object_store(unique("never_made")).error().code, Errc::bucket_not_found);
  EXPECT_EQ(s.put("x", "z").error().code, Errc::bucket_not_found);
  EXPECT_EQ(s.get("x").error().code, Errc::bucket_not_found);
  EXPECT_EQ(s.get_info("x").error().code, Errc::bucket_not_found);
  EXPECT_EQ(s.del("x").error().code, Errc::bucket_not_found);
  EXPECT_EQ(s.list().error().code, Errc::bucket_not_found);
  EXPECT_EQ(s.watch({}, [](const ObjectInfo &) {}).error().code, Errc::bucket_not_found);
}

TEST_P(ObjTest, InvalidBucketNamesAreTyped) {
  for (const char *bad : {"", "a.b", "a b", "a*", "a>"}) {
    SCOPED_TRACE(std::string("bucket '") + bad + "'");
    ObjectStoreConfig cfg;
    cfg.bucket = bad;
    EXPECT_EQ(js_->create_object_store(cfg).error().code, Errc::invalid_bucket_name);
    EXPECT_EQ(js_->object_store(bad).error().code, Errc::invalid_bucket_name);
    EXPECT_EQ(js_->delete_object_store(bad).error().code, Errc::invalid_bucket_name);
  }
}

TEST_P(ObjTest, ASealedStoreRefusesWritesButReads) {
  ObjectStore s = store("seal");
  must(s.put("kept", "bytes"));
  auto sealed = s.seal();
  ASSERT_TRUE(sealed.ok()) << sealed.error().message;
  EXPECT_TRUE(sealed->sealed);
  EXPECT_TRUE(s.status()->sealed);
  const std::uint64_t before = stream_messages(s);

  auto put = s.put("new", "bytes");
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, Errc::js_api_error) << put.error().message;
  EXPECT_EQ(put.error().err_code, 10109) << "invalid operation on sealed stream";
  auto empty = s.put("empty", "");  // no chunk: the info write is what is refused
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, Errc::js_api_error) << empty.error().message;
  EXPECT_EQ(empty.error().err_code, 10109) << empty.error().message;
  auto del = s.del("kept");
  ASSERT_FALSE(del.ok());
  EXPECT_EQ(del.error().err_code, 10109) << del.error().message;
  EXPECT_EQ(stream_messages(s), before) << "nothing was written";
  EXPECT_EQ(s.get("kept")->data, "bytes");
}

// --- corrupt objects -----------------------------------------------------------------------

TEST_P(ObjTest, AReplacedChunkIsDigestMismatch) {
  ObjectStore s = store("corrupt_chunk");
  ObjectInfo info = put_chunked(s, "o", bytes(250, 5), 100);
  const std::string stream = obj::stream_name(s.bucket());
  const std::string subject = obj::chunk_subject(s.bucket(), info.nuid);
  auto last = js_->get_last_msg(stream, subject);
  ASSERT_TRUE(last.ok()) << last.error().message;
  ASSERT_TRUE(js_->delete_msg(stream, last->seq).ok());
  std::string forged = last->data;
  forged[0] = static_cast<char>(forged[0] ^ 1);
  publish(subject, forged);  // same size, same count, one bit off

  std::uint64_t passed = 0;
  auto got = s.get("o", [&](std::string_view c) { passed += c.size(); });
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, Errc::digest_mismatch) << got.error().message;
  EXPECT_EQ(passed, 250u) << "streamed before the end revealed the mismatch";
  EXPECT_EQ(s.get("o").error().code, Errc::digest_mismatch);
}

TEST_P(ObjTest, MissingOrExtraBytesAreDigestMismatch) {
  ObjectStore s = store("corrupt_count");
  const std::string stream = obj::stream_name(s.bucket());
  // The last chunk gone: the read ends at the last one there.
  ObjectInfo a = put_chunked(s, "short", bytes(250, 6), 100);
  auto last = js_->get_last_msg(stream, obj::chunk_subject(s.bucket(), a.nuid));
  ASSERT_TRUE(last.ok()) << last.error().message;
  ASSERT_TRUE(js_->delete_msg(stream, last->seq).ok());
  auto short_get = s.get("short");
  ASSERT_FALSE(short_get.ok());
  EXPECT_EQ(short_get.error().code, Errc::digest_mismatch) << short_get.error().message;

  // The only chunk gone: nothing to read at all.
  ObjectInfo b = put_chunked(s, "none", "x", 100);
  auto only = js_->get_last_msg(stream, obj::chunk_subject(s.bucket(), b.nuid));
  ASSERT_TRUE(only.ok()) << only.error().message;
  ASSERT_TRUE(js_->delete_msg(stream, only->seq).ok());
  EXPECT_EQ(s.get("none").error().code, Errc::digest_mismatch);

  // A chunk longer than the info says: never handed to the sink.
  ObjectInfo c = put_chunked(s, "long", bytes(150, 7), 100);
  auto tail = js_->get_last_msg(stream, obj::chunk_subject(s.bucket(), c.nuid));
  ASSERT_TRUE(tail.ok()) << tail.error().message;
  ASSERT_TRUE(js_->delete_msg(stream, tail->seq).ok());
  publish(obj::chunk_subject(s.bucket(), c.nuid), bytes(100, 8));
  std::uint64_t passed = 0;
  auto long_get = s.get("long", [&](std::string_view x) { passed += x.size(); });
  ASSERT_FALSE(long_get.ok());
  EXPECT_EQ(long_get.error().code, Errc::digest_mismatch) << long_get.error().message;
  EXPECT_EQ(passed, 100u) << "only the first chunk, which fits the size";
}

TEST_P(ObjTest, AnInfoWithAWrongDigestIsDigestMismatch) {
  ObjectStore s = store("corrupt_meta");
  ObjectInfo info = put_chunked(s, "o", "abc", 100);
  // The same version's info rewritten with another digest (chunks stay: same nuid).
  const std::string forged = std::string(info.digest.substr(0, info.digest.size() - 4)) + "AAA=";
  const std::string args = "{\"bucket\":\"" + s.bucket() +
                           "\",\"info\":{\"name\":\"o\",\"nuid\":\"" + info.nuid +
                           "\",\"size\":3,\"chunks\":1,\"digest\":\"" + forged + "\",\"mtime\":\"" +
                           info.mtime + "\",\"deleted\":false}}";
  auto r = js_->api(nats::js::ApiOp::obj_put_meta, args);
  ASSERT_TRUE(r.ok()) << r.error().message;
  auto got = s.get("o");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, Errc::digest_mismatch) << got.error().message;
  EXPECT_NE(got.error().message.find(forged), std::string::npos) << got.error().message;
  EXPECT_NE(got.error().message.find(kAbcDigest), std::string::npos) << got.error().message;
}

// --- watch ---------------------------------------------------------------------------------

TEST_P(ObjTest, WatchGivesLatestInfosThenChanges) {
  ObjectStore s = store("watch");
  must(s.put("a", "1"));
  must(s.put("b", "1"));
  must(s.put("a", "2"));
  Seen seen;
  ObjectWatchOptions o;
  o.include_history = true;
  auto w = s.watch(o, seen.on_item(), seen.on_caught_up());
  ASSERT_TRUE(w.ok()) << w.error().message;
  ASSERT_TRUE(seen.wait_caught_up());
  EXPECT_EQ(seen.caught_up_at(), std::vector<std::size_t>{2});
  EXPECT_EQ(marked_names(seen.items()), (std::vector<std::string>{"b", "a"}));
  must(s.put("c", "1"));
  ASSERT_TRUE(s.del("b").ok());
  ASSERT_TRUE(seen.wait_items(4));
  EXPECT_EQ(marked_names(seen.items()), (std::vector<std::string>{"b", "a", "c", "b(deleted)"}));
  w->stop();
  EXPECT_TRUE(w->is_closed());
  EXPECT_FALSE(w->error());
  EXPECT_EQ(js_->pull_sessions(), 0u);
}

TEST_P(ObjTest, WatchOfUpdatesCanIgnoreDeletes) {
  ObjectStore s = store("watch_updates");
  must(s.put("old", "1"));
  Seen seen;
  ObjectWatchOptions o;
  o.ignore_deletes = true;
  auto w = s.watch(o, seen.on_item(), seen.on_caught_up());
  ASSERT_TRUE(w.ok()) << w.error().message;
  ASSERT_TRUE(seen.wait_caught_up());
  EXPECT_EQ(seen.caught_up_at(), std::vector<std::size_t>{0}) << "updates only: nothing first";
  ASSERT_TRUE(s.del("old").ok());
  must(s.put("new", "1"));
  ASSERT_TRUE(seen.wait_items(1));
  EXPECT_EQ(marked_names(seen.items()), std::vector<std::string>{"new"})
      << "the delete, written first, never came";
}

// --- a large object, streamed --------------------------------------------------------------

TEST_P(ObjTest, A64MiBObjectStreamsThroughBoundedMemory) {
  constexpr std::uint64_t kSize = 64ull << 20;
  constexpr std::uint64_t kSeed = 42;
  constexpr std::size_t kPiece = 100003;  // odd pieces: chunks never line up with them
  // A few chunks in flight or read ahead (64 KiB each) and the buffers
  // around them; the object is 64 MiB.
  constexpr std::size_t kBound = 4u << 20;
  ObjectStore s = store("big");
  malloc_trim(0);
  const std::size_t base = heap_in_use();
  std::size_t peak_put = 0;
  std::uint64_t at = 0;
  ObjectMeta meta;
  meta.name = "big.bin";
  auto put = s.put(meta, [&](std::span<char> buf) -> nats::Result<std::size_t> {
    peak_put = std::max(peak_put, heap_in_use());
    const std::size_t n = std::min<std::uint64_t>({buf.size(), kPiece, kSize - at});
    for (std::size_t i = 0; i < n; ++i) buf[i] = byte_at(at + i, kSeed);
    at += n;
    return n;
  });
  ASSERT_TRUE(put.ok()) << put.error().message;
  EXPECT_EQ(put->size, kSize);
  EXPECT_EQ(put->chunks, kSize / kChunk);

  std::size_t peak_get = 0;
  std::uint64_t got = 0;
  std::uint64_t wrong = 0;
  auto info = s.get("big.bin", [&](std::string_view c) {
    peak_get = std::max(peak_get, heap_in_use());
    for (std::size_t i = 0; i < c.size(); ++i) wrong += c[i] != byte_at(got + i, kSeed);
    got += c.size();
  });
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(got, kSize);
  EXPECT_EQ(wrong, 0u);
  const std::size_t extra_put = peak_put > base ? peak_put - base : 0;
  const std::size_t extra_get = peak_get > base ? peak_get - base : 0;
  std::printf(
      "[ memory ] 64 MiB object: peak extra heap %.2f MiB during put, %.2f MiB during get\n",
      static_cast<double>(extra_put) / (1 << 20), static_cast<double>(extra_get) / (1 << 20));
  RecordProperty("put_peak_extra_bytes", std::to_string(extra_put));
  RecordProperty("get_peak_extra_bytes", std::to_string(extra_get));
  EXPECT_LT(extra_put, kBound);
  EXPECT_LT(extra_get, kBound);

  {
    // The measure sees what is held: a whole-object get holds all of it.
    auto whole = s.get("big.bin");
    ASSERT_TRUE(whole.ok()) << whole.error().message;
    EXPECT_EQ(whole->data.size(), kSize);
    EXPECT_GE(heap_in_use() - base, kSize);
  }
  ASSERT_TRUE(js_->delete_object_store(s.bucket()).ok());  // 64 MiB of the server's disk
}

INSTANTIATE_TEST_SUITE_P(Transports, ObjTest, ::testing::Values(JsTransport::tcp, JsTransport::ws),
                         nats::testing::js_transport_name);

}  // namespace
