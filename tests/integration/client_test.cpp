// Integration tests: the native client against a real nats-server, over
// both native transports (TCP and WebSocket).
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "nats/native/client.hpp"
#include "server_fixture.hpp"

namespace {

using namespace std::chrono_literals;
using nats::Errc;
using nats::native::Client;
using nats::native::Msg;
using nats::testing::NatsServer;

enum class Transport { tcp, ws };

std::string url_for(const NatsServer &server, Transport t) {
  return t == Transport::tcp ? server.tcp_url() : server.ws_url();
}

std::string transport_name(const ::testing::TestParamInfo<Transport> &p) {
  return p.param == Transport::tcp ? "tcp" : "ws";
}

class ClientTest : public ::testing::TestWithParam<Transport> {
protected:
  static void SetUpTestSuite() { server_ = std::make_unique<NatsServer>("default.conf"); }
  static void TearDownTestSuite() { server_.reset(); }

  std::string url() const { return url_for(*server_, GetParam()); }

  std::unique_ptr<Client> connect(nats::Options options = {}) {
    options.connect_timeout = 5000ms;
    auto c = Client::connect(url(), options);
    EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message);
    return c.ok() ? std::move(*c) : nullptr;
  }

  static std::unique_ptr<NatsServer> server_;
};

std::unique_ptr<NatsServer> ClientTest::server_;

TEST_P(ClientTest, ConnectsAndReadsServerInfo) {
  auto nc = connect();
  ASSERT_TRUE(nc);
  auto info = nc->info();
  EXPECT_EQ(info.max_payload, 65536u);
  EXPECT_TRUE(info.headers);
  EXPECT_TRUE(info.jetstream);
  EXPECT_FALSE(info.version.empty());
  EXPECT_FALSE(nc->is_closed());
}

TEST_P(ClientTest, PublishSubscribe) {
  auto nc = connect();
  ASSERT_TRUE(nc);
  auto sub = nc->subscribe("pubsub.one");
  ASSERT_TRUE(sub.ok());
  ASSERT_FALSE(nc->flush());
  ASSERT_FALSE(nc->publish("pubsub.one", "hello"));
  ASSERT_FALSE(nc->publish("pubsub.one", ""));
  auto m = (*sub)->next_msg(2s);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->subject, "pubsub.one");
  EXPECT_EQ(m->data, "hello");
  auto empty = (*sub)->next_msg(2s);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->data, "");
  EXPECT_EQ(nc->stats().out_msgs, 2u);
}

TEST_P(ClientTest, PayloadWithCrlfAndBinaryBytesRoundTrips) {
  auto nc = connect();
  ASSERT_TRUE(nc);
  auto sub = nc->subscribe("pubsub.binary");
  ASSERT_TRUE(sub.ok());
  std::string payload = "MSG x 1 2\r\n\r\n";
  for (int i = 0; i < 256; ++i) payload.push_back(static_cast<char>(i));
  ASSERT_FALSE(nc->publish("pubsub.binary", payload));
  auto m = (*sub)->next_msg(2s);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->data, payload);
}

TEST_P(ClientTest, HeadersRoundTripWithMultipleValues) {
  auto nc = connect();
  ASSERT_TRUE(nc);
  auto sub = nc->subscribe("hdr.test");
  ASSERT_TRUE(sub.ok());
  nats::Headers h;
  h.append("X-Multi", "one");
  h.append("X-Multi", "two");
  h.append("Trace-Id", "abc-123");
  ASSERT_FALSE(nc->publish("hdr.test", "body", {}, &h));
  auto m = (*sub)->next_msg(2s);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->data, "body");
  auto parsed = m->headers();
  ASSERT_TRUE(parsed.ok());
  auto values = parsed->values("X-Multi");
  ASSERT_EQ(values.size(), 2u);
  EXPECT_EQ(values[0], "one");
  EXPECT_EQ(values[1], "two");
  EXPECT_EQ(parsed->get("Trace-Id"), "abc-123");
}

