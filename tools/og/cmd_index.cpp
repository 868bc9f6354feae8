// og index: build, update, inspect and verify the persistent corpus index (docs/index.md).
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>

#include "cli.hpp"
#include "og/serve.hpp"

namespace og::cli {

namespace {

struct IndexOptions {
  std::vector<std::string> paths;
  std::string index;
  std::string encoding = "cl100k_base";
  std::string vocab;
  bool follow_links = false;
  bool status = false;
  bool verify = false;
  bool rebuild = false;
  bool json = false;
};

std::string index_dir_of(const IndexOptions& options, Encoding encoding) {
  return index_dir_for(options.paths, options.index, options.follow_links, encoding);
}

nlohmann::json status_json(const IndexStatus& status) {
  return {{"dir", status.dir},     {"revision", status.revision},   {"files", status.files},
          {"nodes", status.nodes}, {"bytes", status.bytes_on_disk}, {"encoding", status.encoding}};
}

/// Builds or updates the index: the store's first load does the work, file by file.
void run_update(const IndexOptions& options, Encoding encoding) {
  auto tokenizer = load_tokenizer(encoding, options.vocab);
  if (!tokenizer) return;
  std::string dir = index_dir_of(options, encoding);
  auto log = [&](std::string m) {
    if (!options.json) std::cerr << "og index: " << m << "\n";
  };
  if (options.rebuild) {
    std::error_code ec;
    if (std::filesystem::exists(std::filesystem::path(dir) / "og-index", ec))
      std::filesystem::remove_all(dir, ec);
    if (ec) {
      std::cerr << "og index: " << dir << ": cannot remove: " << ec.message() << "\n";
      return raise_exit(exit_error);
    }
  }
  auto index = open_index_for(options.paths, dir, options.follow_links, encoding, log);
  if (!index) {
    std::cerr << "og index: " << index.error().message << "\n";
    return raise_exit(exit_error);
  }
  auto progress = options.json ? nullptr : terminal_progress("og index");
  auto start = std::chrono::steady_clock::now();
  auto store =
      DocumentStore::open(options.paths, *tokenizer, log, WalkOptions{options.follow_links},
                          progress, std::move(index.value()));
  if (!store) {
    std::cerr << "og index: " << store.error().message << "\n";
    return raise_exit(exit_error);
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ReloadStats stats = store.value()->last_reload();
  auto opened = CorpusIndex::open(dir, CorpusIndex::Access::read, encoding);
  if (!opened) {
    std::cerr << "og index: " << opened.error().message << "\n";
    return raise_exit(exit_error);
  }
  IndexStatus status = opened.value().status();
  if (!stats.committed) raise_exit(exit_error); // the log said why
  if (stats.refused) raise_exit(exit_findings);
  if (options.json) {
    nlohmann::json body = status_json(status);
    body["documents"] = stats.files;
    body["read"] = stats.read;
    body["tokenized"] = stats.counted;
    body["written"] = stats.written;
    body["removed"] = stats.removed;
    body["refused"] = stats.refused;
    body["seconds"] = seconds;
    return print_json("og.index/1", body);
  }
  std::cout << fmt::format("{}: {} ({}), revision {}; {} read, {} written, {} removed, {} not "
                           "served (errors); {:.1f} MB on disk; {:.2f} s\n",
                           status.dir, count_of(status.files, "document"),
                           count_of(status.nodes, "node"), status.revision, stats.read,
                           stats.written, stats.removed, stats.refused,
                           static_cast<double>(status.bytes_on_disk) / 1e6, seconds);
}

/// How the tree differs from the index, by signature (stat only: nothing is read).
struct Drift {
  size_t changed = 0, added = 0, removed = 0;
};

Drift drift_of(const IndexOptions& options, const CorpusIndex& index) {
  Drift drift;
  std::map<std::string, FileSignature> recorded;
  for (auto& file : index.files(false)) recorded.emplace(file.name, file.signature);
  auto names = served_files(options.paths, WalkOptions{options.follow_links});
  for (const auto& [name, signature] : names) {
    auto found = recorded.find(name);
    if (found == recorded.end())
      ++drift.added;
    else if (!(found->second == signature))
      ++drift.changed;
  }
  for (const auto& [name, signature] : recorded) drift.removed += !names.count(name);
  return drift;
}

void run_status(const IndexOptions& options, Encoding encoding) {
  std::string dir = index_dir_of(options, encoding);
  auto index = CorpusIndex::open(dir, CorpusIndex::Access::read, encoding);
  if (!index) {
    std::cerr << "og index: " << index.error().message << "\n";
    return raise_exit(exit_error);
  }
  IndexStatus status = index.value().status();
  std::optional<Drift> drift;
  if (!options.paths.empty()) drift = drift_of(options, index.value());
  bool current = !drift || (!drift->changed && !drift->added && !drift->removed);
  if (!current) raise_exit(exit_findings);
  if (options.json) {
    nlohmann::json body = status_json(status);
    if (drift)
      body["tree"] = {{"changed", drift->changed},
                      {"added", drift->added},
                      {"removed", drift->removed},
                      {"current", current}};
    return print_json("og.index-status/1", body);
  }
  std::cout << fmt::format("{}\n  revision {}, {}, {}, {:.1f} MB on disk, tokens in {}\n",
                           status.dir, status.revision, count_of(status.files, "document"),
                           count_of(status.nodes, "node"),
                           static_cast<double>(status.bytes_on_disk) / 1e6, status.encoding);
  if (drift)
    std::cout << (current ? std::string("  up to date with the tree\n")
                          : fmt::format("  the tree has {} changed, {} new and {} removed "
                                        "file(s) since (og index updates it)\n",
                                        drift->changed, drift->added, drift->removed));
}

void run_verify(const IndexOptions& options, Encoding encoding) {
  std::string dir = index_dir_of(options, encoding);
  auto index = CorpusIndex::open(dir, CorpusIndex::Access::read, encoding);
  if (!index) {
    std::cerr << "og index: " << index.error().message << "\n";
    return raise_exit(exit_error);
  }
  std::vector<std::string> problems = index.value().verify();
  if (!problems.empty()) raise_exit(exit_findings);
  if (options.json)
    return print_json("og.index-verify/1",
                      {{"dir", dir}, {"ok", problems.empty()}, {"problems", problems}});
  for (const auto& problem : problems) std::cout << dir << ": " << problem << "\n";
  if (problems.empty())
    std::cout << fmt::format("{}: ok (revision {}, {})\n", dir, index.value().revision(),
                             count_of(index.value().status().files, "document"));
}

} // namespace

std::string index_dir_for(const std::vector<std::string>& paths, const std::string& dir,
                          bool follow_links, Encoding encoding) {
  return dir.empty() ? default_index_dir(paths, follow_links, encoding) : dir;
}

Result<CorpusIndex> open_index_for(const std::vector<std::string>& paths, const std::string& dir,
                                   bool follow_links, Encoding encoding,
                                   const std::function<void(std::string)>& log) {
  std::string where = index_dir_for(paths, dir, follow_links, encoding);
  std::string rebuilt;
  auto index = CorpusIndex::open(where, CorpusIndex::Access::write, encoding, &rebuilt);
  if (index && !rebuilt.empty()) log(rebuilt + " — made again");
  return index;
}

std::optional<Result<Library>> indexed_library(const std::vector<std::string>& paths,
                                               const std::string& dir, const Tokenizer& tokenizer) {
  std::string where = index_dir_for(paths, dir, false, tokenizer.encoding());
  std::error_code ec;
  if (dir.empty() && !std::filesystem::exists(std::filesystem::path(where) / "og-index", ec))
    return std::nullopt;
  auto log = [](std::string m) { std::cerr << "og: " << m << "\n"; };
  auto index = open_index_for(paths, where, false, tokenizer.encoding(), log);
  if (!index) {
    if (!dir.empty()) return Result<Library>(index.error());
    log(index.error().message + "; reading the files");
    return std::nullopt;
  }
  auto store =
      DocumentStore::open(paths, tokenizer, log, {}, nullptr, std::move(index.value()), true);
  if (!store) return Result<Library>(store.error());
  return Result<Library>(*store.value()->snapshot());
}

void register_index(CLI::App& app) {
  auto options = std::make_shared<IndexOptions>();
  auto* cmd = app.add_subcommand(
      "index", "Build or update the persistent index og serve, search, resolve and changes read:\n"
               "only files whose bytes changed are read into it again (docs/index.md).");
  cmd->add_option("paths", options->paths, "Files or directories (.og and .md)");
  cmd->add_option("--index", options->index,
                  "The index directory (default: under $XDG_CACHE_HOME/og/index, by the paths)");
  auto* status = cmd->add_flag("--status", options->status,
                               "Say what the index holds and, given paths, whether the tree "
                               "changed since (exit 1 when it did)");
  auto* verify = cmd->add_flag("--verify", options->verify,
                               "Check the database and every file record (exit 1 on a problem)");
  cmd->add_flag("--rebuild", options->rebuild, "Empty the index og made and build it again")
      ->excludes(status)
      ->excludes(verify);
  status->excludes(verify);
  cmd->add_flag("--follow-links", options->follow_links,
                "Follow symbolic links that lead outside the folders");
  cmd->add_flag("--json", options->json, "Machine-readable output");
  add_encoding_options(cmd, options->encoding, options->vocab);
  cmd->callback([options] {
    Encoding encoding{};
    parse_encoding(options->encoding, &encoding);
    if ((options->status || options->verify) && options->paths.empty() && options->index.empty()) {
      std::cerr << "og index: --status and --verify need the paths or --index DIR\n";
      return raise_exit(exit_error);
    }
    if (!options->status && !options->verify && options->paths.empty()) {
      std::cerr << "og index: which files? (og index DIR… [--index PATH])\n";
      return raise_exit(exit_error);
    }
    if (options->status) return run_status(*options, encoding);
    if (options->verify) return run_verify(*options, encoding);
    run_update(*options, encoding);
  });
}

} // namespace og::cli
