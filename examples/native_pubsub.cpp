// A small C++ program on the native client: subscribe, publish with headers,
// request/reply. Usage: nats_example [url]   (default nats://127.0.0.1:4222)
#include <cstdio>
#include <string>

#include "nats/native/client.hpp"

int main(int argc, char **argv) {
  using namespace std::chrono_literals;
  const std::string url = argc > 1 ? argv[1] : "nats://127.0.0.1:4222";
  nats::Options options;
  options.name = "nats-wasm native example";
  auto connected = nats::native::Client::connect(url, options);
  if (!connected) {
    std::fprintf(stderr, "connect failed: %s\n", connected.error().message.c_str());
    return 1;
  }
  auto &nc = *connected;
  std::printf("connected to %s (server %s)\n", url.c_str(), nc->info().version.c_str());

  // A service answering on "greet.*" through a callback.
  auto service = nc->subscribe("greet.*", [&nc](const nats::native::Msg &m) {
    if (!m.reply.empty()) nc->publish(m.reply, "hello, " + m.subject.substr(6));
  });
  auto sub = nc->subscribe("demo.>");
  if (!service || !sub) return 1;

  nats::Headers headers;
  headers.append("Trace-Id", "42");
  nc->publish("demo.headers", "with headers", {}, &headers);
  nc->publish("demo.plain", "no headers");
  for (int i = 0; i < 2; ++i) {
    auto m = (*sub)->next_msg(2s);
    if (!m) {
      std::fprintf(stderr, "next_msg: %s\n", m.error().message.c_str());
      return 1;
    }
    auto h = m->headers();
    std::printf("got %s: %s (Trace-Id=%s)\n", m->subject.c_str(), m->data.c_str(),
                h ? std::string(h->get("Trace-Id")).c_str() : "");
  }
  auto reply = nc->request("greet.joe", "", 2s);
  if (!reply) {
    std::fprintf(stderr, "request: %s\n", reply.error().message.c_str());
    return 1;
  }
  std::printf("reply: %s\n", reply->data.c_str());
  auto none = nc->request("nobody.home", "", 2s);
  std::printf("request to nobody: %s\n", std::string(nats::errc_name(none.error().code)).c_str());
  return nc->drain().code == nats::Errc::ok ? 0 : 1;
}
