#include <gtest/gtest.h>

#include "og/og.hpp"

namespace og {

TEST(Corpus, ResolvesRelativePaths) {
  EXPECT_EQ(resolve_relative("docs/ops/a.og", "canary.og"), "docs/ops/canary.og");
  EXPECT_EQ(resolve_relative("docs/ops/a.og", "../b.og"), "docs/b.og");
  EXPECT_EQ(resolve_relative("a.og", "./x/../y.og"), "y.og");
  EXPECT_EQ(resolve_relative("a.og", "../up.og"), "../up.og");
  EXPECT_EQ(resolve_relative("/abs/a.og", "b.og"), "/abs/b.og");
}

TEST(Corpus, CrossFileEdgesResolveOrReport) {
  std::vector<Document> docs;
  docs.push_back(
      parse("# A\n:requires ops/b.og#b\n:see-also ops/b.og#nope\n:see-also gone.og#x\n", "a.og"));
  docs.push_back(parse("# B\n", "ops/b.og"));
  check_corpus(docs);
  ASSERT_EQ(docs[0].diagnostics.size(), 2u);
  EXPECT_EQ(docs[0].diagnostics[0].code, Code::edge_dangling);
  EXPECT_EQ(docs[0].diagnostics[1].code, Code::edge_document_missing);
  EXPECT_TRUE(docs[1].diagnostics.empty());
}

TEST(Corpus, LoadsTargetsOutsideTheSet) {
  std::vector<Document> docs;
  docs.push_back(parse("# A\n:requires b.og#b\n", "dir/a.og"));
  std::vector<std::string> asked;
  size_t initial = check_corpus(docs, [&](const std::string& path) -> std::optional<Document> {
    asked.push_back(path);
    return parse("# B\n", path);
  });
  EXPECT_EQ(initial, 1u);
  EXPECT_EQ(asked, std::vector<std::string>{"dir/b.og"});
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_TRUE(docs[0].diagnostics.empty());
}

TEST(Corpus, CyclesAcrossFiles) {
  std::vector<Document> docs;
  docs.push_back(parse("# A\n:requires b.og#b\n", "a.og"));
  docs.push_back(parse("# B\n:requires a.og#a\n", "b.og"));
  check_corpus(docs);
  size_t cycles = 0;
  for (const auto& doc : docs)
    for (const auto& d : doc.diagnostics) cycles += d.code == Code::requires_cycle;
  EXPECT_EQ(cycles, 1u);
}

} // namespace og
