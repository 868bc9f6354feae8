// og show: the reading passes by hand. FILE lists the index; FILE#ID prints one node's dense
// summary or its full text (heading through its last descendant).
#include <fmt/format.h>

#include <iostream>

#include "cli.hpp"

namespace og::cli {

namespace {

struct ShowOptions {
  std::string target;
  std::string depth = "full";
  bool json = false;
};

void print_index(const Document& doc, bool json) {
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& node : doc.nodes) {
    if (json) {
      entries.push_back({{"id", node.id},
                         {"title", node.title},
                         {"type", node.type},
                         {"level", node.level},
                         {"dense", dense_view(doc, node)},
                         {"keywords", node.keywords}});
      continue;
    }
    size_t depth = 0;
    for (int32_t p = node.parent; p >= 0; p = doc.nodes[p].parent) ++depth;
    std::cout << std::string(2 * depth, ' ') << index_line(doc, node) << "\n";
  }
  if (json) print_json("og.index/1", {{"path", doc.path}, {"entries", entries}});
}

void run_show(const ShowOptions& options) {
  size_t hash = options.target.rfind('#');
  std::string path = options.target.substr(0, hash);
  auto doc = load_document(path);
  if (!doc) return;
  if (hash == std::string::npos) return print_index(*doc, options.json);
  std::string id = options.target.substr(hash + 1);
  const Node* node = doc->find(id);
  if (!node) {
    std::cerr << fmt::format("og: {} has no node `#{}` (og show {} lists the ids)\n", path, id,
                             path);
    return raise_exit(exit_error);
  }
  std::string text = options.depth == "dense"  ? dense_view(*doc, *node)
                     : options.depth == "full" ? full_view(*doc, *node)
                                               : std::string(doc->text(node->extent));
  if (options.json) {
    print_json("og.node/1",
               {{"path", path}, {"id", node->id}, {"depth", options.depth}, {"text", text}});
    return;
  }
  if (options.depth == "dense" && text.empty()) text = "(this node has no text to summarize)";
  std::cout << text << (text.empty() || text.back() == '\n' ? "" : "\n");
}

} // namespace

void register_show(CLI::App& app) {
  auto options = std::make_shared<ShowOptions>();
  auto* cmd = app.add_subcommand("show", "Show a document's index (FILE) or one node (FILE#ID).");
  cmd->add_option("target", options->target, "FILE or FILE#ID")->required();
  cmd->add_option(
         "--depth", options->depth,
         "dense: the summary (:dense or the first sentence); full: the node's own text, as\n"
         "resolve delivers it; subtree: the node through its last descendant")
      ->check(CLI::IsMember({"dense", "full", "subtree"}))
      ->capture_default_str();
  cmd->add_flag("--json", options->json, "Print JSON (schemas og.index/1 and og.node/1)");
  cmd->callback([options] { run_show(*options); });
}

} // namespace og::cli
