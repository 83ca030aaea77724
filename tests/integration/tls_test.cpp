// Native TLS against a real nats-server with a CA and certificates the test
// makes (tests/harness/make-certs.sh): tls:// (INFO in the clear, then the
// upgrade), nats:// to a server that requires TLS, wss://, verification,
// and client certificates.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "nats/native/client.hpp"
#include "round_trip.hpp"
#include "server_fixture.hpp"

namespace {

using namespace std::chrono_literals;
using nats::Errc;
using nats::native::Client;
using nats::testing::expect_round_trip;
using nats::testing::NatsServer;

std::string certs_dir() {
  static const std::string dir = [] {
    std::string d =
        std::filesystem::temp_directory_path() / ("nats-wasm-certs-" + std::to_string(::getpid()));
    const std::string cmd = "bash " + std::string(NATS_TEST_CONFIG_DIR) +
                            "/../harness/make-certs.sh " + d + " > /dev/null";
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("make-certs.sh failed");
    return d;
  }();
  return dir;
}

// A config whose TCP and WebSocket ports both require TLS; with
// `client_certs`, TCP clients must also show a certificate from the CA.
std::string write_config(bool client_certs) {
  const std::string d = certs_dir();
  const std::string tls_files =
      "  cert_file: \"" + d + "/server.pem\"\n  key_file: \"" + d + "/server.key\"\n";
  const std::string path = d + (client_certs ? "/mtls.conf" : "/tls.conf");
  std::ofstream(path) << "listen: \"127.0.0.1:{{PORT}}\"\n"
                      << "tls {\n"
                      << tls_files << "  ca_file: \"" << d << "/ca.pem\"\n"
                      << (client_certs ? "  verify: true\n" : "") << "  timeout: 2\n}\n"
                      << "websocket {\n  listen: \"127.0.0.1:{{WS_PORT}}\"\n  tls {\n"
                      << tls_files << "  }\n}\n";
  return path;
}

class TlsTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    tls_ = std::make_unique<NatsServer>(write_config(false));
    mtls_ = std::make_unique<NatsServer>(write_config(true));
  }
  static void TearDownTestSuite() {
    tls_.reset();
    mtls_.reset();
  }
  static nats::Options trusting() {
    nats::Options o;
    o.tls.ca_file = certs_dir() + "/ca.pem";
    o.allow_reconnect = false;
    o.connect_timeout = 5000ms;
    return o;
  }
  static std::string url(const char *scheme, const NatsServer &s, const char *host = "127.0.0.1") {
    const bool ws = std::string(scheme) == "wss";
    return std::string(scheme) + "://" + host + ":" + std::to_string(ws ? s.ws_port() : s.port());
  }
  static std::unique_ptr<NatsServer> tls_;
  static std::unique_ptr<NatsServer> mtls_;
};
std::unique_ptr<NatsServer> TlsTest::tls_;
std::unique_ptr<NatsServer> TlsTest::mtls_;

TEST_F(TlsTest, TlsUrlWithTheCaConnects) {
  auto c = Client::connect(url("tls", *tls_), trusting());
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_TRUE((*c)->info().tls_required);
  expect_round_trip(**c);
}

TEST_F(TlsTest, HostNameIsVerifiedToo) {
  auto c = Client::connect(url("tls", *tls_, "localhost"), trusting());
  ASSERT_TRUE(c.ok()) << c.error().message;
  expect_round_trip(**c);
}

TEST_F(TlsTest, NatsUrlUpgradesWhenTheServerRequiresTls) {
  auto c = Client::connect(url("nats", *tls_), trusting());
  ASSERT_TRUE(c.ok()) << c.error().message;
  expect_round_trip(**c);
}

TEST_F(TlsTest, AnUntrustedCertificateIsRefused) {
  nats::Options o = trusting();
  o.tls.ca_file = certs_dir() + "/other-ca.pem";
  auto c = Client::connect(url("tls", *tls_), o);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, Errc::tls_failed) << c.error().message;
  EXPECT_NE(c.error().message.find("certificate verify failed"), std::string::npos)
      << c.error().message;
}

TEST_F(TlsTest, TheSystemCasDoNotTrustATestCa) {
  nats::Options o = trusting();
  o.tls.ca_file.clear();
  auto c = Client::connect(url("tls", *tls_), o);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, Errc::tls_failed);
}

TEST_F(TlsTest, VerificationCanBeTurnedOff) {
  nats::Options o = trusting();
  o.tls.ca_file.clear();
  o.tls.verify = false;
  auto c = Client::connect(url("tls", *tls_), o);
  ASSERT_TRUE(c.ok()) << c.error().message;
  expect_round_trip(**c);
}

TEST_F(TlsTest, WssConnects) {
  auto c = Client::connect(url("wss", *tls_), trusting());
  ASSERT_TRUE(c.ok()) << c.error().message;
  expect_round_trip(**c);
}

TEST_F(TlsTest, WssWithAnUntrustedCertificateFails) {
  nats::Options o = trusting();
  o.tls.ca_file = certs_dir() + "/other-ca.pem";
  auto c = Client::connect(url("wss", *tls_), o);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, Errc::no_servers);
  EXPECT_NE(c.error().message.find("certificate verify failed"), std::string::npos)
      << "the reason reaches the error: " << c.error().message;
}

TEST_F(TlsTest, ClientCertificatesWhenTheServerAsks) {
  auto without = Client::connect(url("tls", *mtls_), trusting());
  ASSERT_FALSE(without.ok()) << "the server requires a client certificate";
  nats::Options o = trusting();
  o.tls.cert_file = certs_dir() + "/client.pem";
  o.tls.key_file = certs_dir() + "/client.key";
  auto with = Client::connect(url("tls", *mtls_), o);
  ASSERT_TRUE(with.ok()) << with.error().message;
  expect_round_trip(**with);
}

TEST_F(TlsTest, AMissingCaFileIsInvalidArgumentBeforeConnecting) {
  nats::Options o = trusting();
  o.tls.ca_file = "/no/such/ca.pem";
  auto c = Client::connect(url("tls", *tls_), o);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, Errc::invalid_argument);
  EXPECT_NE(c.error().message.find("ca_file"), std::string::npos);
}

TEST_F(TlsTest, TlsUrlToAPlainServerFails) {
  NatsServer plain("no_jetstream.conf");
  auto c = Client::connect("tls://127.0.0.1:" + std::to_string(plain.port()), trusting());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, Errc::tls_failed);
}

}  // namespace
