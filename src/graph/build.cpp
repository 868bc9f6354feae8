// parse(): bytes -> Document. Frontmatter, then md4c's outline, then og constructs read from the
// raw lines around each document-level heading, then ids, hierarchy and scopes, then lint.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <unordered_map>

#include <fmt/format.h>

#include "graph/graph.hpp"
#include "og/changes.hpp"
#include "og/parse.hpp"
#include "syntax/syntax.hpp"

namespace og {

namespace {

using syntax::no_offset;

using namespace graph::lines;

/// `{… scope=…` where the `{` opens what reads like an attribute list (`{#`, `{.`, `{key=`):
/// text that tries to give a scope, whether or not it parses. `{% include … scope=… %}` (Liquid)
/// and `{{< … >}}` (Hugo) are not attempts.
bool names_scope(std::string_view text) {
  for (size_t brace = text.find('{'); brace != std::string_view::npos;
       brace = text.find('{', brace + 1)) {
    size_t first = text.find_first_not_of(" \t", brace + 1);
    if (first == std::string_view::npos) return false;
    char c = text[first];
    if (c != '#' && c != '.') {
      size_t key_end = first;
      while (key_end < text.size() && (std::isalnum(static_cast<unsigned char>(text[key_end])) ||
                                       text[key_end] == '-' || text[key_end] == '_'))
        ++key_end;
      if (key_end == first || key_end >= text.size() || text[key_end] != '=') continue;
    }
    for (size_t at = text.find("scope", brace); at != std::string_view::npos;
         at = text.find("scope", at + 5)) {
      size_t next = text.find_first_not_of(" \t", at + 5);
      if (next != std::string_view::npos && text[next] == '=') return true;
    }
    return false; // the first list-like brace decides
  }
  return false;
}

/// Where a node starts, before its og constructs are read.
struct NodeStart {
  uint32_t first_line = 0;
  uint32_t last_line = 0; // the underline of a setext heading
  NodeKind kind = NodeKind::heading;
  uint8_t level = 0;
  bool setext = false;
  int heading = -1; // index into Outline::headings
  Span content;     // heading text (last content line for setext) or the marker
};

class Builder {
public:
  Builder(Document& document, const ParseOptions& options, syntax::Outline outline, uint32_t begin)
      : doc_(document), options_(options), outline_(std::move(outline)), begin_(begin) {}

  void run() {
    std::vector<NodeStart> starts = locate_headings();
    add_units(starts);
    make_nodes(starts);
    add_document_node();
    assign_ids();
    link_hierarchy();
    attach_links();
  }

private:
  /// Where line n starts as content: the first line after a byte order mark starts after it.
  uint32_t line_begin(uint32_t n) const { return std::max(doc_.lines.line_start(n), begin_); }

  std::string_view line(uint32_t n) const {
    return std::string_view(doc_.source)
        .substr(line_begin(n), doc_.lines.content_end(n) - line_begin(n));
  }

  void report(Code code, Severity severity, Span span, std::string message) {
    doc_.diagnostics.push_back({code, severity, span, std::move(message)});
  }

  uint32_t first_body_line() const { return doc_.lines.line_of(begin_); }

  /// Line of `offset` for offsets visited in (mostly) increasing order.
  uint32_t line_at(uint32_t offset) {
    hint_ = doc_.lines.line_of(offset, hint_);
    return hint_;
  }

  /// First line after the last text md4c showed us before the heading.
  uint32_t lower_bound_line(const syntax::HeadingEvent& h) {
    if (h.seen_before <= begin_) return first_body_line();
    return doc_.lines.line_of(h.seen_before - 1, hint_ > 0 ? hint_ - 1 : 0) + 1;
  }

  std::vector<NodeStart> locate_headings() {
    std::vector<NodeStart> starts;
    uint32_t cursor = first_body_line(); // no heading starts before the previous one ends
    for (size_t i = 0; i < outline_.headings.size(); ++i) {
      const auto& h = outline_.headings[i];
      if (!h.top_level) {
        refuse_unapplied_scope(h, "a heading inside a list item or block quote is not a node");
        skip_nested_empty_heading(h, cursor);
        continue;
      }
      NodeStart start;
      start.level = h.level;
      start.heading = static_cast<int>(i);
      bool found = h.first_text != no_offset ? locate_with_text(h, cursor, start)
                                             : locate_without_text(h, cursor, start);
      if (!found) { // md4c saw a heading we cannot place: it stays body text
        refuse_unapplied_scope(h, "this heading cannot be placed on its lines");
        continue;
      }
      cursor = start.last_line + 1;
      starts.push_back(start);
    }
    return starts;
  }

