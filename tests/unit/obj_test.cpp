// Object stores with a scripted server: the rules (the store's stream,
// chunk and metadata subjects, chunk sizes, the digest's text) and the
// multi-step calls (an info write that purges the replaced chunks, links
// followed one hop, deletes, a link over a live object).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nats/base64.hpp"
#include "nats/engine.hpp"
#include "nats/jetstream/obj.hpp"
#include "scripted_peer.hpp"

namespace {

using nats::Errc;
using nats::Event;
using nats::EventType;
using nats::js::ApiOp;
namespace obj = nats::js::obj;
using json = nlohmann::json;

TEST(ObjRules, NamesAndSubjects) {
  EXPECT_EQ(obj::stream_name("b"), "OBJ_b");
  EXPECT_EQ(obj::bucket_of_stream("OBJ_b"), "b");
  EXPECT_EQ(obj::bucket_of_stream("KV_b"), "");
  EXPECT_EQ(obj::chunk_subject("b", "N1"), "$O.b.C.N1");
  EXPECT_EQ(obj::meta_filter("b"), "$O.b.M.>");
  // Names are UTF-8 in padded URL base64 (nats.go, nats.py): "a", "é", "?\?>".
  EXPECT_EQ(obj::meta_subject("b", "a"), "$O.b.M.YQ==");
  EXPECT_EQ(obj::meta_subject("b", "\xc3\xa9"), "$O.b.M.w6k=");
  EXPECT_EQ(obj::meta_subject("b", "?\?>"), "$O.b.M.Pz8-") << "URL alphabet, no '+'";
  EXPECT_FALSE(obj::validate_name("any name/with.dots"));
  EXPECT_EQ(obj::validate_name("").code, Errc::invalid_name);
  EXPECT_FALSE(obj::validate_bucket("files_1"));
  EXPECT_EQ(obj::validate_bucket("a.b").code, Errc::invalid_bucket_name);
}

TEST(ObjRules, ChunkSizeAndDigest) {
  EXPECT_EQ(obj::chunk_size(0, 1024 * 1024), obj::kDefaultChunkSize);
  EXPECT_EQ(obj::chunk_size(0, 64 * 1024), 64u * 1024) << "never over max_payload";
  EXPECT_EQ(obj::chunk_size(1000, 1024 * 1024), 1000u);
  EXPECT_EQ(obj::chunk_size(1 << 21, 1024 * 1024), 1024u * 1024);
  // SHA-256("abc") as every client writes it.
  const unsigned char abc[] = {0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
                               0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
                               0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
  EXPECT_EQ(obj::digest_text(std::string(reinterpret_cast<const char *>(abc), sizeof abc)),
            "SHA-256=ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0=");
}

TEST(ObjRules, StoreStreamConfig) {
  obj::StoreConfig c;
  c.bucket = "files";
  c.ttl = std::chrono::milliseconds(1000);
  c.storage = "memory";
  auto j = json::parse(*obj::stream_config_json(c));
  EXPECT_EQ(j["name"], "OBJ_files");
  EXPECT_EQ(j["subjects"], json({"$O.files.C.>", "$O.files.M.>"}));
  EXPECT_EQ(j["allow_rollup_hdrs"], true) << "info writes roll up";
  EXPECT_EQ(j["discard"], "new");
  EXPECT_EQ(j["storage"], "memory");
  EXPECT_EQ(j["max_age"], 1000000000LL);
  c.storage = "tape";
  EXPECT_EQ(obj::stream_config_json(c).error().code, Errc::invalid_argument);
  c.bucket = "a b";
  EXPECT_EQ(obj::stream_config_json(c).error().code, Errc::invalid_bucket_name);
}

TEST(ObjRules, TheInfoRecordOfAPut) {
  const json args = {{"name", "o"},
                     {"meta",
                      {{"description", "d"},
                       {"headers", {{"X-A", {"1", "2"}}}},
                       {"metadata", json::object()},
                       {"options", {{"max_chunk_size", 9}}}}},
                     {"nuid", "N1"},
                     {"size", 5},
                     {"chunks", 2},
                     {"max_chunk_size", 4},
                     {"digest", "SHA-256=x"}};
  auto r = obj::info_record("b", args.dump(), 1'700'000'000'123'456'789);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(json::parse(*r), json({{"name", "o"},
                                   {"description", "d"},
                                   {"headers", {{"X-A", {"1", "2"}}}},
                                   {"options", {{"max_chunk_size", 4}}},
                                   {"nuid", "N1"},
                                   {"size", 5},
                                   {"chunks", 2},
                                   {"digest", "SHA-256=x"},
                                   {"mtime", "2023-11-14T22:13:20.123Z"},
                                   {"deleted", false}}))
      << "the chunk size used wins; empty metadata is left out";
  json no_nuid = args;
  no_nuid.erase("nuid");
  EXPECT_EQ(obj::info_record("b", no_nuid.dump(), 0).error().code, Errc::invalid_argument);
  json linked = args;
  linked["meta"]["options"]["link"] = {{"bucket", "b"}};
  EXPECT_EQ(obj::info_record("b", linked.dump(), 0).error().message,
            "link cannot be set when putting the object in bucket");
  EXPECT_EQ(obj::check_put_meta(linked["meta"].dump()).code, Errc::invalid_argument);
  EXPECT_FALSE(obj::check_put_meta(args["meta"].dump()));
  EXPECT_FALSE(obj::check_put_meta(""));
  EXPECT_EQ(obj::info_record("b", R"({"nuid":"N"})", 0).error().code, Errc::invalid_name);
}

TEST(ObjRules, TheInfoRecordOfALink) {
  auto r = obj::info_record("b", R"({"name":"l","target":{"name":"t","bucket":"other"}})", 0);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const json j = json::parse(*r);
  EXPECT_EQ(j["options"], json({{"link", {{"bucket", "other"}, {"name", "t"}}}}));
  EXPECT_EQ(j["name"], "l");
  EXPECT_EQ(j["nuid"], "");
  EXPECT_EQ(j["size"], 0);
  EXPECT_EQ(j["mtime"], "1970-01-01T00:00:00.000Z");
  // A target without a bucket is in the store written to.
  r = obj::info_record("b", R"({"name":"l","target":{"name":"t"}})", 0);
  EXPECT_EQ(json::parse(*r)["options"]["link"]["bucket"], "b");
  // A whole store: a link without a name.
  r = obj::info_record("b", R"({"name":"all","store":"other"})", 0);
  EXPECT_EQ(json::parse(*r)["options"], json({{"link", {{"bucket", "other"}}}}));
  auto refused = [](const char *args) { return obj::info_record("b", args, 0).error().message; };
  EXPECT_EQ(refused(R"({"name":"l","target":{"name":"t","deleted":true}})"),
            "src object is deleted");
  EXPECT_EQ(refused(R"({"name":"l","target":{"name":"t","options":{"link":{"bucket":"b"}}}})"),
            "src object is a link");
  EXPECT_EQ(refused(R"({"name":"l","target":{}})"), "the object to link to has no name");
  EXPECT_EQ(refused(R"({"name":"l","store":""})"), "bucket required");
  EXPECT_EQ(obj::info_record("b", R"({"name":"l","store":"a b"})", 0).error().code,
            Errc::invalid_bucket_name);
}

class ObjTest : public nats_test::JsCallTest {
protected:
  // A STREAM.MSG.GET reply holding an info record.
  static std::string stored_info(const std::string &subject, std::uint64_t seq, const json &info) {
    return json{{"message",
                 {{"subject", subject},
                  {"seq", seq},
                  {"data", nats::base64_encode(info.dump())},
                  {"time", "2026-01-01T00:00:00Z"}}}}
        .dump();
  }
  static std::string not_found() {
    return R"({"error":{"code":404,"err_code":10037,"description":"no message found"}})";
  }
};

TEST_F(ObjTest, AnInfoWriteRollsUpThenPurgesTheReplacedChunks) {
  const json info = {{"name", "o"}, {"nuid", "NEW"}, {"size", 3}, {"chunks", 1}, {"digest", "d"}};
  ASSERT_TRUE(engine()
                  .js_api(ctx_, ApiOp::obj_put_meta, json{{"bucket", "b"}, {"info", info}}.dump(),
                          peer_.now)
                  .ok());
  auto p = pubs();
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].subject, "$JS.API.STREAM.MSG.GET.OBJ_b");
  EXPECT_EQ(json::parse(p[0].body), json({{"last_by_subj", "$O.b.M.bw=="}}));
  EXPECT_TRUE(
      answer(p[0].reply, stored_info("$O.b.M.bw==", 4, {{"name", "o"}, {"nuid", "OLD"}})).empty());
  p = pubs();
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].subject, "$O.b.M.bw==");
  EXPECT_NE(p[0].headers.find("Nats-Rollup: sub"), std::string::npos);
  const json written = json::parse(p[0].body);
  EXPECT_EQ(written["bucket"], "b");
  EXPECT_EQ(written["nuid"], "NEW");
  EXPECT_TRUE(answer(p[0].reply, R"({"stream":"OBJ_b","seq":9})").empty());
  p = pubs();
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].subject, "$JS.API.STREAM.PURGE.OBJ_b");
  EXPECT_EQ(json::parse(p[0].body), json({{"filter", "$O.b.C.OLD"}}));
  auto evs = answer(p[0].reply, R"({"success":true,"purged":1})");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_FALSE(evs[0].error) << evs[0].error.message;
  const json result = json::parse(evs[0].text);
  EXPECT_EQ(result["revision"], 9);
  EXPECT_EQ(result["nuid"], "NEW");
}

