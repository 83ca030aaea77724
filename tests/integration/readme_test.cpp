// README.md's C++ examples, compiled from the README itself (the blocks are
// extracted at build time by tests/readme/cpp_blocks.py), and run against
// real servers where a local server can stand in: the KV/object example,
// the creds example (a JWT server) and the client example. The TLS example
// names a remote host, so it is compiled only.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include "auth_keys.hpp"
#include "nats/native/client.hpp"
#include "nats/native/jetstream.hpp"
#include "nats/native/kv.hpp"
#include "nats/native/obj.hpp"
#include "server_fixture.hpp"

namespace {

#include "readme_blocks.inc"

using nats::native::Client;
using nats::testing::NatsServer;

TEST(ReadmeCpp, HasItsExamples) { EXPECT_GE(kReadmeBlocks, 4); }

TEST(ReadmeCpp, ExamplesRunAgainstRealServers) {
  NatsServer server("default.conf");
  auto setup = nats::testing::make_jwt_setup();
  NatsServer jwt_server("auth.conf", setup.server_config());
  auto nc = Client::connect(server.ws_url());
  ASSERT_TRUE(nc.ok()) << nc.error().message;
  auto js = (*nc)->jetstream();
  ASSERT_TRUE(js.ok());
  { std::ofstream("big.bin", std::ios::binary) << std::string(300 * 1024, 'x'); }
  EXPECT_TRUE(readme_block_1(server.ws_url(), js, ""));
  std::remove("big.bin");
  std::remove("copy.bin");
  auto store = (*js)->object_store("files");
  ASSERT_TRUE(store.ok()) << "block 1 made the object store";
  EXPECT_EQ(store->get_info("big.bin")->size, 300U * 1024U);
  EXPECT_EQ((*js)->key_value("settings")->get("theme")->value, "dark");
  EXPECT_TRUE(readme_block_2(jwt_server.ws_url(), js, setup.creds()))
      << "the creds example connects";
  EXPECT_TRUE(readme_block_3(server.ws_url(), js, "")) << "the client example connects";
}

}  // namespace
