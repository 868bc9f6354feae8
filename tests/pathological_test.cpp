// Pathological inputs parse correctly (round trip, expected structure). Their cost is measured
// by `bench_parse --pathological`, not asserted here: tests make no timing assertions.
#include <gtest/gtest.h>

#include <algorithm>

#include "og/og.hpp"

namespace og {

namespace {

std::string repeat(std::string_view piece, size_t n) {
  std::string out;
  out.reserve(piece.size() * n);
  for (size_t i = 0; i < n; ++i) out += piece;
  return out;
}

void expect_lossless(const std::string& input) {
  Document doc = parse(input, "p.md");
  ASSERT_EQ(write(doc).size(), input.size());
  ASSERT_TRUE(write(doc) == input);
  std::string once = format(doc);
  ASSERT_TRUE(format(parse(once, "p.md")) == once);
}

} // namespace

TEST(Pathological, NestedBracketsAndQuotes) {
  expect_lossless(repeat("[", 50000) + "a" + repeat("]", 50000) + "\n");
  expect_lossless(repeat(">", 50000) + " a\n");
  expect_lossless(repeat("> ", 20000) + "# heading in quotes\n");
}

TEST(Pathological, DeepAndSpacedLists) {
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += std::string(static_cast<size_t>(i) * 2, ' ') + "- a\n";
  expect_lossless(deep);
  expect_lossless(repeat("- ", 30000) + "a\n" + repeat("\n", 30000));
  expect_lossless(repeat("- a\n\n  - b\n\n", 20000));
}

TEST(Pathological, ContainerDepthIsBoundedWithADiagnostic) {
  std::string input = repeat("- ", 30000) + "a\n" + repeat("\n", 30000);
  Document doc = parse(input, "p.md");
  ASSERT_EQ(doc.diagnostics.size(), 1u);
  EXPECT_EQ(doc.diagnostics[0].code, Code::limit_exceeded);
  EXPECT_EQ(doc.diagnostics[0].span.start, 512u); // the 257th marker
  EXPECT_TRUE(write(doc) == input);
  std::string html = render_html(doc);
  EXPECT_EQ(std::count(html.begin(), html.end(), '<') / 2, 2 * 256); // 256 lists, 256 items
}

TEST(Pathological, ManyLinksAndALongLine) {
  expect_lossless(repeat("[a](b) ", 200000) + "\n");
  expect_lossless(repeat("[[", 100000) + "a]]\n");
  expect_lossless(repeat("[[a]] [[b]]\nk = v\n\n", 50000));
  expect_lossless(std::string(10 * 1024 * 1024, 'x') + "\n");
}

TEST(Pathological, ManyHeadingsDirectivesAndAttributes) {
  std::string headings = repeat("## Same\n", 100000);
  Document doc = parse(headings, "p.og");
  ASSERT_EQ(doc.nodes.size(), 100000u);
  EXPECT_EQ(doc.nodes.back().id, "same-99999");
  expect_lossless(headings);

  std::string directives = "# A {#a}\n" + repeat(":see-also #a\n", 100000);
  Document d = parse(directives, "p.og");
  ASSERT_EQ(d.nodes[0].edges.size(), 100000u);
  expect_lossless(directives);

  std::string attributes = "# A {" + repeat("k=v ", 100000) + "}\n";
  Document a = parse(attributes, "p.og");
  ASSERT_EQ(a.nodes.size(), 1u);
  EXPECT_TRUE(a.nodes[0].attribute_list.empty()); // over max_attribute_list_bytes: heading text
  expect_lossless(attributes);

  std::string units = "# S\n\n" + repeat("{.steps}\ntext\n\n", 50000);
  Document u = parse(units, "p.og");
  ASSERT_EQ(u.nodes.size(), 50001u);
  EXPECT_EQ(u.nodes.back().id, "s.50000");
}

TEST(Pathological, EmptyHeadingsInARow) {
  std::string input = repeat("#\n", 50000);
  Document doc = parse(input, "p.md");
  ASSERT_EQ(doc.nodes.size(), 50000u);
  expect_lossless(input);
}

TEST(Pathological, RequiresChain) {
  std::string chain;
  for (int i = 0; i < 20000; ++i)
    chain += "# N" + std::to_string(i) + "\n:requires #n" + std::to_string(i + 1) + "\n";
  chain += "# N20000\n:requires #n0\n";
  Document doc = parse(chain, "p.og");
  ASSERT_EQ(doc.diagnostics.size(), 1u);
  EXPECT_EQ(doc.diagnostics[0].code, Code::requires_cycle);
}

} // namespace og
