// The three views of a node (index entry, dense, full) and role visibility.
#include <fmt/format.h>

#include "og/changes.hpp"
#include "og/query.hpp"
#include "syntax/syntax.hpp"

namespace og {

namespace {

bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

/// First paragraph line(s) of the body that read as prose (not code, tables, HTML or lists).
std::string first_paragraph(std::string_view body) {
  std::string paragraph;
  bool in_fence = false;
  size_t pos = 0;
  while (pos < body.size()) {
    // Whichever line endings: the summary is the same.
    auto [line, next] = syntax::line_from(body, pos);
    pos = next;
    std::string_view trimmed = line.substr(std::min(line.find_first_not_of(" \t"), line.size()));
    if (trimmed.rfind("```", 0) == 0 || trimmed.rfind("~~~", 0) == 0) {
      in_fence = !in_fence;
      continue;
    }
    if (in_fence) continue;
    if (is_blank(line)) {
      if (!paragraph.empty()) break;
      continue;
    }
    char c = trimmed[0];
    if (paragraph.empty() && (c == '|' || c == '<' || c == '#' || c == '>' || c == '-' ||
                              c == '*' || c == ':' || c == '{' || c == '!' || c == '['))
      continue;
    // Template tags, HTML comments and block ids are not what the node says.
    std::string prose = syntax::prose_of(trimmed);
    if (!prose.empty()) prose.pop_back(); // its line break
    if (prose.empty()) continue;
    if (!paragraph.empty()) paragraph += ' ';
    paragraph += prose;
  }
  return paragraph;
}

} // namespace

bool is_search_aid(std::string_view directive) {
  return syntax::is_reading_aid(directive);
}

bool kept_in_full_view(const Document& document, const Node& node, std::string_view directive) {
  if (!is_search_aid(directive)) return true;
  // A node with no body says what it says in `:dense` alone: without it the full view would be
  // a bare heading, and the fact would never reach an agent that reads the Full pass.
  return directive == "dense" &&
         document.text(node.body).find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string full_view(const Document& document, const Node& node) {
  std::string text(document.text({node.heading.start, node.directive_block.start}));
  for (const auto& d : node.directives)
    if (kept_in_full_view(document, node, d.name)) text += document.text(d.span);
  text += document.text(node.body);
  return text;
}

std::string dense_view(const Document& document, const Node& node) {
  if (!node.dense.empty()) return node.dense;
  std::string paragraph = first_paragraph(document.text(node.body));
  // The first sentence: up to ". " (or "? ", "! ") past the first ten bytes (so "e.g. " rarely
  // ends it), at most 300 bytes.
  size_t end = paragraph.size();
  for (size_t i = 10; i + 1 < paragraph.size(); ++i)
    if ((paragraph[i] == '.' || paragraph[i] == '?' || paragraph[i] == '!') &&
        paragraph[i + 1] == ' ') {
      end = i + 1;
      break;
    }
  if (end > 300) {
    end = 300;
    while (end > 0 && (static_cast<unsigned char>(paragraph[end]) & 0xC0) == 0x80) --end;
  }
  return paragraph.substr(0, end);
}

namespace {

/// `id · type · @scope · title`; a unit, which has no title, shows its keywords (`— a, b`), or
/// without them its dense summary. A title says what the node holds; its keywords are the
/// matcher's (spec §index).
std::string entry_line(const IndexEntry& entry, const std::vector<std::string>& scope) {
  std::string out = entry.id;
  if (!entry.type.empty()) out += " · " + entry.type;
  if (!scope.empty()) out += fmt::format(" · @{}", fmt::join(scope, ","));
  if (!entry.title.empty()) return out + " · " + entry.title;
  if (!entry.keywords.empty()) return out + fmt::format(" — {}", fmt::join(entry.keywords, ", "));
  return entry.dense.empty() ? out : out + " · " + entry.dense;
}

} // namespace

std::string index_line(const Document& document, const Node& node,
                       const std::vector<std::string>& scope) {
  IndexEntry entry;
  entry.id = node.id;
  entry.type = node.type;
  entry.title = node.title;
  entry.keywords = node.keywords;
  if (node.title.empty() && node.keywords.empty()) entry.dense = dense_view(document, node);
  return entry_line(entry, scope);
}

bool visible(const Document& document, const Node& node, const Caller& caller) {
  if (is_generated_id(node.id)) return false; // served by search_index and changes_since
  return !caller.role || node_visible_to(document, node, *caller.role);
}

std::string IndexEntry::line() const {
  return entry_line(*this, {});
}

} // namespace og
