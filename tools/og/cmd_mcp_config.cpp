// og mcp-config: a ready configuration for the MCP clients people use, stdio or HTTP, with
// absolute paths (desktop clients start servers from `/`).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <filesystem>
#include <iostream>

#include "cli.hpp"

namespace og::cli {

namespace {

namespace fs = std::filesystem;

const std::vector<std::string> clients = {"claude-code", "claude-desktop", "cursor", "vscode",
                                          "codex"};

struct ConfigOptions {
  std::string client;
  std::vector<std::string> paths;
  std::string name = "og";
  std::string role;
  std::string http;
  std::string token_env = "OG_TOKEN";
};

/// A TOML basic string (Codex's config.toml).
std::string toml_string(const std::string& text) {
  return nlohmann::json(text).dump(); // JSON string escapes are valid TOML basic-string escapes
}

std::string shell_quote(const std::string& word) {
  if (word.find_first_not_of(
          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/._-=:") ==
      std::string::npos)
    return word;
  std::string out = "'";
  for (char ch : word) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return out + "'";
}

void print_stdio(const ConfigOptions& o, const std::string& command,
                 const std::vector<std::string>& args) {
  nlohmann::json server = {{"command", command}, {"args", args}};
  if (o.client == "claude-code") {
    std::vector<std::string> words;
    for (const auto& a : args) words.push_back(shell_quote(a));
    std::cout << fmt::format("claude mcp add --transport stdio {} -- {} {}\n", shell_quote(o.name),
                             shell_quote(command), fmt::join(words, " "));
  } else if (o.client == "claude-desktop" || o.client == "cursor") {
    std::cout << nlohmann::json{{"mcpServers", {{o.name, server}}}}.dump(2) << "\n";
  } else if (o.client == "vscode") {
    server["type"] = "stdio";
    std::cout << nlohmann::json{{"servers", {{o.name, server}}}}.dump(2) << "\n";
  } else { // codex
    std::vector<std::string> quoted;
    for (const auto& a : args) quoted.push_back(toml_string(a));
    std::cout << fmt::format("[mcp_servers.{}]\ncommand = {}\nargs = [{}]\n", toml_string(o.name),
                             toml_string(command), fmt::join(quoted, ", "));
  }
}

void print_http(const ConfigOptions& o) {
  std::string url = o.http;
  if (o.client == "claude-code") {
    std::cout << fmt::format("claude mcp add --transport http {} {} --header \"Authorization: "
                             "Bearer ${}\"\n",
                             shell_quote(o.name), shell_quote(url), o.token_env);
  } else if (o.client == "cursor") {
    nlohmann::json server = {{"url", url},
                             {"headers", {{"Authorization", "Bearer ${env:" + o.token_env + "}"}}}};
    std::cout << nlohmann::json{{"mcpServers", {{o.name, server}}}}.dump(2) << "\n";
  } else if (o.client == "vscode") {
    nlohmann::json server = {{"type", "http"},
                             {"url", url},
                             {"headers", {{"Authorization", "Bearer ${input:og-token}"}}}};
    nlohmann::json input = {{"type", "promptString"},
                            {"id", "og-token"},
                            {"description", "og serve bearer token"},
                            {"password", true}};
    std::cout << nlohmann::json{{"servers", {{o.name, server}}}, {"inputs", {input}}}.dump(2)
              << "\n";
  } else { // codex
    std::cout << fmt::format("[mcp_servers.{}]\nurl = {}\nbearer_token_env_var = {}\n",
                             toml_string(o.name), toml_string(url), toml_string(o.token_env));
  }
}

void run_mcp_config(const ConfigOptions& o) {
  if (!o.http.empty()) {
    if (o.http.rfind("http://", 0) != 0 && o.http.rfind("https://", 0) != 0) {
      std::cerr
          << "og mcp-config: --http takes the server's URL, e.g. https://docs.example:8765/mcp\n";
      return raise_exit(exit_error);
    }
    if (o.client == "claude-desktop") {
      std::cerr << "og mcp-config: Claude Desktop adds remote servers under Settings → "
                   "Connectors, not in claude_desktop_config.json; give no --http for a local "
                   "(stdio) configuration\n";
      return raise_exit(exit_error);
    }
    if (!o.paths.empty() || !o.role.empty()) {
      std::cerr << "og mcp-config: with --http the server decides the documents and the token "
                   "the role; give no paths or --role\n";
      return raise_exit(exit_error);
    }
    return print_http(o);
  }
  if (o.paths.empty()) {
    std::cerr << "og mcp-config: give the files or folders to serve (or --http URL)\n";
    return raise_exit(exit_error);
  }
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) {
    std::cerr << "og mcp-config: cannot find this og binary: " << ec.message() << "\n";
    return raise_exit(exit_error);
  }
  std::vector<std::string> args = {"serve"};
  for (const auto& p : o.paths) {
    if (!fs::exists(p, ec)) {
      std::cerr << "og mcp-config: " << p << ": no such file or directory\n";
      return raise_exit(exit_error);
    }
    args.push_back(fs::absolute(p, ec).lexically_normal().string());
  }
  if (!o.role.empty()) args.insert(args.end(), {"--role", o.role});
  print_stdio(o, self.string(), args);
}

} // namespace

void register_mcp_config(CLI::App& app) {
  auto options = std::make_shared<ConfigOptions>();
  auto* cmd = app.add_subcommand(
      "mcp-config",
      "Print a configuration that plugs og serve into an MCP client:\n"
      "  claude-code     a `claude mcp add` command line\n"
      "  claude-desktop  claude_desktop_config.json (stdio only)\n"
      "  cursor          .cursor/mcp.json\n"
      "  vscode          .vscode/mcp.json\n"
      "  codex           ~/.codex/config.toml\n"
      "Local (stdio) with PATHs; remote with --http URL and a bearer token from the environment.");
  cmd->add_option("client", options->client, "The client")
      ->required()
      ->check(CLI::IsMember(clients));
  cmd->add_option("paths", options->paths, "Files or folders to serve (stdio)");
  cmd->add_option("--name", options->name, "The server's name in the client")
      ->capture_default_str();
  cmd->add_option("--role", options->role, "stdio: the role the client reads as");
  cmd->add_option("--http", options->http, "The URL of a running og serve --http (…/mcp)");
  cmd->add_option("--token-env", options->token_env,
                  "HTTP: the environment variable that holds the bearer token")
      ->capture_default_str();
  cmd->callback([options] { run_mcp_config(*options); });
}

} // namespace og::cli