TEST_F(ObjTest, ARefusedInfoWritePurgesItsOwnChunksAndFails) {
  const json info = {{"name", "o"}, {"nuid", "NEW"}};
  ASSERT_TRUE(engine()
                  .js_api(ctx_, ApiOp::obj_put_meta,
                          json{{"bucket", "b"}, {"info", info}, {"previous_revision", 3}}.dump(),
                          peer_.now)
                  .ok());
  answer(pubs()[0].reply, not_found());
  auto p = pubs();
  EXPECT_NE(p.at(0).headers.find("Nats-Expected-Last-Subject-Sequence: 3"), std::string::npos);
  EXPECT_TRUE(
      answer(p[0].reply,
             R"({"error":{"code":400,"err_code":10071,"description":"wrong last sequence: 0"}})")
          .empty());
  p = pubs();
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].subject, "$JS.API.STREAM.PURGE.OBJ_b");
  EXPECT_EQ(json::parse(p[0].body), json({{"filter", "$O.b.C.NEW"}})) << "its own chunks";
  auto evs = answer(p[0].reply, R"({"success":true,"purged":2})");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].error.err_code, 10071) << "the refusal, not the purge, is the outcome";
}

TEST_F(ObjTest, AFirstWritePurgesNothing) {
  const json info = {{"name", "o"}, {"nuid", "NEW"}};
  ASSERT_TRUE(engine()
                  .js_api(ctx_, ApiOp::obj_put_meta, json{{"bucket", "b"}, {"info", info}}.dump(),
                          peer_.now)
                  .ok());
  answer(pubs()[0].reply, not_found());
  auto evs = answer(pubs()[0].reply, R"({"stream":"OBJ_b","seq":1})");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_FALSE(evs[0].error);
  EXPECT_TRUE(pubs().empty());
}

