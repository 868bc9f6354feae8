// og graph: the parsed graph as an outline, as JSON (og.graph/1) or as Graphviz dot.
#include <iostream>

#include "cli.hpp"

namespace og::cli {

namespace {

struct GraphOptions {
  std::string path;
  bool json = false;
  bool dot = false;
  bool lines = false;
};

void print_outline(const Document& doc) {
  std::cout << doc.path << "\n";
  for (const auto& node : doc.nodes) {
    int depth = 0;
    for (int32_t p = node.parent; p >= 0; p = doc.nodes[p].parent) ++depth;
    std::cout << std::string(2 + 2 * depth, ' ');
    std::cout << (node.kind == NodeKind::unit       ? "* "
                  : node.kind == NodeKind::document ? "(document) "
                                                    : std::string(node.level, '#') + " ");
    if (!node.title.empty()) std::cout << node.title << "  ";
    std::cout << "#" << node.id;
    if (!node.type.empty()) std::cout << " ." << node.type;
    if (!node.scope.empty()) {
      std::cout << " scope=";
      for (size_t i = 0; i < node.scope.size(); ++i) std::cout << (i ? "," : "") << node.scope[i];
    }
    for (const auto& edge : node.edges)
      std::cout << "  :" << edge.name << " " << edge.target.text();
    std::cout << "\n";
  }
}

void run_graph(const GraphOptions& options) {
  auto doc = load_document(options.path);
  if (!doc) return;
  if (options.dot)
    std::cout << graph_dot(*doc);
  else if (options.lines)
    std::cout << graph_spec_lines(*doc);
  else if (options.json)
    print_json("og.graph/1", document_json(*doc));
  else
    print_outline(*doc);
  if (doc->has_errors()) raise_exit(exit_findings);
}

} // namespace

void register_graph(CLI::App& app) {
  auto options = std::make_shared<GraphOptions>();
  auto* cmd = app.add_subcommand("graph", "Print a document's graph: nodes, hierarchy and edges.");
  cmd->add_option("path", options->path, "The document (- for stdin)")->required();
  auto* json = cmd->add_flag("--json", options->json,
                             "JSON with byte spans (schema og.graph/1, docs/cli.md)");
  auto* dot =
      cmd->add_flag("--dot", options->dot, "Graphviz dot (pipe into `dot -Tsvg`)")->excludes(json);
  cmd->add_flag(
         "--lines", options->lines,
         "Compact JSON lines: meta, each node's non-default fields, each diagnostic (the form "
         "of the examples in docs/spec.md)")
      ->excludes(json)
      ->excludes(dot);
  cmd->callback([options] { run_graph(*options); });
}

} // namespace og::cli
