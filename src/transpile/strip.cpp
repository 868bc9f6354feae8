// og strip: the inverse of transpile. Deletes og syntax only, by fixed rules (spec §13.9).
#include "og/changes.hpp"
#include "og/transpile.hpp"
#include "plan.hpp"
#include "syntax/syntax.hpp"
#include "write/edit.hpp"

namespace og {

namespace {

bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

/// The `og: 1` line (`og = 1` in TOML), and the whole frontmatter when nothing else is left.
void strip_frontmatter(const Document& doc, std::vector<Edit>& edits) {
  if (doc.frontmatter.empty()) return;
  uint32_t first = doc.lines.line_of(doc.frontmatter.start);
  uint32_t last = doc.lines.line_of(doc.frontmatter.end - 1);
  const std::string og_field = frontmatter_field(doc, "og", "1", "");
  int32_t og_line = -1;
  bool other_content = false;
  for (uint32_t line = first + 1; line < last; ++line) {
    std::string_view text = doc.text({doc.lines.line_start(line), doc.lines.content_end(line)});
    if (text == og_field && og_line < 0)
      og_line = static_cast<int32_t>(line);
    else if (!is_blank(text))
      other_content = true;
  }
  if (og_line < 0) return;
  if (!other_content) {
    edits.push_back({doc.frontmatter.start, doc.frontmatter.end, ""});
    return;
  }
  auto line = static_cast<uint32_t>(og_line);
  edits.push_back({doc.lines.line_start(line), doc.lines.line_end(line), ""});
}

/// Where the run of generated nodes that ends the file starts (with the line break before it),
/// or the file size when the file does not end with one.
uint32_t generated_suffix(const Document& doc) {
  auto size = static_cast<uint32_t>(doc.source.size());
  uint32_t start = size;
  for (size_t n = doc.nodes.size(); n-- > 0;) {
    const Node& node = doc.nodes[n];
    if (node.parent >= 0) continue;
    // A generated node with sections under it is not the end of the file: those are authored.
    if (!is_generated_id(node.id) || node.extent.end != start || !node.children.empty()) break;
    start = node.heading.start;
  }
  if (start == size) return size;
  if (start > 0 && doc.source[start - 1] == '\n') --start;
  if (start > 0 && doc.source[start - 1] == '\r') --start;
  return start;
}

/// The node's `:authored` directive when it restores its heading's attribute list.
const Directive* authored_list(const Node& node) {
  if (node.attribute_list.empty()) return nullptr;
  for (const auto& d : node.directives) {
    std::string error;
    uint32_t offset = 0;
    if (d.name == "authored" && syntax::parse_attribute_list(d.value, error, offset)) return &d;
  }
  return nullptr;
}

} // namespace

namespace transpiler {

std::vector<Edit> strip_edits(const Document& doc) {
  std::vector<Edit> edits;
  const bool markdown_lists = !doc.speaks_og();
  strip_frontmatter(doc, edits);
  uint32_t suffix = generated_suffix(doc);
  uint32_t skip_until = 0; // inside a generated node: its parts go with it
  for (const auto& node : doc.nodes) {
    if (node.heading.start >= suffix) break;
    if (node.heading.start < skip_until) continue;
    if (is_generated_id(node.id)) {
      // Generated blocks own only their own lines: a section placed under one stays.
      edits.push_back({node.heading.start, node.body.end, ""});
      skip_until = node.body.end;
      continue;
    }
    if (node.kind == NodeKind::unit) {
      uint32_t end = node.directive_block.end;
      uint32_t line = doc.lines.line_of(end);
      if (end < node.body.end && is_blank(doc.text({end, doc.lines.line_end(line)})))
        end = std::min(doc.lines.line_end(line), node.body.end);
      edits.push_back({node.heading.start, end, ""});
      continue;
    }
    if (markdown_lists) {
      // Heading attribute lists of Markdown are the author's, not og's to take out.
    } else if (const Directive* authored = authored_list(node)) {
      // The list was the author's Markdown before og added to it: it goes back as it was.
      edits.push_back({node.attribute_list.start, node.attribute_list.end, authored->value});
    } else if (!node.attribute_list.empty()) {
      uint32_t start = node.attribute_list.start;
      while (start > node.heading.start &&
             (doc.source[start - 1] == ' ' || doc.source[start - 1] == '\t'))
        --start;
      edits.push_back({start, node.attribute_list.end, ""});
    }
    if (!node.directive_block.empty())
      edits.push_back({node.directive_block.start, node.directive_block.end, ""});
  }
  if (suffix < doc.source.size()) {
    // The line break before the generated nodes goes with them (transpile adds one when the
    // file did not end with one), so the last authored directive line keeps its own text only.
    for (auto& edit : edits) edit.end = std::min(edit.end, std::max(edit.start, suffix));
    edits.push_back({suffix, static_cast<uint32_t>(doc.source.size()), ""});
  }
  return edits;
}

} // namespace transpiler

std::string strip(const Document& doc) {
  return apply_edits(doc.source, transpiler::strip_edits(doc));
}

} // namespace og