TEST_P(ClientTest, WildcardSubscriptions) {
  auto nc = connect();
  ASSERT_TRUE(nc);
  auto star = nc->subscribe("wild.*.end");
  auto tail = nc->subscribe("wild.>");
  ASSERT_TRUE(star.ok() && tail.ok());
  ASSERT_FALSE(nc->flush());
  nc->publish("wild.a.end", "1");
  nc->publish("wild.a.b.end", "2");
  nc->publish("wild.b", "3");
  ASSERT_FALSE(nc->flush());
  auto m = (*star)->next_msg(2s);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->subject, "wild.a.end");
  EXPECT_EQ((*star)->next_msg(200ms).error().code, Errc::timeout);
  std::set<std::string> got;
  for (int i = 0; i < 3; ++i) {
    auto t = (*tail)->next_msg(2s);
    ASSERT_TRUE(t.ok());
    got.insert(t->subject);
  }
  EXPECT_EQ(got, (std::set<std::string>{"wild.a.end", "wild.a.b.end", "wild.b"}));
}

TEST_P(ClientTest, QueueGroupSpreadsWorkOverTwoSubscribers) {
  auto nc = connect();
  auto pub = connect();
  ASSERT_TRUE(nc && pub);
  auto a = nc->subscribe("work.q", "workers");
  auto b = nc->subscribe("work.q", "workers");
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_FALSE(nc->flush());
  constexpr int kCount = 200;
  for (int i = 0; i < kCount; ++i) pub->publish("work.q", std::to_string(i));
  ASSERT_FALSE(pub->flush());
  // The server routed pub's messages before it answers this PING: they are
  // all queued once the PONG is read.
  ASSERT_FALSE(nc->flush());
  auto na = (*a)->pending();
  auto nb = (*b)->pending();
  EXPECT_EQ(na + nb, static_cast<std::size_t>(kCount));
  EXPECT_GT(na, 0u);
  EXPECT_GT(nb, 0u);
}

TEST_P(ClientTest, RequestReplyWithCallbackService) {
  auto service = connect();
  auto nc = connect();
  ASSERT_TRUE(service && nc);
  Client *svc = service.get();
  auto sub = service->subscribe("svc.echo", [svc](const Msg &m) {
    nats::Headers h;
    h.append("Echoed", "yes");
    svc->publish(m.reply, "echo:" + m.data, {}, &h);
  });
  ASSERT_TRUE(sub.ok());
  ASSERT_FALSE(service->flush());
  for (int i = 0; i < 20; ++i) {
    auto r = nc->request("svc.echo", "ping" + std::to_string(i), 2s);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->data, "echo:ping" + std::to_string(i));
    EXPECT_EQ(r->headers()->get("Echoed"), "yes");
  }
  EXPECT_EQ(nc->pending_requests(), 0u);
}

TEST_P(ClientTest, ThrowingCallbackDoesNotStopDelivery) {
  auto nc = connect();
  ASSERT_TRUE(nc);
  std::atomic<int> seen{0};
  auto sub = nc->subscribe("cb.throws", [&seen](const Msg &m) {
    ++seen;
    if (m.data == "boom") throw std::runtime_error("user callback failed");
  });
  ASSERT_TRUE(sub.ok());
  ASSERT_FALSE(nc->flush());
  nc->publish("cb.throws", "boom");
  nc->publish("cb.throws", "fine");
  ASSERT_FALSE(nc->flush());
  ASSERT_FALSE(nc->flush());
  EXPECT_EQ(seen.load(), 2);
  EXPECT_FALSE(nc->is_closed());
}

TEST_P(ClientTest, RequestWithHeadersReachesService) {
  auto nc = connect();
  ASSERT_TRUE(nc);
  Client *c = nc.get();
  auto sub = nc->subscribe(
      "svc.hdr", [c](const Msg &m) { c->publish(m.reply, std::string(m.headers()->get("Q"))); });
  ASSERT_TRUE(sub.ok());
  nats::Headers h;
  h.set("Q", "question");
  auto r = nc->request("svc.hdr", "", 2s, &h);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->data, "question");
}

