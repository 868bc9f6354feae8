// `og`: a thin shell over the library. Each subcommand lives in its own cmd_*.cpp.
#include <algorithm>
#include <iostream>
#include <string_view>

#include "cli.hpp"

int main(int argc, char** argv) {
  CLI::App app{"og: read, check and render ObjectGraph (.og) and Markdown documents.\n"
               "Exit status: 0 ok, 1 findings, 2 usage or I/O error."};
  app.set_version_flag("--version", std::string("og ") + "0.1.0 (.og format v1)");
  app.require_subcommand(1);
  app.fallthrough(false);
  og::cli::register_check(app);
  og::cli::register_fmt(app);
  og::cli::register_roundtrip(app);
  og::cli::register_render(app);
  og::cli::register_graph(app);
  og::cli::register_stats(app);
  og::cli::register_show(app);
  og::cli::register_tokens(app);
  og::cli::register_query(app);
  og::cli::register_assert(app);
  og::cli::register_changes(app);
  og::cli::register_transpile(app);
  og::cli::register_serve(app);
  og::cli::register_index(app);
  og::cli::register_token(app);
  og::cli::register_mcp_config(app);
  // CLI11 2.1 refuses positionals after `--` once a positional has values (`og search . --
  // rfcs`), so og search and og resolve take what follows `--` before CLI11 parses.
  std::vector<char*> args(argv, argv + argc);
  if (argc > 1 && (std::string_view(argv[1]) == "search" || std::string_view(argv[1]) == "resolve"))
    if (auto dashes = std::find(args.begin() + 2, args.end(), std::string_view("--"));
        dashes != args.end()) {
      og::cli::after_separator.assign(dashes + 1, args.end());
      og::cli::separator_given = true;
      args.erase(dashes, args.end());
    }
  try {
    app.parse(static_cast<int>(args.size()), args.data());
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : og::cli::exit_error;
  } catch (const std::exception& e) {
    std::cerr << "og: internal error: " << e.what() << "\n";
    return og::cli::exit_error;
  }
  return og::cli::exit_code;
}
