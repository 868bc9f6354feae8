#include <gtest/gtest.h>

#include "syntax/syntax.hpp"

namespace og::syntax {

namespace {

std::optional<AttributeList> parse(std::string_view text) {
  std::string error;
  uint32_t offset = 0;
  return parse_attribute_list(text, error, offset);
}

std::string_view found(std::string_view text) {
  Span s = find_trailing_attribute_list(text, 4096);
  return text.substr(s.start, s.size());
}

} // namespace

TEST(Attributes, ParsesIdsClassesAndValues) {
  auto list = parse("{#roll-back .steps .x-y scope=operator,admin note=\"a \\\"b\\\" c\" k='v w'}");
  ASSERT_TRUE(list);
  ASSERT_EQ(list->items.size(), 6u);
  EXPECT_EQ(list->items[0].kind, AttributeItem::id);
  EXPECT_EQ(list->items[0].key, "roll-back");
  EXPECT_EQ(list->items[2].key, "x-y");
  EXPECT_EQ(list->items[3].value, "operator,admin");
  EXPECT_EQ(list->items[4].value, "a \"b\" c");
  EXPECT_EQ(list->items[5].value, "v w");
  EXPECT_EQ(list->items[1].offset, 12u);
}

TEST(Attributes, ReportsWhereItFails) {
  std::string error;
  uint32_t offset = 0;
  EXPECT_FALSE(parse_attribute_list("{#a b}", error, offset));
  EXPECT_EQ(offset, 4u);
  EXPECT_FALSE(parse_attribute_list("{k=\"open}", error, offset));
  EXPECT_EQ(error, "unterminated quoted value");
  EXPECT_FALSE(parse("{}"));
  EXPECT_FALSE(parse("{#}"));
  EXPECT_FALSE(parse("{k=}"));
  EXPECT_FALSE(parse("{#a#b}"));
}

TEST(Attributes, FindsOnlyListsThatOpenLikeAttributes) {
  EXPECT_EQ(found("Title {#id .steps}"), "{#id .steps}");
  EXPECT_EQ(found("Title {#id}  "), "{#id}");
  EXPECT_EQ(found("{.steps}"), "{.steps}");
  EXPECT_EQ(found("Title {key=v}"), "{key=v}");
  EXPECT_EQ(found("Using {braces}"), "");
  EXPECT_EQ(found("Templates {{ .Values }}"), "");
  EXPECT_EQ(found("Glued{#id}"), "");
  EXPECT_EQ(found("Quoted {note=\"a {b\"}"), "{note=\"a {b\"}");
}

TEST(Attributes, BackwardScanIsBounded) {
  std::string long_heading = "{#a " + std::string(10000, 'x') + "}";
  EXPECT_TRUE(find_trailing_attribute_list(long_heading, 4096).empty());
}

TEST(Attributes, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(quote_attribute_value("operator"), "operator");
  EXPECT_EQ(quote_attribute_value("sre team"), "\"sre team\"");
  EXPECT_EQ(quote_attribute_value("say \"hi\""), "\"say \\\"hi\\\"\"");
  EXPECT_EQ(quote_attribute_value(""), "\"\"");
}

TEST(Attributes, QuotedValuesRoundTrip) {
  for (std::string value : {"a b", "x\"y", "back\\slash", "{braces}", "it's"}) {
    auto list = parse("{k=" + quote_attribute_value(value) + "}");
    ASSERT_TRUE(list) << value;
    EXPECT_EQ(list->items[0].value, value);
  }
}

} // namespace og::syntax