  /// A heading whose `scope=` cannot apply must fail the document: its text is served to
  /// whoever reads the section around it, wider than the author wrote.
  void refuse_unapplied_scope(const syntax::HeadingEvent& h, std::string_view why) {
    if (h.first_text == no_offset || !names_scope(h.text)) return;
    report(Code::attributes_malformed, Severity::error, {h.first_text, h.first_text + 1},
           fmt::format("{}, so its `scope=` would not apply; make it a document-level heading "
                       "or remove the scope",
                       why));
  }

  bool locate_with_text(const syntax::HeadingEvent& h, uint32_t cursor, NodeStart& start) {
    uint32_t first = line_at(h.first_text);
    if (first < cursor) return false;
    if (size_t opening = atx_opening(line(first))) {
      start.first_line = start.last_line = first;
      set_atx_content(start, opening);
      return true;
    }
    uint32_t floor = std::max(cursor, lower_bound_line(h));
    while (first > floor && !is_blank(line(first - 1)) && !ends_previous_block(line(first - 1)))
      --first;
    uint32_t underline = doc_.lines.line_of(h.last_text, first) + 1;
    while (underline < doc_.lines.line_count() && !is_setext_underline(line(underline)))
      ++underline;
    if (underline >= doc_.lines.line_count()) return false;
    start.first_line = first;
    start.last_line = underline;
    start.setext = true;
    uint32_t last_text_line = underline - 1;
    uint32_t from = line_begin(last_text_line);
    std::string_view text = line(last_text_line);
    size_t lead = text.find_first_not_of(" \t");
    size_t end = text.find_last_not_of(" \t") + 1;
    start.content = {from + static_cast<uint32_t>(lead), from + static_cast<uint32_t>(end)};
    return true;
  }

  // An empty heading inside a list item (`-` then `  #`, or `1. ##`) reads like a top-level
  // `#`: its line is passed over so that the next top-level empty heading is not placed on
  // it. Only an indented line or one opening with the item's marker can be it (a top-level
  // `#` after it starts in column 0 or is not empty).
  void skip_nested_empty_heading(const syntax::HeadingEvent& h, uint32_t& cursor) {
    if (h.first_text != no_offset) return;
    uint32_t from = std::max(cursor, lower_bound_line(h));
    uint32_t to = h.seen_after == no_offset ? doc_.lines.line_count()
                                            : doc_.lines.line_of(h.seen_after, from) + 1;
    for (uint32_t n = from; n < std::min(to, doc_.lines.line_count()); ++n) {
      std::string_view text = line(n), nested = after_container_markers(text);
      bool marked =
          nested.size() < text.size() && atx_opening(nested) && atx_level(nested) == h.level &&
          nested.substr(atx_opening(nested)).find_first_not_of(" \t\r#") == std::string_view::npos;
      if (marked || (atx_opening(text) && indentation(text) > 0 && atx_level(text) == h.level)) {
        cursor = n + 1;
        return;
      }
    }
  }

  // The line above a setext underline that makes a heading without text: a paragraph line
  // of images, links or HTML only. Not a thematic break (`---` then `-` is a break and an
  // empty item) nor a table's delimiter row (`|` / `|---` then `-`), both found by fuzzing.
  static bool can_be_setext_text(std::string_view text) {
    return !is_blank(text) && !opens_container(text) &&
           (indentation(text) > 3 || !ends_previous_block(text)) &&
           text.find_first_of("[<") != std::string_view::npos;
  }

  // An empty heading (`#`) or one with only an empty-alt image: find its line in the gap
  // between the text md4c showed before and after it.
  bool locate_without_text(const syntax::HeadingEvent& h, uint32_t cursor, NodeStart& start) {
    uint32_t from = std::max(cursor, lower_bound_line(h));
    uint32_t to = h.seen_after == no_offset ? doc_.lines.line_count()
                                            : doc_.lines.line_of(h.seen_after, from) + 1;
    to = std::min(to, doc_.lines.line_count());
    // The level must match too: in `+` / `-` / `#` the `-` under the list item `+` looks like
    // a setext underline, but md4c's level-1 heading is the `#`.
    for (uint32_t n = from; n < to; ++n) {
      if (size_t opening = atx_opening(line(n)); opening && atx_level(line(n)) == h.level) {
        start.first_line = start.last_line = n;
        set_atx_content(start, opening);
        return true;
      }
      if (n > from && is_setext_underline(line(n)) && setext_level(line(n)) == h.level &&
          can_be_setext_text(line(n - 1))) {
        start.first_line = n - 1;
        start.last_line = n;
        start.setext = true;
        uint32_t line_start = line_begin(n - 1);
        start.content = {line_start, doc_.lines.content_end(n - 1)};
        return true;
      }
    }
    return false;
  }

