#include <gtest/gtest.h>

#include "syntax/syntax.hpp"

namespace og::syntax {

TEST(Directives, ReadsNameAndTrimmedValue) {
  auto d = read_directive_line(":dense  Undo it.  ", 100);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->name, "dense");
  EXPECT_EQ(d->value, "Undo it.");
  EXPECT_EQ(d->value_offset, 108u);
  auto empty = read_directive_line(":precedes", 0);
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->value, "");
}

TEST(Directives, EmojiCodesAndIndentedLinesAreNotDirectives) {
  EXPECT_FALSE(read_directive_line(":smile: hello", 0));
  EXPECT_FALSE(read_directive_line(" :dense x", 0));
  EXPECT_FALSE(read_directive_line(":Dense x", 0));
  EXPECT_FALSE(read_directive_line(":", 0));
  EXPECT_FALSE(read_directive_line(":1abc x", 0));
}

TEST(Directives, KnownVocabulary) {
  for (auto name : {"dense", "keywords", "requires", "precedes", "see-also", "contradicts", "check",
                    "retry", "escalate", "x-owned-by"})
    EXPECT_TRUE(is_known_directive(name)) << name;
  EXPECT_FALSE(is_known_directive("note"));
  EXPECT_FALSE(is_known_directive("x-"));
}

TEST(Directives, CanonicalRankPutsExtensionsBetweenEdgesAndAssertions) {
  EXPECT_LT(directive_rank("dense"), directive_rank("keywords"));
  EXPECT_LT(directive_rank("contradicts"), directive_rank("x-foo"));
  EXPECT_LT(directive_rank("x-foo"), directive_rank("check"));
  EXPECT_LT(directive_rank("retry"), directive_rank("escalate"));
}

} // namespace og::syntax
