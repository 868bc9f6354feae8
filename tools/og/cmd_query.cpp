// og search and og resolve: the two reading primitives from the command line. The MCP server
// calls the same library functions.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "cli.hpp"

namespace og::cli {

namespace {

struct QueryOptions {
  std::vector<std::string> args;
  std::string query; ///< -q: the whole query, so no argument is taken for a path
  std::string role;
  std::string encoding = "cl100k_base";
  std::string vocab;
  std::string index;     ///< --index DIR
  bool use_index = true; ///< --no-index
  bool json = false;
  // search
  size_t limit = 10;
  std::vector<std::string> types;
  std::string doc;
  bool group = true;      ///< --no-group
  bool documents = false; ///< --documents: one entry per document
  // resolve
  std::string depth = "full";
  std::vector<std::string> follow{"requires"};
  size_t max_tokens = 0;
  std::vector<std::string> known;
};

/// A bare word such as `rfcs`: no `/`, not `.`, not a document file name. Read as a path only
/// because a file or folder of that name exists here, so the user is told.
bool looks_like_a_word(const std::string& arg) {
  return arg.find('/') == std::string::npos && arg != "." && arg != ".." && arg != "-" &&
         !is_document_name(arg);
}

/// Documents, then query words (search) or node ids (resolve). After `--` or with -q, the
/// arguments are all paths; otherwise an argument that names an existing file or directory is
/// a path, and a word taken for one (not the first argument) is said on stderr.
void split_args(const std::string& command, const std::vector<std::string>& args,
                bool explicit_rest, std::vector<std::string>& paths,
                std::vector<std::string>& rest) {
  if (explicit_rest || separator_given) {
    paths = args;
    rest.insert(rest.end(), after_separator.begin(), after_separator.end());
    return;
  }
  for (size_t i = 0; i < args.size(); ++i) {
    std::error_code ec;
    bool exists = std::filesystem::exists(args[i], ec);
    (exists ? paths : rest).push_back(args[i]);
    if (exists && i > 0 && looks_like_a_word(args[i]))
      std::cerr << fmt::format("og {}: `{}` exists here, so it is read as a path; to use it as a "
                               "{}, write it after `--` (og {} {} -- {})\n",
                               command, args[i], command == "search" ? "query word" : "node id",
                               command, args[0], args[i]);
  }
}

std::optional<Library> open_library(const std::vector<std::string>& paths,
                                    const QueryOptions& options) {
  Encoding encoding{};
  parse_encoding(options.encoding, &encoding);
  auto tokenizer = load_tokenizer(encoding, options.vocab);
  if (!tokenizer) return std::nullopt;
  std::optional<Result<Library>> indexed;
  if (options.use_index) indexed = indexed_library(paths, options.index, *tokenizer);
  if (indexed && !indexed->ok()) {
    std::cerr << "og: " << indexed->error().message << "\n";
    raise_exit(exit_error);
    return std::nullopt;
  }
  auto library = indexed ? std::move(*indexed) : [&] {
    Loaded loaded = load_documents(paths, options.json);
    return Library::open(std::move(loaded.documents), *tokenizer);
  }();
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

/// Each --type must be one the library knows (Library::known_types); else the known ones and
/// the closest are said.
bool types_known(const Library& library, const std::vector<std::string>& types,
                 const Caller& caller) {
  if (types.empty()) return true; // known types walk every node
  std::vector<std::string> known = library.known_types(caller);
  for (const auto& type : types) {
    if (std::find(known.begin(), known.end(), type) != known.end()) continue;
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    auto near = closest_name(type, known);
    std::cerr << fmt::format("og search: --type `{}` is not a content type{} (known: {})\n", type,
                             near ? "; did you mean `" + *near + "`?" : "", list);
    raise_exit(exit_error);
    return false;
  }
  return true;
}

Caller caller_of(const QueryOptions& options) {
  return options.role.empty() ? Caller{} : Caller{options.role};
}

void run_search(const QueryOptions& options) {
  std::vector<std::string> paths, words;
  if (!options.query.empty()) words.push_back(options.query);
  split_args("search", options.args, !options.query.empty(), paths, words);
  if (paths.empty()) {
    std::cerr << "og search: no document or directory among the arguments "
                 "(og search PATH… [--] QUERY…)\n";
    return raise_exit(exit_error);
  }
  auto library = open_library(paths, options);
  if (!library || !types_known(*library, options.types, caller_of(options))) return;
  SearchRequest request;
  for (const auto& w : words) request.query += (request.query.empty() ? "" : " ") + w;
  request.limit = options.limit;
  request.types = options.types;
  request.doc = options.doc;
  request.group_by_document = options.group;
  request.one_per_document = options.documents;
  std::vector<IndexEntry> entries = library->search_index(request, caller_of(options));
  if (entries.empty() && !request.query.empty()) {
    std::cerr << "og search: no matches for `" << request.query << "`\n";
    raise_exit(exit_findings);
  }
  if (!options.json) {
    std::cout << entries_text(entries, !request.query.empty());
    return;
  }
  print_json("og.search/1", {{"query", request.query},
                             {"encoding", options.encoding},
                             {"entries", entries_json(entries)}});
}

void run_resolve(const QueryOptions& options) {
  std::vector<std::string> paths, ids;
  split_args("resolve", options.args, false, paths, ids);
  if (paths.empty() || ids.empty()) {
    std::cerr << "og resolve: give documents (files or directories) and node ids "
                 "(og resolve PATH… [--] ID…)\n";
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
  if (!result.unknown.empty()) raise_exit(exit_findings);
  if (!options.json) {
    std::cout << nodes_text(result.nodes);
    std::cerr << resolve_notes_text(result);
    return;
  }
  nlohmann::json body = resolve_json(result);
  body["encoding"] = options.encoding;
  print_json("og.resolve/1", std::move(body));
}

void add_common(CLI::App* cmd, QueryOptions& options) {
  cmd->add_option("--role", options.role, "Read as this role (only its scope is visible)");
  add_encoding_options(cmd, options.encoding, options.vocab);
  auto* index = cmd->add_option("--index", options.index,
                                "Read (and update) this index (default: og index's for these "
                                "paths, when there is one)");
  cmd->add_flag("!--no-index", options.use_index, "Read the files, not an index")->excludes(index);
  cmd->add_flag("--json", options.json, "Print JSON (docs/cli.md)");
}

} // namespace

void register_query(CLI::App& app) {
  auto search = std::make_shared<QueryOptions>();
  auto* s = app.add_subcommand("search",
                               "search_index: rank the nodes of documents for a query (BM25 over\n"
                               "title, keywords, dense and body). No query lists the whole index.");
  s->add_option("args", search->args,
                "Documents or directories, then the query words (after `--`, every word is "
                "query)");
  s->add_option("-q,--query", search->query, "The query; then every argument is a path");
  s->add_option("--limit,-k", search->limit, "At most this many entries (0: all)")
      ->capture_default_str();
  s->add_option("--type", search->types,
                "Only nodes of this content type (repeat, or comma-separated: steps,warning)")
      ->allow_extra_args(false)
      ->delimiter(',');
  s->add_option("--doc", search->doc, "Only nodes of this document");
  s->add_flag("!--no-group", search->group,
              "Rank nodes alone (default: grouped by document, the best document first)");
  s->add_flag("--documents", search->documents,
              "One entry per document: its best node, or with no query the node that stands for "
              "it (a folder of skills at a line each)");
  add_common(s, *search);
  s->callback([search] { run_search(*search); });

  auto resolve = std::make_shared<QueryOptions>();
  auto* r = app.add_subcommand(
      "resolve", "resolve_context: nodes (id or doc#id) with their :requires closure,\n"
                 "prerequisites first, within an optional token budget.");
  r->add_option("args", resolve->args,
                "Documents or directories, then node ids (after `--`, every argument is an id)");
  r->add_option("--depth", resolve->depth, "dense or full")
      ->check(CLI::IsMember({"dense", "full"}))
      ->capture_default_str();
  r->add_option("--follow", resolve->follow,
                "Edge kind to follow, or `links` for the nodes' Markdown links, one hop "
                "(repeat, or comma-separated; default: requires)")
      ->allow_extra_args(false)
      ->delimiter(',');
  r->add_option("--max-tokens", resolve->max_tokens,
                "Token budget for the delivered texts (0: none)");
  r->add_option("--known", resolve->known,
                "A node the caller already holds, omitted (repeat, or comma-separated)")
      ->allow_extra_args(false)
      ->delimiter(',');
  add_common(r, *resolve);
  r->callback([resolve] { run_resolve(*resolve); });
}

} // namespace og::cli
