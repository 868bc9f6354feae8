#include <gtest/gtest.h>

#include "og/og.hpp"

namespace og {

TEST(Roles, InclusionIsTransitive) {
  Document doc = parse(
      "---\nog: 1\nroles: {admin: [operator], operator: [reader], reader: []}\n---\n", "x.og");
  ASSERT_TRUE(doc.diagnostics.empty());
  const std::vector<std::string> reader{"reader"}, operator_scope{"operator"}, none;
  EXPECT_TRUE(role_sees(doc.meta, "admin", reader));
  EXPECT_TRUE(role_sees(doc.meta, "operator", reader));
  EXPECT_TRUE(role_sees(doc.meta, "reader", reader));
  EXPECT_FALSE(role_sees(doc.meta, "reader", operator_scope));
  EXPECT_FALSE(role_sees(doc.meta, "stranger", reader));
  EXPECT_TRUE(role_sees(doc.meta, "stranger", none));
}

TEST(Roles, CyclicRolesTerminate) {
  Document doc = parse("---\nog: 1\nroles: {a: [b], b: [a], c: []}\n---\n", "x.og");
  EXPECT_FALSE(role_sees(doc.meta, "a", {"c"}));
  EXPECT_TRUE(role_sees(doc.meta, "a", {"b"}));
}

TEST(Roles, ScopeIsInheritedFromParentAndMeta) {
  Document doc = parse(
      "---\nog: 1\nroles: {op: [r], r: []}\nscope: r\n---\n# A\n## B {scope=op}\n### C\n", "x.og");
  ASSERT_EQ(doc.nodes.size(), 3u);
  EXPECT_EQ(doc.nodes[0].effective_scope, std::vector<std::string>{"r"});
  EXPECT_EQ(doc.nodes[2].effective_scope, std::vector<std::string>{"op"});
  EXPECT_TRUE(doc.nodes[2].scope.empty());
}

TEST(EdgeKinds, Names) {
  EXPECT_EQ(edge_kind_name(EdgeKind::requires_), "requires");
  EXPECT_EQ(edge_kind_name(EdgeKind::see_also), "see-also");
}

} // namespace og
