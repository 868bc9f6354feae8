// Directive lines: `:name value` directly under a heading or a unit marker. The vocabulary is
// one table; the parser, `og fmt`'s order, the views and the messages all read it.
#include <array>

#include "syntax/syntax.hpp"

namespace og::syntax {

namespace {

struct DirectiveSpec {
  std::string_view name;
  bool aid; ///< for search and tools, not what the node says: left out of the full view
};

// In `og fmt`'s canonical order; `x-…` directives sort between the edges and the assertions.
constexpr std::array<DirectiveSpec, 12> vocabulary = {{
    {"dense", true},
    {"keywords", true},
    {"requires", false},
    {"precedes", false},
    {"see-also", false},
    {"contradicts", false},
    {"check", false},
    {"retry", false},
    {"escalate", false},
    {"made-from", true},
    {"hash", true},
    {"authored", true},
}};
constexpr size_t first_after_extensions = 6; // `check`

bool is_name_start(char c) {
  return c >= 'a' && c <= 'z';
}
bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9') || c == '-';
}
bool is_extension(std::string_view name) {
  return name.size() > 2 && name.substr(0, 2) == "x-";
}

const DirectiveSpec* find(std::string_view name) {
  for (const auto& spec : vocabulary)
    if (spec.name == name) return &spec;
  return nullptr;
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
  return is_extension(name) || find(name) != nullptr;
}

bool is_reading_aid(std::string_view name) {
  const DirectiveSpec* spec = find(name);
  return spec && spec->aid;
}

int directive_rank(std::string_view name) {
  if (is_extension(name)) return static_cast<int>(first_after_extensions);
  for (size_t i = 0; i < vocabulary.size(); ++i)
    if (vocabulary[i].name == name) return static_cast<int>(i < first_after_extensions ? i : i + 1);
  return 100;
}

std::string known_directives() {
  std::string list;
  for (const auto& spec : vocabulary) list += std::string(spec.name) + ", ";
  return list + "x-…";
}

} // namespace og::syntax
