#include "nats/parser.hpp"

#include <array>
#include <cstring>

#include "text.hpp"

namespace nats {
namespace {

using detail::is_blank;

char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; }

// Case-insensitive "line starts with word"; the protocol allows any case.
bool starts_with_op(std::string_view line, std::string_view word) {
  if (line.size() < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (upper(line[i]) != word[i]) return false;
  }
  return true;
}

// Twice per message (sid and size). Up to 19 digits cannot overflow 64 bits,
// so this needs none of std::from_chars's overflow checks (in WebAssembly a
// 128-bit multiply per digit: 3% of a pub/sub profile).
bool parse_u64(std::string_view s, std::uint64_t &out) {
  if (s.empty() || s.size() > 19) return false;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  out = v;
  return true;
}

std::string printable(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 64)) {
    out.push_back((c >= 32 && c < 127) ? c : '?');
  }
  if (s.size() > 64) out.append("...");
  return out;
}

}  // namespace

Parser::Parser(std::size_t max_line, std::size_t max_payload)
    : max_line_(max_line), max_payload_(max_payload) {}

void Parser::compact() {
  if (rpos_ == 0) return;
  if (rpos_ == buf_.size()) {
    buf_.clear();
  } else {
    buf_.erase(0, rpos_);
  }
  rpos_ = 0;
}

void Parser::reset() {
  buf_.clear();
  rpos_ = 0;
  prepared_from_ = 0;
  scanned_ = 0;
  error_ = Error{};
  pending_ = Pending{};
}

void Parser::feed(std::string_view bytes) {
  compact();
  buf_.append(bytes);
}

std::span<char> Parser::prepare(std::size_t n) {
  compact();
  std::size_t old = buf_.size();
  buf_.resize(old + n);
  prepared_from_ = old;
  return {buf_.data() + old, n};
}

void Parser::commit(std::size_t n) {
  std::size_t room = buf_.size() - prepared_from_;
  buf_.resize(prepared_from_ + (n < room ? n : room));
}

ParseStatus Parser::fail(Errc code, std::string msg) {
  error_ = Error{code, std::move(msg)};
  return ParseStatus::error;
}

ParseStatus Parser::next(Op &op) {
  if (error_) return ParseStatus::error;
  if (pending_.active) return finish_payload(op);

  const char *base = buf_.data() + rpos_;
  std::size_t avail = buf_.size() - rpos_;
  const void *nl =
      avail > scanned_ ? std::memchr(base + scanned_, '\n', avail - scanned_) : nullptr;
  if (nl == nullptr) {
    scanned_ = avail;
    if (avail > max_line_ + 1) {
      return fail(Errc::control_line_too_long,
                  "control line longer than " + std::to_string(max_line_) + " bytes");
    }
    return ParseStatus::need_more;
  }
  std::size_t pos = static_cast<std::size_t>(static_cast<const char *>(nl) - base);
  scanned_ = 0;
  // Length first: a split input may hit the cap before the LF arrives, and
  // every split must end in the same error.
  if (pos > max_line_ + 1) {
    return fail(Errc::control_line_too_long,
                "control line longer than " + std::to_string(max_line_) + " bytes");
  }
  if (pos == 0 || base[pos - 1] != '\r') {
    return fail(Errc::protocol_error,
                "control line not terminated by CRLF: '" + printable({base, pos}) + "'");
  }
  std::size_t content = pos - 1;
  return parse_line({base, content}, pos + 1, op);
}

