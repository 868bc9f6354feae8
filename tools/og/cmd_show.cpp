// og show: the reading passes by hand. DIR lists its documents, FILE the index; FILE#ID prints
// one node's dense summary, its full text or its subtree.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "cli.hpp"

namespace og::cli {

namespace {

struct ShowOptions {
  std::string target;
  std::string depth = "full";
  bool json = false;
};

/// The nodes an agent can read: `__index` and `__changelog` are generated, not content.
void print_index(const Document& doc, bool json) {
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& node : doc.nodes) {
    if (is_generated_id(node.id)) continue;
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

/// `og show DIR`: the documents a walk finds, one line each (path, node count, title).
void print_documents(const std::string& dir, bool json) {
  Loaded loaded = load_documents({dir}, json);
  nlohmann::json list = nlohmann::json::array();
  for (const Document& doc : loaded.documents) {
    size_t nodes = 0;
    for (const auto& node : doc.nodes) nodes += !is_generated_id(node.id);
    std::string title = !doc.meta.title.empty() ? doc.meta.title
                        : doc.nodes.empty()     ? std::string()
                                                : doc.nodes.front().title;
    if (json)
      list.push_back({{"path", doc.path}, {"nodes", nodes}, {"title", title}});
    else
      std::cout << fmt::format("{}  {}{}\n", doc.path, count_of(nodes, "node"),
                               title.empty() ? "" : "  " + title);
  }
  if (json) print_json("og.documents/1", {{"path", dir}, {"documents", list}});
  if (!json && loaded.documents.empty()) std::cerr << "og show: no documents in " << dir << "\n";
}

void run_show(const ShowOptions& options) {
  size_t hash = options.target.rfind('#');
  std::string path = options.target.substr(0, hash);
  std::error_code ec;
  if (hash == std::string::npos && std::filesystem::is_directory(path, ec))
    return print_documents(path, options.json);
  auto doc = load_document(path);
  if (!doc) return;
  if (hash == std::string::npos) return print_index(*doc, options.json);
  std::string id = options.target.substr(hash + 1);
  const Node* node = doc->find(id);
  if (!node) {
    std::vector<std::string> ids;
    for (const auto& n : doc->nodes)
      if (!is_generated_id(n.id)) ids.push_back(n.id);
    auto near = closest_name(id, ids);
    std::cerr << fmt::format("og: {} has no node `#{}`{} (og show {} lists the ids)\n", path, id,
                             near ? "; did you mean `#" + *near + "`?" : "", path);
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
  auto* cmd = app.add_subcommand(
      "show", "Show a folder's documents (DIR), a document's index (FILE) or one node (FILE#ID).");
  cmd->add_option("target", options->target, "DIR, FILE or FILE#ID")->required();
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
