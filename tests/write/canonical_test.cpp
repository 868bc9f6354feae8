#include <gtest/gtest.h>

#include "og/og.hpp"

namespace og {

namespace {

std::string fmt(const std::string& input) {
  return format(parse(input, "x.og"));
}

} // namespace

TEST(Canonical, OrdersAndSpacesAttributes) {
  const std::string roles = "---\nog: 1\nroles: {op: []}\n---\n";
  EXPECT_EQ(fmt(roles + "## Title   {version=2  confidence=0.50 .steps #t owner='a b' scope=op}\n"),
            roles + "## Title {#t .steps scope=op confidence=0.5 version=2 owner=\"a b\"}\n");
  EXPECT_EQ(fmt("#   {.steps}\n"), "# {.steps}\n"); // the list is the whole title
}

TEST(Canonical, OrdersDirectivesAndKeepsLineEndings) {
  EXPECT_EQ(
      fmt("# A\r\n:see-also #b,#c\r\n:x-y   #b\r\n:keywords  a,b ,c\r\n:dense   D  \r\n\r\n# B\n# "
          "C\n"),
      "# A\r\n:dense D\r\n:keywords a, b, c\r\n:see-also #b, #c\r\n:x-y #b\r\n\r\n# B\n# C\n");
}

TEST(Canonical, NeverTouchesContent) {
  std::string content = "Intro  with   spaces\n\n# A\n\ntext {#not-attr}   \n* list\n";
  EXPECT_EQ(fmt(content), content);
}

TEST(Canonical, LeavesNodesWithErrorsAsWritten) {
  std::string input = "# A {#a   confidence=7}\n:requires   #missing\n";
  EXPECT_EQ(fmt(input), input);
}

TEST(Canonical, UnitMarkersLoseIndentation) {
  EXPECT_EQ(fmt("# S\n\n  {.steps   #u}\n:dense  d\n\n1. a\n"),
            "# S\n\n{#u .steps}\n:dense d\n\n1. a\n");
}

TEST(Canonical, IsIdempotent) {
  for (std::string input : {"## T {.steps #a}\n:requires #b\n:dense x\n## B {#b}\n",
                            "{.a}\n:keywords ,\n", "T {#x}\n===\n:dense d\n"}) {
    std::string once = fmt(input);
    EXPECT_EQ(fmt(once), once) << input;
  }
}

TEST(Canonical, LastDirectiveWithoutNewlineStaysWithoutOne) {
  EXPECT_EQ(fmt("# A\n:see-also #a\n:dense d"), "# A\n:dense d\n:see-also #a");
}

} // namespace og
