// The writer: turns a plan into text by insertion only. Attribute lists go at the end of a
// heading's text (or, when the heading has one, before its `}`); directive lines go after the
// heading's directive block (`:authored` keeps a Markdown heading's own list as it was); a new
// unit's marker and directives go, with a blank line, before its first block. The one replacement:
// `:dense` / `:keywords` whose `:made-from` is stale are made anew (they were made from text, not
// written by a person). `:made-from` is written as a placeholder that transpile.cpp fills in once
// the new text is parsed.
#include <fmt/format.h>

#include "og/parse.hpp"
#include "plan.hpp"
#include "write/edit.hpp"

namespace og::transpiler {

namespace {

constexpr std::string_view made_from_placeholder = "????????????????";

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

/// End of a heading's text: before trailing blanks and an ATX closing sequence.
uint32_t heading_text_end(const Document& doc, const Node& node) {
  uint32_t line = doc.lines.line_of(node.heading.start);
  if (node.setext) line = doc.lines.line_of(node.heading.end - 1) - 1; // the last text line
  uint32_t start = doc.lines.line_start(line);
  std::string_view text = doc.text({start, doc.lines.content_end(line)});
  size_t end = text.size();
  while (end > 0 && is_space(text[end - 1])) --end;
  if (!node.setext) {
    // The opening `#`s (after up to three spaces) are never a closing sequence: in ` #` or
    // `## ##` the text is empty and ends right after them.
    size_t opening = text.find_first_not_of(' ');
    while (opening < text.size() && text[opening] == '#') ++opening;
    size_t hashes = end;
    while (hashes > opening && text[hashes - 1] == '#') --hashes;
    // Like md4c (which og follows), only a space before them makes `#`s a closing sequence.
    if (hashes < end && hashes > opening && text[hashes - 1] == ' ') {
      end = hashes;
      while (end > opening && is_space(text[end - 1])) --end;
    }
    end = std::max(end, std::min(opening, text.size()));
  }
  return start + static_cast<uint32_t>(end);
}

/// A GFM table delimiter row: cells of `-` with optional `:` ends, split by `|`.
bool is_table_delimiter(std::string_view text) {
  bool dash = false, pipe = false;
  for (char c : text) {
    if (c == '-')
      dash = true;
    else if (c == '|')
      pipe = true;
    else if (c != ':' && c != ' ' && c != '\t')
      return false;
  }
  return dash && pipe;
}

/// A block that cannot interrupt a paragraph, though it can open one after a heading: an
/// indented code block, an ordered list item not numbered 1, an empty list item, and (kept
/// simple) anything starting with `<`, for HTML blocks of type 7.
bool cannot_interrupt_a_paragraph(std::string_view text) {
  size_t i = text.find_first_not_of(' ');
  if (i == std::string_view::npos) return false;
  if (i > 3 || text[i] == '\t' || text[i] == '<') return true;
  auto rest_is_blank = [&](size_t at) {
    return text.find_first_not_of(" \t", at) == std::string_view::npos;
  };
  if ((text[i] == '-' || text[i] == '+' || text[i] == '*') && rest_is_blank(i + 1)) return true;
  size_t digits = text.find_first_not_of("0123456789", i) - i;
  if (digits == 0 || digits > 9 || i + digits >= text.size()) return false;
  char delimiter = text[i + digits];
  if (delimiter != '.' && delimiter != ')') return false;
  size_t after = i + digits + 1;
  if (after < text.size() && text[after] != ' ' && text[after] != '\t') return false;
  return text.substr(i, digits) != "1" || rest_is_blank(after);
}

/// Directive lines read as paragraph text to Markdown, and a paragraph swallows the lines after
/// it that cannot interrupt one. Unsafe when that run starts with a block that cannot interrupt
/// a paragraph (it would become the directives' text, and a heading in it would be lost), or
/// holds a setext underline (the directives would become a heading's text), a link reference
/// definition (it would become text) or a table delimiter row (the table would not start where
/// it did).
bool paragraph_run_is_unsafe(const Document& doc, uint32_t from) {
  if (from >= doc.source.size()) return false;
  uint32_t first = doc.lines.line_of(from);
  if (cannot_interrupt_a_paragraph(
          doc.text({doc.lines.line_start(first), doc.lines.content_end(first)})))
    return true;
  for (uint32_t line = first; line < doc.lines.line_count(); ++line) {
    std::string_view text = doc.text({doc.lines.line_start(line), doc.lines.content_end(line)});
    size_t i = text.find_first_not_of(' ');
    if (i == std::string_view::npos || text.find_first_not_of(" \t") == std::string_view::npos)
      return false; // a blank line ends the paragraph
    if (i > 3) continue;
    if (text[i] == '[' || is_table_delimiter(text)) return true;
    if (text[i] == '=' || text[i] == '-') {
      size_t j = text.find_first_not_of(text[i], i);
      if (j == std::string_view::npos || text.find_first_not_of(" \t", j) == std::string_view::npos)
        return true;
    }
  }
  return false;
}

std::string attribute_items(const PlanNode& p, bool with_id) {
  std::string items;
  if (with_id) items += "#" + p.id;
  if (p.write_type && !p.type.empty()) items += (items.empty() ? "." : " .") + p.type;
  return items;
}

std::string directive_lines(const PlanNode& p, bool dense, bool keywords, std::string_view eol) {
  std::string out;
  if (dense && !p.dense.empty()) out += fmt::format(":dense {}{}", p.dense, eol);
  if (keywords && !p.keywords.empty()) {
    out += ":keywords ";
    for (size_t i = 0; i < p.keywords.size(); ++i) out += (i ? ", " : "") + p.keywords[i];
    out += eol;
  }
  for (std::string_view kind : {"requires", "precedes", "see-also"}) {
    std::string targets;
    for (const auto& e : p.edges)
      if (e.kind == kind) targets += (targets.empty() ? "#" : ", #") + e.target;
    if (!targets.empty()) out += fmt::format(":{} {}{}", kind, targets, eol);
  }
  if ((dense && !p.dense.empty()) || (keywords && !p.keywords.empty()))
    out += fmt::format(":made-from {}{}", made_from_placeholder, eol);
  return out;
}

/// Whether the heading with `edit` applied still reads as the same heading: inline markup in
/// the title can pair with characters of an id (`# _a` + ` {#_a}` would open emphasis), and an
/// id left derived (not a valid name to write) must derive the same from the title as from the
/// heading's text (`##\t \t\r` keeps its blanks in md4c's text, not in its title).
bool keeps_heading(const Document& doc, const Node& node, const Edit& edit, bool id_written) {
  if (node.kind != NodeKind::heading) return true;
  std::string lines(doc.text(node.heading));
  std::string edited = lines;
  edited.insert(edit.start - node.heading.start, edit.text);
  Document probe = parse(std::move(edited), doc.path);
  if (probe.nodes.empty() || probe.nodes[0].level != node.level ||
      probe.nodes[0].title != node.title)
    return false;
  if (id_written || node.id_explicit) return true;
  Document alone = parse(std::move(lines), doc.path); // the same de-duplication context
  return !alone.nodes.empty() && alone.nodes[0].id == probe.nodes[0].id;
}

/// `markdown_lists`: the document does not speak og yet, so a heading attribute list is the
/// author's Markdown and `:authored` keeps it as it was, for `og strip` to give back.
void write_existing(const Document& doc, const PlanNode& p, bool markdown_lists,
                    std::string_view eol, std::vector<Edit>& edits, TranspileResult& counts) {
  const Node& node = doc.nodes[static_cast<size_t>(p.node)];
  if (node.kind == NodeKind::document) return; // no heading to write into; its units are written
  bool with_id = p.write_id && !node.id_explicit;
  std::string items = attribute_items(p, with_id);
  if (!items.empty()) {
    Edit edit;
    if (node.attribute_list.empty()) {
      uint32_t at = heading_text_end(doc, node);
      edit = {at, at, " {" + items + "}"};
    } else {
      uint32_t at = node.attribute_list.end - 1; // before the `}`
      edit = {at, at, " " + items};
    }
    if (keeps_heading(doc, node, edit, with_id)) { // else the id stays derived, no type written
      edits.push_back(std::move(edit));
      counts.ids_written += with_id;
      counts.types_written += p.write_type;
    }
  }
  // Summarized before without a `:dense`: the reader derives that one (transpile() leaves out
  // a summary the body's first sentence gives).
  bool summarized = std::any_of(node.directives.begin(), node.directives.end(),
                                [](const Directive& d) { return d.name == "made-from"; });
  bool dense = (node.dense.empty() && !summarized) || p.refresh;
  bool keywords = node.keywords.empty() || p.refresh;
  std::string lines = directive_lines(p, dense, keywords, eol);
  if (markdown_lists && !node.attribute_list.empty())
    lines += fmt::format(":authored {}{}", doc.text(node.attribute_list), eol);
  if (lines.empty()) return;
  if (p.refresh)
    for (const auto& d : node.directives)
      if (d.name == "dense" || d.name == "keywords" || d.name == "made-from")
        edits.push_back({d.span.start, d.span.end, ""});
  uint32_t at = node.directive_block.end;
  bool heading_ends_line = doc.text(node.heading).back() == '\n';
  if (!heading_ends_line || paragraph_run_is_unsafe(doc, at)) {
    if (markdown_lists && !node.attribute_list.empty() && counts.kept_because.empty())
      counts.kept_because = fmt::format(
          "no directive line fits under the heading at line {}, so its attribute list could not "
          "be recorded as the author's (`:authored`); the file is kept as it is",
          doc.lines.position(node.heading.start).line);
    return;
  }
  // Directives that end the file without a line break: the new lines start one of their own.
  if (at == doc.source.size() && at > node.heading.end && doc.source[at - 1] != '\n' &&
      doc.source[at - 1] != '\r')
    lines.insert(0, eol);
  edits.push_back({at, at, std::move(lines)});
  counts.edges_written += p.edges.size();
  counts.summaries_written += dense && !p.dense.empty();
  counts.keywords_written += keywords && !p.keywords.empty();
}

void write_unit(const PlanNode& p, std::string_view eol, std::vector<Edit>& edits,
                TranspileResult& counts) {
  std::string text = "{" + attribute_items(p, true) + "}" + std::string(eol);
  text += directive_lines(p, true, true, eol);
  text += eol;
  edits.push_back({p.marker_at, p.marker_at, std::move(text)});
  counts.ids_written += 1;
  counts.types_written += p.write_type;
  counts.edges_written += p.edges.size();
  counts.summaries_written += !p.dense.empty();
  counts.keywords_written += !p.keywords.empty();
  counts.units_added += 1;
}

/// YAML frontmatter whose first field does not start at the margin.
bool indented_fields(const Document& doc) {
  if (doc.frontmatter.empty() || doc.meta.syntax != FrontmatterSyntax::yaml) return false;
  auto [first, last] = top_level_lines(doc);
  for (uint32_t line = first; line < last; ++line) {
    std::string_view text = doc.text({doc.lines.line_start(line), doc.lines.content_end(line)});
    size_t at = text.find_first_not_of(" \t");
    if (at == std::string_view::npos || text[at] == '#') continue;
    return at > 0;
  }
  return false;
}

} // namespace

/// Empty when an author's heading attribute list could not be recorded (`counts.kept_because`
/// says where): strip would then lose it.
std::string write_plan(const Plan& plan, TranspileResult& counts) {
  const Document& doc = *plan.doc;
  std::string_view eol = line_ending(doc.source);
  std::vector<Edit> edits;
  // A field that `og: 1` would make an error: an invalid known one, or a key one edit from an
  // access field (`rules:`), which in an og file reads as a misspelt `roles`.
  bool lenient_fields = false;
  for (const auto& d : doc.diagnostics) lenient_fields |= d.code == Code::meta_field_invalid;
  for (const auto& [key, value] : doc.meta.fields)
    lenient_fields |= syntax::near_access_field(key).has_value();
  // Nor into YAML whose fields are indented (` title: x`): `og: 1` at the margin would end
  // that mapping and make the frontmatter invalid (found by fuzz_transpile).
  lenient_fields |= indented_fields(doc);
  if (doc.frontmatter.empty()) {
    // After a byte order mark: frontmatter before it would not be frontmatter to any reader.
    edits.push_back({doc.bom.end, doc.bom.end, fmt::format("---{}og: 1{}---{}", eol, eol, eol)});
  } else if (!doc.meta.og_version && !lenient_fields) {
    uint32_t at = new_field_offset(doc);
    edits.push_back({at, at, frontmatter_field(doc, "og", "1", eol)});
  }
  const bool markdown_lists = !doc.speaks_og();
  for (const auto& p : plan.nodes) {
    if (p.node >= 0)
      write_existing(doc, p, markdown_lists, eol, edits, counts);
    else
      write_unit(p, eol, edits, counts);
  }
  if (!counts.kept_because.empty()) return {};
  return apply_edits(doc.source, std::move(edits));
}

std::string_view made_from_placeholder_text() {
  return made_from_placeholder;
}

} // namespace og::transpiler
