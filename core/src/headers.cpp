#include "nats/headers.hpp"

#include <algorithm>
#include <charconv>

#include "text.hpp"

namespace nats {
namespace {

constexpr std::string_view kVersion = "NATS/1.0";

// Status line after "NATS/1.0": " 503 No Responders" → (503, "No Responders").
bool parse_status(std::string_view rest, int &code, std::string_view &desc) {
  code = 0;
  desc = {};
  rest = detail::trim_blanks(rest);
  if (rest.empty()) return true;
  // The blank before the code is optional ("NATS/1.0503" reads as 503), as
  // nats.js and nats.py read it: decoding is lenient, encoding is strict.
  std::size_t sp = rest.find(' ');
  std::string_view num = rest.substr(0, sp);
  if (num.size() != 3 || num.find_first_not_of("0123456789") != std::string_view::npos) {
    return false;
  }
  auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), code);
  if (ec != std::errc() || p != num.data() + num.size() || code < 100) return false;
  if (sp != std::string_view::npos) desc = detail::trim_blanks(rest.substr(sp + 1));
  return true;
}

bool valid_key(std::string_view key) {
  if (key.empty()) return false;
  // Printable ASCII (33..126) except ':', as nats.js and RFC 822 allow.
  return std::all_of(key.begin(), key.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 33 && u <= 126 && c != ':';
  });
}

bool valid_value(std::string_view value) {
  return value.find_first_of("\r\n") == std::string_view::npos;
}

}  // namespace

void Headers::append(std::string key, std::string value) {
  entries_.emplace_back(std::move(key), std::move(value));
}

void Headers::set(std::string key, std::string value) {
  erase(key);
  append(std::move(key), std::move(value));
}

std::size_t Headers::erase(std::string_view key) {
  auto before = entries_.size();
  std::erase_if(entries_, [&](const auto &e) { return e.first == key; });
  return before - entries_.size();
}

std::string_view Headers::get(std::string_view key) const {
  for (const auto &[k, v] : entries_) {
    if (k == key) return v;
  }
  return {};
}

bool Headers::has(std::string_view key) const {
  return std::any_of(entries_.begin(), entries_.end(),
                     [&](const auto &e) { return e.first == key; });
}

std::vector<std::string_view> Headers::values(std::string_view key) const {
  std::vector<std::string_view> out;
  for (const auto &[k, v] : entries_) {
    if (k == key) out.push_back(v);
  }
  return out;
}

Result<std::string> canonical_header_key(std::string_view key) {
  // nats.js's rule: the characters of any header name (empty allowed), the
  // first letter and each one after a '-' upper case, the others lower.
  if (!key.empty() && !valid_key(key)) {
    return Error{Errc::invalid_header,
                 "'" + std::string(key) + "' is not a valid header name (printable ASCII but ':')"};
  }
  std::string out(key);
  bool upper = true;
  for (char &c : out) {
    if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    upper = c == '-';
  }
  return out;
}

Error validate_header(std::string_view key, std::string_view value) {
  if (!valid_key(key)) {
    return {Errc::invalid_header,
            "'" + std::string(key) + "' is not a valid header name (printable ASCII but ':')"};
  }
  if (!valid_value(value)) {
    return {Errc::invalid_header,
            "header '" + std::string(key) + "' has a value containing CR or LF"};
  }
  return {};
}

Error Headers::validate() const {
  if (status != 0 && (status < 100 || status > 999)) {
    return {Errc::invalid_header, "status must be 0 or a 3-digit code (100-999)"};
  }
  if (!valid_value(description)) {
    return {Errc::invalid_header, "status description contains CR or LF"};
  }
  for (const auto &[k, v] : entries_) {
    if (Error e = validate_header(k, v)) return e;
  }
  return {};
}

std::string Headers::encode() const {
  std::string out(kVersion);
  if (status > 0) {
    out.push_back(' ');
    out.append(std::to_string(status));
    if (!description.empty()) {
      out.push_back(' ');
      out.append(description);
    }
  }
  out.append("\r\n");
  for (const auto &[k, v] : entries_) {
    out.append(k);
    out.append(": ");
    out.append(v);
    out.append("\r\n");
  }
  out.append("\r\n");
  return out;
}

Result<Headers> Headers::parse(std::string_view block) {
  if (block.size() < kVersion.size() + 4 || block.substr(0, kVersion.size()) != kVersion ||
      block.substr(block.size() - 4) != "\r\n\r\n") {
    return Error{Errc::bad_header_block, "header block is not NATS/1.0 ... CRLFCRLF"};
  }
  Headers h;
  std::string_view rest = block.substr(0, block.size() - 2);  // keep last CRLF
  std::size_t eol = rest.find("\r\n");
  std::string_view desc;
  if (!parse_status(rest.substr(kVersion.size(), eol - kVersion.size()), h.status, desc)) {
    return Error{Errc::bad_header_block, "malformed header status line"};
  }
  h.description = std::string(desc);
  rest.remove_prefix(eol + 2);
  while (!rest.empty()) {
    eol = rest.find("\r\n");
    std::string_view line = rest.substr(0, eol);
    rest.remove_prefix(eol + 2);
    std::size_t colon = line.find(':');
    std::string_view key = colon == std::string_view::npos
                               ? std::string_view{}
                               : detail::trim_blanks(line.substr(0, colon));
    std::string_view value = colon == std::string_view::npos
                                 ? std::string_view{}
                                 : detail::trim_blanks(line.substr(colon + 1));
    // Accept exactly what validate() would let us send.
    if (!valid_key(key) || !valid_value(value)) {
      return Error{Errc::bad_header_block, "malformed header line: '" + std::string(line) + "'"};
    }
    h.append(std::string(key), std::string(value));
  }
  return h;
}

int header_status(std::string_view block) {
  if (block.substr(0, kVersion.size()) != kVersion) return 0;
  std::size_t eol = block.find("\r\n");
  if (eol == std::string_view::npos) return 0;
  int code = 0;
  std::string_view desc;
  if (!parse_status(block.substr(kVersion.size(), eol - kVersion.size()), code, desc)) return 0;
  return code;
}

}  // namespace nats
