#include "vectors.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <initializer_list>
#include <random>
#include <sstream>
#include <stdexcept>
#include <utility>

#include <nlohmann/json.hpp>

#include "nats/error.hpp"

#ifndef NATS_VECTORS_DIR
#error "NATS_VECTORS_DIR must name the tests/vectors directory"
#endif

namespace nats::test {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string &what) { throw std::runtime_error(what); }

// Unknown keys are refused so that a typo ("payload_sise") cannot silently
// turn a check off.
void check_keys(const json &obj, std::initializer_list<std::string_view> allowed,
                const std::string &where) {
  for (const auto &item : obj.items()) {
    if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end()) {
      fail(where + ": unknown key '" + item.key() + "'");
    }
  }
}

const json &require(const json &obj, const char *key, const std::string &where) {
  auto it = obj.find(key);
  if (it == obj.end()) fail(where + ": missing '" + key + "'");
  return *it;
}

std::string get_bytes(const json &value, const std::string &where) {
  if (!value.is_string()) fail(where + " must be a string");
  try {
    return decode_bytes(value.get_ref<const std::string &>());
  } catch (const std::runtime_error &e) {
    fail(where + ": " + e.what());
  }
}

std::uint64_t get_unsigned(const json &value, const std::string &where) {
  if (!value.is_number_unsigned()) fail(where + " must be a non-negative integer");
  return value.get<std::uint64_t>();
}

OpType parse_op_type(const json &value, const std::string &where) {
  if (!value.is_string()) fail(where + ": 'op' must be a string");
  const auto &name = value.get_ref<const std::string &>();
  for (OpType t : {OpType::info, OpType::msg, OpType::hmsg, OpType::ping, OpType::pong, OpType::ok,
                   OpType::err}) {
    if (op_name(t) == name) return t;
  }
  fail(where + ": unknown op '" + name + "'");
}

ExpectedOp parse_expected(const json &obj, const std::string &where) {
  if (!obj.is_object()) fail(where + " must be an object");
  ExpectedOp out;
  out.op.type = parse_op_type(require(obj, "op", where), where);
  switch (out.op.type) {
    case OpType::ping:
    case OpType::pong:
    case OpType::ok: check_keys(obj, {"op"}, where); break;
    case OpType::info:
    case OpType::err:
      check_keys(obj, {"op", "text"}, where);
      out.op.text = get_bytes(require(obj, "text", where), where + ".text");
      break;
    case OpType::msg:
    case OpType::hmsg: {
      check_keys(obj, {"op", "subject", "sid", "reply", "headers", "payload", "payload_size"},
                 where);
      out.op.subject = get_bytes(require(obj, "subject", where), where + ".subject");
      out.op.sid = get_unsigned(require(obj, "sid", where), where + ".sid");
      if (obj.contains("reply")) out.op.reply = get_bytes(obj["reply"], where + ".reply");
      // A MSG may spell out "headers": "" (as the README example does); an
      // HMSG must give its block.
      if (out.op.type == OpType::hmsg || obj.contains("headers")) {
        out.op.headers = get_bytes(require(obj, "headers", where), where + ".headers");
      }
      bool has_payload = obj.contains("payload");
      bool has_size = obj.contains("payload_size");
      if (has_payload == has_size) fail(where + ": give exactly one of payload and payload_size");
      if (has_payload) {
        out.op.payload = get_bytes(obj["payload"], where + ".payload");
      } else {
        out.payload_size =
            static_cast<std::size_t>(get_unsigned(obj["payload_size"], where + ".payload_size"));
      }
      break;
    }
  }
  return out;
}

bool is_errc_name(std::string_view name) {
  for (int i = 1; i < 256; ++i) {
    if (errc_name(static_cast<Errc>(i)) == name) return true;
  }
  return false;
}

// Copies right away: the parser may move its buffer at the next feed().
OpRecord own(const Op &op) {
  OpRecord r;
  r.type = op.type;
  r.sid = op.sid;
  r.subject = std::string(op.subject);
  r.reply = std::string(op.reply);
  r.headers = std::string(op.headers);
  r.payload = std::string(op.payload);
  r.text = std::string(op.text);
  return r;
}

