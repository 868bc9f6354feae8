// og stats: sizes per node and per file.
#include <fmt/format.h>

#include <iostream>

#include "cli.hpp"

namespace og::cli {

namespace {

struct StatsOptions {
  std::vector<std::string> paths;
  bool json = false;
  bool files_only = false;
};

void run_stats(const StatsOptions& options) {
  Loaded loaded = load_documents(options.paths, options.json);
  nlohmann::json files = nlohmann::json::array();
  size_t total_bytes = 0, total_nodes = 0;
  for (const Document& doc : loaded.documents) {
    total_bytes += doc.source.size();
    total_nodes += doc.nodes.size();
    nlohmann::json nodes = nlohmann::json::array();
    if (!options.json) {
      std::cout << fmt::format("{}  {} bytes, {} nodes\n", doc.path, doc.source.size(), doc.nodes.size());
      if (!options.files_only)
        std::cout << fmt::format("  {:<40} {:<10} {:>8} {:>8} {:>8}\n", "id", "type", "heading", "body",
                                 "extent");
    }
    for (const auto& node : doc.nodes) {
      uint32_t own = node.heading.size() + node.directive_block.size() + node.body.size();
      if (options.json) {
        nodes.push_back({{"id", node.id}, {"type", node.type}, {"bytes", {{"heading", node.heading.size()},
                        {"directives", node.directive_block.size()}, {"body", node.body.size()},
                        {"own", own}, {"extent", node.extent.size()}}}});
      } else if (!options.files_only) {
        std::cout << fmt::format("  {:<40} {:<10} {:>8} {:>8} {:>8}\n", node.id, node.type,
                                 node.heading.size(), node.body.size(), node.extent.size());
      }
    }
    if (options.json)
      files.push_back({{"path", doc.path}, {"bytes", doc.source.size()}, {"nodes", nodes}});
  }
  if (options.json) {
    print_json("og.stats/1", {{"files", files}, {"total", {{"files", loaded.documents.size()},
                              {"bytes", total_bytes}, {"nodes", total_nodes}}}});
    return;
  }
  std::cout << fmt::format("total: {} files, {} bytes, {} nodes\n", loaded.documents.size(),
                           total_bytes, total_nodes);
}

} // namespace

void register_stats(CLI::App& app) {
  auto options = std::make_shared<StatsOptions>();
  auto* cmd = app.add_subcommand("stats", "Sizes per node and per file (bytes; tokens come with the tokenizer).");
  cmd->add_option("paths", options->paths, "Files or directories")->required();
  cmd->add_flag("--json", options->json, "Print JSON (schema og.stats/1)");
  cmd->add_flag("--files", options->files_only, "One line per file, no per-node table");
  cmd->callback([options] { run_stats(*options); });
}

} // namespace og::cli
