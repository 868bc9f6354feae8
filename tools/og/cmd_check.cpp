// og check: diagnostics for files and directories; a bad file does not stop the batch.
#include <iostream>

#include "cli.hpp"

namespace og::cli {

namespace {

struct CheckOptions {
  std::vector<std::string> paths;
  bool json = false;
  bool strict = false;
};

void run_check(const CheckOptions& options) {
  Loaded loaded = load_documents(options.paths, options.json);
  auto loader = [](const std::string& path) -> std::optional<Document> {
    auto bytes = read_file(path);
    if (!bytes) return std::nullopt;
    return parse(std::move(bytes.value()), path);
  };
  LinkCounts links;
  size_t checked = check_corpus(loaded.documents, loader, &links);
  size_t errors = 0, warnings = 0;
  nlohmann::json files = nlohmann::json::array();
  for (size_t i = 0; i < checked; ++i) {
    const Document& doc = loaded.documents[i];
    for (const auto& d : doc.diagnostics) (d.severity == Severity::error ? errors : warnings)++;
    if (options.json)
      files.push_back(
          {{"path", doc.path}, {"diagnostics", nlohmann::json::parse(diagnostics_json(doc))}});
    else
      print_diagnostics(doc, std::cout);
  }
  if (errors > 0 || (options.strict && warnings > 0)) raise_exit(exit_findings);
  if (options.json) {
    nlohmann::json io = nlohmann::json::array();
    for (const auto& e : loaded.errors) io.push_back({{"path", e.path}, {"error", e.reason}});
    print_json("og.check/1",
               {{"files", files},
                {"errors", errors},
                {"warnings", warnings},
                {"links", {{"to_documents", links.to_documents}, {"resolved", links.resolved}}},
                {"unreadable", io},
                {"skipped", loaded.skipped}});
    return;
  }
  std::cerr << "og check: " << count_of(checked, "file") << ", " << count_of(errors, "error")
            << ", " << count_of(warnings, "warning");
  if (links.to_documents > 0)
    std::cerr << "; " << count_of(links.to_documents, "link") << " to other documents, "
              << links.resolved << " found";
  std::cerr << "\n";
}

} // namespace

void register_check(CLI::App& app) {
  auto options = std::make_shared<CheckOptions>();
  auto* cmd =
      app.add_subcommand("check", "Report diagnostics (errors and warnings) for documents.\n"
                                  "Exit 1 when there is an error (or, with --strict, a warning).");
  cmd->add_option("paths", options->paths, "Files or directories (.og and .md files, recursively)")
      ->required();
  cmd->add_flag("--json", options->json, "Print a JSON report (schema og.check/1, docs/cli.md)");
  cmd->add_flag("--strict", options->strict, "Treat warnings as findings too");
  cmd->callback([options] { run_check(*options); });
}

} // namespace og::cli
