// The only translation unit that includes Boost.Beast (slow to compile).
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include "transport.hpp"

namespace nats::native::detail {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using asio::ip::tcp;

class WsTransport final : public Transport {
public:
  explicit WsTransport(asio::io_context &io) : resolver_(io), ws_(io) {}

  void async_connect(const ServerUrl &url, std::function<void(ErrorCode)> done) override {
    host_ = url.host + ":" + std::to_string(url.port);
    path_ = url.path;
    resolver_.async_resolve(
        url.host, std::to_string(url.port),
        [this, done](ErrorCode ec, const tcp::resolver::results_type &results) {
          if (ec) return done(ec);
          beast::get_lowest_layer(ws_).async_connect(
              results, [this, done](ErrorCode ec2, const tcp::endpoint &) {
                if (ec2) return done(ec2);
                beast::get_lowest_layer(ws_).socket().set_option(tcp::no_delay(true), ec2);
                ws_.binary(true);
                ws_.async_handshake(host_, path_, [done](ErrorCode ec3) { done(ec3); });
              });
        });
  }

  void async_read_some(std::span<char> buf,
                       std::function<void(ErrorCode, std::size_t)> done) override {
    ws_.async_read_some(asio::buffer(buf.data(), buf.size()), std::move(done));
  }

  void async_write(std::string_view data, std::function<void(ErrorCode)> done) override {
    ws_.async_write(asio::buffer(data.data(), data.size()),
                    [done](ErrorCode ec, std::size_t) { done(ec); });
  }

  void close() override {
    if (closing_) return;
    closing_ = true;
    if (!ws_.is_open()) {
      ErrorCode ignored;
      beast::get_lowest_layer(ws_).socket().close(ignored);
      return;
    }
    // Code 1000: a close without a code makes nats-server 2.9 answer 1005.
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(2));
    ws_.async_close(websocket::close_code::normal, [this](ErrorCode) {
      ErrorCode ignored;
      beast::get_lowest_layer(ws_).socket().close(ignored);
    });
  }

private:
  tcp::resolver resolver_;
  websocket::stream<beast::tcp_stream> ws_;
  std::string host_;
  std::string path_;
  bool closing_ = false;
};

}  // namespace

std::unique_ptr<Transport> make_ws_transport(boost::asio::io_context &io) {
  return std::make_unique<WsTransport>(io);
}

}  // namespace nats::native::detail
