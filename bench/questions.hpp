// Shared by the retrieval benchmarks: the questions file of ../shared/bench and evidence checks.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace og::bench {

struct Question {
  std::string id, doc, cls, task, text;
  std::vector<std::string> evidence;
};

inline std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The questions, each `doc` made a canonical path (relative to the questions file's folder).
inline std::vector<Question> read_questions(const std::string& path) {
  std::vector<Question> questions;
  std::filesystem::path base = std::filesystem::path(path).parent_path();
  std::istringstream lines(read(path));
  for (std::string line; std::getline(lines, line);) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto j = nlohmann::json::parse(line);
    questions.push_back(
        {j["id"], std::filesystem::weakly_canonical(base / j["doc"].get<std::string>()).string(),
         j["class"], j["task"], j["question"], j["evidence"].get<std::vector<std::string>>()});
  }
  return questions;
}

inline std::string collapse(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

/// Every evidence string occurs in the delivered text, whitespace collapsed.
inline bool covers(const std::string& delivered, const std::vector<std::string>& evidence) {
  std::string haystack = collapse(delivered);
  for (const auto& e : evidence)
    if (haystack.find(collapse(e)) == std::string::npos) return false;
  return true;
}

} // namespace og::bench
