#pragma once
// TLS for the native transports (OpenSSL through Asio): one client context
// per connection from the TlsOptions, and the per-connection settings
// (SNI, which name or address the certificate must be for).

#include <memory>
#include <string>

#include <boost/asio/ssl/context.hpp>

#include "nats/engine.hpp"
#include "nats/error.hpp"

struct ssl_st;

namespace nats::native::detail {

/// A client TLS context: the system's CAs (or ca_file / ca_pem), TLS 1.2+,
/// and the client certificate when given. invalid_argument when a file or
/// PEM text cannot be used.
Result<std::shared_ptr<boost::asio::ssl::context>> make_tls_context(const TlsOptions &options);

/// Prepares one connection: SNI for host names, and (when verifying) the
/// name or IP address the server's certificate must carry.
void configure_tls_session(ssl_st *ssl, const std::string &host, bool verify);

}  // namespace nats::native::detail
