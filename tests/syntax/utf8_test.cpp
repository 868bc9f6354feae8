#include <gtest/gtest.h>

#include "syntax/syntax.hpp"

namespace og::syntax {

TEST(Utf8, AcceptsValidText) {
  EXPECT_TRUE(find_invalid_utf8("plain ascii", 8).empty());
  EXPECT_TRUE(find_invalid_utf8("Stra\xC3\x9F"
                                "e \xE2\x86\x92 \xF0\x9F\x98\x80",
                                8)
                  .empty());
}

TEST(Utf8, ReportsEachInvalidSequenceStart) {
  // Stray continuation byte, overlong encoding, surrogate, truncated sequence at the end.
  std::string text = "a\x80"
                     "b\xC0\xAF"
                     "c\xED\xA0\x80"
                     "d\xE2\x82";
  std::vector<uint32_t> found = find_invalid_utf8(text, 100);
  ASSERT_GE(found.size(), 4u);
  EXPECT_EQ(found[0], 1u);
  EXPECT_EQ(found[1], 3u);
}

TEST(Utf8, StopsAtTheReportLimit) {
  std::string binary(1000, '\xFF');
  EXPECT_EQ(find_invalid_utf8(binary, 8).size(), 8u);
}

TEST(Utf8, RejectsCodePointsAboveUnicode) {
  // F4 90 is no valid prefix, so each of the four bytes starts an invalid sequence.
  EXPECT_EQ(find_invalid_utf8("\xF4\x90\x80\x80", 8).size(), 4u);
  EXPECT_TRUE(find_invalid_utf8("\xF4\x8F\xBF\xBF", 8).empty());
}

} // namespace og::syntax
