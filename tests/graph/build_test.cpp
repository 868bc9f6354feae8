#include <gtest/gtest.h>

#include "og/og.hpp"

namespace og {

namespace {

std::vector<std::string> ids(const Document& doc) {
  std::vector<std::string> out;
  for (const auto& node : doc.nodes) out.push_back(node.id);
  return out;
}

std::string part(const Document& doc, Span span) {
  return std::string(doc.text(span));
}

} // namespace

TEST(Parse, SpansPartitionTheDocument) {
  Document doc = parse("---\nog: 1\n---\nintro\n# A {#a}\n:dense d\nbody\n## B\ntext", "x.og");
  ASSERT_EQ(doc.nodes.size(), 3u);
  EXPECT_EQ(part(doc, doc.frontmatter), "---\nog: 1\n---\n");
  // Text before the first heading is the document node's body, not an unowned preamble.
  EXPECT_EQ(doc.nodes[0].kind, NodeKind::document);
  EXPECT_EQ(doc.nodes[0].id, "top");
  EXPECT_EQ(doc.nodes[0].title, "A"); // the first level-1 heading
  EXPECT_EQ(part(doc, doc.nodes[0].heading), "");
  EXPECT_EQ(part(doc, doc.nodes[0].body), "intro\n");
  EXPECT_EQ(part(doc, doc.preamble), "");
  EXPECT_EQ(part(doc, doc.nodes[1].heading), "# A {#a}\n");
  EXPECT_EQ(part(doc, doc.nodes[1].attribute_list), "{#a}");
  EXPECT_EQ(part(doc, doc.nodes[1].directive_block), ":dense d\n");
  EXPECT_EQ(part(doc, doc.nodes[1].body), "body\n");
  EXPECT_EQ(part(doc, doc.nodes[2].heading), "## B\n");
  EXPECT_EQ(part(doc, doc.nodes[2].body), "text");
  EXPECT_EQ(part(doc, doc.nodes[1].extent), "# A {#a}\n:dense d\nbody\n## B\ntext");
  EXPECT_EQ(write(doc), doc.source);
}

TEST(Parse, EveryDocumentHasANodeForItsOpeningText) {
  // A note without headings: titled by the frontmatter, its dense from `description`.
  Document note = parse("---\ntitle: Ideas\ndescription: What to try next.\n---\nSome prose.\n",
                        "vault/ideas.md");
  ASSERT_EQ(note.nodes.size(), 1u);
  EXPECT_EQ(note.nodes[0].title, "Ideas");
  EXPECT_EQ(note.nodes[0].dense, "What to try next.");
  EXPECT_EQ(note.text(note.nodes[0].body), "Some prose.\n");
  // Else the file name; an index, README or SKILL file by its folder.
  EXPECT_EQ(parse("text\n", "notes/deploy-app.md").nodes[0].title, "deploy-app");
  EXPECT_EQ(parse("text\n", "skills/pdf/SKILL.md").nodes[0].title, "pdf");
  EXPECT_EQ(parse("", "empty.md").nodes.size(), 1u);
  // With nothing before it, the first level-1 heading stands for the document (a SKILL.md).
  Document skill = parse("---\nname: pdf\ndescription: Fill and merge PDF forms.\n---\n# PDF\n",
                         "skills/pdf/SKILL.md");
  ASSERT_EQ(skill.nodes.size(), 1u);
  EXPECT_EQ(skill.nodes[0].dense, "Fill and merge PDF forms.");
  // No node for blank space before the first heading; `top` yields to a heading of that name.
  EXPECT_EQ(parse("\n# A\n", "a.md").nodes.size(), 1u);
  Document top = parse("intro\n# Top\n", "a.md");
  EXPECT_EQ(top.nodes[0].id, "top-1");
  EXPECT_EQ(top.nodes[1].id, "top");
}

TEST(Parse, SetextHeadingSpansItsTextAndUnderline) {
  Document doc = parse("para\n\nMulti *line*\nheading {#h}\n---\nbody\n", "x.og");
  ASSERT_EQ(doc.nodes.size(), 2u);
  const Node& node = doc.nodes[1];
  EXPECT_TRUE(node.setext);
  EXPECT_EQ(part(doc, node.heading), "Multi *line*\nheading {#h}\n---\n");
  EXPECT_EQ(node.id, "h");
  EXPECT_EQ(node.title, "Multi line heading");
}

TEST(Parse, HeadingsInCodeBlocksAreNotNodes) {
  Document doc =
      parse("```\n# not a heading\n```\n\n    # nor this\n\n<div>\n# html\n</div>\n", "x.og");
  ASSERT_EQ(doc.nodes.size(), 1u); // only the document node holding it all
  EXPECT_EQ(doc.nodes[0].kind, NodeKind::document);
}

TEST(Parse, HierarchyFollowsLevels) {
  Document doc = parse("# A\n### C\n## B\n# D\n", "x.og");
  ASSERT_EQ(ids(doc), (std::vector<std::string>{"a", "c", "b", "d"}));
  EXPECT_EQ(doc.nodes[1].parent, 0);
  EXPECT_EQ(doc.nodes[2].parent, 0);
  EXPECT_EQ(doc.nodes[3].parent, -1);
  EXPECT_EQ(doc.nodes[0].children, (std::vector<uint32_t>{1, 2}));
}

TEST(Parse, ClosingSequenceAndAttributes) {
  Document doc = parse("## Title {#t .steps} ##\n", "x.og");
  ASSERT_EQ(doc.nodes.size(), 1u);
  EXPECT_EQ(doc.nodes[0].id, "t");
  EXPECT_EQ(doc.nodes[0].type, "steps");
  EXPECT_EQ(doc.nodes[0].title, "Title");
}

TEST(Parse, DirectivesStopAtTheNextHeadingEvenWithoutBlankLine) {
  // `:dense x` followed by `---` is a setext heading in Markdown: it must stay one.
  Document doc = parse("# A\n:dense x\n---\n", "x.og");
  ASSERT_EQ(doc.nodes.size(), 2u);
  EXPECT_EQ(doc.nodes[0].dense, "");
  EXPECT_EQ(doc.nodes[1].title, ":dense x");
}

TEST(Parse, CrlfLineEndings) {
  Document doc = parse("# A {#a}\r\n:dense d\r\n\r\nbody\r\n", "x.og");
  ASSERT_EQ(doc.nodes.size(), 1u);
  EXPECT_EQ(doc.nodes[0].dense, "d");
  EXPECT_EQ(part(doc, doc.nodes[0].directive_block), ":dense d\r\n");
}

TEST(Parse, UnitsInThePreambleAndSections) {
  Document doc = parse("{.concept}\nfirst\n\n# S\n\n{#u1}\none\n\n{.steps}\n1. a\n", "x.og");
  ASSERT_EQ(ids(doc), (std::vector<std::string>{"preamble.1", "s", "u1", "s.2"}));
  EXPECT_EQ(doc.nodes[0].kind, NodeKind::unit);
  EXPECT_EQ(doc.nodes[0].parent, -1);
  EXPECT_EQ(doc.nodes[2].parent, 1);
  EXPECT_EQ(part(doc, doc.nodes[3].body), "1. a\n");
}

TEST(Parse, InvalidUtf8IsAWarningAndBytesStay) {
  std::string input = "# Caf\xE9\n";
  Document doc = parse(input, "x.md");
  ASSERT_EQ(doc.diagnostics.size(), 1u);
  EXPECT_EQ(doc.diagnostics[0].code, Code::invalid_utf8);
  EXPECT_EQ(doc.diagnostics[0].span.start, 5u);
  EXPECT_EQ(write(doc), input);
}

TEST(Parse, TooLargeInputIsRefusedButKept) {
  ParseOptions options;
  options.max_input_bytes = 10;
  Document doc = parse("# Heading that is long\n", "x.md", options);
  ASSERT_EQ(doc.diagnostics.size(), 1u);
  EXPECT_EQ(doc.diagnostics[0].code, Code::input_too_large);
  EXPECT_EQ(write(doc), "# Heading that is long\n");
}

TEST(Parse, NulBytesMakeABinaryFileNotADocument) {
  // Issue #12: a file with NUL bytes was read as Markdown and served.
  std::string input("# A\0B\n\x01\x02\n", 10);
  Document doc = parse(input, "x.md");
  EXPECT_TRUE(doc.nodes.empty());
  ASSERT_EQ(doc.diagnostics.size(), 1u);
  EXPECT_EQ(doc.diagnostics[0].code, Code::binary_input);
  EXPECT_EQ(write(doc), input);
  Document control = parse("# A\x01\x02\n", "x.md"); // other control bytes are text
  EXPECT_EQ(control.nodes.size(), 1u);
  EXPECT_TRUE(control.diagnostics.empty());
}

TEST(Parse, AnAttributeListWithoutIdDoesNotShiftDerivedIds) {
  // Found by fuzz_transpile: the list made its heading skip slug de-duplication, so adding
  // `{.concept}` renamed the next `# A` from a-2 to a-1-1.
  Document doc = parse("# A\n# A {.concept}\nx\n# A\n", "x.og");
  EXPECT_EQ(ids(doc), (std::vector<std::string>{"a", "a-1", "a-2"}));
  EXPECT_TRUE(doc.diagnostics.empty());
  EXPECT_EQ(ids(parse("# A\n# A\nx\n# A\n", "x.og")), ids(doc));
}

TEST(Parse, AnEmptyHeadingIsPlacedOnALineOfItsLevel) {
  // Found by fuzz_transpile: `-` under the list item `+` was taken for this heading's underline.
  Document doc = parse("+\n-\n#\nc", "x.og");
  ASSERT_EQ(doc.nodes.size(), 2u);
  EXPECT_EQ(part(doc, doc.nodes[1].heading), "#\n");
  EXPECT_EQ(part(doc, doc.nodes[1].body), "c");
  EXPECT_EQ(part(doc, doc.nodes[0].body), "+\n-\n");
  // Nor on the line of an empty heading nested in a list item before it.
  Document nested = parse("-\n  #\n#\nx", "x.og");
  ASSERT_EQ(nested.nodes.size(), 2u);
  EXPECT_EQ(part(nested, nested.nodes[1].heading), "#\n");
  // Nor on the next indented empty heading when the nested one is on its item's line
  // (found by fuzz_transpile: ` ##` was taken for the `##` of `1. ##`).
  Document marked = parse("1. ##\n#\n ##\n#\nx", "x.og");
  ASSERT_EQ(marked.nodes.size(), 4u); // the document node, then `#`, ` ##`, `#`
  EXPECT_EQ(part(marked, marked.nodes[1].heading), "#\n");
  EXPECT_EQ(part(marked, marked.nodes[2].heading), " ##\n");
  EXPECT_EQ(part(marked, marked.nodes[3].body), "x");
  // Nor on a `-` of its level under a list item: that is a second list, not an underline.
  Document lists = parse("+ \n+ \n-\n##\nx", "x.og");
  ASSERT_EQ(lists.nodes.size(), 2u);
  EXPECT_EQ(part(lists, lists.nodes[1].heading), "##\n");
  // Nor on a `-` under a thematic break: `---` is no heading text (found by fuzz_transpile:
  // the heading took the file's first two lines, and transpile's directives went above it).
  Document rule = parse("---\n-\n##\nH", "x.md");
  ASSERT_EQ(rule.nodes.size(), 2u);
  EXPECT_EQ(part(rule, rule.nodes[1].heading), "##\n");
  EXPECT_EQ(part(rule, rule.nodes[0].body), "---\n-\n");
  // Nor on a table's delimiter row (`|` / `|---` is a table, then an empty item).
  Document table = parse("|\n|---\n-\n##\nI", "x.md");
  ASSERT_EQ(table.nodes.size(), 2u);
  EXPECT_EQ(part(table, table.nodes[1].heading), "##\n");
  // An underline under images only is a heading without text, placed where it is.
  Document image = parse("intro\n\n![](x.png)\n---\ntext\n", "x.md");
  ASSERT_EQ(image.nodes.size(), 2u);
  EXPECT_EQ(part(image, image.nodes[1].heading), "![](x.png)\n---\n");
}

TEST(Parse, LookupById) {
  Document doc = parse("# A\n## B {#bee}\n", "x.og");
  ASSERT_NE(doc.find("bee"), nullptr);
  EXPECT_EQ(doc.find("bee")->title, "B");
  EXPECT_EQ(doc.find("missing"), nullptr);
}

} // namespace og
