// The only translation unit that includes Boost.Beast (slow to compile):
// WebSocket over TCP (ws://) or over TLS (wss://; TLS first, then the
// upgrade, then NATS).
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <type_traits>

#include "tls.hpp"
#include "transport.hpp"

namespace nats::native::detail {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ssl = asio::ssl;
namespace websocket = beast::websocket;
using asio::ip::tcp;

template <bool Secure>
class WsTransport final : public Transport {
  using Next = std::conditional_t<Secure, beast::ssl_stream<beast::tcp_stream>, beast::tcp_stream>;

public:
  WsTransport(asio::io_context &io, std::shared_ptr<ssl::context> tls, bool verify)
      : resolver_(io), tls_ctx_(std::move(tls)), verify_(verify), ws_(make_ws(io)) {}

  void async_connect(const ServerUrl &url, std::function<void(ErrorCode)> done) override {
    host_ = url.host;
    host_port_ = url.host + ":" + std::to_string(url.port);
    path_ = url.path;
    resolver_.async_resolve(
        url.host, std::to_string(url.port),
        [this, done](ErrorCode ec, const tcp::resolver::results_type &results) {
          if (ec) return done(ec);
          beast::get_lowest_layer(ws_).async_connect(
              results, [this, done](ErrorCode ec2, const tcp::endpoint &) {
                if (ec2) return done(ec2);
                beast::get_lowest_layer(ws_).socket().set_option(tcp::no_delay(true), ec2);
                if constexpr (Secure) {
                  configure_tls_session(ws_.next_layer().native_handle(), host_, verify_);
                  ws_.next_layer().async_handshake(ssl::stream_base::client,
                                                   [this, done](ErrorCode ec3) {
                                                     if (ec3) return done(ec3);
                                                     upgrade(done);
                                                   });
                } else {
                  upgrade(done);
                }
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
  websocket::stream<Next> make_ws(asio::io_context &io) {
    if constexpr (Secure) {
      return websocket::stream<Next>(io, *tls_ctx_);
    } else {
      return websocket::stream<Next>(io);
    }
  }

  void upgrade(const std::function<void(ErrorCode)> &done) {
    ws_.binary(true);
    ws_.async_handshake(host_port_, path_, [done](ErrorCode ec) { done(ec); });
  }

  tcp::resolver resolver_;
  std::shared_ptr<ssl::context> tls_ctx_;
  bool verify_;
  websocket::stream<Next> ws_;
  std::string host_;
  std::string host_port_;
  std::string path_;
  bool closing_ = false;
};

}  // namespace

std::unique_ptr<Transport> make_ws_transport(asio::io_context &io,
                                             std::shared_ptr<ssl::context> tls, bool verify) {
  if (tls) return std::make_unique<WsTransport<true>>(io, std::move(tls), verify);
  return std::make_unique<WsTransport<false>>(io, nullptr, verify);
}

}  // namespace nats::native::detail
