// Loading and printing shared by the subcommands.
#include <iostream>

#include "cli.hpp"

namespace og::cli {

int exit_code = exit_ok;

void raise_exit(int code) {
  exit_code = std::max(exit_code, code);
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
      loaded.errors.push_back(bytes.error());
      continue;
    }
    loaded.documents.push_back(parse(std::move(bytes.value()), file == "-" ? "<stdin>" : file));
  }
  for (const auto& error : loaded.errors)
    if (!quiet) std::cerr << "og: " << error.message << "\n";
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
