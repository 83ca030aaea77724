// Small text helpers shared by the engine's readers (protocol lines, header
// blocks).
#pragma once

#include <string_view>

namespace nats::detail {

/// A blank between protocol words: a space or a tab.
inline bool is_blank(char c) { return c == ' ' || c == '\t'; }

/// `s` without the blanks at either end.
inline std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace nats::detail
