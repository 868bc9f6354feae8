#include <gtest/gtest.h>

#include "og/og.hpp"

namespace og {

TEST(Render, PlainMarkdownIsExactlyMd4cHtml) {
  std::string md =
      "# Title\n\nSome *text* and a [link](#title).\n\n| a |\n|---|\n| b |\n\n- [x] done\n";
  EXPECT_EQ(render_html(parse(md, "x.md")), render_markdown_html(md, Dialect::github));
  EXPECT_EQ(render_html(parse(md, "x.md"), {Dialect::commonmark, true}),
            render_markdown_html(md, Dialect::commonmark));
}

TEST(Render, OgConstructsBecomeMetadataNotText) {
  std::string html =
      render_html(parse("# Deploy {#d .steps}\n:dense Ship it.\n:requires #d\n\n1. go\n", "x.og"));
  EXPECT_EQ(html.find("{#d"), std::string::npos);
  EXPECT_EQ(html.find(":dense"), std::string::npos);
  EXPECT_NE(html.find("<h1>Deploy</h1>"), std::string::npos);
  EXPECT_NE(html.find("<p class=\"og-dense\">Ship it.</p>"), std::string::npos);
  EXPECT_NE(html.find("<ol>\n<li>go</li>\n</ol>"), std::string::npos);
}

TEST(Render, NoMetadataDropsOgConstructs) {
  RenderOptions options;
  options.metadata = false;
  std::string html =
      render_html(parse("---\nog: 1\n---\n# A {#a}\n:dense x\ntext\n", "x.og"), options);
  EXPECT_EQ(html, "<h1>A</h1>\n<p>text</p>\n");
}

TEST(Render, FrontmatterIsATable) {
  std::string html =
      render_html(parse("---\nname: pdf\ndescription: <b>x</b>\n---\n# A\n", "x.md"));
  EXPECT_EQ(html.rfind("<table class=\"og-frontmatter\">", 0), 0u);
  EXPECT_NE(html.find("<th>description</th><td>&lt;b&gt;x&lt;/b&gt;</td>"), std::string::npos);
}

TEST(Render, MetadataIsEscaped) {
  std::string html = render_html(parse("# A {#a}\n:dense <script>alert(1)</script>\n", "x.og"));
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
}

TEST(Render, UnitMarkersAreReplaced) {
  std::string html = render_html(parse("# S\n\n{#u .warning}\n:dense careful\nDo not.\n", "x.og"));
  EXPECT_EQ(html.find("{#u"), std::string::npos);
  EXPECT_NE(html.find("id=\"u\" data-og-type=\"warning\""), std::string::npos);
  EXPECT_NE(html.find("<p>Do not.</p>"), std::string::npos);
}

} // namespace og
