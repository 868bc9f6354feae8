// og serve: the MCP server over stdio or Streamable HTTP, with hot reload.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <mutex>
#include <thread>

#ifdef OG_MIMALLOC
#include <mimalloc.h>
#else
#include <malloc.h>
#endif

#include "cli.hpp"
#include "og/serve.hpp"

namespace og::cli {

namespace {

/// During the first load, pages it frees go back to the system at once; afterwards, after
/// the allocator's usual delay. A first load frees about a quarter of what it allocates (the
/// index's records once moved into documents, the walk's lists, the workers' buffers), and
/// mimalloc returns delayed pages only when it next allocates, which an idle server does
/// not: they stayed in RSS while it waited (docs/benchmarks.md). Serving keeps the delay,
/// which spares a system call per freed page under load.
void return_freed_pages_at_once(bool at_once) {
#ifdef OG_MIMALLOC
  static const long by_default = mi_option_get(mi_option_decommit_delay);
  mi_option_set(mi_option_decommit_delay, at_once ? 0 : by_default);
#else
  if (!at_once) malloc_trim(0);
#endif
}

struct ServeOptions {
  std::vector<std::string> paths;
  bool stdio = false;
  std::string http;
  std::string role;
  std::string tokens_path;
  std::vector<std::string> origins;
  std::string port_file;
  bool watch = true;
  bool follow_links = false;
  std::string index;     ///< --index DIR; empty: the default location
  bool use_index = true; ///< --no-index: search an in-memory index, write nothing
  ServeLimits limits;
  std::string vocab;
};

std::atomic<bool> stop_requested{false};
std::atomic<bool> http_mode{false};

void on_signal(int) {
  if (!http_mode) _exit(0); // stdio: every reply is already flushed
  stop_requested = true;
}

/// Structured logs: one JSON object per line on stderr (stdout belongs to the protocol).
void log_line(const std::string& level, const std::string& message) {
  static std::mutex mutex;
  std::time_t now = std::time(nullptr);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  std::lock_guard<std::mutex> lock(mutex);
  std::cerr << nlohmann::json{{"ts", stamp}, {"level", level}, {"msg", message}}.dump() << "\n";
}

bool is_loopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1";
}

/// Every role named by --role or the token file must be declared by a served document: a
/// typo would otherwise serve only unscoped nodes, silently. An empty tree is let through
/// with a warning (its documents come later).
bool check_roles(const Library& served, const ServeOptions& options, const HttpOptions& http) {
  std::vector<std::pair<std::string, std::string>> named; // role, where it was named
  if (!options.role.empty()) named.emplace_back(options.role, "--role");
  for (const auto& [digest, role] : http.tokens)
    if (!role.empty()) named.emplace_back(role, "--tokens " + options.tokens_path);
  bool ok = true;
  for (const auto& [role, where] : named) {
    auto unknown = served.unknown_role_message(role);
    if (!unknown) continue;
    if (served.prepared().empty()) {
      log_line("warn", fmt::format("{}: {} yet", where, *unknown));
      continue;
    }
    std::cerr << "og serve: " << where << ": " << *unknown << "\n";
    ok = false;
  }
  return ok;
}

/// The documents to serve: the tree with its index (the default location, --index, or none
/// with --no-index), or with --index and no paths the index alone (a replica, read-only). When
/// another og process writes the tree's index, this one follows that process's commits.
/// A tree's store comes back before its first load (DocumentStore::open_deferred): og serve
/// answers `initialize` at once, and what needs the documents waits for them.
Result<std::shared_ptr<DocumentStore>> open_store(const ServeOptions& options,
                                                  const Tokenizer& tokenizer,
                                                  const std::function<void(std::string)>& log) {
  WalkOptions walk{options.follow_links};
  if (options.paths.empty()) {
    auto index = CorpusIndex::open(options.index, CorpusIndex::Access::read, Encoding::cl100k_base);
    if (!index) return Error{"--index: " + index.error().message};
    return DocumentStore::follow(std::move(index.value()), tokenizer, log);
  }
  std::optional<CorpusIndex> index;
  if (options.use_index) {
    auto opened = open_index_for(options.paths, options.index, options.follow_links,
                                 Encoding::cl100k_base, log);
    if (opened) {
      index = std::move(opened.value());
    } else {
      std::string dir =
          index_dir_for(options.paths, options.index, options.follow_links, Encoding::cl100k_base);
      auto reader = CorpusIndex::open(dir, CorpusIndex::Access::read, Encoding::cl100k_base);
      if (reader && reader.value().locked()) {
        log(opened.error().message + "; following its commits");
        return DocumentStore::follow(std::move(reader.value()), tokenizer, log);
      }
      if (!options.index.empty()) return Error{"--index: " + opened.error().message};
      log(opened.error().message + "; serving from an in-memory index");
    }
  }
  return DocumentStore::open_deferred(options.paths, tokenizer, log, walk, std::move(index));
}

void run_serve(const ServeOptions& options) {
  auto tokenizer = load_tokenizer(Encoding::cl100k_base, options.vocab);
  if (!tokenizer) return;
  HttpOptions http;
  if (!options.http.empty()) {
    size_t colon = options.http.rfind(':');
    if (colon == std::string::npos) {
      std::cerr << "og serve: --http takes HOST:PORT (e.g. 127.0.0.1:8765; port 0 picks one)\n";
      return raise_exit(exit_error);
    }
    http.host = options.http.substr(0, colon);
    try {
      http.port = std::stoi(options.http.substr(colon + 1));
    } catch (const std::exception&) {
      std::cerr << "og serve: --http: `" << options.http.substr(colon + 1) << "` is not a port\n";
      return raise_exit(exit_error);
    }
    if (!options.tokens_path.empty()) {
      auto tokens = read_token_file(options.tokens_path);
      if (!tokens) {
        std::cerr << "og serve: " << tokens.error().message << "\n";
        return raise_exit(exit_error);
      }
      http.tokens = std::move(tokens.value());
    }
    if (http.tokens.empty() && !is_loopback(http.host)) {
      std::cerr << "og serve: listening beyond this machine needs --tokens (bearer tokens "
                   "mapped to roles)\n";
      return raise_exit(exit_error);
    }
    http.allowed_origins = options.origins;
    http.log = [](std::string m) { log_line("warn", std::move(m)); };
  }
  // On a terminal, the first load shows how far it is (logs stay JSON lines otherwise).
  auto progress = terminal_progress("og serve");
  auto log = [](std::string m) { log_line("warn", std::move(m)); };
  return_freed_pages_at_once(true);
  auto store = open_store(options, *tokenizer, log);
  if (!store) {
    std::cerr << "og serve: " << store.error().message << "\n";
    return raise_exit(exit_error);
  }
  // Roles are checked against the documents once they are read; until then no request that
  // needs them is answered, so a mistyped role never gets an answer.
  auto announce = [&] {
    auto served = store.value()->snapshot();
    if (!check_roles(*served, options, http)) return false;
    log_line("info", fmt::format("serving {} document(s) from {}{}{}", served->prepared().size(),
                                 fmt::join(options.paths, ", "),
                                 served->refused().empty() ? ""
                                                           : fmt::format(" ({} not served: errors)",
                                                                         served->refused().size()),
                                 options.role.empty() ? "" : " as role " + options.role));
    return true;
  };
  bool deferred = store.value()->loading().has_value();
  if (!deferred) {
    return_freed_pages_at_once(false);
    if (!announce()) return raise_exit(exit_error);
  }
  Dispatcher dispatcher(store.value(), options.limits);
  if (options.http.empty() && options.role.empty())
    log_line("warn", "stdio without --role serves every node to this client, whatever its "
                     "scope; give --role to serve one role's view");
  // --port-file says "ready": written once the server listens and the documents are served,
  // whichever comes last, so a script (or a test) that waits for it gets answers at once.
  std::atomic<int> listening_port{0};
  std::mutex port_file_mutex;
  auto write_port_file = [&] {
    std::lock_guard<std::mutex> lock(port_file_mutex);
    if (!options.port_file.empty() && listening_port && !store.value()->loading())
      (void)write_file_atomic(options.port_file, std::to_string(listening_port.load()));
  };
  auto first_load = [&] {
    if (!store.value()->load(progress)) {
      std::cerr << "og serve: the search index could not be built (see the log)\n";
      std::_Exit(exit_error); // clients are connected and waiting: nothing can be served
    }
    if (!announce()) std::_Exit(exit_error);
    return_freed_pages_at_once(false);
    write_port_file();
  };
  std::thread watcher;
  if (store.value()->following())
    watcher = std::thread([&] { // a reader moves to each new commit of the index
      while (!stop_requested) {
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
        if (store.value()->reload({}))
          log_line("info", fmt::format("moved to revision {} of the index",
                                       store.value()->index_revision()));
      }
    });
  else
    watcher = std::thread([&] { // the first load, then (unless --no-watch) every change
      if (deferred) first_load();
      if (options.watch)
        watch_documents(store.value(), stop_requested,
                        [](std::string m) { log_line("info", std::move(m)); });
    });
  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);
  if (options.http.empty()) {
    serve_stdio(dispatcher, options.role.empty() ? Caller{} : Caller{options.role}, stdin, stdout);
  } else {
    http_mode = true;
    std::thread stopper([] {
      while (!stop_requested) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      stop_http();
    });
    auto served = serve_http(dispatcher, http, [&](int port) {
      log_line("info", fmt::format("listening on http://{}:{}/mcp{}", http.host, port,
                                   http.tokens.empty() ? " (no authentication)" : ""));
      listening_port = port;
      write_port_file();
    });
    stop_requested = true;
    stopper.join();
    if (!served) {
      std::cerr << "og serve: " << served.error().message << "\n";
      raise_exit(exit_error);
    } else {
      log_line("info", "stopped");
    }
  }
  stop_requested = true;
  if (watcher.joinable()) watcher.join();
}

} // namespace