// Calls next() until it wants more bytes or fails, recording what it gives.
void drain(Parser &parser, RunResult &result) {
  while (true) {
    Op op;
    ParseStatus status = parser.next(op);
    if (!result.error.empty()) {
      // Already failed: every later call must repeat the same error.
      if (status != ParseStatus::error || errc_name(parser.error().code) != result.error ||
          parser.error().message != result.error_message) {
        result.sticky = false;
      }
      return;
    }
    switch (status) {
      case ParseStatus::op: result.ops.push_back(own(op)); break;
      case ParseStatus::need_more: return;
      case ParseStatus::error:
        result.error = std::string(errc_name(parser.error().code));
        result.error_message = parser.error().message;
        return;
    }
  }
}

}  // namespace

std::string Split::name() const {
  switch (kind) {
    case SplitKind::whole: return "whole";
    case SplitKind::bytewise: return "bytewise";
    case SplitKind::random: return "random_" + std::to_string(seed);
  }
  return "unknown";
}

std::vector<Split> all_splits() {
  std::vector<Split> out = {{SplitKind::whole, 0}, {SplitKind::bytewise, 0}};
  for (std::uint32_t seed : {1u, 7u, 42u, 2024u}) out.push_back({SplitKind::random, seed});
  return out;
}

std::vector<std::size_t> chunk_sizes(std::size_t n, const Split &split) {
  std::vector<std::size_t> out;
  if (n == 0) return out;
  switch (split.kind) {
    case SplitKind::whole: out.push_back(n); break;
    case SplitKind::bytewise: out.assign(n, 1); break;
    case SplitKind::random: {
      // mt19937's output is fixed by the standard, and plain modulo (unlike
      // std::uniform_int_distribution) is too, so the cuts are the same on
      // every platform. Mostly short chunks, to cut inside lines and CRLFs,
      // with an occasional long one to cross several ops at once.
      std::mt19937 rng(split.seed);
      std::size_t left = n;
      while (left > 0) {
        std::size_t len = rng() % 4 == 0 ? 1 + rng() % 4096 : 1 + rng() % 16;
        len = std::min(len, left);
        out.push_back(len);
        left -= len;
      }
      break;
    }
  }
  return out;
}

std::string decode_bytes(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    auto lead = static_cast<unsigned char>(utf8[i]);
    if (lead < 0x80) {
      out.push_back(utf8[i]);
      ++i;
      continue;
    }
    // U+0080..U+00FF are exactly the two-byte sequences led by C2 or C3.
    if ((lead == 0xC2 || lead == 0xC3) && i + 1 < utf8.size() &&
        (static_cast<unsigned char>(utf8[i + 1]) & 0xC0) == 0x80) {
      auto cont = static_cast<unsigned char>(utf8[i + 1]);
      out.push_back(static_cast<char>(((lead & 0x1Fu) << 6) | (cont & 0x3Fu)));
      i += 2;
      continue;
    }
    fail("character at byte " + std::to_string(i) +
         " is not a byte (code points must be below 256)");
  }
  return out;
}

Vector parse_vector(std::string_view json_text, std::string name) {
  json doc;
  try {
    doc = json::parse(json_text);
  } catch (const json::exception &e) {
    fail("invalid JSON: " + std::string(e.what()));
  }
  if (!doc.is_object()) fail("a vector must be a JSON object");
  check_keys(doc,
             {"description", "max_payload", "max_line", "input", "input_repeat", "expect", "error"},
             "vector");
  Vector v;
  v.name = std::move(name);
  const json &description = require(doc, "description", "vector");
  if (!description.is_string() || description.get_ref<const std::string &>().empty()) {
    fail("description must be a non-empty string");
  }
  v.description = description.get<std::string>();
  if (doc.contains("max_payload")) {
    v.max_payload = static_cast<std::size_t>(get_unsigned(doc["max_payload"], "max_payload"));
  }
  if (doc.contains("max_line")) {
    v.max_line = static_cast<std::size_t>(get_unsigned(doc["max_line"], "max_line"));
  }
  v.input = get_bytes(require(doc, "input", "vector"), "input");
  if (doc.contains("input_repeat")) {
    const json &repeat = doc["input_repeat"];
    if (!repeat.is_object()) fail("input_repeat must be an object");
    check_keys(repeat, {"text", "count"}, "input_repeat");
    std::string text = get_bytes(require(repeat, "text", "input_repeat"), "input_repeat.text");
    std::uint64_t count =
        get_unsigned(require(repeat, "count", "input_repeat"), "input_repeat.count");
    if (text.empty() || count == 0) fail("input_repeat needs a non-empty text and count > 0");
    v.input.reserve(v.input.size() + text.size() * count);
    for (std::uint64_t i = 0; i < count; ++i) v.input.append(text);
  }
  const json &expect = require(doc, "expect", "vector");
  if (!expect.is_array()) fail("expect must be an array");
  for (std::size_t i = 0; i < expect.size(); ++i) {
    v.expect.push_back(parse_expected(expect[i], "expect[" + std::to_string(i) + "]"));
  }
  if (doc.contains("error")) {
    if (!doc["error"].is_string()) fail("error must be a string");
    v.error = doc["error"].get<std::string>();
    if (!is_errc_name(v.error)) fail("error '" + v.error + "' is not an errc_name");
  }
  return v;
}