  void set_atx_content(NodeStart& start, size_t opening) {
    std::string_view text = line(start.first_line);
    auto [from, to] = atx_content(text, opening);
    uint32_t base = line_begin(start.first_line);
    start.content = {base + static_cast<uint32_t>(from), base + static_cast<uint32_t>(to)};
  }

  // Units: a document-level paragraph whose first line is only an attribute list.
  void add_units(std::vector<NodeStart>& starts) {
    std::vector<NodeStart> units;
    std::vector<uint32_t> heading_last_lines;
    for (const auto& s : starts) heading_last_lines.push_back(s.last_line);
    hint_ = 0;
    for (uint32_t offset : outline_.top_paragraphs) {
      uint32_t n = line_at(offset);
      if (!opens_paragraph(n, heading_last_lines)) continue;
      std::string_view text = line(n);
      size_t lead = indentation(text);
      if (lead > 3 || lead >= text.size() || text[lead] != '{') continue;
      size_t end = text.find_last_not_of(" \t") + 1;
      std::string_view marker = text.substr(lead, end - lead);
      Span found = syntax::find_trailing_attribute_list(marker, options_.max_attribute_list_bytes);
      uint32_t base = line_begin(n) + static_cast<uint32_t>(lead);
      if (found.start != 0 || found.end != marker.size()) {
        // `{#u scope=admin` (unclosed, or text after it) opens no unit: fail, not widen.
        if (names_scope(marker)) refuse_unread_list(base, "not a unit marker line");
        continue;
      }
      NodeStart unit;
      unit.first_line = unit.last_line = n;
      unit.kind = NodeKind::unit;
      unit.content = {base, base + static_cast<uint32_t>(marker.size())};
      units.push_back(unit);
    }
    if (units.empty()) return;
    std::vector<NodeStart> merged;
    std::merge(starts.begin(), starts.end(), units.begin(), units.end(), std::back_inserter(merged),
               [](const NodeStart& a, const NodeStart& b) { return a.first_line < b.first_line; });
    starts = std::move(merged);
  }

  // A paragraph's first text may sit on a later line than the paragraph's start (after an
  // empty image, say); a marker must be the paragraph's first line.
  bool opens_paragraph(uint32_t n, const std::vector<uint32_t>& heading_last_lines) const {
    if (n == first_body_line()) return true;
    if (is_blank(line(n - 1))) return true;
    return std::binary_search(heading_last_lines.begin(), heading_last_lines.end(), n - 1);
  }

  void make_nodes(const std::vector<NodeStart>& starts) {
    const uint32_t size = static_cast<uint32_t>(doc_.source.size());
    uint32_t first_start = starts.empty() ? size : line_begin(starts[0].first_line);
    doc_.preamble = {begin_, std::max(begin_, first_start)};
    doc_.nodes.reserve(starts.size());
    for (size_t i = 0; i < starts.size(); ++i) {
      const NodeStart& s = starts[i];
      uint32_t next_line =
          i + 1 < starts.size() ? starts[i + 1].first_line : doc_.lines.line_count();
      Node& node = doc_.nodes.emplace_back(); // filled in place: a Node is large
      node.kind = s.kind;
      node.level = s.level;
      node.setext = s.setext;
      node.heading = {line_begin(s.first_line), doc_.lines.line_end(s.last_line)};
      read_attributes(node, s);
      if (s.kind == NodeKind::heading) node.title = heading_title(s, node.attribute_list);
      uint32_t n = s.last_line + 1;
      while (n < next_line && read_directive(node, n)) ++n;
      uint32_t directives_end = n < doc_.lines.line_count() ? line_begin(n) : size;
      node.directive_block = {node.heading.end, std::max(node.heading.end, directives_end)};
      uint32_t body_end = i + 1 < starts.size() ? line_begin(next_line) : size;
      node.body = {node.directive_block.end, std::max(node.directive_block.end, body_end)};
    }
  }

