// TLS contexts and sessions for the native transports. Verification is on
// by default: the chain must lead to a trusted CA and the certificate must
// name the host (or carry the IP address) the URL gave.
#include "tls.hpp"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>

namespace nats::native::detail {

namespace ssl = boost::asio::ssl;

Result<std::shared_ptr<ssl::context>> make_tls_context(const TlsOptions &options) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  boost::system::error_code ec;
  auto bad = [&](const std::string &what) {
    return Error{Errc::invalid_argument, "TLS: " + what + ": " + ec.message()};
  };
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1,
                   ec);
  if (options.ca_file.empty() && options.ca_pem.empty()) {
    ctx->set_default_verify_paths(ec);
    if (ec) return bad("the system's CA certificates");
  }
  if (!options.ca_file.empty()) {
    ctx->load_verify_file(options.ca_file, ec);
    if (ec) return bad("ca_file " + options.ca_file);
  }
  if (!options.ca_pem.empty()) {
    ctx->add_certificate_authority(boost::asio::buffer(options.ca_pem), ec);
    if (ec) return bad("ca_pem");
  }
  if (!options.cert_file.empty() || !options.key_file.empty()) {
    ctx->use_certificate_chain_file(options.cert_file, ec);
    if (ec) return bad("cert_file " + options.cert_file);
    ctx->use_private_key_file(options.key_file, ssl::context::pem, ec);
    if (ec) return bad("key_file " + options.key_file);
  }
  ctx->set_verify_mode(options.verify ? ssl::verify_peer : ssl::verify_none, ec);
  return ctx;
}

void configure_tls_session(ssl_st *ssl, const std::string &host, bool verify) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  const bool is_ip = !ec;
  if (!is_ip) SSL_set_tlsext_host_name(ssl, host.c_str());  // SNI takes names only
  if (!verify) return;
  X509_VERIFY_PARAM *param = SSL_get0_param(ssl);
  if (is_ip) {
    X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str());
  } else {
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    X509_VERIFY_PARAM_set1_host(param, host.c_str(), 0);
  }
}

}  // namespace nats::native::detail
