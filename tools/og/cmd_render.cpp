// og render --html: HTML through md4c-html; og constructs become visible metadata blocks.
#include <iostream>

#include "cli.hpp"

namespace og::cli {

namespace {

struct RenderCliOptions {
  std::string path = "-";
  bool html = false;
  bool commonmark = false;
  bool no_metadata = false;
  std::string output;
};

void run_render(const RenderCliOptions& options) {
  auto doc = load_document(options.path);
  if (!doc) return;
  RenderOptions render;
  render.dialect = options.commonmark ? Dialect::commonmark : Dialect::github;
  render.metadata = !options.no_metadata;
  std::string html = render_html(*doc, render);
  if (options.output.empty()) {
    std::cout << html;
    return;
  }
  Status written = write_file_atomic(options.output, html);
  if (!written) {
    std::cerr << "og: " << written.error().message << "\n";
    raise_exit(exit_error);
  }
}

} // namespace

void register_render(CLI::App& app) {
  auto options = std::make_shared<RenderCliOptions>();
  auto* cmd = app.add_subcommand("render", "Render a document (FILE or - for stdin) as HTML.");
  cmd->add_option("path", options->path, "The document; - or nothing reads stdin");
  cmd->add_flag("--html", options->html, "HTML output (the only format, and the default)");
  cmd->add_flag(
      "--commonmark", options->commonmark,
      "Strict CommonMark instead of the GitHub dialect (tables, strikethrough, task lists, "
      "autolinks)");
  cmd->add_flag("--no-metadata", options->no_metadata,
                "Leave og metadata (frontmatter, attributes, directives, __index,\n"
                "__changelog) out of the HTML");
  cmd->add_option("-o,--output", options->output,
                  "Write to this file (atomically) instead of stdout");
  cmd->callback([options] { run_render(*options); });
}

} // namespace og::cli
