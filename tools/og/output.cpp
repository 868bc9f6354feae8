// Loading and printing shared by the subcommands.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iostream>

#include "cli.hpp"

namespace og::cli {

int exit_code = exit_ok;
std::vector<std::string> after_separator;
bool separator_given = false;

void raise_exit(int code) {
  exit_code = std::max(exit_code, code);
}

std::function<void(const LoadProgress&)> terminal_progress(std::string command) {
  if (!isatty(STDERR_FILENO)) return nullptr;
  using Clock = std::chrono::steady_clock;
  return
      [command = std::move(command), last = Clock::time_point()](const LoadProgress& now) mutable {
        bool indexing = now.to_index > 0;
        size_t done = indexing ? now.indexed : now.read;
        size_t total = indexing ? now.to_index : now.found;
        // Ten lines a second at most: one per file would flood the terminal.
        if (done < total && Clock::now() - last < std::chrono::milliseconds(100)) return;
        last = Clock::now();
        std::cerr << fmt::format("\r{}: {} {}/{} files{}", command, indexing ? "indexed" : "read",
                                 done, total, done == total ? "\n" : "")
                  << std::flush;
      };
}

std::string count_of(size_t n, std::string_view noun) {
  return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
}

namespace {

std::string folded(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// Levenshtein distance over bytes, one row at a time.
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = above;
    }
  }
  return row[b.size()];
}

} // namespace

std::optional<std::string> closest_name(std::string_view wrong,
                                        const std::vector<std::string>& names) {
  std::string key = folded(wrong);
  size_t allowed = key.size() >= 5 ? 2 : 1, best = allowed + 1;
  std::optional<std::string> found;
  for (const auto& name : names) {
    if (name.size() > key.size() + allowed || key.size() > name.size() + allowed) continue;
    size_t d = edit_distance(key, folded(name));
    if (d < best) best = d, found = name;
  }
  return found;
}

std::optional<Document> load_document(const std::string& path) {
  auto bytes = read_file(path);
  if (!bytes) {
    std::cerr << "og: " << bytes.error().message << "\n";
    raise_exit(exit_error);
    return std::nullopt;
  }
  return parse(std::move(bytes.value()), path == "-" ? "<stdin>" : path);
}

Loaded load_documents(const std::vector<std::string>& paths, bool quiet) {
  Loaded loaded;
  Walk walk = walk_documents(paths);
  loaded.errors = std::move(walk.errors);
  loaded.skipped = std::move(walk.skipped);
  if (!quiet)
    for (const auto& skipped : loaded.skipped) std::cerr << "og: skipped " << skipped << "\n";
  const std::vector<std::string>& files = walk.files;
  for (const auto& file : files) {
    auto bytes = read_file(file);
    if (!bytes) {
      loaded.errors.push_back(unreadable(file, bytes.error()));
      continue;
    }
    loaded.documents.push_back(parse(std::move(bytes.value()), file == "-" ? "<stdin>" : file));
  }
  for (const auto& error : loaded.errors)
    if (!quiet) std::cerr << "og: " << error.message() << "\n";
  if (!loaded.errors.empty()) raise_exit(exit_error);
  return loaded;
}

bool report_refused(const Library& library) {
  for (const auto& refused : library.refused())
    std::cerr << "og: " << refused.path << ": not read: it has errors (og check " << refused.path
              << ")\n  " << refused.reason << "\n";
  return !library.refused().empty();
}

void print_diagnostics(const Document& document, std::ostream& out) {
  for (const auto& d : document.diagnostics)
    out << format_diagnostic(document.path, document.source, document.lines, d);
}

nlohmann::json document_json(const Document& document) {
  return nlohmann::json::parse(graph_json(document));
}

void print_json(const std::string& schema, nlohmann::json body) {
  nlohmann::ordered_json out;
  out["schema"] = schema; // first, as docs/cli.md promises
  for (auto& [key, value] : body.items()) out[key] = value;
  std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

} // namespace og::cli