  /// Text before the first heading (a note without headings, a README that opens with prose)
  /// is content an agent must be able to find: it becomes the document node, titled by the
  /// frontmatter `title`, else the first level-1 heading, else the file name.
  void add_document_node() {
    bool only_generated = std::all_of(doc_.nodes.begin(), doc_.nodes.end(),
                                      [](const Node& n) { return is_generated_id(n.id); });
    if (is_blank_text(doc_.text(doc_.preamble)) && !only_generated) {
      // The document's first heading stands for it: a SKILL.md's or a doc page's `description`
      // is its summary unless it has its own.
      for (auto& n : doc_.nodes)
        if (n.kind == NodeKind::heading) {
          if (n.dense.empty() && n.level == 1) n.dense = doc_.meta.description;
          break;
        }
      return;
    }
    Node node;
    node.kind = NodeKind::document;
    node.heading = node.directive_block = {doc_.preamble.start, doc_.preamble.start};
    node.body = doc_.preamble;
    node.title = doc_.meta.title;
    for (const auto& n : doc_.nodes)
      if (node.title.empty() && n.kind == NodeKind::heading && n.level == 1 &&
          !is_generated_id(n.id))
        node.title = n.title;
    if (node.title.empty()) node.title = graph::file_title(doc_.path);
    node.dense = doc_.meta.description;
    doc_.preamble = {doc_.preamble.start, doc_.preamble.start};
    doc_.nodes.reserve(doc_.nodes.size() + 1); // exactly: insert alone would double it
    doc_.nodes.insert(doc_.nodes.begin(), std::move(node));
  }

  /// `guides/deploy-app.md` is "deploy-app"; an index, README or SKILL file is named by its
  /// folder.
  std::string heading_title(const NodeStart& s, Span attributes) const {
    const auto& heading = outline_.headings[static_cast<size_t>(s.heading)];
    std::string title = attributes.empty() ? heading.text : heading.text_before(attributes.start);
    size_t end = title.find_last_not_of(" \t");
    title.resize(end == std::string::npos ? 0 : end + 1);
    return title;
  }

  // ---- attribute lists ------------------------------------------------------------------------

  void read_attributes(Node& node, const NodeStart& s) {
    // A heading's attribute list is the end of its text, so a text that does not end in `}`
    // has none; checking the (small, hot) text first spares a cache miss into the source.
    if (s.heading >= 0) {
      const std::string& text = outline_.headings[static_cast<size_t>(s.heading)].text;
      size_t last = text.find_last_not_of(" \t");
      if (last == std::string::npos || text[last] != '}') {
        if (names_scope(text)) refuse_unread_list(s.content.start, "no closing `}`");
        return;
      }
    }
    std::string_view content = doc_.text(s.content);
    Span found = syntax::find_trailing_attribute_list(content, options_.max_attribute_list_bytes);
    if (found.empty()) {
      if (names_scope(content)) refuse_unread_list(s.content.start, "not an attribute list");
      return;
    }
    Span absolute{s.content.start + found.start, s.content.start + found.end};
    std::string error;
    uint32_t error_offset = 0;
    auto list = syntax::parse_attribute_list(doc_.text(absolute), error, error_offset);
    if (!list) {
      // A list that may hold a scope and cannot be read fails the document (fail closed).
      bool scoped = names_scope(doc_.text(absolute));
      report(Code::attributes_malformed, scoped ? Severity::error : Severity::warning,
             {absolute.start + error_offset, absolute.start + error_offset + 1},
             fmt::format("malformed attribute list: {}; {}", error,
                         scoped ? "it names a scope, so the document is not served until it reads"
                                : "it is kept as heading text"));
      return;
    }
    node.attribute_list = absolute;
    for (const auto& item : list->items) apply_attribute(node, item, absolute.start + item.offset);
  }

  void refuse_unread_list(uint32_t at, std::string_view why) {
    report(Code::attributes_malformed, Severity::error, {at, at + 1},
           fmt::format("this names `scope=` but is {}; the document is not served until the "
                       "attribute list reads",
                       why));
  }

  void apply_attribute(Node& node, const syntax::AttributeItem& item, uint32_t at) {
    Span span{at, at + 1 + static_cast<uint32_t>(item.key.size())};
    switch (item.kind) {
    case syntax::AttributeItem::id:
      if (node.id_explicit)
        return report(Code::attribute_duplicate, Severity::warning, span,
                      fmt::format("second id `#{}` ignored; the node is `#{}`", item.key, node.id));
      node.id = item.key;
      node.id_explicit = true;
      return;
    case syntax::AttributeItem::class_name:
      if (!node.type.empty()) return node.classes.push_back(item.key);
      node.type = item.key;
      if (!is_known_type(item.key))
        report(Code::type_unknown, Severity::warning, span,
               fmt::format("unknown content type `.{}`; core types are steps, code, warning, "
                           "concept, reference, example, prereq, faq, table, assert, decision "
                           "(extensions start with `x-`)",
                           item.key));
      return;
    case syntax::AttributeItem::key_value:
      break;
    }
    apply_key_value(node, item, span);
  }

