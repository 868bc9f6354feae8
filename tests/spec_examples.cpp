#include "spec_examples.hpp"

#include <stdexcept>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace og::test {

namespace {

const std::string fence(32, '`');

std::string untab(std::string text) {
  const std::string arrow = "\xE2\x86\x92";
  for (size_t at = text.find(arrow); at != std::string::npos; at = text.find(arrow, at))
    text.replace(at, arrow.size(), "\t");
  return text;
}

} // namespace

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<Example> read_examples(const std::string& path) {
  std::string text = read_text(path);
  std::vector<std::string> lines;
  for (size_t i = 0, end; i <= text.size(); i = end + 1) {
    end = text.find('\n', i);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(i, end - i));
  }
  std::vector<Example> examples;
  std::string section;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (line.rfind(fence + " example", 0) != 0) {
      if (!line.empty() && line[0] == '#') section = line.substr(line.find_first_not_of("# "));
      continue;
    }
    Example example;
    example.number = static_cast<int>(examples.size()) + 1;
    example.line = static_cast<int>(i) + 1;
    example.section = section;
    std::istringstream words(line.substr(fence.size() + 8));
    for (std::string word; words >> word;) example.words.push_back(word);
    bool in_output = false;
    for (++i; i < lines.size() && lines[i] != fence; ++i) {
      if (!in_output && lines[i] == ".") {
        in_output = true;
        continue;
      }
      (in_output ? example.expected : example.input) += lines[i] + "\n";
    }
    example.input = untab(example.input);
    example.expected = untab(example.expected);
    examples.push_back(std::move(example));
  }
  return examples;
}

std::vector<std::string> files_under(const std::string& dir, const std::string& suffix) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    std::string path = entry.path().string();
    if (entry.is_regular_file() && path.size() >= suffix.size() &&
        path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0)
      files.push_back(path);
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string shared_dir() {
  return OG_SHARED_DIR;
}
std::string source_dir() {
  return OG_SOURCE_DIR;
}

const Tokenizer& cl100k() {
  static const Tokenizer tokenizer = [] {
    auto loaded = Tokenizer::load(Encoding::cl100k_base);
    if (!loaded) throw std::runtime_error(loaded.error().message);
    return loaded.value();
  }();
  return tokenizer;
}

} // namespace og::test
