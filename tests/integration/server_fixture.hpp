#pragma once
// Starts a real nats-server on free loopback ports from a config template in
// tests/config/, and always stops it.

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace nats::testing {

/// A loopback port free now (another process may take it before it is bound).
std::uint16_t free_loopback_port();

/// A running nats-server. The destructor stops it (SIGTERM, then SIGKILL).
class NatsServer {
public:
  /// Starts from tests/config/<config_name> (or an absolute path); aborts
  /// the test run on failure.
  explicit NatsServer(const std::string &config_name);
  /// The same, with `extra_config` appended to the rendered config (auth
  /// blocks whose keys a test makes).
  NatsServer(const std::string &config_name, const std::string &extra_config);
  ~NatsServer();
  NatsServer(const NatsServer &) = delete;
  NatsServer &operator=(const NatsServer &) = delete;

  std::uint16_t port() const { return port_; }
  std::uint16_t ws_port() const { return ws_port_; }
  /// "nats://127.0.0.1:<port>"
  std::string tcp_url() const;
  /// "ws://127.0.0.1:<ws port>"
  std::string ws_url() const;
  /// Stops the server now (for connection-loss tests).
  void stop();
  /// kill -9, no goodbye.
  void kill_hard();
  /// Starts it again on the same ports with the same store (after stop or kill_hard).
  void restart();
  /// The process id while running (for SIGSTOP/SIGCONT).
  pid_t pid() const { return pid_; }

private:
  bool spawn();
  std::string conf_path_;
  bool wait_ws_ = false;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::uint16_t ws_port_ = 0;
  std::string dir_;
};

}  // namespace nats::testing
