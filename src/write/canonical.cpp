// The canonical writer behind `og fmt`: attribute lists and directive blocks in canonical order
// and spacing. Content bytes are copied; a node whose og constructs carry an error is copied as
// written, so formatting never drops what the author meant and stays idempotent.
#include <algorithm>
#include <charconv>

#include "og/write.hpp"
#include "syntax/syntax.hpp"

namespace og {

namespace {

std::string format_number(double value) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc() ? std::string(buffer, end) : std::to_string(value);
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? std::string(separator) : "") + items[i];
  return out;
}

std::string canonical_attributes(const Node& node) {
  std::vector<std::string> items;
  if (node.id_explicit) items.push_back("#" + node.id);
  if (!node.type.empty()) items.push_back("." + node.type);
  for (const auto& c : node.classes) items.push_back("." + c);
  if (!node.scope.empty())
    items.push_back("scope=" + syntax::quote_attribute_value(join(node.scope, ",")));
  if (node.confidence) items.push_back("confidence=" + format_number(*node.confidence));
  if (node.version) items.push_back("version=" + std::to_string(*node.version));
  for (const auto& a : node.attributes)
    items.push_back(a.key + "=" + syntax::quote_attribute_value(a.value));
  return "{" + join(items, " ") + "}";
}

/// The value of a directive as `og fmt` writes it.
std::string canonical_value(const Directive& d) {
  std::vector<std::string> items;
  bool listed =
      d.name == "keywords" || (d.name != "dense" && d.name != "check" && d.name != "retry");
  if (!listed) return d.value;
  const char* separators = d.name == "keywords" ? "," : ", \t";
  size_t i = 0;
  while (i <= d.value.size()) {
    size_t end = d.value.find_first_of(separators, i);
    if (end == std::string::npos) end = d.value.size();
    std::string item = d.value.substr(i, end - i);
    size_t a = item.find_first_not_of(" \t");
    if (a != std::string::npos)
      items.push_back(item.substr(a, item.find_last_not_of(" \t") - a + 1));
    i = end + 1;
  }
  return items.empty() ? d.value : join(items, ", ");
}

std::string_view line_ending(std::string_view line) {
  if (line.size() >= 2 && line.substr(line.size() - 2) == "\r\n")
    return line.substr(line.size() - 2);
  if (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
    return line.substr(line.size() - 1);
  return {};
}

class Formatter {
public:
  explicit Formatter(const Document& document) : doc_(document) {}

  std::string run() {
    out_.reserve(doc_.source.size());
    append(doc_.bom);
    append(doc_.frontmatter);
    append(doc_.preamble);
    for (const auto& node : doc_.nodes) {
      bool keep = has_error(node.heading.start, node.directive_block.end);
      keep ? append(node.heading) : heading(node);
      keep ? append(node.directive_block) : directives(node);
      append(node.body);
    }
    return std::move(out_);
  }

private:
  void append(Span span) { out_.append(doc_.text(span)); }

  // parse() sorts diagnostics by position, so this is a binary search plus a short scan.
  bool has_error(uint32_t from, uint32_t to) const {
    auto it = std::lower_bound(doc_.diagnostics.begin(), doc_.diagnostics.end(), from,
                               [](const Diagnostic& d, uint32_t at) { return d.span.start < at; });
    for (; it != doc_.diagnostics.end() && it->span.start < to; ++it)
      if (it->severity == Severity::error) return true;
    return false;
  }

  void heading(const Node& node) {
    Span list = node.attribute_list;
    if (list.empty()) return append(node.heading);
    if (node.kind == NodeKind::unit) { // the marker line is only the list
      out_ += canonical_attributes(node);
      out_ += line_ending(doc_.text(node.heading));
      return;
    }
    // One space between the heading text and the list (none when the list is the whole text).
    uint32_t before = list.start;
    while (before > node.heading.start &&
           (doc_.source[before - 1] == ' ' || doc_.source[before - 1] == '\t'))
      --before;
    append({node.heading.start, before});
    char previous = before > node.heading.start ? doc_.source[before - 1] : '\n';
    if (previous != '\n' && previous != '\r') out_ += ' ';
    out_ += canonical_attributes(node);
    append({list.end, node.heading.end});
  }

  void directives(const Node& node) {
    if (node.directives.empty()) return append(node.directive_block);
    std::vector<const Directive*> sorted;
    for (const auto& d : node.directives) sorted.push_back(&d);
    std::stable_sort(sorted.begin(), sorted.end(), [](const Directive* a, const Directive* b) {
      return syntax::directive_rank(a->name) < syntax::directive_rank(b->name);
    });
    // Line endings stay where they were, so a block ending without a newline still does.
    for (size_t i = 0; i < sorted.size(); ++i) {
      std::string value = canonical_value(*sorted[i]);
      out_ += ":" + sorted[i]->name + (value.empty() ? "" : " " + value);
      out_ += line_ending(doc_.text(node.directives[i].span));
    }
  }

  const Document& doc_;
  std::string out_;
};

} // namespace

std::string format(const Document& document) {
  return Formatter(document).run();
}

} // namespace og