TEST_P(ClientTest, RequestWithoutRespondersFailsFast) {
  auto nc = connect();
  ASSERT_TRUE(nc);
  auto start = std::chrono::steady_clock::now();
  auto r = nc->request("nobody.listens", "x", 5s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::no_responders);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);
  EXPECT_EQ(nc->pending_requests(), 0u);
}

TEST_P(ClientTest, RequestTimesOutWhenNobodyAnswers) {
  auto nc = connect();
  ASSERT_TRUE(nc);
  auto silent = nc->subscribe("silent.service");  // a responder that never replies
  ASSERT_TRUE(silent.ok());
  ASSERT_FALSE(nc->flush());
  auto r = nc->request("silent.service", "x", 150ms);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::timeout);
  EXPECT_EQ(nc->pending_requests(), 0u);
  EXPECT_TRUE((*silent)->next_msg(1s).ok());  // the request did go out
}

TEST_P(ClientTest, FlushRoundTripsAndOrdersAfterPublishes) {
  auto nc = connect();
  ASSERT_TRUE(nc);
  auto sub = nc->subscribe("flush.t");
  ASSERT_TRUE(sub.ok());
  for (int i = 0; i < 100; ++i) nc->publish("flush.t", "x");
  ASSERT_FALSE(nc->flush(2s));
  // After a flush on the subscribing connection, all 100 are here.
  ASSERT_FALSE(nc->flush(2s));
  EXPECT_EQ((*sub)->pending(), 100u);
}

TEST_P(ClientTest, DrainDeliversPendingMessagesThenCloses) {
  auto nc = connect();
  auto pub = connect();
  ASSERT_TRUE(nc && pub);
  std::atomic<int> seen{0};
  auto sub = nc->subscribe("drain.t", [&seen](const Msg &) { ++seen; });
  ASSERT_TRUE(sub.ok());
  ASSERT_FALSE(nc->flush());
  for (int i = 0; i < 500; ++i) pub->publish("drain.t", "m");
  ASSERT_FALSE(pub->flush());
  EXPECT_FALSE(nc->drain(5s));
  EXPECT_TRUE(nc->is_closed());
  EXPECT_EQ(seen.load(), 500);
  EXPECT_TRUE((*sub)->is_closed());
  EXPECT_EQ(nc->publish("drain.t", "late").code, Errc::connection_closed);
}

TEST_P(ClientTest, SubscriptionDrainKeepsConnectionOpen) {
  auto nc = connect();
  ASSERT_TRUE(nc);
  auto sub = nc->subscribe("subdrain.t");
  ASSERT_TRUE(sub.ok());
  ASSERT_FALSE(nc->flush());
  for (int i = 0; i < 10; ++i) nc->publish("subdrain.t", "m");
  ASSERT_FALSE((*sub)->drain());
  ASSERT_FALSE(nc->flush());
  EXPECT_TRUE((*sub)->is_closed());
  int got = 0;
  while ((*sub)->next_msg(100ms).ok()) ++got;
  EXPECT_EQ(got, 10);
  EXPECT_FALSE(nc->is_closed());
}

TEST_P(ClientTest, AutoUnsubscribeAfterMaxMessages) {
  auto nc = connect();
  ASSERT_TRUE(nc);
  auto sub = nc->subscribe("max.t", {}, 3);
  ASSERT_TRUE(sub.ok());
  ASSERT_FALSE(nc->flush());
  for (int i = 0; i < 10; ++i) nc->publish("max.t", std::to_string(i));
  ASSERT_FALSE(nc->flush());
  ASSERT_FALSE(nc->flush());
  EXPECT_EQ((*sub)->delivered(), 3u);
  EXPECT_TRUE((*sub)->is_closed());
  EXPECT_EQ((*sub)->next_msg(1s)->data, "0");
}