TEST_F(ObjTest, ALinkIsFollowedOneHop) {
  ASSERT_TRUE(
      engine()
          .js_api(ctx_, ApiOp::obj_info, R"({"bucket":"b","name":"l","follow":true})", peer_.now)
          .ok());
  auto p = pubs();
  const json link = {{"name", "l"}, {"options", {{"link", {{"bucket", "b2"}, {"name", "t"}}}}}};
  EXPECT_TRUE(answer(p[0].reply, stored_info("$O.b.M.bA==", 2, link)).empty());
  p = pubs();
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].subject, "$JS.API.STREAM.MSG.GET.OBJ_b2");
  EXPECT_EQ(json::parse(p[0].body), json({{"last_by_subj", "$O.b2.M.dA=="}}));
  auto evs = answer(p[0].reply,
                    stored_info("$O.b2.M.dA==", 7, {{"name", "t"}, {"bucket", "b2"}, {"size", 5}}));
  ASSERT_EQ(evs.size(), 1u);
  const json got = json::parse(evs[0].text);
  EXPECT_EQ(got["name"], "t");
  EXPECT_EQ(got["size"], 5);
  EXPECT_EQ(got["revision"], 7);
}

TEST_F(ObjTest, ALinkToAStoreIsNoObject) {
  ASSERT_TRUE(
      engine()
          .js_api(ctx_, ApiOp::obj_info, R"({"bucket":"b","name":"s","follow":true})", peer_.now)
          .ok());
  const json link = {{"name", "s"}, {"options", {{"link", {{"bucket", "b2"}}}}}};
  auto evs = answer(pubs()[0].reply, stored_info("$O.b.M.cw==", 2, link));
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].error.code, Errc::link_is_bucket);
  EXPECT_TRUE(pubs().empty());
}

