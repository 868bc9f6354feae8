#include <gtest/gtest.h>

#include <random>

#include "tokenize/tokenize.hpp"

namespace og::tokenize {

namespace {

// A toy vocabulary: every byte, plus merges with chosen ranks (lower merges first).
RankTable toy_ranks() {
  RankTable ranks;
  uint32_t rank = 0;
  for (int b = 0; b < 256; ++b) ranks.add(std::string(1, static_cast<char>(b)), rank++);
  for (const char* merge : {"ab", "aa", "ba", "abab", "aaa", "bb", "abb", "aab", "baab", "aaaa"})
    ranks.add(merge, rank++);
  return ranks;
}

} // namespace

TEST(RankTable, FindsBytesAndRanks) {
  RankTable ranks = toy_ranks();
  EXPECT_EQ(ranks.find("ab"), 256u);
  EXPECT_EQ(ranks.find("zz"), UINT32_MAX);
  EXPECT_EQ(ranks.bytes(257), "aa");
  EXPECT_EQ(ranks.bytes(99999), "");
  EXPECT_EQ(ranks.size(), 266u);
}

TEST(Bpe, MergesLowestRankFirst) {
  RankTable ranks = toy_ranks();
  std::vector<uint32_t> out;
  merge_by_scan(ranks, "aab", out); // "ab" (256) before "aa" (257), then "a" + "ab" = "aab"
  EXPECT_EQ(out, (std::vector<uint32_t>{263}));
  out.clear();
  merge_by_scan(ranks, "baaz", out); // "aa" (257) before "ba" (258)
  EXPECT_EQ(out, (std::vector<uint32_t>{'b', 257, 'z'}));
  out.clear();
  byte_pair_encode(ranks, "abab", out); // a whole-token hit
  EXPECT_EQ(out, (std::vector<uint32_t>{259}));
}

TEST(Bpe, ScanAndHeapAgree) {
  RankTable ranks = toy_ranks();
  std::mt19937 random(7);
  for (int round = 0; round < 3000; ++round) {
    std::string piece;
    size_t length = 2 + random() % (scan_merge_limit - 2);
    for (size_t i = 0; i < length; ++i) piece += "abz"[random() % (round % 2 ? 2 : 3)];
    std::vector<uint32_t> scan, heap;
    merge_by_scan(ranks, piece, scan);
    merge_by_heap(ranks, piece, heap);
    ASSERT_EQ(scan, heap) << piece;
  }
}

} // namespace og::tokenize