TEST_P(ClientTest, UnsubscribeWithMaxLater) {
  auto nc = connect();
  ASSERT_TRUE(nc);
  auto sub = nc->subscribe("unsubmax.t");
  ASSERT_TRUE(sub.ok());
  ASSERT_FALSE((*sub)->unsubscribe(2));
  ASSERT_FALSE(nc->flush());
  for (int i = 0; i < 5; ++i) nc->publish("unsubmax.t", "m");
  ASSERT_FALSE(nc->flush());
  ASSERT_FALSE(nc->flush());
  EXPECT_EQ((*sub)->delivered(), 2u);
  EXPECT_TRUE((*sub)->is_closed());
}

TEST_P(ClientTest, PayloadOverMaxPayloadIsRejectedLocally) {
  auto nc = connect();
  ASSERT_TRUE(nc);
  std::string big(65537, 'x');
  auto e = nc->publish("big.t", big);
  EXPECT_EQ(e.code, Errc::max_payload_exceeded);
  EXPECT_TRUE(e.local());
  // Exactly max_payload goes through and arrives whole.
  auto sub = nc->subscribe("big.t");
  ASSERT_TRUE(sub.ok());
  std::string max(65536, 'y');
  ASSERT_FALSE(nc->publish("big.t", max));
  auto m = (*sub)->next_msg(2s);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->data.size(), 65536u);
  EXPECT_FALSE(nc->is_closed());
}

TEST_P(ClientTest, InvalidSubjectsAreRejectedWithoutSending) {
  auto nc = connect();
  ASSERT_TRUE(nc);
  EXPECT_EQ(nc->publish("bad subject", "x").code, Errc::invalid_subject);
  EXPECT_EQ(nc->publish("bad.*", "x").code, Errc::invalid_subject);
  EXPECT_EQ(nc->subscribe("a..b").error().code, Errc::invalid_subject);
  EXPECT_EQ(nc->subscribe("a.>.b").error().code, Errc::invalid_subject);
  EXPECT_EQ(nc->subscribe("ok", "bad queue").error().code, Errc::invalid_queue);
  EXPECT_EQ(nc->request("a b", "", 1s).error().code, Errc::invalid_subject);
  EXPECT_EQ(nc->stats().out_msgs, 0u);
  EXPECT_FALSE(nc->flush());
}

TEST_P(ClientTest, CloseFailsFurtherCallsWithConnectionClosed) {
  auto nc = connect();
  ASSERT_TRUE(nc);
  auto sub = nc->subscribe("close.t");
  ASSERT_TRUE(sub.ok());
  nc->close();
  EXPECT_EQ((*sub)->next_msg(2s).error().code, Errc::bad_subscription);
  EXPECT_TRUE(nc->is_closed());
  EXPECT_EQ(nc->publish("x", "y").code, Errc::connection_closed);
  EXPECT_EQ(nc->request("x", "y", 1s).error().code, Errc::connection_closed);
  EXPECT_EQ(nc->flush().code, Errc::connection_closed);
  EXPECT_EQ(nc->subscribe("x").error().code, Errc::connection_closed);
}

TEST_P(ClientTest, InboxesAreUnique) {
  auto nc = connect();
  ASSERT_TRUE(nc);
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) seen.insert(nc->new_inbox());
  EXPECT_EQ(seen.size(), 100u);
  EXPECT_EQ(seen.begin()->rfind("_INBOX.", 0), 0u);
}

TEST_P(ClientTest, NoEchoSuppressesOwnMessages) {
  nats::Options o;
  o.echo = false;
  auto nc = connect(o);
  auto other = connect();
  ASSERT_TRUE(nc && other);
  auto sub = nc->subscribe("echo.t");
  ASSERT_TRUE(sub.ok());
  ASSERT_FALSE(nc->flush());
  nc->publish("echo.t", "mine");
  other->publish("echo.t", "theirs");
  ASSERT_FALSE(other->flush());
  ASSERT_FALSE(nc->flush());
  auto m = (*sub)->next_msg(2s);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->data, "theirs");
  EXPECT_EQ((*sub)->next_msg(200ms).error().code, Errc::timeout);
}

