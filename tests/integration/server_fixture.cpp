#include "server_fixture.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char **environ;

namespace nats::testing {
namespace {

namespace fs = std::filesystem;

}  // namespace

// Asks the kernel for a free loopback port. Another process could take it
// before the server binds; the server then fails to start and we retry.
std::uint16_t free_loopback_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

namespace {

bool port_open(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

void replace_all(std::string &s, const std::string &from, const std::string &to) {
  for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) {
    s.replace(pos, from.size(), to);
  }
}

std::string server_binary() {
  if (const char *env = std::getenv("NATS_SERVER_BIN")) return env;
  for (const char *p :
       {"/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server"}) {
    if (fs::exists(p)) return p;
  }
  return "nats-server";
}

}  // namespace

NatsServer::NatsServer(const std::string &config_name) : NatsServer(config_name, "") {}

NatsServer::NatsServer(const std::string &config_name, const std::string &extra_config) {
  // A name under tests/config/, or an absolute path (a config a test wrote).
  std::ifstream in(config_name.starts_with("/")
                       ? config_name
                       : std::string(NATS_TEST_CONFIG_DIR) + "/" + config_name);
  if (!in) throw std::runtime_error("missing test config " + config_name);
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string tmpl = buf.str() + "\n" + extra_config + "\n";

  char dir_template[] = "/tmp/nats-wasm-test-XXXXXX";
  dir_ = ::mkdtemp(dir_template);
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = free_loopback_port();
    ws_port_ = free_loopback_port();
    if (ws_port_ == port_) continue;
    std::string conf = tmpl;
    replace_all(conf, "{{PORT}}", std::to_string(port_));
    replace_all(conf, "{{WS_PORT}}", std::to_string(ws_port_));
    replace_all(conf, "{{STORE_DIR}}", dir_ + "/js");
    conf_path_ = dir_ + "/server.conf";
    std::ofstream(conf_path_) << conf;
    wait_ws_ = tmpl.find("{{WS_PORT}}") != std::string::npos;
    if (spawn()) return;
  }
  throw std::runtime_error("nats-server did not start (see " + dir_ + "/server.log)");
}

bool NatsServer::spawn() {
  const std::string log_path = dir_ + "/server.log";
  std::string bin = server_binary();
  std::string log_flag = "--log=" + log_path;
  char *argv[] = {bin.data(), const_cast<char *>("-c"), const_cast<char *>(conf_path_.c_str()),
                  log_flag.data(), nullptr};
  if (::posix_spawnp(&pid_, bin.c_str(), nullptr, nullptr, argv, environ) != 0) {
    throw std::runtime_error("cannot start " + bin);
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;  // exited: most likely a port race
      return false;
    }
    if (port_open(port_) && (!wait_ws_ || port_open(ws_port_))) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  stop();
  return false;
}

void NatsServer::kill_hard() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

void NatsServer::restart() {
  stop();
  // The same ports and store: a client sees the same server come back.
  for (int attempt = 0; attempt < 50; ++attempt) {
    if (spawn()) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  throw std::runtime_error("nats-server did not restart (see " + dir_ + "/server.log)");
}

NatsServer::~NatsServer() {
  stop();
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

void NatsServer::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  for (int i = 0; i < 250; ++i) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

std::string NatsServer::tcp_url() const { return "nats://127.0.0.1:" + std::to_string(port_); }

std::string NatsServer::ws_url() const { return "ws://127.0.0.1:" + std::to_string(ws_port_); }

}  // namespace nats::testing
