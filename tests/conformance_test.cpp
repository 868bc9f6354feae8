// The Markdown superset claim on the shared conformance suites: every example parses, writes back
// byte for byte, formats idempotently and renders exactly as md4c-html does.
#include <gtest/gtest.h>

#include <filesystem>

#include "og/og.hpp"
#include "spec_examples.hpp"

namespace og {

class Conformance : public ::testing::TestWithParam<std::string> {};

TEST_P(Conformance, ExamplesRoundTripFormatAndRenderLikeMd4c) {
  std::string path = test::shared_dir() + "/conformance/" + GetParam();
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " not found (set OG_SHARED_DIR)";
  auto examples = test::read_examples(path);
  ASSERT_FALSE(examples.empty());
  size_t same_html = 0, with_og = 0;
  for (const auto& example : examples) {
    Document doc = parse(example.input, "example.md");
    ASSERT_EQ(write(doc), example.input) << GetParam() << " example " << example.number;
    std::string once = format(doc);
    ASSERT_EQ(format(parse(once, "example.md")), once)
        << GetParam() << " example " << example.number;
    EXPECT_FALSE(doc.has_errors()) << GetParam() << " example " << example.number;
    bool og_syntax = doc.meta.present;
    for (const auto& node : doc.nodes)
      og_syntax |= !node.attribute_list.empty() || !node.directives.empty();
    if (og_syntax) {
      ++with_og;
      continue;
    }
    same_html += render_html(doc) == render_markdown_html(example.input, Dialect::github);
  }
  EXPECT_EQ(same_html + with_og, examples.size()) << GetParam();
  EXPECT_EQ(with_og, 0u) << GetParam() << ": plain Markdown examples must not read as og";
}

INSTANTIATE_TEST_SUITE_P(Suites, Conformance,
                         ::testing::Values("commonmark-0.31.2/spec.txt", "commonmark-0.30/spec.txt",
                                           "gfm-0.29.0.gfm.6/spec.txt",
                                           "gfm-0.29.0.gfm.6/extensions.txt",
                                           "gfm-0.29.0.gfm.6/regression.txt",
                                           "cmark-0.31.2/regression.txt",
                                           "cmark-0.31.2/smart_punct.txt"),
                         [](const auto& suite) {
                           std::string name = suite.param;
                           for (char& c : name)
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

} // namespace og
