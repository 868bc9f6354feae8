// The Markdown block grammar the builder reads from raw lines around md4c's outline: blank
// lines, indentation, ATX and setext headings, what ends a paragraph, container markers. One
// place for these rules, so that placing a heading and reading its og constructs agree.
#include <algorithm>
#include <cstring>

#include "graph/graph.hpp"

namespace og::graph::lines {

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t") == std::string_view::npos;
}

bool is_blank_text(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

/// Leading spaces (at most 3 count as indentation for block starts).
size_t indentation(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && line[i] == ' ') ++i;
  return i;
}

/// Length of the ATX opening `#…#` after indentation, or 0 when the line is no ATX heading.
size_t atx_opening(std::string_view line) {
  size_t i = indentation(line);
  if (i > 3) return 0;
  size_t hashes = 0;
  while (i + hashes < line.size() && line[i + hashes] == '#') ++hashes;
  if (hashes == 0 || hashes > 6) return 0;
  size_t after = i + hashes;
  if (after < line.size() && line[after] != ' ' && line[after] != '\t') return 0;
  return after;
}

/// The number of `#`s of an ATX opening (atx_opening() non-zero).
unsigned atx_level(std::string_view line) {
  size_t i = indentation(line), hashes = 0;
  while (i + hashes < line.size() && line[i + hashes] == '#') ++hashes;
  return static_cast<unsigned>(hashes);
}

/// 1 for a `=` underline, 2 for `-`.
unsigned setext_level(std::string_view line) {
  return line[indentation(line)] == '=' ? 1 : 2;
}

bool is_setext_underline(std::string_view line) {
  size_t i = indentation(line);
  if (i > 3 || i >= line.size() || (line[i] != '=' && line[i] != '-')) return false;
  char c = line[i];
  while (i < line.size() && line[i] == c) ++i;
  return is_blank(line.substr(i));
}

/// Lines that can precede a setext heading's text without belonging to it.
bool ends_previous_block(std::string_view line) {
  size_t i = indentation(line);
  if (i > 3 || i >= line.size()) return true;
  if (atx_opening(line)) return true;
  char c = line[i];
  if (c == '`' || c == '~') return line.substr(i, 3) == std::string(3, c);
  if (c == '*' || c == '-' || c == '_') { // thematic break
    size_t marks = 0;
    for (char d : line.substr(i)) {
      if (d == c)
        ++marks;
      else if (d != ' ' && d != '\t')
        return false;
    }
    return marks >= 3;
  }
  return false;
}

/// A line that opens a list item or a block quote: a setext underline under it is no heading
/// (`+ ` then `-` is two lists), so an empty heading is never placed there.
bool opens_container(std::string_view line) {
  size_t i = indentation(line);
  if (i > 3 || i >= line.size()) return false;
  auto ends_marker = [&](size_t at) {
    return at >= line.size() || line[at] == ' ' || line[at] == '\t';
  };
  char c = line[i];
  if (c == '>') return true;
  if (c == '-' || c == '+' || c == '*') return ends_marker(i + 1);
  size_t digits = 0;
  while (i + digits < line.size() && digits < 10 && line[i + digits] >= '0' &&
         line[i + digits] <= '9')
    ++digits;
  size_t after = i + digits;
  return digits > 0 && digits <= 9 && after < line.size() &&
         (line[after] == '.' || line[after] == ')') && ends_marker(after + 1);
}

/// What follows the block quote and list markers a line opens with (`1. - > ##` gives `##`).
std::string_view after_container_markers(std::string_view line) {
  while (opens_container(line)) {
    size_t i = indentation(line);
    if (line[i] == '>')
      ++i;
    else
      i = line.find_first_of(" \t", i); // opens_container() saw blank or end after the marker
    if (i == std::string_view::npos) return {};
    line.remove_prefix(i);
    line.remove_prefix(std::min(line.size(), line.find_first_not_of(" \t")));
  }
  return line;
}

/// The content of an ATX heading line: after the opening and before the closing sequence.
std::pair<size_t, size_t> atx_content(std::string_view line, size_t opening) {
  size_t start = opening;
  while (start < line.size() && (line[start] == ' ' || line[start] == '\t')) ++start;
  size_t end = line.size();
  while (end > start && (line[end - 1] == ' ' || line[end - 1] == '\t')) --end;
  size_t hashes = end;
  while (hashes > start && line[hashes - 1] == '#') --hashes;
  if (hashes < end && (hashes == start || line[hashes - 1] == ' ' || line[hashes - 1] == '\t')) {
    end = hashes;
    while (end > start && (line[end - 1] == ' ' || line[end - 1] == '\t')) --end;
  }
  return {start, end};
}

} // namespace og::graph::lines
