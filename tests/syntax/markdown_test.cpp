#include <gtest/gtest.h>

#include "syntax/syntax.hpp"

namespace og::syntax {

TEST(MarkdownOutline, HeadingsWithTextOffsetsAndNesting) {
  std::string source = "# One\n\n> ## Quoted\n\nPara\n\n{#unit}\n\n> {#quoted}\n\nTwo\n===\n";
  Outline outline = scan_markdown(source, 0);
  ASSERT_EQ(outline.headings.size(), 3u);
  EXPECT_TRUE(outline.headings[0].top_level);
  EXPECT_EQ(outline.headings[0].first_text, 2u);
  EXPECT_FALSE(outline.headings[1].top_level);
  EXPECT_EQ(outline.headings[2].level, 1);
  EXPECT_EQ(outline.headings[2].first_text, source.find("Two"));
  ASSERT_EQ(outline.top_paragraphs.size(), 1u);
  EXPECT_EQ(outline.top_paragraphs[0], source.find("{#unit}")); // only `{` paragraphs, top level
}

TEST(MarkdownOutline, EmptyHeadingKnowsWhatSurroundsIt) {
  std::string source = "text\n\n#\n\nafter\n";
  Outline outline = scan_markdown(source, 0);
  ASSERT_EQ(outline.headings.size(), 1u);
  EXPECT_EQ(outline.headings[0].first_text, no_offset);
  EXPECT_EQ(outline.headings[0].seen_before, 4u);
  EXPECT_EQ(outline.headings[0].seen_after, source.find("after"));
}

TEST(MarkdownOutline, ScansFromAnOffset) {
  std::string source = "---\na: b\n---\n# H\n";
  Outline outline = scan_markdown(source, 13);
  ASSERT_EQ(outline.headings.size(), 1u);
  EXPECT_EQ(outline.headings[0].first_text, 15u);
}

TEST(MarkdownOutline, TitlePiecesDecodeEntitiesAndSkipImages) {
  Outline outline = scan_markdown("# a &amp; &#65; ![alt](x) `c`\n", 0);
  EXPECT_EQ(outline.headings[0].text, "a & A  c");
  EXPECT_EQ(outline.headings[0].text_before(4), "a "); // cut inside plain text
  EXPECT_EQ(outline.headings[0].text_before(5), "a "); // an entity is cut whole
}

} // namespace og::syntax
