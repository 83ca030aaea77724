#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include "transport.hpp"

namespace nats::native::detail {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

class TcpTransport final : public Transport {
public:
  explicit TcpTransport(asio::io_context &io) : resolver_(io), socket_(io) {}

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

  void async_read_some(std::span<char> buf,
                       std::function<void(ErrorCode, std::size_t)> done) override {
    socket_.async_read_some(asio::buffer(buf.data(), buf.size()), std::move(done));
  }

  void async_write(std::string_view data, std::function<void(ErrorCode)> done) override {
    asio::async_write(socket_, asio::buffer(data.data(), data.size()),
                      [done](ErrorCode ec, std::size_t) { done(ec); });
  }

  void close() override {
    ErrorCode ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

private:
  tcp::resolver resolver_;
  tcp::socket socket_;
};

}  // namespace

std::unique_ptr<Transport> make_tcp_transport(boost::asio::io_context &io) {
  return std::make_unique<TcpTransport>(io);
}

}  // namespace nats::native::detail
