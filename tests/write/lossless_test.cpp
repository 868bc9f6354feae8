#include <gtest/gtest.h>

#include <random>

#include "og/og.hpp"

namespace og {

TEST(Lossless, EveryByteComesBack) {
  for (std::string input : {"", "\n", "# A", "# A\n:dense x", "---\nog: 1\n---", "\r\n\r\n# x\r",
                            "{#u}\n:dense d", "Setext\n===", "# A {#a}\n:requires #a\n:bogus x\n"})
    EXPECT_EQ(write(parse(input, "x.og")), input) << input;
}

// Random documents assembled from og and Markdown fragments, line endings mixed.
TEST(Lossless, RandomFragmentDocuments) {
  const char* fragments[] = {"# H",
                             "## Sub {#s .steps}",
                             ":dense d",
                             ":requires #s",
                             "{#u .warning}",
                             "text",
                             "",
                             "Setext",
                             "===",
                             "---",
                             "```",
                             "> # q",
                             "- item",
                             "| a | b |",
                             "|---|---|",
                             ":bad x",
                             "#",
                             "    code",
                             "<div>",
                             "{.x}"};
  const char* endings[] = {"\n", "\r\n", "\r"};
  std::mt19937 random(42);
  for (int round = 0; round < 2000; ++round) {
    std::string input;
    int lines = static_cast<int>(random() % 20);
    for (int i = 0; i < lines; ++i)
      input += std::string(fragments[random() % std::size(fragments)]) + endings[random() % 3];
    Document doc = parse(input, "r.og");
    ASSERT_EQ(write(doc), input) << input;
    std::string once = format(doc);
    ASSERT_EQ(format(parse(once, "r.og")), once) << input;
  }
}

} // namespace og
