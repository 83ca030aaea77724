// nkey and JWT (decentralized) authentication against a real nats-server
// configured with keys the test makes, over TCP and WebSocket.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "auth_keys.hpp"
#include "nats/native/client.hpp"
#include "round_trip.hpp"
#include "server_fixture.hpp"

namespace {

using namespace std::chrono_literals;
using nats::Errc;
using nats::native::Client;
using nats::testing::expect_round_trip;
using nats::testing::JwtSetup;
using nats::testing::NatsServer;
using nats::testing::TestKey;
using KeyType = nats::nkeys::KeyType;

enum class Transport { tcp, ws };

std::string url(const NatsServer &s, Transport t) {
  return t == Transport::tcp ? s.tcp_url() : s.ws_url();
}

// One server with an nkey user and one in operator mode, for all tests.
class NkeyAuthTest : public ::testing::TestWithParam<Transport> {
protected:
  static void SetUpTestSuite() {
    nkey_user_ = std::make_unique<TestKey>(nats::testing::make_key(KeyType::user));
    nkey_server_ = std::make_unique<NatsServer>(
        "auth.conf", nats::testing::nkey_users_config(nkey_user_->public_key));
    jwt_ = std::make_unique<JwtSetup>(nats::testing::make_jwt_setup());
    jwt_server_ = std::make_unique<NatsServer>("auth.conf", jwt_->server_config());
  }
  static void TearDownTestSuite() {
    nkey_server_.reset();
    jwt_server_.reset();
  }
  static std::unique_ptr<TestKey> nkey_user_;
  static std::unique_ptr<NatsServer> nkey_server_;
  static std::unique_ptr<JwtSetup> jwt_;
  static std::unique_ptr<NatsServer> jwt_server_;
};
std::unique_ptr<TestKey> NkeyAuthTest::nkey_user_;
std::unique_ptr<NatsServer> NkeyAuthTest::nkey_server_;
std::unique_ptr<JwtSetup> NkeyAuthTest::jwt_;
std::unique_ptr<NatsServer> NkeyAuthTest::jwt_server_;

TEST_P(NkeyAuthTest, NkeySeedSignsTheNonce) {
  nats::Options o;
  o.nkey_seed = nkey_user_->seed;
  auto c = Client::connect(url(*nkey_server_, GetParam()), o);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_TRUE((*c)->info().auth_required);
  EXPECT_FALSE((*c)->info().nonce.empty());
  expect_round_trip(**c);
}

TEST_P(NkeyAuthTest, AnotherSeedIsAnAuthorizationViolation) {
  nats::Options o;
  o.nkey_seed = nats::testing::make_key(KeyType::user).seed;
  o.allow_reconnect = false;
  auto c = Client::connect(url(*nkey_server_, GetParam()), o);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, Errc::authorization_violation) << c.error().message;
}

TEST_P(NkeyAuthTest, NoCredentialsAreRefused) {
  nats::Options o;
  o.allow_reconnect = false;
  auto c = Client::connect(url(*nkey_server_, GetParam()), o);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, Errc::authorization_violation);
}

TEST_P(NkeyAuthTest, CredsFileTextAuthenticates) {
  nats::Options o;
  o.creds = jwt_->creds();
  auto c = Client::connect(url(*jwt_server_, GetParam()), o);
  ASSERT_TRUE(c.ok()) << c.error().message;
  expect_round_trip(**c);
}

TEST_P(NkeyAuthTest, JwtAndSeedAuthenticate) {
  nats::Options o;
  o.jwt = jwt_->user_jwt;
  o.nkey_seed = jwt_->user.seed;
  auto c = Client::connect(url(*jwt_server_, GetParam()), o);
  ASSERT_TRUE(c.ok()) << c.error().message;
  expect_round_trip(**c);
}

TEST_P(NkeyAuthTest, JwtWithTheWrongSeedIsRefused) {
  nats::Options o;
  o.jwt = jwt_->user_jwt;
  o.nkey_seed = nats::testing::make_key(KeyType::user).seed;
  o.allow_reconnect = false;
  auto c = Client::connect(url(*jwt_server_, GetParam()), o);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, Errc::authorization_violation) << c.error().message;
}

TEST_P(NkeyAuthTest, ExpiredJwtIsRefused) {
  const auto an_hour_ago = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count() -
                           3600;
  const TestKey user = nats::testing::make_key(KeyType::user);
  nats::Options o;
  o.creds = nats::testing::creds_text(jwt_->issue_user_jwt(user, an_hour_ago), user.seed);
  o.allow_reconnect = false;
  auto c = Client::connect(url(*jwt_server_, GetParam()), o);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, Errc::authorization_violation) << c.error().message;

  // The control: the same user with a JWT valid for another hour gets in.
  o.creds = nats::testing::creds_text(jwt_->issue_user_jwt(user, an_hour_ago + 7200), user.seed);
  auto valid = Client::connect(url(*jwt_server_, GetParam()), o);
  ASSERT_TRUE(valid.ok()) << valid.error().message;
}

TEST_P(NkeyAuthTest, BadCredsAreInvalidArgumentBeforeConnecting) {
  nats::Options o;
  o.creds = "not a creds file";
  auto c = Client::connect(url(*jwt_server_, GetParam()), o);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, Errc::invalid_argument);
  EXPECT_TRUE(c.error().local());
}

INSTANTIATE_TEST_SUITE_P(Transports, NkeyAuthTest, ::testing::Values(Transport::tcp, Transport::ws),
                         [](const auto &param_info) {
                           return param_info.param == Transport::tcp ? std::string("tcp")
                                                                     : std::string("ws");
                         });

}  // namespace
