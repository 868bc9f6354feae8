// HTML through md4c-html. The Markdown handed to md4c is the document with its og constructs
// taken out (frontmatter, attribute lists, marker and directive lines); each node that carried
// any comes back as one metadata block, so og syntax never shows up as stray text.
#include <md4c-html.h>

#include <fmt/format.h>

#include "og/changes.hpp"
#include "og/render.hpp"
#include "syntax/syntax.hpp"

namespace og {

namespace {

unsigned parser_flags(Dialect dialect) {
  return dialect == Dialect::github ? MD_DIALECT_GITHUB : MD_DIALECT_COMMONMARK;
}

void collect_output(const MD_CHAR* text, MD_SIZE size, void* userdata) {
  static_cast<std::string*>(userdata)->append(text, size);
}

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\n':
    case '\r':
      out += ' ';
      break; // the block must stay on one line
    default:
      out += c;
    }
  }
  return out;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

bool has_metadata(const Node& node) {
  return !node.attribute_list.empty() || !node.directives.empty() || node.kind == NodeKind::unit;
}

void append_badges(std::string& out, const Node& node) {
  out += "<p class=\"og-attributes\">";
  out += fmt::format("<code class=\"og-id\">#{}</code>", escape(node.id));
  if (!node.type.empty())
    out += fmt::format(" <span class=\"og-type\">{}</span>", escape(node.type));
  if (!node.scope.empty())
    out += fmt::format(" <span class=\"og-scope\">scope: {}</span>", escape(join(node.scope)));
  if (node.confidence)
    out += fmt::format(" <span class=\"og-confidence\">confidence: {}</span>", *node.confidence);
  if (node.version)
    out += fmt::format(" <span class=\"og-version\">version: {}</span>", *node.version);
  for (const auto& a : node.attributes)
    out +=
        fmt::format(" <span class=\"og-attribute\">{}: {}</span>", escape(a.key), escape(a.value));
  out += "</p>";
}

/// One line of HTML (an HTML block for md4c), followed by a blank line that closes it.
std::string metadata_block(const Node& node) {
  std::string out = fmt::format("<div class=\"og-node\" id=\"{}\"", escape(node.id));
  if (!node.type.empty()) out += fmt::format(" data-og-type=\"{}\"", escape(node.type));
  if (!node.scope.empty()) out += fmt::format(" data-og-scope=\"{}\"", escape(join(node.scope)));
  out += ">";
  append_badges(out, node);
  if (!node.dense.empty()) out += fmt::format("<p class=\"og-dense\">{}</p>", escape(node.dense));
  if (!node.keywords.empty())
    out += fmt::format("<p class=\"og-keywords\">keywords: {}</p>", escape(join(node.keywords)));
  if (!node.edges.empty()) {
    out += "<ul class=\"og-edges\">";
    for (const auto& e : node.edges) {
      std::string href =
          e.target.doc.empty() ? "#" + e.target.id : e.target.doc + "#" + e.target.id;
      out += fmt::format("<li class=\"og-edge og-{}\">{} <a href=\"{}\">{}</a></li>",
                         escape(e.name), escape(e.name), escape(href), escape(e.target.text()));
    }
    out += "</ul>";
  }
  std::string checks;
  for (const auto& d : node.directives)
    if (d.name == "check" || d.name == "retry")
      checks += fmt::format("<li class=\"og-{}\">{} <code>{}</code></li>", d.name, d.name,
                            escape(d.value));
  if (!checks.empty()) out += "<ul class=\"og-checks\">" + checks + "</ul>";
  return out + "</div>\n\n";
}

std::string frontmatter_table(const Document& document) {
  std::string out = "<table class=\"og-frontmatter\">\n";
  for (const auto& [key, value] : document.meta.fields)
    out += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", escape(key), escape(value));
  return out + "</table>\n";
}

/// The document's Markdown with og constructs replaced by metadata blocks (or dropped).
std::string display_markdown(const Document& doc, bool metadata) {
  std::string out;
  out.reserve(doc.source.size() + 256);
  out.append(doc.text(doc.preamble));
  uint32_t skip_until = 0; // without metadata, generated nodes (__index, __changelog) go too
  for (const auto& node : doc.nodes) {
    if (node.heading.start < skip_until) continue;
    if (!metadata && is_generated_id(node.id)) {
      skip_until = node.extent.end;
      continue;
    }
    if (node.kind == NodeKind::heading) {
      Span list = node.attribute_list;
      if (list.empty()) {
        out.append(doc.text(node.heading));
      } else {
        uint32_t before = list.start;
        while (before > node.heading.start &&
               (doc.source[before - 1] == ' ' || doc.source[before - 1] == '\t'))
          --before;
        out.append(doc.text({node.heading.start, before}));
        out.append(doc.text({list.end, node.heading.end}));
      }
    }
    if (metadata && has_metadata(node)) {
      if (!out.empty() && out.back() != '\n' && out.back() != '\r') out += '\n';
      out += metadata_block(node);
    }
    out.append(doc.text(node.body));
  }
  return out;
}

} // namespace

std::string render_markdown_html(std::string_view markdown, Dialect dialect) {
  // A byte order mark is not content (cmark drops it; md4c would make it text of line 1).
  if (markdown.starts_with("\xEF\xBB\xBF")) markdown.remove_prefix(3);
  std::string html;
  html.reserve(markdown.size() + markdown.size() / 4);
  md_html(markdown.data(), static_cast<MD_SIZE>(markdown.size()), collect_output, &html,
          parser_flags(dialect), 0);
  return html;
}

std::string render_html(const Document& document, const RenderOptions& options) {
  std::string html;
  if (options.metadata && document.meta.present) html += frontmatter_table(document);
  std::string markdown = display_markdown(document, options.metadata);
  syntax::neutralize_markers(markdown,
                             syntax::find_overdeep_containers(markdown, LineIndex(markdown), 0,
                                                              options.max_container_depth));
  html += render_markdown_html(markdown, options.dialect);
  return html;
}

} // namespace og
