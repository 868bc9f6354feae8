// Test helpers: examples in CommonMark's spec format (32-backtick `example` fences, `.`
// separator, `→` for tab) from docs/spec.md and the shared conformance suites, files, and the
// one cl100k_base tokenizer the suites share.
#pragma once

#include <string>
#include <vector>

#include "og/tokenizer.hpp"

namespace og::test {

struct Example {
  int number = 0;                 ///< 1-based, in file order
  int line = 0;                   ///< line of the opening fence
  std::string section;            ///< last ATX heading before the example
  std::vector<std::string> words; ///< after `example`
  std::string input;
  std::string expected;
};

std::vector<Example> read_examples(const std::string& path);

/// Reads a whole file; fails the current test when it cannot.
std::string read_text(const std::string& path);

/// Every file below `dir` whose name ends with `suffix`, sorted.
std::vector<std::string> files_under(const std::string& dir, const std::string& suffix);

std::string shared_dir();
std::string source_dir();

/// cl100k_base, loaded once; throws when the vocabulary is missing.
const Tokenizer& cl100k();

} // namespace og::test
