// The shared bench corpus (real documents): lossless, canonical, clean, and rendered as md4c-html
// renders it.
#include <gtest/gtest.h>

#include <filesystem>

#include "og/og.hpp"
#include "spec_examples.hpp"

namespace og {

TEST(BenchCorpus, RoundTripFormatCheckAndRender) {
  std::string dir = test::shared_dir() + "/bench/corpus";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << dir << " not found (set OG_SHARED_DIR)";
  auto files = test::files_under(dir, ".md");
  ASSERT_GE(files.size(), 100u);
  size_t nodes = 0;
  for (const auto& file : files) {
    std::string source = test::read_text(file);
    Document doc = parse(source, file);
    nodes += doc.nodes.size();
    EXPECT_EQ(write(doc), source) << file;
    std::string once = format(doc);
    EXPECT_EQ(once, source) << file << ": plain Markdown is already canonical";
    EXPECT_FALSE(doc.has_errors()) << file;
    // og renders frontmatter as metadata; the Markdown after it must render exactly as md4c-html.
    RenderOptions plain;
    plain.metadata = false;
    std::string body = source.substr(doc.frontmatter.end);
    EXPECT_EQ(render_html(doc, plain), render_markdown_html(body, Dialect::github)) << file;
    EXPECT_EQ(render_html(doc, {Dialect::commonmark, false}),
              render_markdown_html(body, Dialect::commonmark))
        << file;
    if (!doc.meta.present) {
      EXPECT_EQ(render_html(doc), render_markdown_html(source, Dialect::github)) << file;
    }
    for (const auto& node : doc.nodes) {
      if (node.kind == NodeKind::document) continue; // no heading of its own
      std::string_view heading = doc.text(node.heading);
      EXPECT_TRUE(node.setext || heading.find('#') != std::string_view::npos)
          << file << ": " << heading;
    }
  }
  EXPECT_GT(nodes, 1000u);
}

} // namespace og
