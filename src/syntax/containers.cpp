// Bounds the nesting md4c sees on one line (ParseOptions::max_container_depth).
#include "syntax/syntax.hpp"

namespace og::syntax {

namespace {

/// Length of a container marker at text[i] (with the space after it), or 0.
size_t marker_length(std::string_view text, size_t i) {
  size_t n = text.size();
  if (i >= n) return 0;
  char c = text[i];
  if (c == '>') return i + 1 < n && (text[i + 1] == ' ' || text[i + 1] == '\t') ? 2 : 1;
  auto spaced = [&](size_t k) { return k < n && (text[k] == ' ' || text[k] == '\t'); };
  if (c == '-' || c == '+' || c == '*') return spaced(i + 1) ? 2 : 0;
  size_t digits = 0;
  while (i + digits < n && digits < 10 && text[i + digits] >= '0' && text[i + digits] <= '9')
    ++digits;
  if (digits == 0 || digits > 9 || i + digits >= n) return 0;
  char d = text[i + digits];
  return (d == '.' || d == ')') && spaced(i + digits + 1) ? digits + 2 : 0;
}

} // namespace

std::vector<uint32_t> find_overdeep_containers(std::string_view text, const LineIndex& lines,
                                               uint32_t first_line, uint32_t limit) {
  std::vector<uint32_t> found;
  for (uint32_t line = first_line; line < lines.line_count(); ++line) {
    size_t i = lines.line_start(line);
    if (i >= text.size()) break;
    uint32_t depth = 0;
    for (;;) {
      size_t spaces = 0;
      while (spaces < 3 && i + spaces < text.size() && text[i + spaces] == ' ') ++spaces;
      size_t length = marker_length(text, i + spaces);
      if (length == 0) break;
      if (++depth > limit) {
        found.push_back(static_cast<uint32_t>(i + spaces));
        break;
      }
      i += spaces + length;
    }
  }
  return found;
}

void neutralize_markers(std::string& text, const std::vector<uint32_t>& offsets) {
  for (uint32_t at : offsets) text[at] = '\0';
}

} // namespace og::syntax
