#pragma once
// A nats-server cluster on loopback from tests/config/cluster.conf: each
// node with its own ports, store and name (n1, n2, ...), routed to the
// others. Every node is a NatsServer, stopped by PID with the cluster.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "server_fixture.hpp"

namespace nats::testing {

class NatsCluster {
public:
  /// Starts `size` nodes; each is listening when this returns (JetStream
  /// may still be electing its meta leader: retry the first API call).
  explicit NatsCluster(std::size_t size = 3);
  ~NatsCluster();
  NatsCluster(const NatsCluster &) = delete;
  NatsCluster &operator=(const NatsCluster &) = delete;

  std::size_t size() const { return nodes_.size(); }
  NatsServer &node(std::size_t i) { return *nodes_.at(i); }
  /// The node whose server_name is `name` ("n1", ...), or nullptr.
  NatsServer *by_name(std::string_view name);

private:
  std::string dir_;
  std::vector<std::unique_ptr<NatsServer>> nodes_;
};

}  // namespace nats::testing
