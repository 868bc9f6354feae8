// Runs every example of docs/spec.md: the spec is the test suite.
#include <gtest/gtest.h>

#include "og/og.hpp"
#include "spec_examples.hpp"

namespace og {

TEST(Spec, EveryExampleHolds) {
  auto examples = test::read_examples(test::source_dir() + "/docs/spec.md");
  ASSERT_GE(examples.size(), 20u);
  for (const auto& example : examples) {
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
