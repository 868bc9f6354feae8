// Shared pieces of the `og` command line: loading documents, printing diagnostics, exit codes.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <vector>

#include "og/og.hpp"
#include "og/serve.hpp"

namespace og::cli {

/// Exit codes (docs/cli.md): 0 ok, 1 findings, 2 usage or I/O error.
enum Exit : int { exit_ok = 0, exit_findings = 1, exit_error = 2 };

/// Set by the subcommand callbacks; main() returns it.
extern int exit_code;

/// Raises exit_code to at least `code`.
void raise_exit(int code);

/// What followed `--` on the command line of og search and og resolve (main() takes it out).
extern std::vector<std::string> after_separator;
extern bool separator_given;

/// On a terminal (stderr), a first load's progress as one line rewritten in place ("og index:
/// read 1200/40000 files", then "indexed 300/1200 files"); null elsewhere, so logs and --json
/// stay clean.
std::function<void(const LoadProgress&)> terminal_progress(std::string command);

/// "1 node", "3 nodes".
std::string count_of(size_t n, std::string_view noun);
/// The name in `names` closest to `wrong` (same letters in another case, or at most two edits
/// for names of five characters or more, one for shorter), for "did you mean" hints.
std::optional<std::string> closest_name(std::string_view wrong,
                                        const std::vector<std::string>& names);

struct Loaded {
  std::vector<Document> documents;
  std::vector<Unreadable> errors;   ///< files that could not be read; each is also printed
  std::vector<std::string> skipped; ///< "path: why" for entries a walk did not read
};

/// Expands files and directories and parses every document. Unreadable paths are reported on
/// stderr (unless `quiet`) and raise the exit code to 2; the rest of the batch goes on.
Loaded load_documents(const std::vector<std::string>& paths, bool quiet = false);

/// Parses one file or `-` (stdin); nullopt after printing the error.
std::optional<Document> load_document(const std::string& path);

/// Prints every diagnostic in the `path:line:col: error[OG0007]: message` form with a caret.
void print_diagnostics(const Document& document, std::ostream& out);
/// Says on stderr which documents the library refused to read, and why; true if any.
bool report_refused(const Library& library);

/// A document's JSON from the library, as a json value for composing CLI output.
nlohmann::json document_json(const Document& document);

/// Prints a JSON value on stdout, with the schema name first.
void print_json(const std::string& schema, nlohmann::json body);

/// Loads a tokenizer (`vocab` empty: the default directory); nullopt after printing the error.
std::optional<Tokenizer> load_tokenizer(Encoding encoding, const std::string& vocab);
/// --encoding and --vocab, shared by the subcommands that count tokens.
void add_encoding_options(CLI::App* cmd, std::string& encoding, std::string& vocab);

/// `dir`, or og's default index directory for `paths` when it is empty.
std::string index_dir_for(const std::vector<std::string>& paths, const std::string& dir,
                          bool follow_links, Encoding encoding);
/// The index of `paths` opened for writing: `dir`, or the default location when empty. An
/// index og made that is damaged or of another format is made again, said through `log`.
Result<CorpusIndex> open_index_for(const std::vector<std::string>& paths, const std::string& dir,
                                   bool follow_links, Encoding encoding,
                                   const std::function<void(std::string)>& log);

/// The library of `paths` through their index — `dir`, else og index's default one when it
/// exists — brought up to date first (only changed files are read). nullopt when there is no
/// index to use: none made, or another process is writing it (said on stderr).
std::optional<Result<Library>> indexed_library(const std::vector<std::string>& paths,
                                               const std::string& dir, const Tokenizer& tokenizer);

void register_check(CLI::App& app);
void register_fmt(CLI::App& app);
void register_roundtrip(CLI::App& app);
void register_render(CLI::App& app);
void register_graph(CLI::App& app);
void register_stats(CLI::App& app);
void register_show(CLI::App& app);
void register_tokens(CLI::App& app);
void register_query(CLI::App& app);
void register_assert(CLI::App& app);
void register_changes(CLI::App& app);   // og commit, og changes
void register_transpile(CLI::App& app); // og transpile, og strip
void register_serve(CLI::App& app);
void register_index(CLI::App& app);
void register_token(CLI::App& app);      // og token new, og token hash
void register_mcp_config(CLI::App& app); // og mcp-config

} // namespace og::cli
