#pragma once
/// Encoders for client-to-server operations. Each appends to `out`; callers
/// validate subjects and sizes first.

#include <cstdint>
#include <string>
#include <string_view>

namespace nats {

/// `CONNECT <json>\r\n`
void encode_connect(std::string &out, std::string_view json);
/// `PUB <subject> [reply] <len>\r\n<payload>\r\n`
void encode_pub(std::string &out, std::string_view subject, std::string_view reply,
                std::string_view payload);
/// `HPUB <subject> [reply] <hdr len> <total len>\r\n<headers><payload>\r\n`
void encode_hpub(std::string &out, std::string_view subject, std::string_view reply,
                 std::string_view headers, std::string_view payload);
/// `SUB <subject> [queue] <sid>\r\n`
void encode_sub(std::string &out, std::string_view subject, std::string_view queue,
                std::uint64_t sid);
/// `UNSUB <sid> [max]\r\n` (max 0 means none)
void encode_unsub(std::string &out, std::uint64_t sid, std::uint64_t max);
/// `PING\r\n`
void encode_ping(std::string &out);
/// `PONG\r\n`
void encode_pong(std::string &out);

}  // namespace nats
