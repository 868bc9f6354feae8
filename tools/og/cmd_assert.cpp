// og assert: run an assertion node's checks against a state (and command output).
#include <iostream>

#include "cli.hpp"

namespace og::cli {

namespace {

struct AssertOptions {
  std::string target;
  std::string state_path;
  std::string output_path;
  uint32_t attempt = 1;
  std::string role;
  bool json = false;
};

void run_assert(const AssertOptions& options) {
  size_t hash = options.target.rfind('#');
  if (hash == std::string::npos) {
    std::cerr << "og assert: name the node as FILE#ID\n";
    return raise_exit(exit_error);
  }
  std::string path = options.target.substr(0, hash);
  auto state = read_file(options.state_path);
  if (!state) {
    std::cerr << "og: " << state.error().message << "\n";
    return raise_exit(exit_error);
  }
  std::string output;
  if (!options.output_path.empty()) {
    auto read = read_file(options.output_path);
    if (!read) {
      std::cerr << "og: " << read.error().message << "\n";
      return raise_exit(exit_error);
    }
    output = read.value();
  }
  auto doc = load_document(path);
  if (!doc) return;
  auto tokenizer = Tokenizer::load(Encoding::cl100k_base);
  std::vector<Document> docs;
  docs.push_back(std::move(*doc));
  // The library needs a tokenizer for its views; without a vocabulary the check still runs.
  auto library = tokenizer ? Library::open(std::move(docs), tokenizer.value())
                           : Result<Library>(Error{tokenizer.error()});
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
  CheckRequest request{options.target.substr(hash + 1), state.value(), output, options.attempt};
  auto result = check_assertion(library.value(), request,
                                options.role.empty() ? Caller{} : Caller{options.role});
  if (!result) {
    std::cerr << "og assert: " << result.error().message << "\n";
    return raise_exit(exit_error);
  }
  const CheckResult& r = result.value();
  if (r.status != CheckStatus::pass) raise_exit(exit_findings);
  if (options.json) {
    return print_json("og.assert/1", check_json(r));
  }
  std::cout << check_text(r);
}

} // namespace

void register_assert(CLI::App& app) {
  auto options = std::make_shared<AssertOptions>();
  auto* cmd = app.add_subcommand("assert",
                                 "Run an .assert node's :check expressions against a JSON state.\n"
                                 "Exit 0 on pass, 1 on fail / retry / escalate, 2 on errors.");
  cmd->add_option("target", options->target, "FILE#ID of the assertion node")->required();
  cmd->add_option("--state", options->state_path, "JSON file with the state (- for stdin)")
      ->required();
  cmd->add_option("--output", options->output_path,
                  "File with the command output the checks match");
  cmd->add_option("--attempt", options->attempt, "Which try this is (1 = first)")
      ->capture_default_str();
  cmd->add_option("--role", options->role,
                  "Check as this role (escalation targets it cannot see are withheld)");
  cmd->add_flag("--json", options->json, "Print JSON (schema og.assert/1)");
  cmd->callback([options] { run_assert(*options); });
}

} // namespace og::cli