TEST_P(ClientTest, ServerShutdownClosesWithConnectionLostWithoutReconnect) {
  NatsServer own("default.conf");
  nats::Options o;
  o.allow_reconnect = false;
  auto c = Client::connect(url_for(own, GetParam()), o);
  ASSERT_TRUE(c.ok());
  auto sub = (*c)->subscribe("gone.t");
  ASSERT_TRUE(sub.ok());
  own.stop();
  auto m = (*sub)->next_msg(5s);
  ASSERT_FALSE(m.ok());
  EXPECT_TRUE((*c)->is_closed());
  EXPECT_EQ((*c)->last_error().code, Errc::connection_lost);
}

TEST_P(ClientTest, ConnectToClosedPortFails) {
  NatsServer own("default.conf");
  std::string url = url_for(own, GetParam());
  own.stop();
  nats::Options o;
  o.connect_timeout = 2000ms;
  auto c = Client::connect(url, o);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, Errc::no_servers);
  EXPECT_NE(c.error().message.find("cannot connect"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Transports, ClientTest, ::testing::Values(Transport::tcp, Transport::ws),
                         transport_name);

// --- auth ------------------------------------------------------------------
class AuthTest : public ::testing::TestWithParam<Transport> {
protected:
  static void SetUpTestSuite() {
    token_ = std::make_unique<NatsServer>("token.conf");
    perms_ = std::make_unique<NatsServer>("permissions.conf");
  }
  static void TearDownTestSuite() {
    token_.reset();
    perms_.reset();
  }
  static std::unique_ptr<NatsServer> token_;
  static std::unique_ptr<NatsServer> perms_;
};
std::unique_ptr<NatsServer> AuthTest::token_;
std::unique_ptr<NatsServer> AuthTest::perms_;

TEST_P(AuthTest, TokenAuthSucceeds) {
  nats::Options o;
  o.token = "s3cr3t-token";
  auto c = Client::connect(url_for(*token_, GetParam()), o);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_TRUE((*c)->info().auth_required);
  EXPECT_FALSE((*c)->flush());
}

TEST_P(AuthTest, WrongTokenFailsWithAuthorizationViolation) {
  nats::Options o;
  o.token = "wrong";
  auto c = Client::connect(url_for(*token_, GetParam()), o);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, Errc::authorization_violation);
  EXPECT_FALSE(c.error().local());
}

TEST_P(AuthTest, MissingTokenFailsWithAuthorizationViolation) {
  auto c = Client::connect(url_for(*token_, GetParam()));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, Errc::authorization_violation);
}

TEST_P(AuthTest, UserPasswordAuthSucceeds) {
  nats::Options o;
  o.user = "admin";
  o.pass = "admin-pass";
  auto c = Client::connect(url_for(*perms_, GetParam()), o);
  ASSERT_TRUE(c.ok()) << c.error().message;
}

TEST_P(AuthTest, SubscribePermissionViolationClosesOnlyThatSubscription) {
  nats::Options o;
  o.user = "limited";
  o.pass = "limited-pass";
  auto c = Client::connect(url_for(*perms_, GetParam()), o);
  ASSERT_TRUE(c.ok()) << c.error().message;
  auto denied = (*c)->subscribe("secret.stuff");
  auto allowed = (*c)->subscribe("allowed.stuff");
  ASSERT_TRUE(denied.ok() && allowed.ok());
  auto m = (*denied)->next_msg(3s);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, Errc::permission_violation);
  EXPECT_FALSE((*c)->is_closed());
  ASSERT_FALSE((*c)->publish("allowed.stuff", "ok"));
  auto ok = (*allowed)->next_msg(2s);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->data, "ok");
}

TEST_P(AuthTest, PublishPermissionViolationFailsTheRequest) {
  nats::Options o;
  o.user = "limited";
  o.pass = "limited-pass";
  auto c = Client::connect(url_for(*perms_, GetParam()), o);
  ASSERT_TRUE(c.ok());
  auto r = (*c)->request("secret.svc", "x", 3s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::permission_violation);
  EXPECT_FALSE((*c)->is_closed());
}

INSTANTIATE_TEST_SUITE_P(Transports, AuthTest, ::testing::Values(Transport::tcp, Transport::ws),
                         transport_name);

}  // namespace
