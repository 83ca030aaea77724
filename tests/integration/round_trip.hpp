#pragma once
// Connected for real: a message published on a fresh subscription comes
// back (the auth and TLS tests check each way of connecting with it).

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "nats/native/client.hpp"

namespace nats::testing {

inline void expect_round_trip(nats::native::Client &c) {
  const std::string subject = c.new_inbox();
  auto sub = c.subscribe(subject);
  ASSERT_TRUE(sub.ok()) << sub.error().message;
  ASSERT_FALSE(c.publish(subject, "round trip"));
  auto m = (*sub)->next_msg(std::chrono::seconds(5));
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->data, "round trip");
}

}  // namespace nats::testing
