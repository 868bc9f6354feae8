// Needs the vocabularies (scripts/fetch-vocab.sh, run by scripts/test.sh).
#include <gtest/gtest.h>

#include <random>

#include "og/tokenizer.hpp"

namespace og {

namespace {

const Tokenizer& tokenizer(Encoding encoding) {
  static auto cl100k = Tokenizer::load(Encoding::cl100k_base);
  static auto o200k = Tokenizer::load(Encoding::o200k_base);
  auto& loaded = encoding == Encoding::cl100k_base ? cl100k : o200k;
  if (!loaded) {
    ADD_FAILURE() << loaded.error().message;
    std::abort();
  }
  return loaded.value();
}

} // namespace

TEST(Tokenizer, KnownIds) {
  // Reference ids from tiktoken 1.0.22.
  EXPECT_EQ(tokenizer(Encoding::cl100k_base).encode("Hello world"),
            (std::vector<uint32_t>{9906, 1917}));
  EXPECT_EQ(tokenizer(Encoding::o200k_base).encode("Hello world"),
            (std::vector<uint32_t>{13225, 2375}));
  EXPECT_EQ(tokenizer(Encoding::cl100k_base).count("Hello world, don't panic!"), 7u);
}

TEST(Tokenizer, SpecialTokenTextIsOrdinaryText) {
  const Tokenizer& t = tokenizer(Encoding::cl100k_base);
  std::vector<uint32_t> ids = t.encode("<|endoftext|>");
  EXPECT_GT(ids.size(), 1u);
  for (uint32_t id : ids) EXPECT_LT(id, 100256u);
  EXPECT_EQ(t.decode({100257}), "<|endoftext|>"); // decoding a special id still works
}

TEST(Tokenizer, DecodeInvertsEncodeForAnyBytes) {
  std::mt19937 random(11);
  for (auto encoding : {Encoding::cl100k_base, Encoding::o200k_base}) {
    const Tokenizer& t = tokenizer(encoding);
    for (int round = 0; round < 300; ++round) {
      std::string text;
      size_t length = random() % 300;
      for (size_t i = 0; i < length; ++i) text += static_cast<char>(random() % 256);
      ASSERT_EQ(t.decode(t.encode(text)), text);
      ASSERT_EQ(t.count(text), t.encode(text).size());
    }
  }
}

TEST(Tokenizer, UnknownIdsAreCounted) {
  size_t unknown = 0;
  EXPECT_EQ(tokenizer(Encoding::cl100k_base).decode({9906, 4000000}, &unknown), "Hello");
  EXPECT_EQ(unknown, 1u);
}

TEST(Tokenizer, MissingVocabularyNamesTheFix) {
  auto missing = Tokenizer::load(Encoding::o200k_base, "/nonexistent");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("/nonexistent/o200k_base.json"), std::string::npos);
  EXPECT_NE(missing.error().message.find("fetch-vocab.sh"), std::string::npos);
}

TEST(Tokenizer, WrongFileIsRefused) {
  std::string dir = ::testing::TempDir() + "og-vocab";
  std::string cmd = "mkdir -p " + dir +
                    " && printf '{\"pat_str\":\"x\",\"bpe_ranks\":\"! 0 YQ==\"}' > " + dir +
                    "/cl100k_base.json";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  auto loaded = Tokenizer::load(Encoding::cl100k_base, dir);
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().message.find("pattern"), std::string::npos);
}

TEST(Tokenizer, Names) {
  Encoding e{};
  EXPECT_TRUE(parse_encoding("o200k_base", &e));
  EXPECT_EQ(e, Encoding::o200k_base);
  EXPECT_FALSE(parse_encoding("p50k_base", &e));
  EXPECT_EQ(encoding_name(Encoding::cl100k_base), "cl100k_base");
}

} // namespace og
