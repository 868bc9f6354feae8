#include <gtest/gtest.h>

#include "og/source.hpp"

namespace og {

TEST(LineIndex, CountsLfCrAndCrlfAsLineEndings) {
  LineIndex lines("a\nbb\r\nccc\rd");
  ASSERT_EQ(lines.line_count(), 4u);
  EXPECT_EQ(lines.line_start(1), 2u);
  EXPECT_EQ(lines.content_end(1), 4u);
  EXPECT_EQ(lines.line_end(1), 6u);
  EXPECT_EQ(lines.line_start(2), 6u);
  EXPECT_EQ(lines.line_start(3), 10u);
  EXPECT_EQ(lines.line_end(3), 11u);
}

TEST(LineIndex, PositionsAreOneBasedBytes) {
  LineIndex lines("ab\ncd\n");
  Position p = lines.position(4);
  EXPECT_EQ(p.line, 2u);
  EXPECT_EQ(p.column, 2u);
  EXPECT_EQ(lines.position(0).line, 1u);
  EXPECT_EQ(lines.line_count(), 3u); // the empty line after the final newline
}

TEST(LineIndex, EmptyText) {
  LineIndex lines("");
  EXPECT_EQ(lines.line_count(), 1u);
  EXPECT_EQ(lines.position(0).column, 1u);
}

} // namespace og
