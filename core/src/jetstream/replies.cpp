// JetStream replies every host sees most: API errors and PubAcks. The PubAck
// is on the pipelined publish path, so it is read with nlohmann's SAX
// interface (no DOM, no allocations beyond the stream name).
#include <nlohmann/json.hpp>

#include "../json_parse.hpp"
#include "nats/jetstream/api.hpp"
#include "nats/jetstream/publish.hpp"

namespace nats::js {
namespace {

using json = nlohmann::json;

Error api_error_from(const json &e) {
  Error err{Errc::js_api_error, e.value("description", std::string("JetStream API error"))};
  err.status = e.value("code", 0);
  err.err_code = e.value("err_code", 0);
  if (err.err_code == 10039) err.code = Errc::js_not_enabled;  // not enabled for the account
  return err;
}

// Reads {"stream":..., "seq":..., "duplicate":..., "domain":...}; anything
// else (an "error" object, unknown keys) makes it give up, and the caller
// falls back to the DOM parser.
class PubAckSax : public json::json_sax_t {
public:
  PubAck ack;
  bool simple = true;

  bool null() override { return skip(); }
  bool boolean(bool v) override {
    if (key_ == Key::duplicate && depth_ == 1) ack.duplicate = v;
    return skip();
  }
  bool number_integer(json::number_integer_t v) override {
    if (key_ == Key::seq && depth_ == 1 && v >= 0) ack.seq = static_cast<std::uint64_t>(v);
    return skip();
  }
  bool number_unsigned(json::number_unsigned_t v) override {
    if (key_ == Key::seq && depth_ == 1) ack.seq = v;
    return skip();
  }
  bool number_float(json::number_float_t, const json::string_t &) override { return skip(); }
  bool string(json::string_t &v) override {
    if (depth_ == 1 && key_ == Key::stream) ack.stream = std::move(v);
    if (depth_ == 1 && key_ == Key::domain) ack.domain = std::move(v);
    return skip();
  }
  bool binary(json::binary_t &) override { return skip(); }
  bool start_object(std::size_t) override { return ++depth_ == 1 || give_up(); }
  bool key(json::string_t &k) override {
    key_ = k == "stream"      ? Key::stream
           : k == "seq"       ? Key::seq
           : k == "duplicate" ? Key::duplicate
           : k == "domain"    ? Key::domain
                              : Key::other;
    if (k == "error") return give_up();
    return true;
  }
  bool end_object() override {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override { return give_up(); }
  bool end_array() override { return true; }
  bool parse_error(std::size_t, const std::string &, const nlohmann::detail::exception &) override {
    return give_up();
  }

private:
  enum class Key : std::uint8_t { other, stream, seq, duplicate, domain };
  bool skip() {
    key_ = Key::other;
    return true;
  }
  bool give_up() {
    simple = false;
    return false;
  }
  Key key_ = Key::other;
  int depth_ = 0;
};

}  // namespace

std::optional<Error> api_error_of(std::string_view reply_json) {
  if (reply_json.find("\"error\"") == std::string_view::npos) return std::nullopt;
  json reply = nats::detail::parse_json(reply_json);
  if (reply.is_discarded() || !reply.is_object()) return std::nullopt;
  auto it = reply.find("error");
  if (it == reply.end() || !it->is_object()) return std::nullopt;
  return api_error_from(*it);
}

Result<PubAck> parse_pub_ack(std::string_view text) {
  PubAckSax sax;
  // Read as unsigned bytes: that input type gives this hot path its own
  // lexer instantiation, compiled here at -O2. Over chars it shares the
  // lexer with the -Oz files, and the linker may keep their copy (measured:
  // 12% of a JetStream publish profile in out-of-line push_backs).
  const auto *bytes = reinterpret_cast<const std::uint8_t *>(text.data());
  const bool ok =
      json::sax_parse(bytes, bytes + text.size(), &sax, json::input_format_t::json, false);
  if (!ok || !sax.simple) {
    json reply = nats::detail::parse_json(text);
    if (reply.is_discarded() || !reply.is_object()) {
      return Error{Errc::protocol_error, "PubAck is not a JSON object"};
    }
    if (auto it = reply.find("error"); it != reply.end() && it->is_object()) {
      return api_error_from(*it);
    }
    return Error{Errc::protocol_error, "unreadable PubAck"};
  }
  if (sax.ack.stream.empty()) {
    return Error{Errc::js_bad_reply, "invalid ack response"};
  }
  return std::move(sax.ack);
}

std::uint64_t consumer_num_pending(std::string_view info_json) {
  json j = nats::detail::parse_json(info_json);
  if (!j.is_object()) return 0;
  auto it = j.find("num_pending");
  return it != j.end() && it->is_number_unsigned() ? it->get<std::uint64_t>() : 0;
}

}  // namespace nats::js