TEST_F(ObjTest, DeleteMarksThenPurgesAndAMissingObjectIsNotFound) {
  ASSERT_TRUE(
      engine().js_api(ctx_, ApiOp::obj_delete, R"({"bucket":"b","name":"o"})", peer_.now).ok());
  answer(pubs()[0].reply,
         stored_info("$O.b.M.bw==", 3, {{"name", "o"}, {"nuid", "OLD"}, {"size", 9}}));
  auto p = pubs();
  ASSERT_EQ(p.size(), 1u);
  const json marked = json::parse(p[0].body);
  EXPECT_EQ(marked["deleted"], true);
  EXPECT_EQ(marked["size"], 0);
  EXPECT_EQ(marked["nuid"], "OLD");
  answer(p[0].reply, R"({"stream":"OBJ_b","seq":4})");
  p = pubs();
  EXPECT_EQ(json::parse(p.at(0).body), json({{"filter", "$O.b.C.OLD"}}));
  auto evs = answer(p[0].reply, R"({"success":true,"purged":2})");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(json::parse(evs[0].text)["purged"], 2);

  // Again: it is deleted now, so there is nothing to delete.
  ASSERT_TRUE(
      engine().js_api(ctx_, ApiOp::obj_delete, R"({"bucket":"b","name":"o"})", peer_.now).ok());
  evs = answer(pubs()[0].reply, stored_info("$O.b.M.bw==", 4, marked));
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].error.code, Errc::object_not_found);
}

TEST_F(ObjTest, ALinkOverALiveObjectIsRefused) {
  ASSERT_TRUE(engine()
                  .js_api(ctx_, ApiOp::obj_put_meta,
                          json{{"bucket", "b"}, {"name", "o"}, {"target", {{"name", "t"}}}}.dump(),
                          peer_.now)
                  .ok());
  auto evs = answer(pubs()[0].reply, stored_info("$O.b.M.bw==", 3, {{"name", "o"}, {"nuid", "N"}}));
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].error.code, Errc::object_exists);
  EXPECT_TRUE(pubs().empty()) << "nothing written";
}

TEST_F(ObjTest, AMissingStoreIsBucketNotFound) {
  ASSERT_TRUE(
      engine().js_api(ctx_, ApiOp::obj_info, R"({"bucket":"b","name":"o"})", peer_.now).ok());
  auto evs = answer(pubs()[0].reply,
                    R"({"error":{"code":404,"err_code":10059,"description":"stream not found"}})");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].error.code, Errc::bucket_not_found);
}

TEST_F(ObjTest, ARenameWritesTheSameChunksUnderTheNewNameThenDropsTheOld) {
  const json args = {
      {"bucket", "b"}, {"name", "o"}, {"meta", {{"name", "p"}, {"description", "moved"}}}};
  ASSERT_TRUE(engine().js_api(ctx_, ApiOp::obj_update_meta, args.dump(), peer_.now).ok());
  auto p = pubs();
  EXPECT_EQ(json::parse(p.at(0).body), json({{"last_by_subj", "$O.b.M.bw=="}}));
  answer(p[0].reply,
         stored_info("$O.b.M.bw==", 3, {{"name", "o"}, {"nuid", "N"}, {"size", 4}, {"chunks", 1}}));
  p = pubs();
  EXPECT_EQ(json::parse(p.at(0).body), json({{"last_by_subj", "$O.b.M.cA=="}})) << "is p free?";
  answer(p[0].reply, not_found());
  p = pubs();
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].subject, "$O.b.M.cA==");
  EXPECT_NE(p[0].headers.find("Nats-Rollup: sub"), std::string::npos);
  const json written = json::parse(p[0].body);
  EXPECT_EQ(written["name"], "p");
  EXPECT_EQ(written["nuid"], "N") << "the same chunks";
  EXPECT_EQ(written["size"], 4);
  EXPECT_EQ(written["description"], "moved");
  answer(p[0].reply, R"({"stream":"OBJ_b","seq":8})");
  p = pubs();
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].subject, "$JS.API.STREAM.PURGE.OBJ_b");
  EXPECT_EQ(json::parse(p[0].body), json({{"filter", "$O.b.M.bw=="}}))
      << "the old info, not chunks";
  auto evs = answer(p[0].reply, R"({"success":true,"purged":1})");
  ASSERT_EQ(evs.size(), 1u);
  const json result = json::parse(evs[0].text);
  EXPECT_EQ(result["name"], "p");
  EXPECT_EQ(result["revision"], 8);
}

