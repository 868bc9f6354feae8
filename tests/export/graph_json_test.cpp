#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "og/og.hpp"

namespace og {

TEST(GraphJson, HasTheDocumentedFields) {
  Document doc = parse("# A {#a .steps}\n:requires #b\nx\n## B\n", "x.og");
  auto j = nlohmann::json::parse(graph_json(doc));
  ASSERT_EQ(j["nodes"].size(), 2u);
  const auto& a = j["nodes"][0];
  for (auto key : {"id", "title", "level", "type", "scope", "edges", "heading", "body"})
    EXPECT_TRUE(a.contains(key)) << key;
  EXPECT_EQ(a["edges"][0]["kind"], "requires");
  EXPECT_EQ(a["edges"][0]["target"], "#b");
  EXPECT_EQ(a["heading"]["start"], 0);
  EXPECT_EQ(a["heading"]["end"], 16);
  EXPECT_EQ(a["body"]["start"], 29);
  EXPECT_EQ(j["nodes"][1]["parent"], "a");
  EXPECT_TRUE(j["diagnostics"].empty());
}

TEST(GraphJson, InvalidUtf8IsReplacedNotThrown) {
  Document doc = parse("# Caf\xE9\n", "x.md");
  auto j = nlohmann::json::parse(graph_json(doc));
  EXPECT_EQ(j["diagnostics"][0]["code"], "OG0001");
}

TEST(GraphDot, NodesAndEdges) {
  std::string dot = graph_dot(parse("# A\n:requires #b\n## B\n", "x.og"));
  EXPECT_NE(dot.find("\"a\" -> \"b\" [style=dashed, label=\"requires\"]"), std::string::npos);
  EXPECT_NE(dot.find("\"a\" -> \"b\" [color=gray]"), std::string::npos);
}

} // namespace og
