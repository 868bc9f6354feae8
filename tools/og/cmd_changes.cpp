// og commit and og changes: recording versions in `__changelog`, and delta loading from it.
#include <fmt/format.h>

#include <chrono>
#include <iostream>

#include "cli.hpp"

namespace og::cli {

namespace {

struct CommitCliOptions {
  std::vector<std::string> paths;
  std::string message;
  std::string date;
  bool dry_run = false;
  bool json = false;
};

std::string today() {
  auto days = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  std::chrono::year_month_day ymd{days};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

bool valid_date(const std::string& date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(date[i]))) return false;
  return true;
}

std::string changes_text(const std::vector<Change>& changes) {
  std::string text;
  for (const auto& c : changes) text += (text.empty() ? "" : " ") + c.text();
  return text;
}

void run_commit(const CommitCliOptions& options) {
  CommitOptions commit_options{options.message, options.date.empty() ? today() : options.date};
  if (!valid_date(commit_options.date)) {
    std::cerr << "og commit: --date must be YYYY-MM-DD\n";
    return raise_exit(exit_error);
  }
  nlohmann::json files = nlohmann::json::array();
  for (const auto& path : options.paths) {
    auto doc = load_document(path);
    if (!doc) continue;
    auto result = commit(*doc, commit_options);
    if (!result) {
      std::cerr << "og commit: " << result.error().message << "\n";
      raise_exit(exit_error);
      continue;
    }
    const CommitResult& r = result.value();
    if (r.changed && !options.dry_run) {
      if (auto written = write_file_atomic(path, r.source); !written) {
        std::cerr << "og commit: " << written.error().message << "\n";
        raise_exit(exit_error);
        continue;
      }
    }
    nlohmann::json changes = nlohmann::json::array();
    for (const auto& c : r.changes) changes.push_back(c.text());
    files.push_back({{"path", path},
                     {"changed", r.changed},
                     {"version", r.version},
                     {"changes", changes},
                     {"written", r.changed && !options.dry_run}});
    if (options.json) continue;
    if (!r.changed)
      std::cout << path << ": nothing changed since v" << r.version << "\n";
    else
      std::cout << path << ": v" << r.version << " · " << changes_text(r.changes)
                << (options.dry_run ? " (dry run, not written)" : "") << "\n";
  }
  if (options.json) print_json("og.commit/1", {{"files", files}});
}

struct ChangesCliOptions {
  std::string path;
  uint32_t since = 0;
  std::string depth = "dense";
  std::string role;
  std::string encoding = "cl100k_base";
  std::string vocab;
  bool json = false;
};

void run_changes(const ChangesCliOptions& options) {
  Encoding encoding{};
  parse_encoding(options.encoding, &encoding);
  auto tokenizer = load_tokenizer(encoding, options.vocab);
  if (!tokenizer) return;
  auto doc = load_document(options.path);
  if (!doc) return;
  std::vector<Document> docs;
  docs.push_back(std::move(*doc));
  auto library = Library::open(std::move(docs), *tokenizer);
  if (!library) {
    std::cerr << "og: " << library.error().message << "\n";
    return raise_exit(exit_error);
  }
  if (report_refused(library.value())) return raise_exit(exit_error);
  if (!options.role.empty())
    if (auto unknown = library.value().unknown_role_message(options.role)) {
      std::cerr << "og: --role: " << *unknown << "\n";
      return raise_exit(exit_error);
    }
  ChangesRequest request{"", options.since, options.depth == "full" ? Depth::full : Depth::dense};
  auto result = library.value().changes_since(request, options.role.empty() ? Caller{}
                                                                            : Caller{options.role});
  if (!result) {
    std::cerr << "og changes: " << result.error().message << "\n";
    return raise_exit(exit_error);
  }
  const ChangesResult& r = result.value();
  if (options.json) {
    nlohmann::json body = changes_json(r);
    body["encoding"] = options.encoding;
    return print_json("og.changes/1", std::move(body));
  }
  std::cout << changes_since_text(r);
  std::cerr << changes_notes_text(r);
}

} // namespace

void register_changes(CLI::App& app) {
  auto commit_options = std::make_shared<CommitCliOptions>();
  auto* c = app.add_subcommand(
      "commit", "Record each node's content hash, bump the frontmatter version and add a\n"
                "__changelog entry (+added ~changed -removed). Content is never touched.");
  c->add_option("files", commit_options->paths, "Documents to commit")->required();
  c->add_option("-m,--message", commit_options->message, "One-line message for the entry");
  c->add_option("--date", commit_options->date, "Entry date, YYYY-MM-DD (default: today, UTC)");
  c->add_flag("--dry-run", commit_options->dry_run, "Show the entry, write nothing");
  c->add_flag("--json", commit_options->json, "Print JSON (schema og.commit/1)");
  c->callback([commit_options] { run_commit(*commit_options); });

  auto changes = std::make_shared<ChangesCliOptions>();
  auto* d = app.add_subcommand(
      "changes", "changes_since: the changelog entries after version N and the nodes a reader\n"
                 "of version N must reload (dense by default).");
  d->add_option("file", changes->path, "Document")->required();
  d->add_option("--since", changes->since, "The version the reader holds")->required();
  d->add_option("--depth", changes->depth, "dense or full")
      ->check(CLI::IsMember({"dense", "full"}))
      ->capture_default_str();
  d->add_option("--role", changes->role, "Read as this role (only its scope is visible)");
  add_encoding_options(d, changes->encoding, changes->vocab);
  d->add_flag("--json", changes->json, "Print JSON (schema og.changes/1)");
  d->callback([changes] { run_changes(*changes); });
}

} // namespace og::cli