  void apply_key_value(Node& node, const syntax::AttributeItem& item, Span span) {
    auto duplicate = [&] {
      report(Code::attribute_duplicate, Severity::warning, span,
             fmt::format("`{}` given twice; the first value is used", item.key));
    };
    if (item.key == "scope") {
      std::vector<std::string> roles = split_list(item.value);
      if (!node.scope.empty() && node.scope != roles)
        return report(Code::attribute_duplicate, Severity::error, span,
                      "`scope` given twice with different roles; write one scope");
      if (roles.empty())
        return report(Code::attributes_malformed, Severity::error, span,
                      "`scope=` names no role; write the roles, or drop it to inherit");
      node.scope = std::move(roles);
    } else if (item.key == "confidence") {
      if (node.confidence) return duplicate();
      double value = 0;
      const char* end = item.value.data() + item.value.size();
      auto [ptr, ec] = std::from_chars(item.value.data(), end, value);
      if (ec != std::errc() || ptr != end || !(value >= 0.0 && value <= 1.0))
        return report(Code::confidence_out_of_range, Severity::error, span,
                      fmt::format("confidence must be a number from 0 to 1, not `{}`", item.value));
      node.confidence = value;
    } else if (item.key == "version") {
      if (node.version) return duplicate();
      uint32_t value = 0;
      const char* end = item.value.data() + item.value.size();
      auto [ptr, ec] = std::from_chars(item.value.data(), end, value);
      if (ec != std::errc() || ptr != end)
        return report(Code::version_invalid, Severity::error, span,
                      fmt::format("version must be a whole number >= 0, not `{}`", item.value));
      node.version = value;
    } else {
      for (const auto& a : node.attributes)
        if (a.key == item.key) return duplicate();
      node.attributes.push_back({item.key, item.value});
    }
  }

  static std::vector<std::string> split_list(std::string_view text) {
    std::vector<std::string> items;
    size_t i = 0;
    while (i < text.size()) {
      size_t end = text.find_first_of(", \t", i);
      if (end == std::string_view::npos) end = text.size();
      if (end > i) items.emplace_back(text.substr(i, end - i));
      i = end + 1;
    }
    return items;
  }

  // ---- directives -----------------------------------------------------------------------------

  /// Reads line n as a directive of `node`; false ends the directive block.
  bool read_directive(Node& node, uint32_t n) {
    std::string_view text = line(n);
    uint32_t start = line_begin(n);
    auto directive = syntax::read_directive_line(text, start);
    if (!directive) return false;
    Span line_span{start, doc_.lines.line_end(n)};
    if (!syntax::is_known_directive(directive->name)) {
      report(Code::directive_unknown, Severity::warning,
             {start, start + 1 + static_cast<uint32_t>(directive->name.size())},
             fmt::format("`:{}` is not a directive (known: {}); the line is text", directive->name,
                         syntax::known_directives()));
      return false;
    }
    apply_directive(node, *directive, line_span);
    node.directives.push_back({directive->name, directive->value, line_span});
    return true;
  }

  void apply_directive(Node& node, const syntax::DirectiveLine& d, Span line_span) {
    Span value_span{d.value_offset, d.value_offset + static_cast<uint32_t>(d.value.size())};
    if (d.value.empty())
      return report(Code::directive_value_invalid, Severity::error,
                    {line_span.start, line_span.start + 1 + static_cast<uint32_t>(d.name.size())},
                    fmt::format("`:{}` needs a value", d.name));
    if (d.name == "dense") {
      if (!node.dense.empty())
        return report(Code::directive_repeated, Severity::warning, value_span,
                      "second `:dense` ignored; a node has one dense summary");
      node.dense = d.value;
    } else if (d.name == "keywords") {
      for (auto& keyword : split_keywords(d.value)) node.keywords.push_back(std::move(keyword));
    } else if (d.name == "made-from" || d.name == "hash") {
      // change tracking: checked by lint once the whole graph is built
    } else if (d.name == "authored") {
      std::string error;
      uint32_t error_offset = 0;
      if (!syntax::parse_attribute_list(d.value, error, error_offset))
        report(Code::directive_value_invalid, Severity::warning, value_span,
               fmt::format("`:authored` records the heading's attribute list as Markdown had it; "
                           "this one does not read ({}), so `og strip` removes the list",
                           error));
    } else if (d.name == "check" || d.name == "retry") {
      if (d.name == "retry" && !valid_retry(d.value))
        report(Code::directive_value_invalid, Severity::error, value_span,
               "`:retry` takes a count and an optional interval: `3` or `3 every 30s`");
    } else {
      read_edges(node, d);
    }
  }