void register_serve(CLI::App& app) {
  auto options = std::make_shared<ServeOptions>();
  auto* cmd = app.add_subcommand(
      "serve", "Serve documents to agents over the Model Context Protocol: tools search_index,\n"
               "resolve_context, changes_since, check; resources og://doc/…. stdio by default.");
  cmd->add_option("paths", options->paths,
                  "Files or directories (.og and .md); none with --index: serve that index "
                  "alone (a replica)");
  auto* stdio = cmd->add_flag("--stdio", options->stdio, "JSON-RPC over stdin/stdout (default)");
  cmd->add_option("--http", options->http, "Streamable HTTP on HOST:PORT at /mcp (port 0: any)")
      ->excludes(stdio);
  cmd->add_option("--role", options->role,
                  "stdio: the role this connection reads as (without it: every node)");
  cmd->add_option("--tokens", options->tokens_path,
                  "HTTP: JSON file {\"tokens\": [{\"sha256\": hex, \"role\": name|null}]}");
  cmd->add_option("--allow-origin", options->origins,
                  "HTTP: a browser Origin to accept besides localhost (repeat for more)")
      ->allow_extra_args(false);
  cmd->add_option("--port-file", options->port_file,
                  "HTTP: write the bound port here once the documents are served");
  cmd->add_flag("!--no-watch", options->watch, "Do not reload files when they change");
  cmd->add_flag("--follow-links", options->follow_links,
                "Follow symbolic links that lead outside the served folders");
  auto* index = cmd->add_option("--index", options->index,
                                "Keep the persistent index here (default: a directory under "
                                "$XDG_CACHE_HOME/og/index, never inside the tree)");
  cmd->add_flag("!--no-index", options->use_index,
                "Search an in-memory index and write nothing (every start indexes again)")
      ->excludes(index);
  cmd->add_option("--max-request-bytes", options->limits.max_request_bytes, "Largest request")
      ->capture_default_str();
  cmd->add_option("--max-tokens", options->limits.max_tokens,
                  "Cap on resolve_context's token budget")
      ->capture_default_str();
  cmd->add_option("--max-concurrent", options->limits.max_concurrent,
                  "HTTP requests dispatched at once (more wait their turn)")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  cmd->add_option("--max-connections", options->limits.max_connections,
                  "HTTP connections served at once (a thread each; more wait to be accepted)")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  cmd->add_option("--timeout", options->limits.timeout_seconds, "HTTP read/write timeout (s)")
      ->capture_default_str();
  cmd->add_option("--vocab", options->vocab, "Directory of the tiktoken encoder files");
  cmd->callback([options] {
    if (options->paths.empty() && options->index.empty()) {
      std::cerr << "og serve: which documents? (og serve PATH… or og serve --index DIR)\n";
      return raise_exit(exit_error);
    }
    run_serve(*options);
  });
}

} // namespace og::cli
