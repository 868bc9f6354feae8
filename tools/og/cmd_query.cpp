// og search and og resolve: the two reading primitives from the command line. The MCP server
// calls the same library functions.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "cli.hpp"

namespace og::cli {

namespace {

struct QueryOptions {
  std::vector<std::string> args;
  std::string role;
  std::string encoding = "cl100k_base";
  std::string vocab;
  bool json = false;
  // search
  size_t limit = 10;
  std::vector<std::string> types;
  std::string doc;
  // resolve
  std::string depth = "full";
  std::vector<std::string> follow{"requires"};
  size_t max_tokens = 0;
  std::vector<std::string> known;
};

/// Arguments that name an existing file or directory are documents; the rest are the query
/// words (search) or node ids (resolve).
void split_args(const std::vector<std::string>& args, std::vector<std::string>& paths,
                std::vector<std::string>& rest) {
  for (const auto& arg : args) {
    std::error_code ec;
    (std::filesystem::exists(arg, ec) ? paths : rest).push_back(arg);
  }
}

std::optional<Library> open_library(const std::vector<std::string>& paths,
                                    const QueryOptions& options) {
  Encoding encoding{};
  parse_encoding(options.encoding, &encoding);
  auto tokenizer = load_tokenizer(encoding, options.vocab);
  if (!tokenizer) return std::nullopt;
  Loaded loaded = load_documents(paths, options.json);
  auto library = Library::open(std::move(loaded.documents), *tokenizer);
  if (!library) {
    std::cerr << "og: " << library.error().message << "\n";
    raise_exit(exit_error);
    return std::nullopt;
  }
  report_refused(library.value());
  if (!options.role.empty())
    if (auto unknown = library.value().unknown_role_message(options.role)) {
      std::cerr << "og: --role: " << *unknown << "\n";
      raise_exit(exit_error);
      return std::nullopt;
    }
  return library.value();
}

Caller caller_of(const QueryOptions& options) {
  return options.role.empty() ? Caller{} : Caller{options.role};
}

void run_search(const QueryOptions& options) {
  std::vector<std::string> paths, words;
  split_args(options.args, paths, words);
  if (paths.empty()) {
    std::cerr << "og search: no document or directory among the arguments\n";
    return raise_exit(exit_error);
  }
  auto library = open_library(paths, options);
  if (!library) return;
  SearchRequest request;
  for (const auto& w : words) request.query += (request.query.empty() ? "" : " ") + w;
  request.limit = options.limit;
  request.types = options.types;
  request.doc = options.doc;
  std::vector<IndexEntry> entries = library->search_index(request, caller_of(options));
  if (entries.empty() && !request.query.empty()) raise_exit(exit_findings);
  if (!options.json) {
    for (const auto& e : entries)
      std::cout << (request.query.empty() ? "" : fmt::format("{:7.3f}  ", e.score)) << e.doc << "#"
                << e.line() << "\n";
    return;
  }
  print_json("og.search/1", {{"query", request.query},
                             {"encoding", options.encoding},
                             {"entries", entries_json(entries)}});
}

void run_resolve(const QueryOptions& options) {
  std::vector<std::string> paths, ids;
  split_args(options.args, paths, ids);
  if (paths.empty() || ids.empty()) {
    std::cerr << "og resolve: give documents (files or directories) and node ids\n";
    return raise_exit(exit_error);
  }
  auto library = open_library(paths, options);
  if (!library) return;
  ResolveRequest request;
  request.ids = ids;
  request.depth = options.depth == "dense" ? Depth::dense : Depth::full;
  request.follow = options.follow;
  if (options.max_tokens) request.max_tokens = options.max_tokens;
  request.known = options.known;
  ResolveResult result = library->resolve_context(request, caller_of(options));
  for (const auto& id : result.unknown) std::cerr << "og resolve: no node `" << id << "`\n";
  if (!result.unknown.empty()) raise_exit(exit_findings);
  if (!options.json) {
    for (const auto& node : result.nodes)
      std::cout << "<!-- " << node.doc << "#" << node.id << " · "
                << (node.depth == Depth::full ? "full" : "dense") << " · " << node.why << " · "
                << node.tokens << " tokens -->\n"
                << node.text << (node.text.empty() || node.text.back() == '\n' ? "" : "\n");
    for (const auto& o : result.omitted)
      std::cerr << "omitted " << o.doc << "#" << o.id << " (" << o.reason << ")\n";
    for (const auto& c : result.cycles) std::cerr << "cycle: " << c << "\n";
    std::cerr << result.tokens << " tokens\n";
    return;
  }
  nlohmann::json body = resolve_json(result);
  body["encoding"] = options.encoding;
  print_json("og.resolve/1", std::move(body));
}

void add_common(CLI::App* cmd, QueryOptions& options) {
  cmd->add_option("--role", options.role, "Read as this role (only its scope is visible)");
  add_encoding_options(cmd, options.encoding, options.vocab);
  cmd->add_flag("--json", options.json, "Print JSON (docs/cli.md)");
}

} // namespace

void register_query(CLI::App& app) {
  auto search = std::make_shared<QueryOptions>();
  auto* s = app.add_subcommand("search",
                               "search_index: rank the nodes of documents for a query (BM25 over\n"
                               "title, keywords, dense and body). No query lists the whole index.");
  s->add_option("args", search->args, "Documents or directories, then the query words")->required();
  s->add_option("--limit,-k", search->limit, "At most this many entries (0: all)")
      ->capture_default_str();
  s->add_option("--type", search->types, "Only nodes of these content types");
  s->add_option("--doc", search->doc, "Only nodes of this document");
  add_common(s, *search);
  s->callback([search] { run_search(*search); });

  auto resolve = std::make_shared<QueryOptions>();
  auto* r = app.add_subcommand(
      "resolve", "resolve_context: nodes (id or doc#id) with their :requires closure,\n"
                 "prerequisites first, within an optional token budget.");
  r->add_option("args", resolve->args, "Documents or directories, then node ids")->required();
  r->add_option("--depth", resolve->depth, "dense or full")
      ->check(CLI::IsMember({"dense", "full"}))
      ->capture_default_str();
  r->add_option("--follow", resolve->follow, "Edge kinds to follow (default: requires)");
  r->add_option("--max-tokens", resolve->max_tokens,
                "Token budget for the delivered texts (0: none)");
  r->add_option("--known", resolve->known, "Nodes the caller already holds (omitted)");
  add_common(r, *resolve);
  r->callback([resolve] { run_resolve(*resolve); });
}

} // namespace og::cli
