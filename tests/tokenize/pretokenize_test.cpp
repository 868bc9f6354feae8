#include <gtest/gtest.h>

#include "tokenize/tokenize.hpp"

namespace og::tokenize {

namespace {

std::vector<std::string> split(Encoding encoding, std::string_view text) {
  std::vector<std::string> pieces;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = next_pretoken(encoding, text, pos);
    pieces.emplace_back(text.substr(pos, end - pos));
    pos = end;
  }
  return pieces;
}

using Pieces = std::vector<std::string>;

} // namespace

// Expected splits are tiktoken's (checked with its regex in the tiktoken package).
TEST(Pretokenize, Cl100kContractionsStandAlone) {
  EXPECT_EQ(split(Encoding::cl100k_base, "don't stop"), (Pieces{"don", "'t", " stop"}));
  EXPECT_EQ(split(Encoding::cl100k_base, "WE'RE"), (Pieces{"WE", "'RE"}));
}

TEST(Pretokenize, O200kContractionsJoinTheWord) {
  EXPECT_EQ(split(Encoding::o200k_base, "don't stop"), (Pieces{"don't", " stop"}));
  EXPECT_EQ(split(Encoding::o200k_base, "CamelCase HTTPServer"),
            (Pieces{"Camel", "Case", " HTTPServer"}));
}

TEST(Pretokenize, NumbersInThrees) {
  EXPECT_EQ(split(Encoding::cl100k_base, "1234567"), (Pieces{"123", "456", "7"}));
  EXPECT_EQ(split(Encoding::o200k_base, "x 12"), (Pieces{"x", " ", "12"}));
}

TEST(Pretokenize, WhitespaceRules) {
  // `\s+(?!\S)` leaves the last space to the next word; newlines end a whitespace run.
  EXPECT_EQ(split(Encoding::cl100k_base, "a   b"), (Pieces{"a", "  ", " b"}));
  EXPECT_EQ(split(Encoding::cl100k_base, "a \n\n  b"), (Pieces{"a", " \n\n", " ", " b"}));
  EXPECT_EQ(split(Encoding::cl100k_base, "end   "), (Pieces{"end", "   "}));
  EXPECT_EQ(split(Encoding::cl100k_base, "\thello"), (Pieces{"\thello"}));
}

TEST(Pretokenize, PunctuationTakesTrailingNewlinesAndO200kSlashes) {
  EXPECT_EQ(split(Encoding::cl100k_base, " !!\n\nx"), (Pieces{" !!\n\n", "x"}));
  EXPECT_EQ(split(Encoding::o200k_base, "a.//b"), (Pieces{"a", ".//", "b"}));
  EXPECT_EQ(split(Encoding::cl100k_base, "a.//b"), (Pieces{"a", ".//", "b"}));
}

TEST(Pretokenize, MarksAndLongS) {
  // A combining mark is no letter for cl100k: it starts a new piece as a prefix character.
  EXPECT_EQ(split(Encoding::cl100k_base, "e\xCC\x81t"), (Pieces{"e", "\xCC\x81t"}));
  EXPECT_EQ(split(Encoding::o200k_base, "e\xCC\x81t"), (Pieces{"e\xCC\x81t"}));
  EXPECT_EQ(split(Encoding::cl100k_base, "it'\xC5\xBF"), (Pieces{"it", "'\xC5\xBF"}));
}

TEST(Pretokenize, InvalidUtf8ActsAsASymbol) {
  EXPECT_EQ(split(Encoding::cl100k_base, "a\xFF\xFE b"), (Pieces{"a", "\xFF\xFE", " b"}));
}

TEST(Pretokenize, CoversEveryByteOnce) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += static_cast<char>((i * 7919) % 256);
  for (auto encoding : {Encoding::cl100k_base, Encoding::o200k_base}) {
    std::string joined;
    for (const auto& piece : split(encoding, text)) {
      ASSERT_FALSE(piece.empty());
      joined += piece;
    }
    EXPECT_EQ(joined, text);
  }
}

} // namespace og::tokenize
