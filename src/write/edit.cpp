// Text edits (see edit.hpp).
#include "write/edit.hpp"

#include <algorithm>

namespace og {

std::string apply_edits(std::string_view source, std::vector<Edit> edits) {
  std::stable_sort(edits.begin(), edits.end(),
                   [](const Edit& a, const Edit& b) { return a.start < b.start; });
  std::string out;
  out.reserve(source.size() + edits.size() * 32);
  uint32_t at = 0;
  for (const auto& e : edits) {
    out.append(source.substr(at, e.start - at));
    out += e.text;
    at = e.end;
  }
  out.append(source.substr(at));
  return out;
}

std::string_view line_ending(std::string_view source) {
  size_t nl = source.find('\n');
  return nl != std::string_view::npos && nl > 0 && source[nl - 1] == '\r' ? "\r\n" : "\n";
}

namespace {

bool toml(const Document& doc) {
  return doc.meta.syntax == FrontmatterSyntax::toml;
}

} // namespace

std::string frontmatter_field(const Document& doc, std::string_view key, std::string_view value,
                              std::string_view eol) {
  return std::string(key) + (toml(doc) ? " = " : ": ") + std::string(value) + std::string(eol);
}

uint32_t new_field_offset(const Document& doc) {
  uint32_t first = doc.lines.line_of(doc.frontmatter.start);
  uint32_t last = doc.lines.line_of(doc.frontmatter.end - 1);
  return doc.lines.line_start(toml(doc) ? first + 1 : last);
}

std::pair<uint32_t, uint32_t> top_level_lines(const Document& doc) {
  uint32_t first = doc.lines.line_of(doc.frontmatter.start) + 1;
  uint32_t last = doc.lines.line_of(doc.frontmatter.end - 1);
  if (toml(doc))
    for (uint32_t line = first; line < last; ++line)
      if (doc.text({doc.lines.line_start(line), doc.lines.content_end(line)}).starts_with("["))
        return {first, line};
  return {first, last};
}

size_t field_value_start(const Document& doc, std::string_view line, std::string_view key) {
  if (!line.starts_with(key)) return std::string_view::npos;
  size_t at = key.size();
  if (toml(doc))
    while (at < line.size() && (line[at] == ' ' || line[at] == '\t')) ++at;
  if (at >= line.size() || line[at] != (toml(doc) ? '=' : ':')) return std::string_view::npos;
  return at + 1;
}

} // namespace og
