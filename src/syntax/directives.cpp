// Directive lines: `:name value` directly under a heading or a unit marker.
#include <array>

#include "syntax/syntax.hpp"

namespace og::syntax {

namespace {

// Canonical order of `og fmt`; `x-…` directives sort between the edges and the assertions.
constexpr std::array<std::string_view, 11> core_directives = {
    "dense", "keywords", "requires", "precedes", "see-also", "contradicts",
    "check", "retry",    "escalate", "made-from", "hash"};

bool is_name_start(char c) {
  return c >= 'a' && c <= 'z';
}
bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9') || c == '-';
}

} // namespace

std::optional<DirectiveLine> read_directive_line(std::string_view line, uint32_t line_offset) {
  if (line.size() < 2 || line[0] != ':' || !is_name_start(line[1])) return std::nullopt;
  size_t i = 1;
  while (i < line.size() && is_name_char(line[i])) ++i;
  if (i < line.size() && line[i] != ' ' && line[i] != '\t') return std::nullopt;
  DirectiveLine directive;
  directive.name = std::string(line.substr(1, i - 1));
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  size_t end = line.size();
  while (end > i && (line[end - 1] == ' ' || line[end - 1] == '\t')) --end;
  directive.value = std::string(line.substr(i, end - i));
  directive.value_offset = line_offset + static_cast<uint32_t>(i);
  return directive;
}

bool is_known_directive(std::string_view name) {
  if (name.size() > 2 && name.substr(0, 2) == "x-") return true;
  for (auto known : core_directives)
    if (known == name) return true;
  return false;
}

int directive_rank(std::string_view name) {
  if (name.size() > 2 && name.substr(0, 2) == "x-") return 6;
  for (size_t i = 0; i < core_directives.size(); ++i)
    if (core_directives[i] == name) return static_cast<int>(i < 6 ? i : i + 1);
  return 100;
}

} // namespace og::syntax