  static std::vector<std::string> split_keywords(std::string_view text) {
    std::vector<std::string> keywords;
    size_t i = 0;
    while (i <= text.size()) {
      size_t end = text.find(',', i);
      if (end == std::string_view::npos) end = text.size();
      std::string_view word = text.substr(i, end - i);
      size_t a = word.find_first_not_of(" \t");
      if (a != std::string_view::npos) {
        size_t b = word.find_last_not_of(" \t");
        keywords.emplace_back(word.substr(a, b - a + 1));
      }
      i = end + 1;
    }
    return keywords;
  }

  static bool valid_retry(std::string_view text) {
    size_t i = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (i == 0) return false;
    if (i == text.size()) return true;
    std::string_view rest = text.substr(i);
    if (rest.substr(0, 7) != " every ") return false;
    rest.remove_prefix(7);
    size_t digits = 0;
    while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits]))) ++digits;
    std::string_view unit = rest.substr(digits);
    return digits > 0 && (unit == "ms" || unit == "s" || unit == "m" || unit == "h");
  }

  void read_edges(Node& node, const syntax::DirectiveLine& d) {
    EdgeKind kind = d.name == "requires"      ? EdgeKind::requires_
                    : d.name == "precedes"    ? EdgeKind::precedes
                    : d.name == "see-also"    ? EdgeKind::see_also
                    : d.name == "contradicts" ? EdgeKind::contradicts
                    : d.name == "escalate"    ? EdgeKind::escalate
                                              : EdgeKind::extension;
    size_t i = 0;
    const std::string& v = d.value;
    while (i < v.size()) {
      size_t end = v.find_first_of(", \t", i);
      if (end == std::string::npos) end = v.size();
      if (end > i) add_edge(node, kind, d, i, end);
      i = end + 1;
    }
  }

  void add_edge(Node& node, EdgeKind kind, const syntax::DirectiveLine& d, size_t from, size_t to) {
    std::string_view text = std::string_view(d.value).substr(from, to - from);
    Span span{d.value_offset + static_cast<uint32_t>(from),
              d.value_offset + static_cast<uint32_t>(to)};
    size_t hash = text.rfind('#');
    if (hash == std::string_view::npos || !syntax::is_valid_name(text.substr(hash + 1)))
      return report(Code::directive_value_invalid, Severity::error, span,
                    fmt::format("`{}` is not an edge target; write `#id` or `path.og#id`", text));
    Edge edge;
    edge.kind = kind;
    edge.name = d.name;
    edge.target.doc = std::string(text.substr(0, hash));
    edge.target.id = std::string(text.substr(hash + 1));
    edge.span = span;
    node.edges.push_back(std::move(edge));
  }

  // ---- ids and hierarchy ----------------------------------------------------------------------

  void assign_ids() {
    doc_.ids.reserve(doc_.nodes.size());
    // Explicit ids first: they are stable names and win over derived ones.
    for (auto& node : doc_.nodes) {
      if (!node.id_explicit) continue;
      doc_.ids.insert(doc_.nodes, static_cast<uint32_t>(&node - doc_.nodes.data()));
    }
    derive_ids();
  }

  void derive_ids() {
    // Slugs are de-duplicated over every heading in document order, nested ones too, as GitHub
    // does, so derived ids equal GitHub's anchors.
    graph::SlugDeduplicator slugs;
    slugs.reserve(outline_.headings.size());
    // A top-level heading with an attribute list counts by its title (the list left out), so
    // `# A`, `# A {.x}`, `# A` are a, a-1, a-2 whether or not transpile added the list.
    std::vector<std::string> heading_slugs;
    size_t next_node = 0;
    for (const auto& h : outline_.headings) {
      const std::string* text = &h.text;
      if (h.top_level) {
        while (next_node < doc_.nodes.size() && doc_.nodes[next_node].kind != NodeKind::heading)
          ++next_node;
        if (next_node < doc_.nodes.size() && !doc_.nodes[next_node].attribute_list.empty())
          text = &doc_.nodes[next_node].title;
        ++next_node;
      }
      // A heading of blanks only is empty (md4c keeps the blanks before a bare CR), as its
      // title is: adding an attribute list must not change its id.
      bool blank = text->find_first_not_of(" \t") == std::string::npos;
      std::string slug = blank ? std::string() : graph::github_slug(*text);
      heading_slugs.push_back(slugs.next(slug.empty() ? "section" : slug));
    }
    std::vector<uint32_t> unit_counts(doc_.nodes.size() + 1, 0);
    int32_t section = -1;
    size_t heading_index = 0;
    for (size_t i = 0; i < doc_.nodes.size(); ++i) {
      Node& node = doc_.nodes[i];
      std::string derived;
      if (node.kind == NodeKind::document) continue; // named last, after every heading
      if (node.kind == NodeKind::heading) {
        section = static_cast<int32_t>(i);
        derived = node_slug(heading_slugs, heading_index);
      } else {
        uint32_t n = ++unit_counts[static_cast<size_t>(section + 1)];
        derived = fmt::format("{}.{}", section < 0 ? "preamble" : doc_.nodes[section].id, n);
      }
      if (node.id_explicit) {
        int32_t holder = doc_.ids.find(doc_.nodes, node.id);
        if (holder == static_cast<int32_t>(i)) continue;
        // Markdown dialects allow a repeated `{#id}` (MkDocs does): the first keeps it, this one
        // gets a free suffix, as a derived id would.
        place_derived(node, i, node.id);
        report(Code::id_duplicate, Severity::warning, node.attribute_list,
               fmt::format(
                   "id `{}` is already used by the node at line {}; this node is `{}`",
                   doc_.nodes[static_cast<size_t>(holder)].id,
                   doc_.lines.position(doc_.nodes[static_cast<size_t>(holder)].heading.start).line,
                   node.id));
        continue;
      }
      place_derived(node, i, std::move(derived));
    }
    if (!doc_.nodes.empty() && doc_.nodes[0].kind == NodeKind::document) name_document_node();
  }

  /// `top` (HTML's name for the start of a page), or the first `top-N` no heading took.
  void name_document_node() {
    Node& node = doc_.nodes[0];
    node.id = "top";
    for (int k = 1; doc_.ids.find(doc_.nodes, node.id) >= 0; ++k)
      node.id = fmt::format("top-{}", k);
    doc_.ids.insert(doc_.nodes, 0);
  }

  // The de-duplicated slug of the next top-level heading (the attribute list not part of it).
  std::string node_slug(const std::vector<std::string>& heading_slugs, size_t& heading_index) {
    while (heading_index < outline_.headings.size() && !outline_.headings[heading_index].top_level)
      ++heading_index;
    std::string slug = heading_index < heading_slugs.size() ? heading_slugs[heading_index] : "";
    ++heading_index;
    return slug.empty() ? "section" : slug;
  }

  void place_derived(Node& node, size_t index, std::string derived) {
    // Suffixes continue where the last collision on this base stopped: N nodes sharing one id
    // cost O(N), not O(N^2).
    node.id = derived;
    if (doc_.ids.insert(doc_.nodes, static_cast<uint32_t>(index)) == index) return;
    std::string id;
    int& k = next_suffix_[derived];
    do id = fmt::format("{}-{}", derived, ++k);
    while (doc_.ids.find(doc_.nodes, id) >= 0);
    if (id != derived && !node.id_explicit)
      report(Code::id_renamed, Severity::warning, node.heading,
             fmt::format("derived id `{}` is taken by an explicit id; this node is `{}`", derived,
                         id));
    node.id = id;
    doc_.ids.insert(doc_.nodes, static_cast<uint32_t>(index));
  }

  void link_hierarchy() {
    std::vector<uint32_t> open; // heading nodes by increasing level
    for (uint32_t i = 0; i < doc_.nodes.size(); ++i) {
      Node& node = doc_.nodes[i];
      if (node.kind == NodeKind::heading)
        while (!open.empty() && doc_.nodes[open.back()].level >= node.level) open.pop_back();
      if (!open.empty()) {
        node.parent = static_cast<int32_t>(open.back());
        doc_.nodes[open.back()].children.push_back(i);
      }
      const std::vector<std::string>& inherited =
          node.parent >= 0 ? doc_.nodes[node.parent].effective_scope : doc_.meta.scope;
      node.effective_scope = node.scope.empty() ? inherited : node.scope;
      if (node.kind == NodeKind::heading) open.push_back(i);
    }
    // Extents: a node reaches to the end of its last descendant.
    for (size_t i = doc_.nodes.size(); i-- > 0;) {
      Node& node = doc_.nodes[i];
      node.extent = {node.heading.start, node.body.end};
      if (!node.children.empty())
        node.extent.end = std::max(node.extent.end, doc_.nodes[node.children.back()].extent.end);
    }
  }

  /// Each link to the node whose heading or own content holds it (nodes and links are both in
  /// source order, so one merge).
  void attach_links() {
    size_t n = 0;
    for (const auto& event : outline_.links) {
      while (n < doc_.nodes.size() && doc_.nodes[n].body.end <= event.at) ++n;
      if (n == doc_.nodes.size()) break;
      Node& node = doc_.nodes[n];
      if (event.at < node.heading.start) continue; // the preamble of a document without its node
      if (auto target = syntax::link_target(event))
        node.links.push_back(
            {std::move(target->doc), std::move(target->anchor), target->wiki, event.at});
    }
  }

  Document& doc_;
  const ParseOptions& options_;
  syntax::Outline outline_;
  uint32_t begin_;
  uint32_t hint_ = 0;
  std::unordered_map<std::string, int> next_suffix_;
};

