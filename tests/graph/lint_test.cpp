#include <gtest/gtest.h>

#include "graph/graph.hpp"
#include "og/og.hpp"

namespace og {

namespace {

std::vector<Code> codes(const Document& doc) {
  std::vector<Code> out;
  for (const auto& d : doc.diagnostics) out.push_back(d.code);
  return out;
}

} // namespace

TEST(Lint, FindsCyclesIteratively) {
  std::vector<std::vector<uint32_t>> graph = {{1}, {2}, {0}, {3}};
  auto cycles = graph::find_cycles(graph, 16);
  ASSERT_EQ(cycles.size(), 2u);
  EXPECT_EQ(cycles[0], (std::vector<uint32_t>{0, 1, 2, 0}));
  EXPECT_EQ(cycles[1], (std::vector<uint32_t>{3, 3}));
}

TEST(Lint, LongChainsDoNotRecurse) {
  std::vector<std::vector<uint32_t>> chain(200000);
  for (uint32_t i = 0; i + 1 < chain.size(); ++i) chain[i].push_back(i + 1);
  chain.back().push_back(0);
  auto cycles = graph::find_cycles(chain, 16);
  ASSERT_EQ(cycles.size(), 1u);
  EXPECT_EQ(cycles[0].size(), chain.size() + 1);
}

TEST(Lint, CycleMessageNamesTheCycle) {
  Document doc = parse("# A\n:requires #b\n# B\n:requires #c\n# C\n:requires #a\n", "x.og");
  ASSERT_EQ(codes(doc), std::vector<Code>{Code::requires_cycle});
  EXPECT_EQ(doc.diagnostics[0].message, "`:requires` cycle: #a -> #b -> #c -> #a");
}

TEST(Lint, SelfEdgeIsAWarning) {
  Document doc = parse("# A\n:see-also #a\n", "x.og");
  ASSERT_EQ(codes(doc), std::vector<Code>{Code::edge_to_self});
  EXPECT_EQ(doc.diagnostics[0].severity, Severity::warning);
}

TEST(Lint, RoleCycles) {
  Document doc = parse("---\nog: 1\nroles: {a: [b], b: [a]}\n---\n", "x.og");
  ASSERT_EQ(codes(doc), std::vector<Code>{Code::role_cycle});
}

TEST(Lint, AssertionDirectivesInAssertNodesAreFine) {
  Document doc =
      parse("# Check {.assert}\n:check state.x == 1\n:retry 3\n:escalate #page\n# Page\n", "x.og");
  EXPECT_TRUE(doc.diagnostics.empty());
  Document bad = parse("# Check {.assert}\n:retry three\n", "x.og");
  ASSERT_EQ(codes(bad), std::vector<Code>{Code::directive_value_invalid});
}

TEST(Lint, MalformedEdgeTarget) {
  Document doc = parse("# A\n:requires b\n", "x.og");
  ASSERT_EQ(codes(doc), std::vector<Code>{Code::directive_value_invalid});
  EXPECT_EQ(doc.diagnostics[0].span.start, 14u);
}

} // namespace og
