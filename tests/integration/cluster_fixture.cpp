#include "cluster_fixture.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace nats::testing {
namespace {

void replace_each(std::string &s, const std::string &from, const std::string &to) {
  for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) {
    s.replace(pos, from.size(), to);
  }
}

}  // namespace

NatsCluster::NatsCluster(std::size_t size) {
  std::ifstream in(std::string(NATS_TEST_CONFIG_DIR) + "/cluster.conf");
  if (!in) throw std::runtime_error("missing test config cluster.conf");
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string tmpl = buf.str();

  char dir_template[] = "/tmp/nats-wasm-cluster-XXXXXX";
  dir_ = ::mkdtemp(dir_template);
  // The route ports are chosen before any node starts (each lists the
  // others); NatsServer fills in the client and WebSocket ports and the store.
  std::vector<std::uint16_t> route_ports;
  for (std::size_t i = 0; i < size; ++i) route_ports.push_back(free_loopback_port());
  for (std::size_t i = 0; i < size; ++i) {
    std::string routes;
    for (std::size_t k = 0; k < size; ++k) {
      if (k == i) continue;
      if (!routes.empty()) routes += ", ";
      routes += "\"nats-route://127.0.0.1:" + std::to_string(route_ports[k]) + "\"";
    }
    std::string conf = tmpl;
    replace_each(conf, "{{NAME}}", "n" + std::to_string(i + 1));
    replace_each(conf, "{{CLUSTER_PORT}}", std::to_string(route_ports[i]));
    replace_each(conf, "{{ROUTES}}", routes);
    const std::string path = dir_ + "/n" + std::to_string(i + 1) + ".conf";
    std::ofstream(path) << conf;
    nodes_.push_back(std::make_unique<NatsServer>(path));
  }
}

NatsCluster::~NatsCluster() {
  nodes_.clear();  // each stops its server
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

NatsServer *NatsCluster::by_name(std::string_view name) {
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    if (name == "n" + std::to_string(i + 1)) return nodes_[i].get();
  }
  return nullptr;
}

}  // namespace nats::testing
