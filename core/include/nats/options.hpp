#pragma once
/// What configures an engine (and the hosts' TLS): Options, and the
/// time types every engine call takes.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "nats/parser.hpp"

namespace nats {

/// Milliseconds on the host's monotonic clock (any epoch).
using Time = std::chrono::milliseconds;
/// A span of time in milliseconds.
using Duration = std::chrono::milliseconds;

/// TLS settings for hosts that make TLS themselves (the native client); JS
/// hosts use the platform's (a wss:// URL). The engine reads none of them.
struct TlsOptions {
  bool verify = true;     ///< check the server's certificate chain and host name
  std::string ca_file;    ///< PEM file of the CAs to trust (else the system's)
  std::string ca_pem;     ///< PEM text of CAs to trust, in addition
  std::string cert_file;  ///< client certificate (PEM), when the server asks for one
  std::string key_file;   ///< its private key (PEM)
};

/// Engine configuration.
struct Options {
  /// Server URLs, tried in order. Empty means "nats://127.0.0.1:4222".
  std::vector<std::string> servers;
  /// The scheme of a URL given as "host:port".
  std::string default_scheme = "nats";
  /// The schemes the host can open (e.g. only ws and wss in a browser).
  std::vector<std::string> schemes = {"nats", "ws"};
  std::string name;               ///< client name shown by the server
  std::string lang = "cpp";       ///< CONNECT lang
  std::string version = "0.1.0";  ///< CONNECT version
  std::string token;              ///< token auth
  std::string user;               ///< user/password auth
  std::string pass;
  std::string nkey_seed;  ///< nkey auth: the nonce is signed with this seed
  std::string jwt;        ///< user JWT (with nkey_seed: decentralized auth)
  std::string creds;      ///< a `.creds` file's text (a JWT and a seed)
  /// Upgrade nats:// connections to TLS even when the server does not
  /// require it (tls:// URLs always are; the host does the handshake when
  /// the engine emits tls_upgrade).
  bool tls_required = false;
  TlsOptions tls;  ///< for the host's TLS (see TlsOptions)
  /// The host supplies auth for each connection: auth_needed is emitted
  /// and answered by authenticate() (nats.js authenticators, nats.py
  /// callbacks). What it gives adds to the fields above.
  bool host_auth = false;
  bool echo = true;                 ///< receive own publishes
  Duration connect_timeout{10000};  ///< from connect() to the handshake's PONG; 0 = none
  Duration ping_interval{120000};   ///< keepalive PING period; 0 = none
  int max_pings_out = 2;            ///< unanswered PINGs before stale
  std::size_t max_control_line = Parser::default_max_line;
  /// The largest message accepted whatever INFO's max_payload says (a
  /// server, or anyone in the middle, cannot make the client buffer more;
  /// nats-server allows at most 64 MiB).
  std::size_t max_inbound_payload = 64 * 1024 * 1024;
  std::string inbox_prefix = "_INBOX";  ///< prefix of reply subjects
  std::uint64_t seed[2] = {0, 0};       ///< host randomness for inbox names

  // Reconnecting (docs/reconnect.md). The pause before another attempt at
  // one server starts at 0, then 100 ms doubling up to reconnect_time_wait,
  // plus up to the jitter.
  bool allow_reconnect = true;
  int max_reconnect_attempts = 60;     ///< failures per server before it is dropped; -1 forever
  Duration reconnect_time_wait{2000};  ///< the longest pause between attempts at one server
  Duration reconnect_jitter{100};
  Duration reconnect_jitter_tls{1000};  ///< for tls:// and wss://
  bool no_randomize = false;            ///< keep the given order (else shuffled)
  bool ignore_cluster_updates = false;  ///< do not add servers announced by the cluster
  bool wait_on_first_connect = false;   ///< keep trying the first connect like a reconnect
  /// After a connection was up, an authorization error is one failed attempt;
  /// the same error twice in a row ends the connection (nats.js), unless
  /// this is set: then it is retried like any other failure (nats.py).
  bool ignore_auth_error_abort = false;
  /// Bytes of publishes held while reconnecting; over it a publish fails
  /// with outbound_buffer_full (0: none are held).
  std::size_t reconnect_buffer_size = 2 * 1024 * 1024;
};

}  // namespace nats