ParseStatus Parser::parse_line(std::string_view line, std::size_t line_len, Op &op) {
  op = Op{};
  if (starts_with_op(line, "MSG") && line.size() > 3 && is_blank(line[3])) {
    return parse_msg_args(line.substr(4), false, line_len, op);
  }
  if (starts_with_op(line, "HMSG") && line.size() > 4 && is_blank(line[4])) {
    return parse_msg_args(line.substr(5), true, line_len, op);
  }
  std::string_view t = detail::trim_blanks(line);
  if (t.size() == 4 && starts_with_op(t, "PING")) {
    op.type = OpType::ping;
  } else if (t.size() == 4 && starts_with_op(t, "PONG")) {
    op.type = OpType::pong;
  } else if (t.size() == 3 && starts_with_op(t, "+OK")) {
    op.type = OpType::ok;
  } else if (starts_with_op(t, "-ERR") && (t.size() == 4 || is_blank(t[4]))) {
    op.type = OpType::err;
    std::string_view text = detail::trim_blanks(t.substr(4));
    if (text.size() >= 2 && text.front() == '\'' && text.back() == '\'') {
      text = text.substr(1, text.size() - 2);
    }
    op.text = text;
  } else if (starts_with_op(t, "INFO") && t.size() > 4 && is_blank(t[4])) {
    op.type = OpType::info;
    op.text = detail::trim_blanks(t.substr(5));
  } else {
    return fail(Errc::protocol_error, "unknown operation: '" + printable(line) + "'");
  }
  rpos_ += line_len;
  return ParseStatus::op;
}

ParseStatus Parser::parse_msg_args(std::string_view args, bool with_headers, std::size_t line_len,
                                   Op &op) {
  // Split on blanks: MSG has 3 or 4 args, HMSG 4 or 5.
  std::array<std::string_view, 6> tok{};
  std::size_t n = 0;
  std::size_t i = 0;
  while (i < args.size()) {
    while (i < args.size() && is_blank(args[i])) ++i;
    if (i == args.size()) break;
    std::size_t start = i;
    while (i < args.size() && !is_blank(args[i])) ++i;
    if (n == tok.size()) {
      return fail(Errc::protocol_error, "too many arguments in MSG");
    }
    tok[n++] = args.substr(start, i - start);
  }
  std::size_t min_args = with_headers ? 4 : 3;
  if (n < min_args || n > min_args + 1) {
    return fail(Errc::protocol_error,
                std::string(with_headers ? "HMSG" : "MSG") + " has a wrong number of arguments");
  }
  bool has_reply = n == min_args + 1;
  std::uint64_t sid = 0, hdr = 0, total = 0;
  if (!parse_u64(tok[1], sid)) return fail(Errc::protocol_error, "MSG sid is not a number");
  if (!parse_u64(tok[n - 1], total)) {
    return fail(Errc::protocol_error, "MSG size is not a number");
  }
  if (with_headers) {
    if (!parse_u64(tok[n - 2], hdr) || hdr > total) {
      return fail(Errc::protocol_error, "HMSG header size is invalid");
    }
  }
  if (total > max_payload_) {
    return fail(Errc::payload_too_large, "message of " + std::to_string(total) +
                                             " bytes exceeds max_payload " +
                                             std::to_string(max_payload_));
  }
  const char *line_start = buf_.data() + rpos_;
  pending_.active = true;
  pending_.headers = with_headers;
  pending_.line_len = line_len;
  pending_.subject_off = static_cast<std::size_t>(tok[0].data() - line_start);
  pending_.subject_len = tok[0].size();
  pending_.reply_off = has_reply ? static_cast<std::size_t>(tok[2].data() - line_start) : 0;
  pending_.reply_len = has_reply ? tok[2].size() : 0;
  pending_.header_len = static_cast<std::size_t>(hdr);
  pending_.total_len = static_cast<std::size_t>(total);
  pending_.sid = sid;
  return finish_payload(op);
}

ParseStatus Parser::finish_payload(Op &op) {
  std::size_t need = pending_.line_len + pending_.total_len + 2;
  if (buf_.size() - rpos_ < need) return ParseStatus::need_more;
  const char *p = buf_.data() + rpos_;
  const char *body = p + pending_.line_len;
  if (body[pending_.total_len] != '\r' || body[pending_.total_len + 1] != '\n') {
    return fail(Errc::protocol_error, "message payload not followed by CRLF");
  }
  op = Op{};
  op.type = pending_.headers ? OpType::hmsg : OpType::msg;
  op.subject = {p + pending_.subject_off, pending_.subject_len};
  op.reply = {p + pending_.reply_off, pending_.reply_len};
  op.sid = pending_.sid;
  op.headers = {body, pending_.header_len};
  op.payload = {body + pending_.header_len, pending_.total_len - pending_.header_len};
  pending_.active = false;
  rpos_ += need;
  return ParseStatus::op;
}

}  // namespace nats