TEST_F(ObjTest, AnUpdateNeedsALiveObjectAndAFreeNewName) {
  const json rename = {{"bucket", "b"}, {"name", "o"}, {"meta", {{"name", "p"}}}};
  ASSERT_TRUE(engine().js_api(ctx_, ApiOp::obj_update_meta, rename.dump(), peer_.now).ok());
  answer(pubs()[0].reply, stored_info("$O.b.M.bw==", 3, {{"name", "o"}, {"nuid", "N"}}));
  auto evs = answer(pubs()[0].reply, stored_info("$O.b.M.cA==", 4, {{"name", "p"}, {"nuid", "M"}}));
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].error.code, Errc::object_exists);
  EXPECT_TRUE(pubs().empty()) << "nothing written";

  const json same = {{"bucket", "b"}, {"name", "o"}, {"meta", {{"description", "d"}}}};
  ASSERT_TRUE(engine().js_api(ctx_, ApiOp::obj_update_meta, same.dump(), peer_.now).ok());
  evs = answer(pubs()[0].reply,
               stored_info("$O.b.M.bw==", 5, {{"name", "o"}, {"nuid", "N"}, {"deleted", true}}));
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].error.code, Errc::object_not_found) << "a deleted object has no meta to update";
}

}  // namespace

namespace {

TEST(ObjRulesPlacement, PlacementGoesToTheStreamConfig) {
  nats::js::obj::StoreConfig c;
  c.bucket = "files";
  c.placement_json = R"({"cluster":"east"})";
  auto cfg = nlohmann::json::parse(*nats::js::obj::stream_config_json(c));
  EXPECT_EQ(cfg["placement"]["cluster"], "east");
  c.placement_json = "\"east\"";
  EXPECT_EQ(nats::js::obj::stream_config_json(c).error().code, nats::Errc::invalid_argument);
}

}  // namespace

namespace {

TEST_F(ObjTest, APutsRecordIsWrittenByTheEngineAndABadMetaIsRefusedBeforeAnyChunk) {
  const json args = {{"bucket", "b"},         {"name", "o"},
                     {"nuid", "N1"},          {"size", 3},
                     {"chunks", 1},           {"max_chunk_size", 128},
                     {"digest", "SHA-256=x"}, {"now_unix_ns", 1'000'000'000}};
  ASSERT_TRUE(engine().js_api(ctx_, ApiOp::obj_put_meta, args.dump(), peer_.now).ok());
  answer(pubs()[0].reply, not_found());
  auto p = pubs();
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].subject, "$O.b.M.bw==");
  const json written = json::parse(p[0].body);
  EXPECT_EQ(written["nuid"], "N1");
  EXPECT_EQ(written["bucket"], "b");
  EXPECT_EQ(written["mtime"], "1970-01-01T00:00:01.000Z");
  EXPECT_EQ(written["options"], json({{"max_chunk_size", 128}}));
  // obj_info with a put's meta refuses a link in it before anything is asked.
  const json linked = {
      {"bucket", "b"}, {"name", "o"}, {"meta", {{"options", {{"link", {{"bucket", "b"}}}}}}}};
  EXPECT_EQ(engine().js_api(ctx_, ApiOp::obj_info, linked.dump(), peer_.now).error().code,
            Errc::invalid_argument);
}

}  // namespace
