#include "nats/encoder.hpp"

#include <charconv>

namespace nats {
namespace {

void append_number(std::string &out, std::uint64_t n) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  (void)ec;  // 24 bytes always fit a uint64
  out.append(buf, end);
}

void append_space(std::string &out, std::string_view s) {
  out.push_back(' ');
  out.append(s);
}

}  // namespace

void encode_connect(std::string &out, std::string_view json) {
  out.append("CONNECT ");
  out.append(json);
  out.append("\r\n");
}

void encode_pub(std::string &out, std::string_view subject, std::string_view reply,
                std::string_view payload) {
  out.append("PUB ");
  out.append(subject);
  if (!reply.empty()) {
    append_space(out, reply);
  }
  out.push_back(' ');
  append_number(out, payload.size());
  out.append("\r\n");
  out.append(payload);
  out.append("\r\n");
}

void encode_hpub(std::string &out, std::string_view subject, std::string_view reply,
                 std::string_view headers, std::string_view payload) {
  out.append("HPUB ");
  out.append(subject);
  if (!reply.empty()) {
    append_space(out, reply);
  }
  out.push_back(' ');
  append_number(out, headers.size());
  out.push_back(' ');
  append_number(out, headers.size() + payload.size());
  out.append("\r\n");
  out.append(headers);
  out.append(payload);
  out.append("\r\n");
}

void encode_sub(std::string &out, std::string_view subject, std::string_view queue,
                std::uint64_t sid) {
  out.append("SUB ");
  out.append(subject);
  if (!queue.empty()) {
    append_space(out, queue);
  }
  out.push_back(' ');
  append_number(out, sid);
  out.append("\r\n");
}

void encode_unsub(std::string &out, std::uint64_t sid, std::uint64_t max) {
  out.append("UNSUB ");
  append_number(out, sid);
  if (max > 0) {
    out.push_back(' ');
    append_number(out, max);
  }
  out.append("\r\n");
}

void encode_ping(std::string &out) { out.append("PING\r\n"); }

void encode_pong(std::string &out) { out.append("PONG\r\n"); }

}  // namespace nats
