#include <gtest/gtest.h>

#include "syntax/syntax.hpp"

namespace og::syntax {

namespace {

struct Read {
  Span span;
  Meta meta;
  std::vector<Diagnostic> diagnostics;
};

Read read(std::string_view source) {
  Read r;
  r.span = read_frontmatter(source, ParseOptions{}, r.meta, r.diagnostics);
  return r;
}

} // namespace

TEST(Frontmatter, ReadsOgFields) {
  std::string source =
      "---\nog: 1\nid: x\ntitle: \"A title\"\nversion: 3\n"
      "roles: {admin: [operator], operator: reader, reader: []}\nscope: [reader]\n---\n# H\n";
  Read r = read(source);
  EXPECT_EQ(r.span.end, source.find("# H"));
  EXPECT_TRUE(r.meta.present);
  EXPECT_EQ(r.meta.og_version, 1);
  EXPECT_EQ(r.meta.id, "x");
  EXPECT_EQ(r.meta.title, "A title");
  EXPECT_EQ(r.meta.version, 3u);
  ASSERT_EQ(r.meta.roles.size(), 3u);
  EXPECT_EQ(r.meta.roles[1].includes, std::vector<std::string>{"reader"});
  EXPECT_TRUE(r.meta.roles[2].includes.empty());
  EXPECT_EQ(r.meta.scope, std::vector<std::string>{"reader"});
  EXPECT_TRUE(r.diagnostics.empty());
  EXPECT_EQ(r.meta.fields[2].second, "\"A title\""); // raw YAML text is kept
}

TEST(Frontmatter, MarkdownRulesAreNotFrontmatter) {
  EXPECT_TRUE(read("---\nFoo\n---\n").span.empty());
  EXPECT_TRUE(read("---\n- a\n- b\n---\n").span.empty());
  EXPECT_TRUE(read("---\n---\n").span.empty());
  EXPECT_TRUE(read("---\nkey: value\n").span.empty()); // never closed
  EXPECT_TRUE(read(" ---\nkey: value\n---\n").span.empty());
}

TEST(Frontmatter, DotsCloseToo) {
  Read r = read("---\nname: skill\n...\nbody\n");
  EXPECT_EQ(r.span.end, 20u);
  EXPECT_EQ(r.meta.fields[0].first, "name");
}

TEST(Frontmatter, InvalidYamlThatLooksLikeFrontmatterWarns) {
  Read r = read("---\nname: [unclosed\n---\n");
  EXPECT_TRUE(r.span.empty());
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].code, Code::frontmatter_not_yaml);
  EXPECT_EQ(r.diagnostics[0].severity, Severity::warning);
}

TEST(Frontmatter, StrictOnlyWithOgKey) {
  Read lenient = read("---\nversion: 1.0.2\n---\n");
  ASSERT_EQ(lenient.diagnostics.size(), 1u);
  EXPECT_EQ(lenient.diagnostics[0].severity, Severity::warning);
  Read strict = read("---\nog: 1\nversion: 1.0.2\n---\n");
  ASSERT_EQ(strict.diagnostics.size(), 1u);
  EXPECT_EQ(strict.diagnostics[0].severity, Severity::error);
  EXPECT_EQ(strict.diagnostics[0].code, Code::meta_field_invalid);
  Read wrong_version = read("---\nog: 2\n---\n");
  ASSERT_EQ(wrong_version.diagnostics.size(), 1u);
}

TEST(Frontmatter, DeepNestingIsRefusedNotRecursed) {
  std::string deep = "---\nkey: " + std::string(10000, '[') + std::string(10000, ']') + "\n---\n";
  Read r = read(deep);
  EXPECT_TRUE(r.span.empty());
}

TEST(Frontmatter, AliasesAreRefused) {
  EXPECT_TRUE(read("---\na: &x 1\nb: *x\n---\n").span.empty());
}

TEST(Frontmatter, TomlReadsTheSameFields) {
  std::string source = "+++\ntitle = \"Hugo page\"\ndescription = \"Short.\"\nog = 1\nversion = 4\n"
                       "roles = { admin = [\"operator\"], operator = [] }\nscope = \"operator\"\n"
                       "date = 2024-05-01\n[params]\nauthor = \"me\"\n+++\n# H\n";
  Read r = read(source);
  EXPECT_EQ(r.span.end, source.find("# H"));
  EXPECT_EQ(r.meta.syntax, FrontmatterSyntax::toml);
  EXPECT_EQ(r.meta.title, "Hugo page");
  EXPECT_EQ(r.meta.description, "Short.");
  EXPECT_EQ(r.meta.og_version, 1);
  EXPECT_EQ(r.meta.version, 4u);
  ASSERT_EQ(r.meta.roles.size(), 2u);
  EXPECT_EQ(r.meta.scope, std::vector<std::string>{"operator"});
  EXPECT_TRUE(r.diagnostics.empty());
}

TEST(Frontmatter, DeepTomlIsRefusedNotRecursed) {
  std::string dotted = "+++\nog = 1\n";
  for (int i = 0; i < 10000; ++i) dotted += "k.";
  Read r = read(dotted + "k = 1\n+++\n# H\n");
  EXPECT_TRUE(r.span.empty());
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].code, Code::frontmatter_unreadable);
}

TEST(Frontmatter, InvalidTomlWarnsAndIsReadAsMarkdown) {
  Read r = read("+++\ntitle = \"unterminated\n+++\n# H\n");
  EXPECT_TRUE(r.span.empty());
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].severity, Severity::warning);
  EXPECT_NE(r.diagnostics[0].message.find("not valid TOML"), std::string::npos);
}

} // namespace og::syntax
