#include <gtest/gtest.h>

#include "og/assertion.hpp"

namespace og {

namespace {

const std::string state =
    R"({"rollout": {"status": "complete"}, "replicas": {"ready": 3, "desired": 3},
  "items": [{"name": "api"}, {"name": "web"}], "tags": ["prod", "eu"], "empty": [], "flag": false})";

bool holds(std::string_view text,
           const std::string& output = "deployment \"payments\" successfully rolled out") {
  ExpressionError error;
  auto expression = Expression::parse(text, &error);
  EXPECT_TRUE(expression) << text << ": " << error.message;
  return expression && expression->evaluate(state, output).value;
}

ExpressionError parse_error(std::string_view text) {
  ExpressionError error;
  EXPECT_FALSE(Expression::parse(text, &error)) << text;
  return error;
}

} // namespace

TEST(Expression, PathsComparisonsAndLogic) {
  EXPECT_TRUE(holds(R"(state.rollout.status == "complete")"));
  EXPECT_TRUE(holds("state.replicas.ready >= state.replicas.desired"));
  EXPECT_TRUE(holds(R"(state.items[1].name == 'web')"));
  EXPECT_TRUE(holds(R"(state["rollout"]["status"] != "failed")"));
  EXPECT_TRUE(holds("state.replicas.ready > 2 and not (state.replicas.ready > 3)"));
  EXPECT_TRUE(holds("state.flag or state.replicas.ready == 3.0"));
  EXPECT_FALSE(holds("state.missing.deep == 1"));
  EXPECT_FALSE(holds(R"(state.replicas.ready < "3")")); // different types never compare
}

TEST(Expression, InExistsLenMatches) {
  EXPECT_TRUE(holds(R"("prod" in state.tags)"));
  EXPECT_TRUE(holds(R"("rollout" in state)"));
  EXPECT_TRUE(holds(R"("rolled" in output)"));
  EXPECT_TRUE(holds("state.replicas.ready in [1, 2, 3]"));
  EXPECT_TRUE(holds("exists(state.rollout.status) and not exists(state.nope)"));
  EXPECT_TRUE(holds("len(state.items) == 2 and len(state.empty) == 0 and len(output) > 10"));
  EXPECT_TRUE(holds("output matches /successfully rolled out/"));
  EXPECT_TRUE(holds("output matches /SUCCESSFULLY/i"));
  EXPECT_TRUE(holds(R"(state.rollout.status matches /^compl\w+$/)"));
  EXPECT_FALSE(holds("output matches /failed/"));
}

TEST(Expression, FailuresReportActualValues) {
  auto e = Expression::parse("state.replicas.ready > 5", nullptr);
  ASSERT_TRUE(e);
  auto outcome = e->evaluate(state, "");
  EXPECT_FALSE(outcome.value);
  EXPECT_EQ(outcome.actual, "3 > 5");
}

TEST(Expression, FailuresListEveryFailedOperandAndNothingThatHeld) {
  auto actual = [](std::string_view text) {
    auto e = Expression::parse(text, nullptr);
    EXPECT_TRUE(e) << text;
    return e ? e->evaluate(state, "").actual : std::string();
  };
  EXPECT_EQ(actual("state.replicas.ready > 5 and state.rollout.status == \"failed\""),
            "3 > 5; \"complete\" == \"failed\"");
  // A held operand of `and`, and the failed side of an `or` that held, are not reported.
  EXPECT_EQ(actual("state.replicas.ready == 3 and state.replicas.ready > 5"), "3 > 5");
  EXPECT_EQ(actual("(state.replicas.ready > 5 or state.replicas.ready == 3) and "
                   "state.rollout.status == \"x\""),
            "\"complete\" == \"x\"");
}

TEST(Expression, ParseErrorsHavePositions) {
  EXPECT_EQ(parse_error("state.a ==").offset, 10u);
  EXPECT_EQ(parse_error("state.a == 1 1").offset, 13u);
  EXPECT_EQ(
      parse_error("output matches /(unclosed/").message.rfind("invalid regular expression", 0), 0u);
  EXPECT_EQ(parse_error("output.length == 1").message, "`output` is a string and has no fields");
  EXPECT_EQ(parse_error("system('rm -rf /')").offset, 0u); // no functions beyond exists and len
  EXPECT_EQ(parse_error("\"open").message, "unterminated string");
}

TEST(Expression, NestingIsBounded) {
  std::string deep(100, '(');
  EXPECT_NE(parse_error(deep + "1" + std::string(100, ')')).message.find("nested deeper"),
            std::string::npos);
  EXPECT_TRUE(Expression::parse(std::string(60, '(') + "1" + std::string(60, ')'), nullptr));
  std::string nots;
  for (int i = 0; i < 1000; ++i) nots += "not ";
  EXPECT_FALSE(Expression::parse(nots + "true", nullptr));
  std::string lens;
  for (int i = 0; i < 1000; ++i) lens += "len(";
  EXPECT_FALSE(Expression::parse(lens + "output" + std::string(1000, ')'), nullptr));
  EXPECT_FALSE(Expression::parse(std::string(5000, ' ') + "true", nullptr)); // over max_bytes
}

// RE2 runs in linear time: patterns that make backtracking engines explode stay fast. The test
// asserts the answers; docs/benchmarks.md has no timing for them because there is nothing to see.
TEST(Expression, CatastrophicPatternsStayLinear) {
  std::string evil(200000, 'a');
  evil += '!';
  for (const char* pattern : {"output matches /(a+)+$/", "output matches /(a|aa)+$/",
                              "output matches /(a*)*b/", "output matches /^(a|a?)+$/"}) {
    auto e = Expression::parse(pattern, nullptr);
    ASSERT_TRUE(e) << pattern;
    EXPECT_FALSE(e->evaluate("{}", evil).value) << pattern;
  }
}

TEST(Expression, InvalidStateIsNull) {
  auto e = Expression::parse("exists(state.a)", nullptr);
  ASSERT_TRUE(e);
  EXPECT_FALSE(e->evaluate("not json", "").value);
}

} // namespace og