VectorSet load_vectors(const std::filesystem::path &dir) {
  VectorSet set;
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) {
    set.errors.push_back(dir.string() + ": " + ec.message());
    return set;
  }
  for (const auto &entry : it) {
    const auto &path = entry.path();
    if (path.extension() != ".json") continue;
    std::string stem = path.stem().string();
    // The name becomes part of a gtest parameter name.
    bool name_ok = !stem.empty() && std::all_of(stem.begin(), stem.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
    if (!name_ok) {
      set.errors.push_back(path.filename().string() + ": name must be [A-Za-z0-9_]+");
      continue;
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) {
      set.errors.push_back(path.filename().string() + ": cannot read");
      continue;
    }
    try {
      set.vectors.push_back(parse_vector(text.str(), stem));
    } catch (const std::runtime_error &e) {
      set.errors.push_back(path.filename().string() + ": " + e.what());
    }
  }
  std::sort(set.vectors.begin(), set.vectors.end(),
            [](const Vector &a, const Vector &b) { return a.name < b.name; });
  return set;
}

const VectorSet &all_vectors() {
  static const VectorSet set = load_vectors(NATS_VECTORS_DIR);
  return set;
}

RunResult run_vector(const Vector &vector, const Split &split) {
  Parser parser(vector.max_line, vector.max_payload);
  RunResult result;
  std::string_view input = vector.input;
  std::size_t pos = 0;
  for (std::size_t len : chunk_sizes(input.size(), split)) {
    parser.feed(input.substr(pos, len));
    pos += len;
    drain(parser, result);
  }
  if (input.empty()) drain(parser, result);
  // One more call after the end: a sticky error must still be there.
  if (!result.error.empty()) drain(parser, result);
  result.buffered = parser.buffered();
  return result;
}

std::string_view op_name(OpType type) {
  switch (type) {
    case OpType::info: return "INFO";
    case OpType::msg: return "MSG";
    case OpType::hmsg: return "HMSG";
    case OpType::ping: return "PING";
    case OpType::pong: return "PONG";
    case OpType::ok: return "OK";
    case OpType::err: return "ERR";
  }
  return "?";
}

std::string escape(std::string_view bytes) {
  std::string out;
  for (char c : bytes) {
    switch (c) {
      case '\r': out += "\\r"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      default:
        if (c >= 0x20 && c < 0x7f) {
          out.push_back(c);
        } else {
          char hex[8];
          std::snprintf(hex, sizeof hex, "\\x%02x",
                        static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += hex;
        }
    }
  }
  return out;
}

std::string describe(const OpRecord &op, bool payload_size_only) {
  std::string out(op_name(op.type));
  switch (op.type) {
    case OpType::info:
    case OpType::err: out += " text=\"" + escape(op.text) + "\""; break;
    case OpType::msg:
    case OpType::hmsg:
      out += " subject=\"" + escape(op.subject) + "\" sid=" + std::to_string(op.sid) + " reply=\"" +
             escape(op.reply) + "\" headers=\"" + escape(op.headers) + "\" payload[" +
             std::to_string(op.payload.size()) + "]";
      if (!payload_size_only) out += "=\"" + escape(op.payload) + "\"";
      break;
    case OpType::ping:
    case OpType::pong:
    case OpType::ok: break;
  }
  // Fields an op type does not use must be empty; show them if they are not.
  if (op.type != OpType::info && op.type != OpType::err && !op.text.empty()) {
    out += " text=\"" + escape(op.text) + "\"";
  }
  if (op.type != OpType::msg && op.type != OpType::hmsg &&
      (!op.subject.empty() || !op.reply.empty() || !op.headers.empty() || !op.payload.empty() ||
       op.sid != 0)) {
    out += " (unexpected MSG fields)";
  }
  return out;
}

std::string describe(const ExpectedOp &op) {
  if (!op.payload_size) return describe(op.op, false);
  OpRecord sized = op.op;
  sized.payload.assign(*op.payload_size, '\0');
  return describe(sized, true);
}

}  // namespace nats::test
