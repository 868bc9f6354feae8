// Doc-site dialect lines: what each construct is, and the prose left once markup is out.
#include <gtest/gtest.h>

#include "syntax/syntax.hpp"

namespace og::syntax {

namespace {

DialectLine::Kind kind_of(std::string_view line) {
  return classify_dialect_line(line).kind;
}

} // namespace

TEST(Dialect, AdmonitionsAndAlertsOfEverySite) {
  DialectLine mkdocs = classify_dialect_line(R"(!!! warning "Heads up")");
  EXPECT_EQ(mkdocs.kind, DialectLine::admonition);
  EXPECT_EQ(mkdocs.type, "warning");
  EXPECT_EQ(mkdocs.title, "Heads up");
  EXPECT_EQ(classify_dialect_line(R"(???+ note annotate "Folded")").title, "Folded");
  EXPECT_EQ(classify_dialect_line("??? tip").type, "tip");
  DialectLine docusaurus = classify_dialect_line(":::caution Use the LTS release");
  EXPECT_EQ(docusaurus.type, "caution");
  EXPECT_EQ(docusaurus.title, "Use the LTS release");
  EXPECT_EQ(kind_of(":::"), DialectLine::fence_close);
  EXPECT_EQ(kind_of(":::zone-end"), DialectLine::fence_close);
  EXPECT_EQ(kind_of(R"(:::column span="":::)"), DialectLine::layout);
  DialectLine alert = classify_dialect_line("[!WARNING]");
  EXPECT_EQ(alert.kind, DialectLine::admonition);
  EXPECT_EQ(alert.type, "WARNING");
  EXPECT_EQ(classify_dialect_line("[!tip]- Folded tip").title, "Folded tip"); // Obsidian
  DialectLine kramdown = classify_dialect_line("{: .note .warning} Text after.");
  EXPECT_EQ(kramdown.kind, DialectLine::attributes);
  EXPECT_EQ(kramdown.type, "warning");
  EXPECT_EQ(classify_dialect_line(R"(=== "Tab one")").kind, DialectLine::tab);
  // Prose that only looks close stays prose.
  EXPECT_EQ(kind_of("!!!"), DialectLine::none);
  EXPECT_EQ(kind_of("!!!important"), DialectLine::none);
  EXPECT_EQ(kind_of("[!] not an alert"), DialectLine::none);
  EXPECT_EQ(kind_of("Plain text: with a colon."), DialectLine::none);
}

TEST(Dialect, WarningKinds) {
  for (auto type : {"warning", "Caution", "DANGER", "important", "attention", "bug"})
    EXPECT_TRUE(is_warning_kind(type)) << type;
  for (auto type : {"note", "tip", "info", "example", ""}) EXPECT_FALSE(is_warning_kind(type));
}

TEST(Dialect, ProseLeavesMarkupOut) {
  EXPECT_EQ(prose_of(R"(!!! note "Heads up")"), "Heads up\n");
  EXPECT_EQ(prose_of(":::tip\nUse the LTS release.\n:::"), "Use the LTS release.\n");
  EXPECT_EQ(prose_of("[!WARNING]\nData is lost."), "Data is lost.\n");
  EXPECT_EQ(prose_of("Install {{< param version >}} with {% raw %}make{% endraw %} now."),
            "Install with make now.\n");
  EXPECT_EQ(prose_of("Before <!-- guidance for authors --> after."), "Before after.\n");
  EXPECT_EQ(prose_of("A fact worth citing ^b15695"), "A fact worth citing\n");
  EXPECT_EQ(prose_of("{: .note .info} Installation varies by system."),
            "Installation varies by system.\n");
  EXPECT_EQ(prose_of(R"(::: :::column span=""::: This sets the width.)"), "This sets the width.\n");
  EXPECT_EQ(prose_of("<!-- Input -->"), "");
  EXPECT_EQ(prose_of(R"(=== "Tab")"), "");
  // MkDocs attr_list / Pandoc block attributes, alone on the line or after the text.
  EXPECT_EQ(prose_of("\xC2\xA0 { #feedback style=\"margin: 0; height: 0\" }"), "");
  EXPECT_EQ(prose_of("A lead paragraph. {.lead}"), "A lead paragraph.\n");
  // What is not markup is kept as written: exclamations, carets, braces in prose.
  EXPECT_EQ(prose_of("Wow!!! it works; 2^10 is {large}."), "Wow!!! it works; 2^10 is {large}.\n");
}

TEST(Dialect, HtmlCommentsAreHiddenExceptInCode) {
  EXPECT_EQ(without_html_comments("a <!-- b --> c\n<!--\nguidance\n-->\nd\n"), "a  c\n\n\n\nd\n");
  EXPECT_EQ(without_html_comments("```html\n<!-- Input -->\n```\n<!-- x -->y"),
            "```html\n<!-- Input -->\n```\ny");
  // Lines end where Markdown's do, a bare CR too, and keep their own breaks.
  EXPECT_EQ(without_html_comments("```\r<!-- kept -->\r```\r\n<!-- x -->y"),
            "```\r<!-- kept -->\r```\r\ny");
  EXPECT_EQ(prose_of("!!! note \"Heads up\"\rBody text."), "Heads up\nBody text.\n");
  EXPECT_EQ(without_html_comments("text <!-- never closed\nhidden"), "text \n");
}

} // namespace og::syntax
