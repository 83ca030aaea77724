// TCP for nats:// and tls://: nats-server sends INFO in the clear, then the
// engine asks for the TLS handshake (async_start_tls) when TLS is wanted.
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <optional>

#include "tls.hpp"
#include "transport.hpp"

namespace nats::native::detail {

void Transport::async_start_tls(const std::string &, std::function<void(ErrorCode)> done) {
  done(boost::asio::error::operation_not_supported);
}

namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using asio::ip::tcp;

class TcpTransport final : public Transport {
public:
  TcpTransport(asio::io_context &io, std::shared_ptr<ssl::context> tls, bool verify)
      : resolver_(io), socket_(io), tls_ctx_(std::move(tls)), verify_(verify) {}

  void async_connect(const ServerUrl &url, std::function<void(ErrorCode)> done) override {
    resolver_.async_resolve(
        url.host, std::to_string(url.port),
        [this, done](ErrorCode ec, const tcp::resolver::results_type &results) {
          if (ec) return done(ec);
          asio::async_connect(socket_, results, [this, done](ErrorCode ec2, const tcp::endpoint &) {
            if (!ec2) socket_.set_option(tcp::no_delay(true), ec2);
            done(ec2);
          });
        });
  }

  void async_start_tls(const std::string &host, std::function<void(ErrorCode)> done) override {
    if (!tls_ctx_) return done(asio::error::operation_not_supported);
    // The socket moves into the TLS stream: from here on it is the only way in.
    tls_.emplace(std::move(socket_), *tls_ctx_);
    configure_tls_session(tls_->native_handle(), host, verify_);
    tls_->async_handshake(ssl::stream_base::client, std::move(done));
  }

  void async_read_some(std::span<char> buf,
                       std::function<void(ErrorCode, std::size_t)> done) override {
    if (tls_) {
      tls_->async_read_some(asio::buffer(buf.data(), buf.size()), std::move(done));
    } else {
      socket_.async_read_some(asio::buffer(buf.data(), buf.size()), std::move(done));
    }
  }

  void async_write(std::string_view data, std::function<void(ErrorCode)> done) override {
    auto on_written = [done](ErrorCode ec, std::size_t) { done(ec); };
    if (tls_) {
      asio::async_write(*tls_, asio::buffer(data.data(), data.size()), on_written);
    } else {
      asio::async_write(socket_, asio::buffer(data.data(), data.size()), on_written);
    }
  }

  void close() override {
    ErrorCode ignored;
    tcp::socket &s = tls_ ? tls_->next_layer() : socket_;
    s.shutdown(tcp::socket::shutdown_both, ignored);
    s.close(ignored);
  }

private:
  tcp::resolver resolver_;
  tcp::socket socket_;
  std::shared_ptr<ssl::context> tls_ctx_;
  bool verify_;
  std::optional<ssl::stream<tcp::socket>> tls_;
};

}  // namespace

std::unique_ptr<Transport> make_tcp_transport(asio::io_context &io,
                                              std::shared_ptr<ssl::context> tls, bool verify) {
  return std::make_unique<TcpTransport>(io, std::move(tls), verify);
}

}  // namespace nats::native::detail
