// og roundtrip: parse and write each file; any file that does not come back byte-identical is a
// finding (a bug in og: please report it with the file).
#include <iostream>

#include "cli.hpp"

namespace og::cli {

namespace {

struct RoundtripOptions {
  std::vector<std::string> paths;
  bool json = false;
};

/// Offset of the first differing byte.
size_t first_difference(const std::string& a, const std::string& b) {
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return i;
  return n;
}

void run_roundtrip(const RoundtripOptions& options) {
  Loaded loaded = load_documents(options.paths, options.json);
  nlohmann::json failures = nlohmann::json::array();
  for (const Document& doc : loaded.documents) {
    std::string written = write(doc);
    if (written == doc.source) continue;
    size_t at = first_difference(written, doc.source);
    Position where = doc.lines.position(static_cast<uint32_t>(std::min(at, doc.source.size())));
    failures.push_back(
        {{"path", doc.path}, {"offset", at}, {"line", where.line}, {"column", where.column}});
    if (!options.json)
      std::cout << doc.path << ":" << where.line << ":" << where.column
                << ": written bytes differ from the input from here\n";
  }
  if (!failures.empty()) raise_exit(exit_findings);
  if (options.json) {
    print_json("og.roundtrip/1", {{"files", loaded.documents.size()}, {"differences", failures}});
    return;
  }
  std::cerr << "og roundtrip: " << loaded.documents.size() << " files, " << failures.size()
            << " differences\n";
}

} // namespace

void register_roundtrip(CLI::App& app) {
  auto options = std::make_shared<RoundtripOptions>();
  auto* cmd =
      app.add_subcommand("roundtrip", "Parse and write each document; report any that would\n"
                                      "not come back byte-identical (exit 1).");
  cmd->add_option("paths", options->paths, "Files or directories")->required();
  cmd->add_flag("--json", options->json, "Print a JSON report (schema og.roundtrip/1)");
  cmd->callback([options] { run_roundtrip(*options); });
}

} // namespace og::cli
