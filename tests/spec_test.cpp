// Runs every example of docs/spec.md: the spec is the test suite.
#include <gtest/gtest.h>

#include "og/og.hpp"
#include "spec_examples.hpp"

namespace og {

namespace {

/// `state: …`, optional `output: …`, `check: …` -> "true", "false: …" or "error at N: …".
std::string run_assertion_example(const std::string& input) {
  std::string state, output, check;
  size_t pos = 0;
  while (pos < input.size()) {
    size_t end = input.find('\n', pos);
    std::string line = input.substr(pos, end - pos);
    pos = end == std::string::npos ? input.size() : end + 1;
    if (line.rfind("state: ", 0) == 0)
      state = line.substr(7);
    else if (line.rfind("output: ", 0) == 0)
      output = line.substr(8);
    else if (line.rfind("check: ", 0) == 0)
      check = line.substr(7);
  }
  ExpressionError error;
  auto expression = Expression::parse(check, &error);
  if (!expression)
    return "error at " + std::to_string(error.offset + 1) + ": " + error.message + "\n";
  auto outcome = expression->evaluate(state, output);
  return outcome.value ? "true\n" : "false: " + outcome.actual + "\n";
}

} // namespace

TEST(Spec, EveryExampleHolds) {
  auto examples = test::read_examples(test::source_dir() + "/docs/spec.md");
  ASSERT_GE(examples.size(), 20u);
  for (const auto& example : examples) {
    if (!example.words.empty() && example.words[0] == "assert") {
      EXPECT_EQ(run_assertion_example(example.input), example.expected)
          << "docs/spec.md:" << example.line << " (example " << example.number << ")";
      continue;
    }
    Document doc = parse(example.input, "example.og");
    bool html = !example.words.empty() && example.words[0] == "html";
    std::string actual = html ? render_html(doc) : graph_spec_lines(doc);
    EXPECT_EQ(actual, example.expected) << "docs/spec.md:" << example.line << " (example "
                                        << example.number << ", " << example.section << ")";
    EXPECT_EQ(write(doc), example.input) << "round trip, docs/spec.md:" << example.line;
    std::string once = format(doc);
    EXPECT_EQ(format(parse(once, "example.og")), once)
        << "fmt idempotence, docs/spec.md:" << example.line;
  }
}

TEST(Spec, TheSpecItselfChecksClean) {
  Document doc = parse(test::read_text(test::source_dir() + "/docs/spec.md"), "docs/spec.md");
  EXPECT_FALSE(doc.has_errors());
  EXPECT_EQ(write(doc), doc.source);
}

} // namespace og