/// Git's test for binary content: a NUL byte in the first 8,000 bytes. No text format og
/// reads holds one, and serving a binary file as Markdown helps no reader.
bool looks_binary(std::string_view source) {
  return source.substr(0, 8000).find('\0') != std::string_view::npos;
}

} // namespace

Document parse(std::string source, std::string path, const ParseOptions& options) {
  Document doc;
  doc.path = std::move(path);
  doc.source = std::move(source);
  if (doc.source.size() > options.max_input_bytes || doc.source.size() >= UINT32_MAX) {
    doc.diagnostics.push_back({Code::input_too_large,
                               Severity::error,
                               {0, 0},
                               fmt::format("input is {} bytes; the limit is {} bytes",
                                           doc.source.size(), options.max_input_bytes)});
    doc.lines = LineIndex(std::string_view(doc.source).substr(0, 0));
    // The bytes stay in the document (as preamble) so writing it back loses nothing.
    doc.preamble = {0, static_cast<uint32_t>(std::min<size_t>(doc.source.size(), UINT32_MAX))};
    return doc;
  }
  doc.lines = LineIndex(doc.source);
  if (looks_binary(doc.source)) {
    doc.diagnostics.push_back({Code::binary_input,
                               Severity::error,
                               {0, 0},
                               "the file holds NUL bytes: it looks binary and is not read as a "
                               "document"});
    doc.preamble = {0, static_cast<uint32_t>(doc.source.size())};
    return doc;
  }
  for (uint32_t offset : syntax::find_invalid_utf8(doc.source, options.max_utf8_reports))
    doc.diagnostics.push_back({Code::invalid_utf8,
                               Severity::warning,
                               {offset, offset + 1},
                               "invalid UTF-8 byte; the byte is kept as it is"});
  doc.bom = {0, syntax::byte_order_mark_size(doc.source)};
  doc.frontmatter = syntax::read_frontmatter(doc.source, options, doc.meta, doc.diagnostics);
  uint32_t begin = doc.content_start();
  syntax::Outline outline;
  std::vector<uint32_t> overdeep = syntax::find_overdeep_containers(
      doc.source, doc.lines, doc.lines.line_of(begin), options.max_container_depth);
  if (overdeep.empty()) {
    outline = syntax::scan_markdown(doc.source, begin);
  } else {
    // md4c reads a same-length copy, so its text pointers still give our offsets.
    std::string bounded = doc.source;
    syntax::neutralize_markers(bounded, overdeep);
    outline = syntax::scan_markdown(bounded, begin);
    for (uint32_t at : overdeep)
      doc.diagnostics.push_back(
          {Code::limit_exceeded,
           Severity::warning,
           {at, at + 1},
           fmt::format("more than {} nested block quotes and list items open on "
                       "this line; from here on the line is read as text "
                       "(max_container_depth)",
                       options.max_container_depth)});
  }
  Builder(doc, options, std::move(outline), begin).run();
  graph::lint(doc);
  std::stable_sort(
      doc.diagnostics.begin(), doc.diagnostics.end(),
      [](const Diagnostic& a, const Diagnostic& b) { return a.span.start < b.span.start; });
  return doc;
}

} // namespace og
