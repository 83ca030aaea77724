// The engine's authentication step: which fields CONNECT carries and the
// host round trips (auth_needed, sign_nonce) it waits for while `signing`.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nats/engine.hpp"
#include "nats/nkeys.hpp"
#include "scripted_peer.hpp"

namespace {

using nats::Errc;
using nats::Event;
using nats::EventType;
using nats::Options;
using nats::State;
using nats::Time;
using nats_test::info_line;
using nats_test::ScriptedPeer;

constexpr std::string_view kSeed = "SUACSSL3UAHUDXKFSNVUZRF5UHPMWZ6BFDTJ7M6USDXIEDNPPQYYYCU3VY";
constexpr std::string_view kPublic = "UDXU4RCSJNZOIQHZNWXHXORDPRTGNJAHAHFRGZNEEJCPQTT2M7NLCNF4";
const std::string kNonceInfo = info_line(
    R"({"server_id":"S","version":"2.9.10","proto":1,"headers":true,"max_payload":1048576,)"
    R"("nonce":"n0nce-1"})");

// The public key bytes of kPublic, and a stand-in 64-byte signature (the
// engine only encodes what the host's Ed25519 produced).
std::string public_raw() { return nats::nkeys::decode_public_key(kPublic)->raw; }
std::string signature() { return std::string(63, '\xfb') + '\x01'; }

// The JSON of the CONNECT among `ops` (fails the test when there is none).
nlohmann::json connect_of(const std::vector<std::string> &ops) {
  for (const auto &op : ops) {
    if (op.rfind("CONNECT ", 0) == 0) return nlohmann::json::parse(op.substr(8));
  }
  ADD_FAILURE() << "no CONNECT in " << ::testing::PrintToString(ops);
  return {};
}

Event only_event(ScriptedPeer &peer, EventType type) {
  auto evs = peer.events();
  EXPECT_EQ(evs.size(), 1u);
  if (evs.empty()) return {};
  EXPECT_EQ(evs[0].type, type) << nats::event_name(evs[0].type);
  return evs[0];
}

TEST(AuthTest, SeedSignsTheNonceThroughTheHost) {
  Options o;
  o.nkey_seed = kSeed;
  ScriptedPeer peer(o);
  peer.open();
  peer.send(kNonceInfo);
  Event sign = only_event(peer, EventType::sign_nonce);
  EXPECT_EQ(sign.text, "n0nce-1");
  EXPECT_EQ(sign.data, nats::nkeys::decode_seed(kSeed)->raw);
  EXPECT_EQ(peer.engine().state(), State::signing);
  EXPECT_TRUE(peer.written().empty()) << "no CONNECT before the signature";

  ASSERT_FALSE(peer.engine().nonce_signed(public_raw(), signature(), Time{1}));
  auto j = connect_of(peer.written());
  EXPECT_EQ(j.at("nkey"), kPublic);
  // 64 bytes in unpadded base64url: 86 characters, '-'/'_' not '+'/'/'.
  const std::string sig = j.at("sig");
  EXPECT_EQ(sig.size(), 86u);
  EXPECT_EQ(sig.substr(0, 4), "-_v7");
  EXPECT_EQ(sig.find('='), std::string::npos);
  EXPECT_FALSE(j.contains("jwt"));
  EXPECT_EQ(peer.feed_summaries("PONG\r\n"), std::vector<std::string>{"connected 0"});
}

TEST(AuthTest, SeedWithoutNonceConnectsUnsigned) {
  Options o;
  o.nkey_seed = kSeed;
  ScriptedPeer peer(o);
  auto j = nlohmann::json::parse(peer.handshake());
  EXPECT_FALSE(j.contains("sig"));
  EXPECT_FALSE(j.contains("nkey"));
}

TEST(AuthTest, CredsSendTheJwtAndSignWithTheirSeed) {
  Options o;
  o.creds =
      "-----BEGIN NATS USER JWT-----\nthe.user.jwt\n------END NATS USER JWT------\n"
      "-----BEGIN USER NKEY SEED-----\n" +
      std::string(kSeed) + "\n------END USER NKEY SEED------\n";
  ScriptedPeer peer(o);
  peer.open();
  peer.send(kNonceInfo);
  Event sign = only_event(peer, EventType::sign_nonce);
  EXPECT_EQ(sign.data.size(), 32u);
  ASSERT_FALSE(peer.engine().nonce_signed(public_raw(), signature(), Time{1}));
  auto j = connect_of(peer.written());
  EXPECT_EQ(j.at("jwt"), "the.user.jwt");
  EXPECT_EQ(j.at("nkey"), kPublic);
  EXPECT_TRUE(j.contains("sig"));
}

TEST(AuthTest, HostAuthenticatorGivesFieldsPerConnection) {
  Options o;
  o.host_auth = true;
  o.user = "fallback";
  ScriptedPeer peer(o);
  peer.open();
  peer.send(kNonceInfo);
  Event need = only_event(peer, EventType::auth_needed);
  EXPECT_EQ(need.text, "n0nce-1");
  EXPECT_EQ(peer.engine().state(), State::signing);
  nats::Auth given;
  given.token = "tok";
  given.jwt = "a.b.c";
  given.sig = "presigned";
  ASSERT_FALSE(peer.engine().authenticate(given, Time{1}));
  auto j = connect_of(peer.written());
  EXPECT_EQ(j.at("auth_token"), "tok");
  EXPECT_EQ(j.at("jwt"), "a.b.c");
  EXPECT_EQ(j.at("sig"), "presigned") << "a signature the host made is sent as given";
  EXPECT_EQ(j.at("user"), "fallback") << "options fill what the authenticator left empty";
  EXPECT_TRUE(peer.engine().authenticate(given, Time{1})) << "only one answer per handshake";
}

TEST(AuthTest, HostAuthenticatorMayHandOverASeedToSign) {
  Options o;
  o.host_auth = true;
  ScriptedPeer peer(o);
  peer.open();
  peer.send(kNonceInfo);
  only_event(peer, EventType::auth_needed);
  nats::Auth given;
  given.seed = kSeed;
  ASSERT_FALSE(peer.engine().authenticate(given, Time{1}));
  Event sign = only_event(peer, EventType::sign_nonce);
  EXPECT_EQ(sign.text, "n0nce-1");
  ASSERT_FALSE(peer.engine().nonce_signed(public_raw(), signature(), Time{2}));
  EXPECT_EQ(connect_of(peer.written()).at("nkey"), kPublic);
}

TEST(AuthTest, HostFailureClosesWithItsError) {
  Options o;
  o.nkey_seed = kSeed;
  ScriptedPeer peer(o);
  peer.open();
  peer.send(kNonceInfo);
  only_event(peer, EventType::sign_nonce);
  peer.engine().auth_failed({Errc::authorization_violation, "no Ed25519 here"}, Time{1});
  EXPECT_EQ(peer.engine().state(), State::closed);
  EXPECT_EQ(peer.engine().last_error().code, Errc::authorization_violation);
  EXPECT_EQ(peer.engine().last_error().message, "no Ed25519 here");
}

TEST(AuthTest, BadSeedOrCredsFailBeforeConnecting) {
  Options bad_seed;
  bad_seed.nkey_seed = "SUNOTASEED";
  EXPECT_EQ(nats::validate_options(bad_seed).code, Errc::invalid_argument);
  ScriptedPeer peer(bad_seed);
  peer.engine().connect(Time{0});
  EXPECT_EQ(peer.engine().state(), State::closed);
  EXPECT_EQ(peer.engine().last_error().code, Errc::invalid_argument);

  Options bad_creds;
  bad_creds.creds = "this is no creds file";
  auto e = nats::validate_options(bad_creds);
  EXPECT_EQ(e.code, Errc::invalid_argument);
  EXPECT_NE(e.message.find("credentials"), std::string::npos) << e.message;
}

TEST(AuthTest, HostGivenBadSeedClosesWithInvalidArgument) {
  Options o;
  o.host_auth = true;
  ScriptedPeer peer(o);
  peer.open();
  peer.send(kNonceInfo);
  only_event(peer, EventType::auth_needed);
  nats::Auth given;
  given.seed = "SUBAD";
  peer.engine().authenticate(given, Time{1});
  EXPECT_EQ(peer.engine().state(), State::closed);
  EXPECT_EQ(peer.engine().last_error().code, Errc::invalid_argument);
}

TEST(AuthTest, WrongSizedSignatureIsRefused) {
  Options o;
  o.nkey_seed = kSeed;
  ScriptedPeer peer(o);
  peer.open();
  peer.send(kNonceInfo);
  only_event(peer, EventType::sign_nonce);
  EXPECT_EQ(peer.engine().nonce_signed(public_raw(), "short", Time{1}).code,
            Errc::invalid_argument);
  EXPECT_EQ(peer.engine().state(), State::closed);
}

TEST(AuthTest, AnswersOutsideTheSigningStepAreIllegal) {
  ScriptedPeer peer;
  peer.handshake();
  EXPECT_EQ(peer.engine().nonce_signed(public_raw(), signature(), Time{1}).code,
            Errc::illegal_state);
  EXPECT_EQ(peer.engine().authenticate({}, Time{1}).code, Errc::illegal_state);
  EXPECT_EQ(peer.engine().state(), State::connected);
}

TEST(AuthTest, ConnectTimeoutCoversTheSigningStep) {
  Options o;
  o.nkey_seed = kSeed;
  o.connect_timeout = nats::Duration{500};
  o.allow_reconnect = false;
  ScriptedPeer peer(o);
  peer.open();
  peer.send(kNonceInfo);
  only_event(peer, EventType::sign_nonce);
  ASSERT_TRUE(peer.engine().next_deadline().has_value());
  EXPECT_EQ(peer.engine().next_deadline()->count(), 500);
  peer.engine().handle_timeout(Time{500});
  EXPECT_EQ(peer.engine().state(), State::closed);
  EXPECT_EQ(peer.engine().last_error().code, Errc::timeout);
}

TEST(AuthTest, EachReconnectSignsItsOwnNonce) {
  Options o;
  o.nkey_seed = kSeed;
  o.reconnect_time_wait = nats::Duration{0};
  o.reconnect_jitter = nats::Duration{0};
  ScriptedPeer peer(o);
  peer.open();
  peer.send(kNonceInfo);
  only_event(peer, EventType::sign_nonce);
  ASSERT_FALSE(peer.engine().nonce_signed(public_raw(), signature(), Time{1}));
  peer.written();
  peer.feed("PONG\r\n");
  ASSERT_EQ(peer.engine().state(), State::connected);

  peer.engine().transport_closed(Time{2});
  peer.all_events();
  peer.engine().handle_timeout(Time{2});
  ASSERT_EQ(peer.engine().state(), State::connecting);
  peer.engine().transport_opened(Time{2});
  peer.all_events();
  peer.send(info_line(
      R"({"server_id":"S","version":"2.9.10","proto":1,"max_payload":1048576,"nonce":"second"})"));
  Event sign = only_event(peer, EventType::sign_nonce);
  EXPECT_EQ(sign.text, "second");
}

}  // namespace
