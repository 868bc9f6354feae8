// og fmt: the canonical form. Prints it, checks it, or writes it back atomically.
#include <iostream>

#include "cli.hpp"

namespace og::cli {

namespace {

struct FmtOptions {
  std::vector<std::string> paths;
  bool check = false;
  bool write = false;
  bool json = false;
};

void run_fmt(const FmtOptions& options) {
  Loaded loaded = load_documents(options.paths, options.json);
  nlohmann::json files = nlohmann::json::array();
  size_t changed = 0;
  for (const Document& doc : loaded.documents) {
    std::string formatted = format(doc);
    bool differs = formatted != doc.source;
    changed += differs;
    if (options.json) files.push_back({{"path", doc.path}, {"changed", differs}});
    if (options.write && differs) {
      Status written = write_file_atomic(doc.path, formatted);
      if (!written) {
        std::cerr << "og: " << written.error().message << "\n";
        raise_exit(exit_error);
        continue;
      }
      if (!options.json) std::cerr << "formatted " << doc.path << "\n";
    } else if (options.check && differs && !options.json) {
      std::cout << doc.path << "\n";
    } else if (!options.check && !options.write && !options.json) {
      std::cout << formatted;
    }
  }
  if (options.check && changed > 0) raise_exit(exit_findings);
  if (options.json)
    print_json("og.fmt/1", {{"files", files}, {"changed", changed}});
  else if (options.check && changed > 0)
    std::cerr << "og fmt: " << changed << " of " << loaded.documents.size()
              << " files are not in canonical form\n";
}

} // namespace

void register_fmt(CLI::App& app) {
  auto options = std::make_shared<FmtOptions>();
  auto* cmd = app.add_subcommand(
      "fmt",
      "Print documents in canonical form: attribute lists and directives in canonical order\n"
      "and spacing. Content text is never changed.");
  cmd->add_option("paths", options->paths, "Files or directories")->required();
  auto* check = cmd->add_flag("--check", options->check,
                              "List files that are not canonical; exit 1 if any (writes nothing)");
  cmd->add_flag("--write,-w", options->write,
                "Rewrite files in place (atomically: temp file + rename)")
      ->excludes(check);
  cmd->add_flag("--json", options->json, "Print a JSON report (schema og.fmt/1)");
  cmd->callback([options] { run_fmt(*options); });
}

} // namespace og::cli
