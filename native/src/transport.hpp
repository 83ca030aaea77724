#pragma once
// The byte pipe under the engine: TCP or WebSocket. Internal to native/.

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>

#include "nats/url.hpp"

namespace nats::native::detail {

using ErrorCode = boost::system::error_code;

/// One connection's byte stream. All calls happen on the io_context thread;
/// at most one read and one write are outstanding at a time.
class Transport {
public:
  virtual ~Transport() = default;
  /// Resolves, connects and (for WebSocket) performs the upgrade.
  virtual void async_connect(const ServerUrl &url, std::function<void(ErrorCode)> done) = 0;
  /// Reads what is available (at least one byte) into buf.
  virtual void async_read_some(std::span<char> buf,
                               std::function<void(ErrorCode, std::size_t)> done) = 0;
  /// Runs the TLS handshake on the open connection (TCP only: nats-server
  /// upgrades after its INFO); reads and writes go through TLS after it.
  virtual void async_start_tls(const std::string &host, std::function<void(ErrorCode)> done);
  /// Writes all of data; data must stay alive until done runs.
  virtual void async_write(std::string_view data, std::function<void(ErrorCode)> done) = 0;
  /// Closes gracefully (WebSocket close 1000) and then the socket.
  virtual void close() = 0;
};

/// TCP (nats://, tls://), upgraded to TLS with `tls` when the engine asks.
std::unique_ptr<Transport> make_tcp_transport(boost::asio::io_context &io,
                                              std::shared_ptr<boost::asio::ssl::context> tls,
                                              bool verify);
/// WebSocket over TCP (ws://), or over TLS (wss://, with `tls`), binary
/// frames. The only Beast TU.
std::unique_ptr<Transport> make_ws_transport(boost::asio::io_context &io,
                                             std::shared_ptr<boost::asio::ssl::context> tls,
                                             bool verify);

}  // namespace nats::native::detail
