#include <gtest/gtest.h>

#include <set>

#include "og/og.hpp"
#include "spec_examples.hpp"

namespace og {

TEST(Diagnostic, PrintsPathLineColumnSourceLineAndCaret) {
  Document doc = parse("# T\n\n## A {#a confidence=2}\n", "doc.og");
  ASSERT_EQ(doc.diagnostics.size(), 1u);
  EXPECT_EQ(format_diagnostic(doc.path, doc.source, doc.lines, doc.diagnostics[0]),
            "doc.og:3:10: error[OG0022]: confidence must be a number from 0 to 1, not `2`\n"
            "    3 | ## A {#a confidence=2}\n"
            "      |          ^~~~~~~~~~~\n");
}

TEST(Diagnostic, CaretCountsCodePointsAndKeepsTabs) {
  Document doc = parse("##\tÜber {#a .nope}\n", "t.og");
  ASSERT_EQ(doc.diagnostics.size(), 1u);
  std::string text = format_diagnostic(doc.path, doc.source, doc.lines, doc.diagnostics[0]);
  EXPECT_NE(text.find("      |   \t         ^~~~~\n"), std::string::npos) << text;
}

TEST(Diagnostic, CodesAreStableAndNamed) {
  EXPECT_EQ(code_name(Code::invalid_utf8), "OG0001");
  EXPECT_EQ(code_name(Code::requires_cycle), "OG0051");
  EXPECT_EQ(code_title(Code::requires_cycle), "requires-cycle");
}

// docs/diagnostics.md must list every code, with its title, and nothing else.
TEST(Diagnostic, DocumentationListsEveryCode) {
  std::string docs = test::read_text(test::source_dir() + "/docs/diagnostics.md");
  size_t count = 0;
  const Code* codes = all_codes(&count);
  std::set<std::string> listed;
  for (size_t at = docs.find("## OG"); at != std::string::npos; at = docs.find("## OG", at + 1))
    listed.insert(docs.substr(at + 3, 6));
  EXPECT_EQ(listed.size(), count);
  for (size_t i = 0; i < count; ++i) {
    std::string heading = "## " + code_name(codes[i]) + " " + std::string(code_title(codes[i]));
    EXPECT_NE(docs.find(heading), std::string::npos) << "missing: " << heading;
  }
}

} // namespace og
