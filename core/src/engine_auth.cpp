// The handshake between INFO and CONNECT: which fields CONNECT carries, and
// the host steps the engine may wait for (the state is `signing` while it
// does): tls_upgrade (the host runs the TLS handshake on the TCP socket),
// auth_needed (the host's authenticator gives this connection's fields) and
// sign_nonce (the host signs the server's nonce with an nkey seed, since the
// engine carries no cryptography).
#include "nats/base64.hpp"
#include "nats/encoder.hpp"
#include "nats/engine.hpp"
#include "nats/nkeys.hpp"

namespace nats {
namespace {

Error auth_error(const Error &e) { return {Errc::invalid_argument, e.message}; }

// A seed and a JWT from `.creds` text, unless given on their own.
Error resolve_creds(Auth &auth) {
  if (auth.creds.empty()) return {};
  auto creds = nkeys::parse_creds(auth.creds);
  if (!creds) return auth_error(creds.error());
  if (auth.jwt.empty()) auth.jwt = std::move(creds->jwt);
  if (auth.seed.empty()) auth.seed = std::move(creds->seed);
  auth.creds.clear();
  return {};
}

}  // namespace

void Auth::fill_from(const Auth &other) {
  auto fill = [](std::string &mine, const std::string &theirs) {
    if (mine.empty()) mine = theirs;
  };
  fill(user, other.user);
  fill(pass, other.pass);
  fill(token, other.token);
  fill(jwt, other.jwt);
  fill(seed, other.seed);
  fill(creds, other.creds);
  fill(nkey, other.nkey);
  fill(sig, other.sig);
}

Error validate_auth_options(const Options &options) {
  if (!options.creds.empty()) {
    if (auto creds = nkeys::parse_creds(options.creds); !creds) return auth_error(creds.error());
  }
  if (!options.nkey_seed.empty()) {
    if (auto seed = nkeys::decode_seed(options.nkey_seed); !seed) {
      return {Errc::invalid_argument, "nkey seed: " + seed.error().message};
    }
  }
  return {};
}

void Engine::begin_auth() {
  // TLS first: over TCP, nats-server sends INFO in the clear and expects the
  // client's TLS handshake next (WebSocket TLS is the transport's own).
  const ServerUrl &url = pool_.current().url;
  tls_on_ = url.scheme == "wss";
  if (!url.websocket() && (url.scheme == "tls" || info_.tls_required || options_.tls_required)) {
    if (!info_.tls_required && !info_.tls_available) {
      fail({Errc::tls_failed, "the server at " + url.str() + " does not offer TLS"});
      return;
    }
    auth_step_ = AuthStep::tls;
    move_to(State::signing);
    emit(EventType::tls_upgrade, 0, {}, url.host);
    return;
  }
  begin_credentials();
}

Error Engine::tls_upgraded(Error error, Time now) {
  now_ = now;
  if (state_ != State::signing || auth_step_ != AuthStep::tls) {
    return {Errc::illegal_state, "no TLS handshake is awaited"};
  }
  auth_step_ = AuthStep::none;
  if (error) {
    if (error.code != Errc::tls_failed) error = {Errc::tls_failed, error.message};
    lost(std::move(error));
    return {};
  }
  tls_on_ = true;
  begin_credentials();
  return {};
}

void Engine::begin_credentials() {
  conn_auth_ = Auth{options_.user,
                    options_.pass,
                    options_.token,
                    options_.jwt,
                    options_.nkey_seed,
                    options_.creds,
                    {},
                    {}};
  auth_step_ = AuthStep::none;
  if (options_.host_auth) {
    auth_step_ = AuthStep::fields;
    if (state_ != State::signing) move_to(State::signing);
    emit(EventType::auth_needed, 0, {}, info_.nonce);
    return;
  }
  continue_auth();
}

void Engine::continue_auth() {
  if (Error e = resolve_creds(conn_auth_)) {
    fail(std::move(e));
    return;
  }
  // A seed signs the nonce; without a nonce (a server that asks for no
  // signature) it is not used, but a seed that cannot be read is an error
  // either way.
  if (!conn_auth_.seed.empty() && conn_auth_.sig.empty()) {
    auto seed = nkeys::decode_seed(conn_auth_.seed);
    if (!seed) {
      fail({Errc::invalid_argument, "nkey seed: " + seed.error().message});
      return;
    }
    if (info_.nonce.empty()) {
      auth_step_ = AuthStep::none;
      move_to(State::handshaking);
      return;
    }
    seed_type_ = static_cast<std::uint8_t>(seed->type);
    auth_step_ = AuthStep::signature;
    if (state_ != State::signing) move_to(State::signing);
    Event ev;
    ev.type = EventType::sign_nonce;
    ev.text = info_.nonce;
    ev.data = std::move(seed->raw);
    queue(std::move(ev));
    return;
  }
  auth_step_ = AuthStep::none;
  move_to(State::handshaking);
}

Error Engine::authenticate(const Auth &auth, Time now) {
  now_ = now;
  if (state_ != State::signing || auth_step_ != AuthStep::fields) {
    return {Errc::illegal_state, "no authentication is awaited"};
  }
  Auth given = auth;
  given.fill_from(conn_auth_);
  conn_auth_ = std::move(given);
  continue_auth();
  return {};
}

Error Engine::nonce_signed(std::string_view public_key, std::string_view signature, Time now) {
  now_ = now;
  if (state_ != State::signing || auth_step_ != AuthStep::signature) {
    return {Errc::illegal_state, "no signature is awaited"};
  }
  auto nkey = nkeys::encode_public_key(static_cast<nkeys::KeyType>(seed_type_), public_key);
  if (!nkey || signature.size() != 64) {
    Error e{Errc::invalid_argument, "the host's Ed25519 signature or public key has a wrong size"};
    fail(e);
    return e;
  }
  conn_auth_.nkey = std::move(*nkey);
  // Unpadded base64url, what nats-server decodes first.
  std::string sig = base64_encode(signature, Base64::url);
  while (!sig.empty() && sig.back() == '=') sig.pop_back();
  conn_auth_.sig = std::move(sig);
  auth_step_ = AuthStep::none;
  move_to(State::handshaking);
  return {};
}

void Engine::auth_failed(Error error, Time now) {
  now_ = now;
  if (state_ != State::signing) return;
  auth_step_ = AuthStep::none;
  fail(std::move(error));
}

void Engine::send_connect() {
  ConnectFields f{options_.name,   options_.lang,   options_.version, conn_auth_.token,
                  conn_auth_.user, conn_auth_.pass, options_.echo,    tls_on_,
                  conn_auth_.jwt,  conn_auth_.nkey, conn_auth_.sig};
  // What was only needed to make the signature goes now.
  conn_auth_.seed.clear();
  encode_connect(out_, connect_json(f));
  send_ping(PongFor::handshake, 0);
}

}  // namespace nats
