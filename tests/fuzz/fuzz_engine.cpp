// libFuzzer target: the whole engine driven by arbitrary server bytes and
// times. The input is a script: each step's first byte picks what happens
// (bytes from the server, time passing, a client operation, the transport
// ending); the engine must never crash, hang, or hold memory without bound.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "nats/engine.hpp"

namespace {

constexpr std::string_view kInfo =
    "INFO {\"server_id\":\"F\",\"version\":\"2.9.10\",\"proto\":1,\"headers\":true,"
    "\"max_payload\":4096,\"nonce\":\"n\"} \r\n";

class Script {
public:
  Script(const std::uint8_t *data, std::size_t size) : data_(data), size_(size) {}
  bool done() const { return pos_ >= size_; }
  std::uint8_t byte() { return done() ? 0 : data_[pos_++]; }
  std::string_view bytes(std::size_t n) {
    if (n > size_ - pos_) n = size_ - pos_;
    std::string_view out(reinterpret_cast<const char *>(data_) + pos_, n);
    pos_ += n;
    return out;
  }

private:
  const std::uint8_t *data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  nats::Options o;
  o.servers = {"nats://127.0.0.1:4222", "nats://127.0.0.1:4223"};
  o.reconnect_time_wait = nats::Duration{5};
  o.max_reconnect_attempts = 3;
  o.nkey_seed = "SUACSSL3UAHUDXKFSNVUZRF5UHPMWZ6BFDTJ7M6USDXIEDNPPQYYYCU3VY";
  nats::Engine engine(o);
  Script s(data, size);
  std::int64_t now = 0;
  engine.connect(nats::Time{now});
  nats::Event ev;
  auto drain = [&] {
    int guard = 0;
    while (engine.next_event(ev)) {
      if (++guard > 100000) std::abort();  // an event loop that never ends is a hang
      if (ev.type == nats::EventType::transport_open) engine.transport_opened(nats::Time{now});
      if (ev.type == nats::EventType::sign_nonce) {
        engine.nonce_signed(std::string(32, 'p'), std::string(64, 's'), nats::Time{now});
      }
    }
    engine.take_output();
  };
  drain();
  engine.receive(kInfo, nats::Time{now});
  drain();
  engine.receive("PONG\r\n", nats::Time{now});
  drain();
  std::uint64_t sid = 0;
  while (!s.done()) {
    switch (s.byte() % 8) {
      case 0:
      case 1:
      case 2: engine.receive(s.bytes(1 + s.byte()), nats::Time{now}); break;
      case 3:
        now += s.byte() * 37;
        engine.handle_timeout(nats::Time{now});
        break;
      case 4: {
        auto r = engine.subscribe("fuzz.>");
        if (r) {
          sid = *r;
          engine.set_pending_limits(sid, nats::PendingLimits{s.byte() % 8u, 0, 1});
        }
        break;
      }
      case 5: engine.request("svc", "q", nats::Time{now}, nats::Duration{1 + s.byte()}); break;
      case 6: engine.subscription_consumed(sid, s.byte() % 4u, s.byte()); break;
      case 7:
        if (s.byte() % 4 == 0) {
          engine.transport_closed(nats::Time{now});
        } else {
          engine.publish("fuzz.out", s.bytes(s.byte()));
        }
        break;
    }
    drain();
    // Bounded memory: nothing buffers more than its limits allow.
    if (engine.receive_buffered() > 4096 + 64 * 1024 + 65536 + 512) std::abort();
  }
  engine.close();
  drain();
  return 0;
}
