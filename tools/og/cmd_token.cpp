// og token: bearer tokens for og serve --http. `new` makes one and records its hash in a token
// file; `hash` turns a token someone already has into a token-file entry.
#include <fmt/format.h>

#include <iostream>
#include <iterator>
#include <random>

#include "cli.hpp"
#include "og/serve.hpp"

namespace og::cli {

namespace {

struct TokenOptions {
  std::string token;
  std::string role;
  std::string tokens_path;
};

nlohmann::json entry_of(const std::string& token, const std::string& role) {
  return {{"sha256", sha256_hex(token)},
          {"role", role.empty() ? nlohmann::json() : nlohmann::json(role)}};
}

/// 32 random bytes (getrandom(2) through std::random_device) as 64 hex digits.
std::string random_token() {
  std::random_device device;
  std::string token = "og_";
  for (int i = 0; i < 8; ++i) token += fmt::format("{:08x}", device());
  return token;
}

/// Adds `entry` to the token file (created when missing), atomically.
bool append_entry(const std::string& path, const nlohmann::json& entry) {
  nlohmann::json doc = {{"tokens", nlohmann::json::array()}};
  if (std::error_code ec; std::filesystem::exists(path, ec)) {
    if (auto existing = read_token_file(path); !existing) {
      std::cerr << "og token: " << existing.error().message << "\n";
      return false;
    }
    doc = nlohmann::json::parse(read_file(path).value());
  }
  doc["tokens"].push_back(entry);
  if (auto written = write_file_atomic(path, doc.dump(2) + "\n"); !written) {
    std::cerr << "og token: " << written.error().message << "\n";
    return false;
  }
  return true;
}

void run_new(const TokenOptions& options) {
  std::string token = random_token();
  auto entry = entry_of(token, options.role);
  if (!options.tokens_path.empty()) {
    if (!append_entry(options.tokens_path, entry)) return raise_exit(exit_error);
    std::cerr << "og token: added a token for "
              << (options.role.empty() ? "every node" : "role " + options.role) << " to "
              << options.tokens_path << "; it is shown once, here:\n";
    std::cout << token << "\n";
    return;
  }
  std::cout << token << "\n";
  std::cerr << "og token: its token-file entry: " << entry.dump() << "\n";
}

void run_hash(TokenOptions options) {
  if (options.token.empty() || options.token == "-") {
    options.token.assign(std::istreambuf_iterator<char>(std::cin), {});
    // `echo tok | og token hash`: the newline is not part of the token.
    if (!options.token.empty() && options.token.back() == '\n') options.token.pop_back();
    if (!options.token.empty() && options.token.back() == '\r') options.token.pop_back();
  }
  if (options.token.empty()) {
    std::cerr << "og token hash: no token (give it as an argument or on stdin)\n";
    return raise_exit(exit_error);
  }
  if (options.token.find_first_of(" \t\r\n") != std::string::npos) {
    std::cerr << "og token hash: a bearer token has no spaces or line breaks\n";
    return raise_exit(exit_error);
  }
  auto entry = entry_of(options.token, options.role);
  if (!options.tokens_path.empty()) {
    if (!append_entry(options.tokens_path, entry)) return raise_exit(exit_error);
    std::cerr << "og token: added to " << options.tokens_path << "\n";
    return;
  }
  std::cout << entry.dump() << "\n";
}

void add_file_options(CLI::App* cmd, TokenOptions& options) {
  cmd->add_option("--role", options.role, "The role the token reads as (default: every node)");
  cmd->add_option("--tokens", options.tokens_path,
                  "Token file to add the entry to (created when missing), as og serve --tokens");
}

} // namespace

void register_token(CLI::App& app) {
  auto* token = app.add_subcommand(
      "token", "Bearer tokens for og serve --http: a token file stores each token's SHA-256.");
  token->require_subcommand(1);
  auto new_options = std::make_shared<TokenOptions>();
  auto* make = token->add_subcommand("new", "Make a random token, print it once, and add its "
                                            "hash to a token file (--tokens)");
  add_file_options(make, *new_options);
  make->callback([new_options] { run_new(*new_options); });
  auto hash_options = std::make_shared<TokenOptions>();
  auto* hash = token->add_subcommand("hash", "The token-file entry of a token you have (argument "
                                             "or stdin; a trailing newline is not part of it)");
  hash->add_option("token", hash_options->token, "The token (- or nothing: read stdin)");
  add_file_options(hash, *hash_options);
  hash->callback([hash_options] { run_hash(*hash_options); });
}

} // namespace og::cli
