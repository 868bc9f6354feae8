// og tokens: exact token counts (or ids) with tiktoken's cl100k_base / o200k_base.
#include <iostream>

#include "cli.hpp"

namespace og::cli {

namespace {

struct TokensOptions {
  std::vector<std::string> paths;
  std::string encoding = "cl100k_base";
  std::string vocab;
  bool ids = false;
  bool json = false;
};

void run_tokens(const TokensOptions& options) {
  Encoding encoding{};
  parse_encoding(options.encoding, &encoding);
  auto tokenizer = load_tokenizer(encoding, options.vocab);
  if (!tokenizer) return;
  nlohmann::json files = nlohmann::json::array();
  size_t total = 0;
  std::vector<std::string> paths = options.paths;
  std::vector<Error> errors;
  std::vector<std::string> expanded = collect_documents(paths, &errors);
  for (const auto& e : errors) std::cerr << "og: " << e.message << "\n";
  if (!errors.empty()) raise_exit(exit_error);
  for (const auto& path : expanded) {
    auto bytes = read_file(path);
    if (!bytes) {
      std::cerr << "og: " << bytes.error().message << "\n";
      raise_exit(exit_error);
      continue;
    }
    std::vector<uint32_t> ids = tokenizer->encode(bytes.value());
    total += ids.size();
    if (options.json) {
      nlohmann::json file = {{"path", path}, {"tokens", ids.size()}};
      if (options.ids) file["ids"] = ids;
      files.push_back(file);
    } else if (options.ids) {
      for (size_t i = 0; i < ids.size(); ++i) std::cout << (i ? " " : "") << ids[i];
      std::cout << "\n";
    } else if (expanded.size() == 1) {
      std::cout << ids.size() << "\n";
    } else {
      std::cout << ids.size() << "\t" << path << "\n";
    }
  }
  if (options.json)
    print_json("og.tokens/1", {{"encoding", options.encoding}, {"files", files}, {"total", total}});
  else if (expanded.size() > 1 && !options.ids)
    std::cout << total << "\ttotal\n";
}

} // namespace

std::optional<Tokenizer> load_tokenizer(Encoding encoding, const std::string& vocab) {
  auto tokenizer = vocab.empty() ? Tokenizer::load(encoding) : Tokenizer::load(encoding, vocab);
  if (!tokenizer) {
    std::cerr << "og: " << tokenizer.error().message << "\n";
    raise_exit(exit_error);
    return std::nullopt;
  }
  return tokenizer.value();
}

void add_encoding_options(CLI::App* cmd, std::string& encoding, std::string& vocab) {
  cmd->add_option("--encoding,-e", encoding, "Tokenizer encoding")
      ->check(CLI::IsMember({"cl100k_base", "o200k_base"}))
      ->capture_default_str();
  cmd->add_option("--vocab", vocab,
                  "Directory with <encoding>.json (default: $OG_TOKENIZER_DIR, else share/og/vocab "
                  "of the install, else the build's vocab/)");
}

void register_tokens(CLI::App& app) {
  auto options = std::make_shared<TokensOptions>();
  auto* cmd =
      app.add_subcommand("tokens", "Count tokens exactly as tiktoken does (FILE… or - for stdin).");
  cmd->add_option("paths", options->paths, "Files, directories or -")->required();
  add_encoding_options(cmd, options->encoding, options->vocab);
  cmd->add_flag("--ids", options->ids, "Print the token ids instead of the count");
  cmd->add_flag("--json", options->json, "Print JSON (schema og.tokens/1)");
  cmd->callback([options] { run_tokens(*options); });
}

} // namespace og::cli
