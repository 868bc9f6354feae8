// Issue #12, "Roles that fail closed": anything that could carry access control and cannot be
// read exactly is an error, and a document with an error is never served. Each finding of the
// issue is a test here, then a property: random damage to a scoped document's frontmatter never
// makes a hidden node visible to a role.
#include <gtest/gtest.h>

#include <random>

#include "og/og.hpp"
#include "spec_examples.hpp"

namespace og {

namespace {

constexpr std::string_view secret = "zqhunter";

const std::string scoped_document = "---\n"
                                    "og: 1\n"
                                    "title: Break-glass\n"
                                    "roles: {admin: [reader], reader: []}\n"
                                    "scope: admin\n"
                                    "---\n"
                                    "# Break-glass access {#break-glass}\n"
                                    "\n"
                                    "root password is zqhunter2\n";

const std::string node_scoped_document = "---\n"
                                         "og: 1\n"
                                         "roles: {admin: [reader], reader: []}\n"
                                         "---\n"
                                         "# Open {#open}\n"
                                         "\n"
                                         "public words here\n"
                                         "\n"
                                         "# Vault {#vault scope=admin}\n"
                                         "\n"
                                         "root password is zqhunter2\n";

bool has_code(const Document& doc, Code code, Severity severity = Severity::error) {
  for (const auto& d : doc.diagnostics)
    if (d.code == code && d.severity == severity) return true;
  return false;
}

/// Everything a reader can get out of a library that holds `text`: every index line, search
/// hits for the secret and for ordinary words, and every node resolved in full.
std::string reader_view(const std::string& text) {
  std::vector<Document> docs;
  docs.push_back(parse(text, "d.og"));
  auto library = Library::open(std::move(docs), test::cl100k());
  EXPECT_TRUE(library);
  if (!library) return {};
  Caller reader{"reader"};
  std::string out;
  for (const auto& query : {std::string(), std::string("root password zqhunter2"),
                            std::string("public words break glass")}) {
    SearchRequest request;
    request.query = query;
    request.limit = 0;
    for (const auto& e : library.value().search_index(request, reader))
      out += e.line() + e.dense + "\n";
  }
  ResolveRequest resolve;
  for (size_t d = 0; d < library.value().prepared().size(); ++d)
    for (const auto& node : library.value().document(d).nodes) resolve.ids.push_back(node.id);
  for (const auto& node : library.value().resolve_context(resolve, reader).nodes)
    out += node.text + "\n";
  return out;
}

} // namespace

TEST(FailClosed, TheUndamagedDocumentsHideTheSecret) {
  EXPECT_EQ(reader_view(scoped_document).find(secret), std::string::npos);
  std::string open = reader_view(node_scoped_document);
  EXPECT_EQ(open.find(secret), std::string::npos);
  EXPECT_NE(open.find("public words"), std::string::npos); // the view is not empty by accident
}

TEST(FailClosed, AByteOrderMarkStillOpensFrontmatter) {
  Document doc = parse("\xEF\xBB\xBF" + scoped_document, "bom.og");
  EXPECT_TRUE(doc.meta.present);
  EXPECT_EQ(doc.meta.scope, std::vector<std::string>{"admin"});
  EXPECT_FALSE(doc.has_errors());
  EXPECT_EQ(reader_view("\xEF\xBB\xBF" + scoped_document).find(secret), std::string::npos);
  EXPECT_EQ(write(doc), "\xEF\xBB\xBF" + scoped_document);
}

TEST(FailClosed, AByteOrderMarkDoesNotHideTheFirstHeading) {
  Document doc = parse("\xEF\xBB\xBF# Title\n\ntext\n", "b.md");
  ASSERT_EQ(doc.nodes.size(), 1u);
  EXPECT_EQ(doc.nodes[0].title, "Title");
  EXPECT_EQ(write(doc), "\xEF\xBB\xBF# Title\n\ntext\n");
}

TEST(FailClosed, TranspileWritesFrontmatterAfterTheByteOrderMark) {
  Document doc = parse("\xEF\xBB\xBF# Title\n\ntext\n", "b.md");
  auto result = transpile(doc, test::cl100k());
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_TRUE(result.value().source.starts_with("\xEF\xBB\xBF---\n"));
  EXPECT_EQ(strip(parse(result.value().source, "b.og")), "\xEF\xBB\xBF# Title\n\ntext\n");
}

TEST(FailClosed, AStrayQuoteIsAnErrorNotAnUnscopedDocument) {
  std::string text = scoped_document;
  text.replace(text.find("title: Break-glass"), 18, "title: \"Break-glass");
  Document doc = parse(text, "q.og");
  EXPECT_TRUE(has_code(doc, Code::frontmatter_unreadable));
  EXPECT_EQ(reader_view(text).find(secret), std::string::npos);
}

TEST(FailClosed, PlainMarkdownWithBrokenYamlOnlyWarns) {
  Document doc = parse("---\nname: [unclosed\n---\n# A\n", "a.md");
  EXPECT_FALSE(doc.has_errors());
  EXPECT_TRUE(has_code(doc, Code::frontmatter_not_yaml, Severity::warning));
}

TEST(FailClosed, UnreadableAccessFieldsAreErrors) {
  for (const char* frontmatter : {
           "og: 1\nroles: {admin: []}\nscope: admin\nscope: reader\n", // duplicate key
           "roles: {admin: [], admin: []}\nscope: admin\n",            // duplicate role
           "og: 1\nroles: &r {admin: []}\nscope: *r\n",                // alias
           "og: 1\nroles: {admin: []}\nScope: admin\n",                // case
           "og: 1\nroles: {admin: []}\nscopes: admin\n",               // near miss
           "og: 1\nroles: {admin: []}\nscpoe: admin\n",                // swapped letters
           "og: 1\nroles: {admin: []}\nscope:\n",                      // empty
           "roles: [admin]\nscope: admin\n",                           // wrong type, no og
           "og: 1\nroles: {admin: []}\nscope: {a: b}\n",               // wrong type
       }) {
    std::string text = std::string("---\n") + frontmatter + "---\n# S\n\nzqhunter2\n";
    Document doc = parse(text, "x.og");
    EXPECT_TRUE(doc.has_errors()) << frontmatter;
    EXPECT_EQ(reader_view(text).find(secret), std::string::npos) << frontmatter;
  }
}

TEST(FailClosed, FrontmatterThatNeverClosesOrDoesNotParseIsAnError) {
  EXPECT_TRUE(
      has_code(parse("---\nog: 1\nscope: admin\n# S\n", "x.og"), Code::frontmatter_unreadable));
  // TOML (Hugo's `+++`) is read: its scope holds. One that does not parse, or never closes,
  // and names access fields is an error.
  Document toml = parse("+++\nroles = { admin = [] }\nscope = \"admin\"\n+++\n# S\n", "x.og");
  EXPECT_FALSE(toml.has_errors());
  EXPECT_EQ(toml.meta.scope, std::vector<std::string>{"admin"});
  EXPECT_TRUE(
      has_code(parse("+++\nscope = \"admin\n+++\n# S\n", "x.og"), Code::frontmatter_unreadable));
  EXPECT_TRUE(has_code(parse("+++\nog = 1\nscope = \"admin\"\n# S\n", "x.og"),
                       Code::frontmatter_unreadable));
  // With og or roles, an access key TOML reads into a table (`[params]`) is an error, as in YAML.
  EXPECT_TRUE(has_code(parse("+++\nog = 1\n[params]\nscope = \"admin\"\n+++\n# S\n", "x.og"),
                       Code::frontmatter_unreadable));
  EXPECT_TRUE(has_code(parse("-.-\nog: 1\nscope: admin\n---\n# S\n", "x.og"),
                       Code::frontmatter_unreadable));
  // A Markdown rule on line 1 is still Markdown.
  EXPECT_FALSE(parse("---\nSome text\n\n# S\n", "x.md").has_errors());
  EXPECT_FALSE(parse("+++\ntitle = \"Hugo\"\n+++\n# S\n", "x.md").has_errors());
}

TEST(FailClosed, LineEndingsOfAnyKindCloseFrontmatter) {
  for (std::string eol : {"\r\n", "\r"}) {
    std::string text = scoped_document;
    for (size_t at = text.find('\n'); at != std::string::npos;
         at = text.find('\n', at + eol.size()))
      text.replace(at, 1, eol);
    Document doc = parse(text, "crlf.og");
    EXPECT_EQ(doc.meta.scope, std::vector<std::string>{"admin"});
    EXPECT_EQ(reader_view(text).find(secret), std::string::npos);
  }
}

TEST(FailClosed, AScopeAttributeThatCannotApplyIsAnError) {
  const std::string head = "---\nog: 1\nroles: {admin: []}\n---\n# Open\n\ntext\n\n";
  for (const char* node : {
           "# Vault {#vault scope=\"admin}\n\nzqhunter2\n",     // malformed list
           "# Vault {#vault scope=admin\n\nzqhunter2\n",        // unclosed
           "# Vault {#vault scope=}\n\nzqhunter2\n",            // empty
           "# Vault {#vault scope=admin scope=other}\n",        // two scopes
           "{#vault scope=admin\nzqhunter2\n",                  // unit marker that does not read
           "> ## Vault {#vault scope=admin}\n>\n> zqhunter2\n", // not a document-level heading
       }) {
    std::string text = head + node;
    EXPECT_TRUE(parse(text, "x.og").has_errors()) << node;
    EXPECT_EQ(reader_view(text).find(secret), std::string::npos) << node;
  }
}

TEST(FailClosed, TemplateTagsNamingScopeAreNotAttributeLists) {
  // Found on ../shared/dialects (Jekyll): a Liquid include with a `scope=` argument is not an
  // attempt at an attribute list, so plain Markdown does not error.
  for (const char* text : {"# A\n\n{% include table.html scope=site.data.x %}\n",
                           "# A\n\n{{< tabs scope=\"x\" >}}\n", "# A {{ page.scope=1 }}\n"})
    EXPECT_FALSE(parse(text, "x.md").has_errors()) << text;
}

TEST(FailClosed, ALibraryRefusesDocumentsWithErrorsAndSaysWhy) {
  std::vector<Document> docs;
  docs.push_back(parse("---\nog: 1\nscope: \"admin\n---\n# S\n", "bad.og"));
  docs.push_back(parse("# Fine\n", "fine.md"));
  auto library = Library::open(std::move(docs), test::cl100k());
  ASSERT_TRUE(library);
  ASSERT_EQ(library.value().prepared().size(), 1u);
  ASSERT_EQ(library.value().refused().size(), 1u);
  EXPECT_EQ(library.value().refused()[0].path, "bad.og");
  EXPECT_NE(library.value().refused()[0].reason.find("OG0014"), std::string::npos);
}

TEST(FailClosed, BinaryFilesAreNotDocuments) {
  Document doc = parse(std::string("# S\0\n", 5), "x.md");
  EXPECT_TRUE(has_code(doc, Code::binary_input));
  EXPECT_TRUE(doc.nodes.empty());
}

TEST(FailClosed, ControlBytesAreEscapedInExcerpts) {
  Document doc = parse("# A {#x \x1b[31mred}\n", "esc.md");
  ASSERT_FALSE(doc.diagnostics.empty());
  std::string printed = format_diagnostic(doc.path, doc.source, doc.lines, doc.diagnostics[0]);
  EXPECT_EQ(printed.find('\x1b'), std::string::npos);
  EXPECT_NE(printed.find("\xE2\x90\x9B[31mred"), std::string::npos); // ␛ in its place
}

TEST(FailClosed, LintsNameHiddenPrerequisitesAndEscalations) {
  Document doc = parse("---\nog: 1\nroles: {admin: [reader], reader: []}\n---\n"
                       "# Setup {#setup scope=admin}\n\nx\n\n"
                       "# Step {#step}\n:requires #setup\n\ny\n\n"
                       "# Verify {#verify .assert}\n:check state.ok == true\n"
                       ":escalate #setup\n",
                       "l.og");
  EXPECT_TRUE(has_code(doc, Code::requires_hidden, Severity::warning));
  EXPECT_TRUE(has_code(doc, Code::escalate_outside_scope, Severity::warning));
}

TEST(FailClosed, StripKeepsSectionsPlacedUnderGeneratedBlocks) {
  // Issue #12: a section appended after `# Changelog {#__changelog}` became its child and was
  // deleted by og strip.
  std::string text = "---\nog: 1\n---\n# A {#a}\n\nx\n\n# Changelog {#__changelog}\n\n"
                     "- v1 2026-01-01 +a\n\n## Appended later\n\nauthored words\n";
  Document doc = parse(text, "c.og");
  EXPECT_TRUE(has_code(doc, Code::text_under_generated, Severity::warning));
  std::string stripped = strip(doc);
  EXPECT_NE(stripped.find("## Appended later\n\nauthored words\n"), std::string::npos) << stripped;
  EXPECT_EQ(stripped.find("Changelog"), std::string::npos) << stripped;
}

// The property of the issue: random damage to the frontmatter of a scoped document (byte flips,
// truncation, a BOM, CRLF or CR line endings, stray quotes, duplicate keys, YAML anchors and
// aliases, key case) never makes the admin-only text visible to the reader role.
TEST(FailClosed, RandomFrontmatterDamageNeverWidensVisibility) {
  std::mt19937 random(12);
  size_t refused = 0, rounds = 0;
  for (const std::string* base : {&scoped_document, &node_scoped_document}) {
    size_t frontmatter_end = base->find("---\n", 4) + 4;
    auto any = [&](size_t n) { return static_cast<size_t>(random() % n); };
    auto line_starts = [&] {
      std::vector<size_t> starts;
      for (size_t i = 0; i < frontmatter_end; ++i)
        if (i == 0 || (*base)[i - 1] == '\n') starts.push_back(i);
      return starts;
    }();
    for (int round = 0; round < 900; ++round) {
      std::string text = *base;
      switch (round % 9) {
      case 0: // one byte changed
        text[any(frontmatter_end)] = static_cast<char>(random());
        break;
      case 1: // one bit flipped
        text[any(frontmatter_end)] ^= static_cast<char>(1 << any(8));
        break;
      case 2: // cut inside the frontmatter, the rest of the file kept
        text.erase(any(frontmatter_end), 1 + any(8));
        break;
      case 3:
        text.insert(0, "\xEF\xBB\xBF");
        break;
      case 4: // CRLF or CR
        for (size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', at + 2))
          text.replace(at, 1, round % 2 ? "\r\n" : "\r ");
        break;
      case 5:
        text.insert(any(frontmatter_end), 1, "\"'"[any(2)]);
        break;
      case 6: { // a line repeated
        size_t line = line_starts[1 + any(line_starts.size() - 2)];
        size_t end = text.find('\n', line) + 1;
        text.insert(end, text.substr(line, end - line));
        break;
      }
      case 7: // anchors and aliases
        text.replace(text.find("roles: ") + 7, 0, round % 2 ? "&r " : "*r ");
        break;
      case 8: { // a letter of a key in another case
        size_t line = line_starts[1 + any(line_starts.size() - 2)];
        text[line] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[line])));
        break;
      }
      }
      ++rounds;
      std::vector<Document> docs;
      docs.push_back(parse(text, "d.og"));
      refused += docs[0].has_errors();
      EXPECT_EQ(reader_view(text).find(secret), std::string::npos) << "round " << round << ":\n"
                                                                   << text;
    }
  }
  EXPECT_GT(refused, rounds / 4); // most damage is caught as an error, not just ignored
}

} // namespace og
