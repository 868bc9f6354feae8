// The graph for Graphviz: boxes for nodes, solid hierarchy edges, dashed labelled directives.
#include <fmt/format.h>

#include "og/graph_export.hpp"

namespace og {

namespace {

std::string quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n' || c == '\r') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

} // namespace

std::string graph_dot(const Document& doc) {
  std::string out =
      fmt::format("digraph {} {{\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n",
                  quote(doc.path));
  for (const auto& node : doc.nodes) {
    std::string label = node.title.empty() ? "#" + node.id : node.title;
    if (!node.type.empty()) label += "\n." + node.type;
    out += fmt::format("  {} [label={}{}];\n", quote(node.id), quote(label),
                       node.kind == NodeKind::unit ? ", style=rounded" : "");
  }
  for (const auto& node : doc.nodes) {
    if (node.parent >= 0)
      out += fmt::format("  {} -> {} [color=gray];\n", quote(doc.nodes[node.parent].id),
                         quote(node.id));
    for (const auto& e : node.edges) {
      std::string target = e.target.doc.empty() ? e.target.id : e.target.text();
      out += fmt::format("  {} -> {} [style=dashed, label={}];\n", quote(node.id), quote(target),
                         quote(e.name));
    }
  }
  return out + "}\n";
}

} // namespace og
