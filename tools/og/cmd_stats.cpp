// og stats: sizes per node and per file, in bytes and in exact tokens of the views the reading
// primitives deliver (index line, dense, full) plus the whole subtree.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "cli.hpp"

namespace og::cli {

namespace {

struct StatsOptions {
  std::vector<std::string> paths;
  std::string encoding = "cl100k_base";
  std::string vocab;
  bool no_tokens = false;
  bool json = false;
  bool files_only = false;
};

struct NodeTokens {
  size_t index = 0, dense = 0, full = 0, subtree = 0;
};

void run_stats(const StatsOptions& options) {
  std::optional<Tokenizer> tokenizer;
  if (!options.no_tokens) {
    Encoding encoding{};
    parse_encoding(options.encoding, &encoding);
    tokenizer = load_tokenizer(encoding, options.vocab);
    if (!tokenizer) return;
  }
  auto count = [&](std::string_view text) { return tokenizer ? tokenizer->count(text) : 0; };
  Loaded loaded = load_documents(options.paths, options.json);
  nlohmann::json files = nlohmann::json::array();
  size_t total_bytes = 0, total_nodes = 0, total_tokens = 0;
  for (const Document& doc : loaded.documents) {
    size_t file_tokens = count(doc.source);
    total_bytes += doc.source.size();
    total_nodes += doc.nodes.size();
    total_tokens += file_tokens;
    nlohmann::json nodes = nlohmann::json::array();
    size_t id_width = 2, type_width = 4;
    if (!options.json) {
      std::cout << fmt::format("{}  {}{}, {}\n", doc.path, count_of(doc.source.size(), "byte"),
                               tokenizer ? ", " + count_of(file_tokens, "token") : "",
                               count_of(doc.nodes.size(), "node"));
      // Columns as wide as the longest id and type, so long ids do not push the numbers out.
      for (const auto& node : doc.nodes) {
        id_width = std::max(id_width, node.id.size());
        type_width = std::max(type_width, node.type.size());
      }
      if (!options.files_only)
        std::cout << fmt::format(
            "  {:<{}} {:<{}} {:>8} {:>8}{}\n", "id", id_width, "type", type_width, "own B",
            "tree B",
            tokenizer ? fmt::format(" {:>7} {:>7} {:>7} {:>7}", "index", "dense", "full", "subtree")
                      : "");
    }
    for (const auto& node : doc.nodes) {
      uint32_t own = node.heading.size() + node.directive_block.size() + node.body.size();
      NodeTokens t{count(index_line(doc, node)), count(dense_view(doc, node)),
                   count(full_view(doc, node)), count(doc.text(node.extent))};
      if (options.json) {
        nlohmann::json entry = {{"id", node.id},
                                {"type", node.type},
                                {"bytes",
                                 {{"heading", node.heading.size()},
                                  {"directives", node.directive_block.size()},
                                  {"body", node.body.size()},
                                  {"own", own},
                                  {"extent", node.extent.size()}}}};
        if (tokenizer)
          entry["tokens"] = {
              {"index", t.index}, {"dense", t.dense}, {"full", t.full}, {"subtree", t.subtree}};
        nodes.push_back(entry);
      } else if (!options.files_only) {
        std::cout << fmt::format(
            "  {:<{}} {:<{}} {:>8} {:>8}{}\n", node.id, id_width, node.type, type_width, own,
            node.extent.size(),
            tokenizer ? fmt::format(" {:>7} {:>7} {:>7} {:>7}", t.index, t.dense, t.full, t.subtree)
                      : "");
      }
    }
    if (options.json) {
      nlohmann::json file = {{"path", doc.path}, {"bytes", doc.source.size()}, {"nodes", nodes}};
      if (tokenizer) file["tokens"] = file_tokens;
      files.push_back(file);
    }
  }
  if (options.json) {
    nlohmann::json total = {
        {"files", loaded.documents.size()}, {"bytes", total_bytes}, {"nodes", total_nodes}};
    nlohmann::json body = {{"files", files}, {"total", total}};
    if (tokenizer) {
      body["encoding"] = options.encoding;
      body["total"]["tokens"] = total_tokens;
    }
    print_json("og.stats/1", body);
    return;
  }
  std::cout << fmt::format(
      "total: {}, {}{}, {}\n", count_of(loaded.documents.size(), "file"),
      count_of(total_bytes, "byte"),
      tokenizer ? fmt::format(", {} ({})", count_of(total_tokens, "token"), options.encoding) : "",
      count_of(total_nodes, "node"));
}

} // namespace

void register_stats(CLI::App& app) {
  auto options = std::make_shared<StatsOptions>();
  auto* cmd = app.add_subcommand(
      "stats",
      "Sizes per node and per file: bytes, and exact tokens of each node's index entry,\n"
      "dense view, full text (its own heading, directives and body) and subtree (through its\n"
      "last descendant) — the views search and resolve deliver.");
  cmd->add_option("paths", options->paths, "Files or directories")->required();
  add_encoding_options(cmd, options->encoding, options->vocab);
  cmd->add_flag("--no-tokens", options->no_tokens, "Bytes only (no vocabulary needed)");
  cmd->add_flag("--json", options->json, "Print JSON (schema og.stats/1)");
  cmd->add_flag("--files", options->files_only, "One line per file, no per-node table");
  cmd->callback([options] { run_stats(*options); });
}

} // namespace og::cli
