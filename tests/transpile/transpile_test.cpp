// og transpile: content fidelity (strip and render) on real documents and every conformance
// example, idempotence, stable ids, and the rules of each inference pass.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "og/og.hpp"
#include "spec_examples.hpp"

namespace og {

namespace {

const Tokenizer& tokenizer() {
  return test::cl100k();
}

std::string transpiled(const std::string& text, const TranspileOptions& options = {}) {
  auto r = transpile(parse(text, "doc.md"), tokenizer(), options);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? r.value().source : text;
}

/// The first `:<name> …` line of `og` at or after `from`; empty when there is none.
std::string directive_line(const std::string& og, std::string_view name, size_t from = 0) {
  size_t at = og.find(":" + std::string(name) + " ", from);
  return at == std::string::npos ? "" : og.substr(at, og.find('\n', at) - at);
}

std::string plain_html(const std::string& text) {
  RenderOptions options;
  options.metadata = false;
  return render_html(parse(text, "doc.md"), options);
}

struct Fidelity {
  size_t documents = 0, stripped_equal = 0, html_equal = 0, idempotent = 0, failed = 0;
  std::vector<std::string> failures;
  void check(const std::string& name, const std::string& original) {
    ++documents;
    auto result = transpile(parse(original, name), tokenizer());
    if (!result) {
      ++failed;
      failures.push_back(name + ": " + result.error().message);
      return;
    }
    const std::string& og = result.value().source;
    Document doc = parse(og, name);
    if (strip(doc) == original)
      ++stripped_equal;
    else
      failures.push_back(name + ": strip");
    if (plain_html(og) == plain_html(original))
      ++html_equal;
    else
      failures.push_back(name + ": html");
    auto again = transpile(doc, tokenizer());
    if (again && again.value().source == og)
      ++idempotent;
    else
      failures.push_back(name + ": idempotence");
  }
  /// Every document transpiled, stripped back, rendered the same and stable; the first failures.
  void expect_all_hold() const {
    EXPECT_EQ(failed, 0u);
    EXPECT_EQ(stripped_equal, documents);
    EXPECT_EQ(html_equal, documents);
    EXPECT_EQ(idempotent, documents);
    for (size_t i = 0; i < failures.size() && i < 10; ++i) ADD_FAILURE() << failures[i];
  }
};

} // namespace

TEST(TranspileFidelity, BenchCorpusIsByteExact) {
  std::string dir = test::shared_dir() + "/bench/corpus";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << dir << " not found (set OG_SHARED_DIR)";
  Fidelity f;
  for (const auto& file : test::files_under(dir, ".md")) f.check(file, test::read_text(file));
  ASSERT_GE(f.documents, 100u);
  f.expect_all_hold();
}

TEST(TranspileFidelity, DialectSitesAreByteExactAndErrorFree) {
  // Real doc sites (MkDocs, Hugo, Jekyll, DocFX, Docusaurus, prettier's fixtures): authors'
  // `{#id}` lists, repeated `{ #default }`, shortcodes, Liquid and admonitions.
  std::string dir = test::shared_dir() + "/dialects";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << dir << " not found (set OG_SHARED_DIR)";
  Fidelity f;
  size_t with_errors = 0;
  for (const char* suffix : {".md", ".markdown", ".mdx"})
    for (const auto& file : test::files_under(dir, suffix)) {
      std::string text = test::read_text(file);
      if (parse(text, file).has_errors()) {
        ++with_errors;
        ADD_FAILURE() << parse(text, file).first_error();
        continue;
      }
      f.check(file, text);
    }
  ASSERT_GE(f.documents, 1400u);
  EXPECT_EQ(with_errors, 0u);
  f.expect_all_hold();
}

TEST(TranspileFidelity, AuthorsAttributeListsComeBackAsWritten) {
  const std::string text = "# Guide\n\nIntro text for the guide.\n\n"
                           "## Install { #setup data-toc-label=\"Setup\" }\n\n"
                           "1. Download it.\n2. Run the installer.\n\n"
                           "## Options {#default}\n\nFirst.\n\n## More {#default}\n\nSecond.\n";
  std::string og = transpiled(text);
  Document doc = parse(og, "doc.md");
  EXPECT_FALSE(doc.has_errors()) << doc.first_error();
  // og adds its type to the author's list and records the list as it was.
  EXPECT_NE(og.find(":authored { #setup data-toc-label=\"Setup\" }\n"), std::string::npos) << og;
  EXPECT_NE(og.find(":authored {#default}\n"), std::string::npos) << og;
  EXPECT_EQ(strip(doc), text);
  // The repeated id is a warning; the later node gets a deterministic suffix.
  ASSERT_TRUE(doc.find("default-1"));
  EXPECT_EQ(doc.find("default-1")->title, "More");
  EXPECT_EQ(transpiled(og), og);
  // No room for `:authored` (the heading ends the file, or indented code follows it): the file
  // is kept as it is rather than have strip lose the author's list. Found by fuzz_transpile.
  for (const char* tight : {"T\n## A {#a}", "## A {#a}\n    code\n"}) {
    auto kept = transpile(parse(tight, "doc.md"), tokenizer());
    ASSERT_TRUE(kept.ok());
    EXPECT_FALSE(kept.value().changed);
    EXPECT_EQ(kept.value().source, tight);
    EXPECT_NE(kept.value().kept_because.find("line"), std::string::npos);
  }
  // Plain Markdown keeps its lists when stripped; an og document's own lists go.
  EXPECT_EQ(strip(parse(text, "doc.md")), text);
  EXPECT_EQ(strip(parse("---\nog: 1\n---\n# A {#a .steps}\n", "a.og")), "# A\n");
}

TEST(TranspileFidelity, TomlFrontmatterGetsTomlAndComesBack) {
  const std::string text = "+++\ntitle = \"Hugo page\"\ndescription = \"What it is for.\"\n"
                           "[params]\nauthor = \"me\"\n+++\n\nIntro.\n\n## Install\n\nRun it.\n";
  std::string og = transpiled(text);
  EXPECT_EQ(og.substr(0, 11), "+++\nog = 1\n") << og; // above [params], where it is top level
  Document doc = parse(og, "page.md");
  EXPECT_FALSE(doc.has_errors()) << doc.first_error();
  EXPECT_EQ(doc.meta.og_version, 1);
  EXPECT_EQ(doc.nodes[0].title, "Hugo page");
  EXPECT_EQ(strip(doc), text);
}

TEST(Transpile, DialectAdmonitionsAreTypedAndTheirMarkupIsNoSummary) {
  const std::string text =
      "# Install\n\nInstall the tool with the package manager of your system.\n\n"
      "!!! warning \"Old releases\"\n\n    Releases before 2.0 delete the cache on upgrade.\n\n"
      "More about installing after the warning.\n\n"
      "## Upgrade\n\n{{< note >}}\nUpgrade in place with the same command.\n{{< /note >}}\n\n"
      ":::caution\n\nBack up the settings first.\n\n:::\n\nThen run the upgrade again.\n\n"
      "## Remove\n\n> [!WARNING]\n> Removing deletes every profile.\n";
  std::string og = transpiled(text);
  Document doc = parse(og, "doc.md");
  EXPECT_EQ(strip(doc), text);
  size_t warnings = 0;
  for (const auto& node : doc.nodes) {
    warnings += node.type == "warning";
    for (std::string_view markup : {"!!!", ":::", "{{", "[!", "warning \""})
      EXPECT_NE(dense_view(doc, node).substr(0, markup.size()), markup)
          << node.id << ": " << dense_view(doc, node);
  }
  EXPECT_EQ(warnings, 3u) << og; // the MkDocs unit, the Docusaurus unit, the alert section
  // The indented body of the MkDocs admonition is its summary, read as prose.
  bool found = false;
  for (const auto& node : doc.nodes)
    found |= dense_view(doc, node) == "Releases before 2.0 delete the cache on upgrade.";
  EXPECT_TRUE(found) << og;
  EXPECT_EQ(transpiled(og), og);
}

TEST(TranspileFidelity, OnlyTheSectionWhoseUnitsChangeTheRenderingStaysWhole) {
  // MkDocs' blog plugin page: md4c reads its grid cards (list items holding thematic breaks)
  // otherwise once a unit marker goes into an earlier section (md4c issue #413). That section
  // stays whole; the others keep their units, the warning admonition far below among them.
  std::ifstream in(test::shared_dir() + "/dialects/mkdocs/plugins/blog.md", std::ios::binary);
  ASSERT_TRUE(in) << "needs ../shared/dialects";
  std::string text((std::istreambuf_iterator<char>(in)), {});
  std::string og = transpiled(text);
  size_t admonition = og.find("!!! warning \"Chinese, Japanese and Korean characters\"");
  ASSERT_NE(admonition, std::string::npos);
  size_t marker = og.rfind("\n{#", admonition);
  ASSERT_NE(marker, std::string::npos);
  EXPECT_NE(og.substr(marker, og.find('\n', marker + 1) - marker).find(" .warning}"),
            std::string::npos)
      << og.substr(marker, admonition - marker);
  EXPECT_EQ(og.find("{#how-it-works.1"), std::string::npos) << "the section md4c reads otherwise";
  EXPECT_EQ(plain_html(og), plain_html(text));
  EXPECT_EQ(transpiled(og), og);
}

TEST(Transpile, AOneNodeDocumentGetsNoIndexUnlessNothingElseMarksItOgs) {
  // The index line of a one-node page would repeat its heading and keywords.
  std::string page = transpiled("# bg\n\nResumes a suspended job in the background.\n");
  EXPECT_EQ(page.find("__index"), std::string::npos) << page;
  EXPECT_EQ(transpiled(page), page);
  EXPECT_NE(transpiled("# A\n\nOne.\n\n# B\n\nTwo.\n").find("{#__index}"), std::string::npos);
  // Without `og: 1` (a version that is not a whole number keeps it out) or a directive line,
  // the index is what tells strip that `{#pdf-skill}` is og's.
  std::string text = "---\nversion: 1.0.2\n---\n# PDF skill\n";
  std::string skill = transpiled(text);
  EXPECT_NE(skill.find("{#__index}"), std::string::npos) << skill;
  EXPECT_EQ(strip(parse(skill, "doc.md")), text);
}

TEST(Transpile, TheIndexListsTitlesAndOnlyAUnitsKeywords) {
  std::string og =
      transpiled("---\nroles: {admin: [], operator: []}\n---\n# Runbook\n\nIntro.\n\n"
                 "## Rotate keys {#rotate .steps scope=admin}\n:keywords vault, rotation\n\n"
                 "1. Seal the vault.\n2. Rotate the keys.\n\n"
                 "{#window}\n:keywords hours, weekdays\nDeploys run 09:00-16:00.\n");
  EXPECT_NE(og.find("\n- rotate · steps · @admin · Rotate keys\n"), std::string::npos) << og;
  EXPECT_NE(og.find("\n- window · concept · @admin — hours, weekdays\n"), std::string::npos) << og;
  EXPECT_EQ(transpiled(og), og);
}

TEST(Transpile, KeywordsComeInTheDocumentsOwnScript) {
  std::string ru = transpiled("# Установка\n\nУстановите пакет через менеджер пакетов. Менеджер "
                              "пакетов проверяет подписи пакетов.\n\n## Обновление\n\nСделайте "
                              "резервную копию базы перед обновлением базы.\n");
  EXPECT_NE(ru.find(":keywords пакетов, менеджер"), std::string::npos) << ru;
  EXPECT_NE(directive_line(ru, "keywords", ru.find("## Обновление")).find("базы"),
            std::string::npos)
      << ru;
  EXPECT_EQ(transpiled(ru), ru);
}

TEST(Transpile, KeywordsOfScriptsWithoutSpacesAreWordsNotPhrases) {
  // Han and kana are written without spaces: ICU's dictionaries divide a run into words, and
  // particles and verb endings (の, を, ます) are not keywords.
  std::string ja = transpiled("# 設定\n\nこの設定ファイルでサーバーの動作を変更します。"
                              "サーバーの動作を確認します。\n");
  EXPECT_EQ(directive_line(ja, "keywords"), ":keywords サーバー, 動作, ファイル, 変更, 確認") << ja;
  std::string zh = transpiled("# 安装\n\n使用包管理器安装软件包。包管理器会检查签名。\n");
  EXPECT_NE(zh.find(":keywords 管理, 检查, 签名, 软件"), std::string::npos) << zh;
  // Hangul is spaced, and two syllable blocks make a word.
  std::string ko =
      transpiled("# 설치\n\n패키지 관리자로 패키지를 설치합니다. 서명은 확인합니다.\n");
  EXPECT_NE(ko.find(":keywords 패키지, 관리자, 서명"), std::string::npos) << ko; // 관리자로, 서명은
  // A noun with its particle or copula is the noun: 저장소를, 저장소에서 and 별칭입니다 are
  // their titles' words, 명령은 is 명령; a word of two syllables keeps its last (값을).
  std::string particles = transpiled("# 저장소\n\n저장소를 복제하고 저장소에서 값을 읽습니다.\n\n"
                                     "## 별칭\n\n이 명령은 별칭입니다.\n");
  EXPECT_EQ(directive_line(particles, "keywords"), ":keywords 값을, 복제하고, 읽습니다")
      << particles;
  EXPECT_EQ(directive_line(particles, "keywords", particles.find("## 별칭")), ":keywords 명령")
      << particles;
  EXPECT_EQ(transpiled(ja), ja);
  EXPECT_EQ(transpiled(zh), zh);
}

TEST(Transpile, ChineseAndJapaneseSentencesEndAtTheirOwnFullStops) {
  // 。 ends a sentence without a space; "例. " (例えば, "e.g.") does not end one.
  std::string ja = transpiled("# bg\n\n> 一時停止していたジョブ（例. `<Ctrl z>` 使用時）を再開し、"
                              "バックグラウンドで実行します。参照: `jobs`, `fg`。\n");
  EXPECT_EQ(directive_line(ja, "dense"),
            ":dense 一時停止していたジョブ（例. `<Ctrl z>` 使用時）を再開し、"
            "バックグラウンドで実行します。")
      << ja;
  EXPECT_EQ(transpiled(ja), ja);
}

TEST(TranspileFidelity, ConformanceExamplesAreByteExact) {
  Fidelity f;
  for (const char* suite : {"commonmark-0.31.2/spec.txt", "gfm-0.29.0.gfm.6/spec.txt",
                            "gfm-0.29.0.gfm.6/extensions.txt", "cmark-0.31.2/regression.txt"}) {
    std::string path = test::shared_dir() + "/conformance/" + suite;
    if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " not found";
    for (const auto& example : test::read_examples(path))
      f.check(std::string(suite) + " #" + std::to_string(example.number), example.input);
  }
  f.expect_all_hold();
}

TEST(TranspileFidelity, LineEndingsAndEmptyHeadings) {
  Fidelity f; // found by fuzz_transpile: a bare CR at the end fused with the index's "\n";
              // an indented empty heading's `#` read as a closing sequence; an id opening emphasis;
              // directive lines right before a table (the table no longer started there)
  for (const char* text :
       {" #\nx\n", "  ##\ntext\n", "## ##\ntext\n", "\r", "text\r", "# A\r\rtext\r", "a\rb",
        "# A\r\ntext\r\n", "# A\n\ntext", "# A\r\n\r\n- x\r- y\n", "1. ##\n#\n ##\n#\nx",
        // a derived summary at the end of the file, before and after the index's line break
        "#\t \r\n,\n--\tv", "#\nz\r"})
    f.check("eol.md", text);
  EXPECT_EQ(f.stripped_equal, f.documents);
  EXPECT_EQ(f.idempotent, f.documents);
  for (const auto& failure : f.failures) ADD_FAILURE() << failure;
}

TEST(TranspileFidelity, UnitsStartAtTheFenceOfACodeBlockOpeningWithBlankLines) {
  TranspileOptions small; // found by fuzz_transpile: the unit marker went inside the fence
  small.split_tokens = 5;
  small.unit_tokens = 3;
  std::string text = "# A\n\nSome text before the code block that is long enough.\n\n```\n\n\n"
                     "code line\n```\n";
  std::string og = transpiled(text, small);
  EXPECT_NE(og.find("{#a.1 .code}\n:dense code line\n"), std::string::npos) << og;
  EXPECT_EQ(strip(parse(og, "doc.og")), text);
}

TEST(TranspileFidelity, AUnitMarkdownWouldNotReadAsOneIsNotWritten) {
  TranspileOptions small; // found by fuzz_transpile: a marker before a closing fence, inside it
  small.split_tokens = 5;
  small.unit_tokens = 3;
  for (const char* text : {"# A\n```\ncode\n\n```\nright after the fence, a paragraph.\n",
                           "# A\n> quoted text here\n>\nnot quoted any more, a paragraph.\n",
                           "# A\n- item one\n-\nafter an empty item, a paragraph.\n"}) {
    std::string og = transpiled(text, small);
    Document doc = parse(og, "doc.og");
    EXPECT_EQ(strip(doc), text) << og;
    EXPECT_EQ(og.find("????"), std::string::npos) << og; // every :made-from filled in
    EXPECT_EQ(transpiled(og, small), og);
    // The paragraph stays the section's, and so do the words its keywords are made from.
    EXPECT_EQ(og.find("{#a."), std::string::npos) << og;
    size_t keywords = og.find(":keywords ");
    if (keywords != std::string::npos) {
      EXPECT_NE(og.substr(keywords, og.find('\n', keywords) - keywords).find("paragraph"),
                std::string::npos)
          << og;
    }
  }
}

TEST(TranspileFidelity, AFieldOneEditFromAnAccessFieldIsTheAuthorsInPlainMarkdown) {
  // Found by fuzz_transpile: `og: 1` made the author's `toles:` (or a site's `rules:`) read as
  // a misspelt `roles`, an error, and plain Markdown was refused. It stays plain frontmatter.
  for (const char* text : {"---\ntoles: {a: [a]}\n---\n", "---\nrules: strict\n---\n# A\ntext\n",
                           "---\ntitle: T\nScopes: [x]\n---\n# A\ntext\n",
                           // and fields indented as a whole, which `og: 1` at the margin would
                           // make invalid YAML (fuzz_transpile)
                           "---\n rtofnNoscope:\n\n---\n", "---\n title: T\n---\n# A\ntext\n"}) {
    auto r = transpile(parse(text, "doc.md"), tokenizer());
    ASSERT_TRUE(r.ok()) << text << ": " << r.error().message;
    Document written = parse(r.value().source, "doc.md");
    EXPECT_FALSE(written.has_errors()) << r.value().source;
    EXPECT_EQ(r.value().source.find("og: 1"), std::string::npos) << r.value().source;
    EXPECT_EQ(strip(written), text);
    EXPECT_EQ(transpiled(r.value().source), r.value().source);
  }
}

TEST(TranspileFidelity, DirectivesAddedAfterALastLineWithoutABreakStartALine) {
  // Found by fuzz_transpile: `:requires` was appended to the file's last directive line.
  std::string text = "---\nog: 1\n---\n# Access {#access .prereq}\ntext\n\n"
                     "# Deploy {#deploy .steps}\n:keywords a, b";
  std::string og = transpiled(text);
  EXPECT_NE(og.find(":keywords a, b\n:requires #access\n"), std::string::npos) << og;
  EXPECT_EQ(transpiled(og), og);
  // The index after such a line: strip takes the line break before it, and the directive
  // line's own text, without the two edits overlapping (the index stayed, and it was refused).
  std::string unlinked =
      "---\nog: 1\n---\n# A {#access .prereq}\n\nGet access.\n\n## Deploy {#deploy .steps}\n"
      ":keywords a, b";
  og = transpiled(unlinked);
  EXPECT_NE(og.find(":keywords a, b\n# Index {#__index}\n"), std::string::npos) << og;
  EXPECT_EQ(strip(parse(og, "doc.og")), strip(parse(unlinked, "doc.og")));
}

TEST(TranspileFidelity, UnitsBeforeTheFirstHeadingGetTheEdgesTheirNextRunInfers) {
  // Found by fuzz_transpile: a steps unit cut from the text before the first heading was
  // planned under the document node, which the written file puts on nobody's path, so the
  // second run added `:precedes` to the authored steps unit after it.
  TranspileOptions small;
  small.split_tokens = 5;
  small.unit_tokens = 3;
  std::string text = "Set up the service before you deploy it to the cluster.\n\n"
                     "1. Check the release tag.\n2. Set the image.\n\n"
                     "{#deploy-steps .steps}\n1. Build.\n2. Push.\n\n# Verify\ntext\n";
  std::string og = transpiled(text, small);
  EXPECT_EQ(transpiled(og, small), og);
}

TEST(TranspileFidelity, NoDirectivesBeforeABlockThatCannotInterruptAParagraph) {
  // Found by fuzz_transpile: `:dense` above `2. # .` made the list paragraph text, and the
  // heading nested in it was lost (the next empty heading's id moved from section-2).
  for (const char* text : {"#\n2. # .\n#", "# Steps\n2. second step of the rollout\n",
                           "# Code\n    indented code line\n", "# Html\n<span>x</span>\n",
                           "# Empty item\n-\nthen text\n"}) {
    std::string og = transpiled(text);
    Document doc = parse(og, "doc.og");
    EXPECT_EQ(strip(doc), text) << og;
    EXPECT_EQ(og.find(":dense"), std::string::npos) << og;
    EXPECT_EQ(transpiled(og), og);
  }
}

TEST(Transpile, IdsSurviveAnEditOfAnotherSection) {
  std::string v1 = transpiled("# Guide\n\n## Install it\n\nRun `make`.\n\n## Use\n\nRun it.\n");
  EXPECT_NE(v1.find("## Install it {#install-it"), std::string::npos);
  std::string edited = v1;
  edited.replace(edited.find("## Use"), 6, "## Using the tool");
  edited.replace(edited.find("## Install it"), 13, "## Installing");
  Document doc = parse(transpiled(edited), "doc.md");
  ASSERT_NE(doc.find("install-it"), nullptr); // explicit: the heading edit keeps it
  EXPECT_EQ(doc.find("install-it")->title, "Installing");
  ASSERT_NE(doc.find("use"), nullptr);
}

TEST(Transpile, SplitsLongSectionsAtBlockBoundariesOnly) {
  std::string section = "# Runbook\n\n## Deploy\n\n";
  for (int i = 0; i < 8; ++i)
    section += "Paragraph " + std::to_string(i) +
               " explains one more aspect of deploying the service with enough words to "
               "matter for the token count of this section, which keeps growing.\n\n";
  section += "Run these commands:\n\n```bash\nmake deploy\n```\n";
  TranspileOptions options;
  options.split_tokens = 100;
  options.unit_tokens = 60;
  std::string og = transpiled(section, options);
  Document doc = parse(og, "doc.md");
  const Node* deploy = doc.find("deploy");
  ASSERT_NE(deploy, nullptr);
  size_t units = 0;
  for (uint32_t c : deploy->children) {
    const Node& unit = doc.nodes[c];
    ASSERT_EQ(unit.kind, NodeKind::unit);
    EXPECT_EQ(unit.id, "deploy." + std::to_string(++units));
    EXPECT_FALSE(dense_view(doc, unit).empty());
    std::string_view body = doc.text(unit.body);
    // never inside a block: every unit starts at a paragraph or the code's introduction
    EXPECT_TRUE(body.substr(0, 11) == "\nParagraph " ||
                body.substr(0, 19) == "\nRun these commands")
        << body.substr(0, 40);
  }
  EXPECT_GE(units, 3u);
  EXPECT_EQ(strip(doc), section);
}

TEST(Transpile, TypesFollowTitlesThenContent) {
  std::string og = transpiled(
      "# Tool\n\n## Prerequisites\n\nAn account.\n\n## Deploy\n\n1. Build.\n2. Push.\n3. Roll "
      "out.\n\n## Verify\n\n1. Check.\n2. Done.\n\n## Caution\n\nDo not run twice.\n\n"
      "## Notes\n\n> [!WARNING]\n> Data is lost.\n\n## Sample config\n\n```yaml\na: 1\n```\n\n"
      "## Limits\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
      "## Goals\n\n1. Faster rollouts.\n2. Fewer failed deploys.\n");
  Document doc = parse(og, "doc.md");
  auto type_of = [&](const char* id) { return doc.find(id) ? doc.find(id)->type : "?"; };
  EXPECT_EQ(type_of("prerequisites"), "prereq");
  EXPECT_EQ(type_of("deploy"), "steps");
  EXPECT_EQ(type_of("caution"), "warning");
  EXPECT_EQ(type_of("notes"), "warning");
  EXPECT_EQ(type_of("sample-config"), "example");
  EXPECT_EQ(type_of("limits"), "table");
  EXPECT_EQ(type_of("goals"), "concept"); // a numbered list of points, not steps
  // edges: steps require the prereq before them, adjacent steps precede each other
  const Node* deploy = doc.find("deploy");
  ASSERT_NE(deploy, nullptr);
  std::vector<std::string> edges;
  for (const auto& e : deploy->edges) edges.push_back(e.name + " " + e.target.text());
  EXPECT_EQ(edges, (std::vector<std::string>{"requires #prerequisites", "precedes #verify"}));
}

TEST(Transpile, LinksAndMentionsBecomeSeeAlso) {
  Document doc = parse(transpiled("# A\n\n## Setup\n\nSee [tuning](#tuning) first.\n\n"
                                  "## Usage\n\nFor limits, see the Tuning section.\n\n"
                                  "## Tuning\n\nSet the knobs.\n"),
                       "doc.md");
  for (const char* id : {"setup", "usage"}) {
    const Node* n = doc.find(id);
    ASSERT_NE(n, nullptr);
    ASSERT_EQ(n->edges.size(), 1u) << id;
    EXPECT_EQ(n->edges[0].name, "see-also");
    EXPECT_EQ(n->edges[0].target.id, "tuning");
  }
  // A link to a heading whose id is not a valid name (found by fuzz_transpile) makes no edge:
  // `#über` cannot be written as a target.
  std::string text = "# A\n\n## Setup\n\nSee [Über](#über) first.\n\n## Über\n\nText.\n";
  Document unicode = parse(transpiled(text), "doc.md");
  EXPECT_FALSE(unicode.has_errors());
  ASSERT_NE(unicode.find("setup"), nullptr);
  EXPECT_TRUE(unicode.find("setup")->edges.empty());
  EXPECT_EQ(strip(unicode), text);
}

TEST(Transpile, ATableOfContentsIsNoTextOfItsOwn) {
  std::string og = transpiled(
      "# Proposal\n\n- [Summary](#summary)\n- [Goals](#goals)\n  - [Non-goals](#non-goals)\n"
      "- [Design](#design)\n\n## Summary\n\nA shorter rollout.\n\n## Goals\n\nFaster.\n\n"
      "### Non-goals\n\nNone.\n\n## Design\n\nSee [goals](#goals) first.\n");
  Document doc = parse(og, "doc.md");
  const Node* top = doc.find("proposal");
  ASSERT_NE(top, nullptr);
  EXPECT_TRUE(top->edges.empty()) << og; // no `:see-also` to every heading
  EXPECT_TRUE(top->dense.empty()) << top->dense;
  // A link in prose is still an edge.
  ASSERT_NE(doc.find("design"), nullptr);
  ASSERT_EQ(doc.find("design")->edges.size(), 1u);
  EXPECT_EQ(doc.find("design")->edges[0].target.id, "goals");
}

TEST(Transpile, DenseIsExtractiveAndBounded) {
  std::string long_sentence = "The controller reconciles";
  for (int i = 0; i < 60; ++i) long_sentence += " replica" + std::to_string(i);
  std::string text = "# T\n\n## Rollout\n\n" + long_sentence + ".\n";
  Document doc = parse(transpiled(text), "doc.md");
  const Node* n = doc.find("rollout");
  ASSERT_NE(n, nullptr);
  EXPECT_LE(tokenizer().count(n->dense), 40u);
  std::string dense = n->dense.substr(0, n->dense.size() - 3); // the "…"
  EXPECT_EQ(n->dense.substr(n->dense.size() - 3), "\xE2\x80\xA6");
  EXPECT_EQ(long_sentence.substr(0, dense.size()), dense); // a prefix of the text, no new words
}

TEST(Transpile, KeepsWhatTheDocumentAlreadySays) {
  std::string og_text = "---\nname: skill\n---\n# S {#s .concept}\n:dense Mine.\n\nText here.\n";
  Document doc = parse(transpiled(og_text), "doc.md");
  EXPECT_EQ(doc.find("s")->dense, "Mine.");
  EXPECT_EQ(doc.find("s")->type, "concept");
  EXPECT_EQ(doc.meta.fields.front().first, "name"); // existing frontmatter kept, `og: 1` added
  EXPECT_EQ(doc.meta.og_version, 1);
}

TEST(Transpile, ASummaryTheFirstSentenceGivesIsNotWritten) {
  // `Restart the pod.` is what a reader derives: no `:dense` line, the same summary. A section
  // whose best sentence is a later one gets it written.
  std::string og = transpiled("# T\n\n## Step\n\nRestart the pod.\n\n## Later\n\nSee.\n\n"
                              "Run `kubectl rollout restart deploy/web` to restart it.\n");
  Document doc = parse(og, "doc.md");
  EXPECT_EQ(dense_view(doc, *doc.find("step")), "Restart the pod.");
  EXPECT_TRUE(doc.find("step")->dense.empty()) << og;
  EXPECT_EQ(doc.find("later")->dense, "Run `kubectl rollout restart deploy/web` to restart it.");
  EXPECT_EQ(transpiled(og), og);
  // An author's `:dense`, even one the first sentence would give, stays.
  std::string authored = "---\nog: 1\n---\n# Step\n:dense Restart the pod.\n\nRestart the pod.\n";
  EXPECT_NE(transpiled(authored).find(":dense Restart the pod.\n"), std::string::npos);
}

TEST(Transpile, StaleSummaryIsReportedAfterAnEdit) {
  std::string og = transpiled("# T\n\n## Step\n\nRestart the pod.\n");
  EXPECT_TRUE(parse(og, "doc.md").diagnostics.empty());
  og.replace(og.rfind("Restart the pod."), 16, "Delete the pod.");
  Document doc = parse(og, "doc.md");
  ASSERT_EQ(doc.diagnostics.size(), 1u);
  EXPECT_EQ(doc.diagnostics[0].code, Code::summary_stale);
  // re-transpiling makes that summary anew, and only that one
  Document refreshed = parse(transpiled(og), "doc.md");
  EXPECT_TRUE(refreshed.diagnostics.empty());
  EXPECT_EQ(dense_view(refreshed, *refreshed.find("step")), "Delete the pod.");
  EXPECT_EQ(strip(refreshed), strip(doc));
}

} // namespace og
