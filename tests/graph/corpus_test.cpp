#include <gtest/gtest.h>

#include "og/og.hpp"

namespace og {

TEST(Corpus, ResolvesRelativePaths) {
  EXPECT_EQ(resolve_relative("docs/ops/a.og", "canary.og"), "docs/ops/canary.og");
  EXPECT_EQ(resolve_relative("docs/ops/a.og", "../b.og"), "docs/b.og");
  EXPECT_EQ(resolve_relative("a.og", "./x/../y.og"), "y.og");
  EXPECT_EQ(resolve_relative("a.og", "../up.og"), "../up.og");
  EXPECT_EQ(resolve_relative("/abs/a.og", "b.og"), "/abs/b.og");
}

TEST(Corpus, CrossFileEdgesResolveOrReport) {
  std::vector<Document> docs;
  docs.push_back(
      parse("# A\n:requires ops/b.og#b\n:see-also ops/b.og#nope\n:see-also gone.og#x\n", "a.og"));
  docs.push_back(parse("# B\n", "ops/b.og"));
  check_corpus(docs);
  ASSERT_EQ(docs[0].diagnostics.size(), 2u);
  EXPECT_EQ(docs[0].diagnostics[0].code, Code::edge_dangling);
  EXPECT_EQ(docs[0].diagnostics[1].code, Code::edge_document_missing);
  EXPECT_TRUE(docs[1].diagnostics.empty());
}

TEST(Corpus, LoadsTargetsOutsideTheSet) {
  std::vector<Document> docs;
  docs.push_back(parse("# A\n:requires b.og#b\n", "dir/a.og"));
  std::vector<std::string> asked;
  size_t initial = check_corpus(docs, [&](const std::string& path) -> std::optional<Document> {
    asked.push_back(path);
    return parse("# B\n", path);
  });
  EXPECT_EQ(initial, 1u);
  EXPECT_EQ(asked, std::vector<std::string>{"dir/b.og"});
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_TRUE(docs[0].diagnostics.empty());
}

TEST(Corpus, CyclesAcrossFiles) {
  std::vector<Document> docs;
  docs.push_back(parse("# A\n:requires b.og#b\n", "a.og"));
  docs.push_back(parse("# B\n:requires a.og#a\n", "b.og"));
  check_corpus(docs);
  size_t cycles = 0;
  for (const auto& doc : docs)
    for (const auto& d : doc.diagnostics) cycles += d.code == Code::requires_cycle;
  EXPECT_EQ(cycles, 1u);
}

} // namespace og

namespace og {

namespace {

std::vector<Link> links_of(const std::string& text) {
  Document doc = parse(text, "notes/a.md");
  std::vector<Link> out;
  for (const auto& node : doc.nodes) out.insert(out.end(), node.links.begin(), node.links.end());
  return out;
}

std::string described(const Link& link) {
  return (link.wiki ? "wiki:" : "") + link.doc + "#" + link.anchor;
}

} // namespace

TEST(Links, ParseReadsLinksThatCanNameADocumentOrNode) {
  std::vector<Link> links = links_of(
      "# A\n\n[s](../ops/set%20up.md#install) [i](./intro) [o](../ops/) [h](#a) "
      "[w](https://x.io/b.md) [m](mailto:x@y) [x](xref:Api) [r](/docs/abs.md) [p](logo.png) "
      "![img](b.md) `[c](code.md)` [q](c.md?v=1#top)\n\n```\n[f](fenced.md)\n```\n");
  std::vector<std::string> read;
  for (const auto& link : links) read.push_back(described(link));
  EXPECT_EQ(read, (std::vector<std::string>{"../ops/set up.md#install", "./intro#", "../ops/#",
                                            "#a", "c.md#top"}));
}

TEST(Links, WikilinksAndEmbedsLeaveTitlesAsPlainMarkdownReadsThem) {
  Document doc = parse("# See [[Deploy|the deploy]]\n\n[[Deploy#Roll back|undo]], [[#Local]], "
                       "[[Ops/Deploy#^b15695]] and ![[Diagram]].\n",
                       "a.md");
  ASSERT_EQ(doc.nodes.size(), 1u);
  EXPECT_EQ(doc.nodes[0].title, "See [[Deploy|the deploy]]"); // the id stays what it was
  std::vector<std::string> read;
  for (const auto& link : doc.nodes[0].links) read.push_back(described(link));
  EXPECT_EQ(read, (std::vector<std::string>{"wiki:Deploy#", "wiki:Deploy#Roll back", "wiki:#Local",
                                            "wiki:Ops/Deploy#", "wiki:Diagram#"}));
  EXPECT_EQ(doc.lines.position(doc.nodes[0].links[1].at).line, 3u);
}

TEST(Links, WikilinksSplitByEscapesAreOneLink) {
  // In a table the alias bar is escaped; md4c hands the text over in pieces at each escape.
  std::vector<Link> links =
      links_of("# Notes\n\n| note | why |\n|---|---|\n| [[Deploy\\|the deploy]] | x |\n\n"
               "[[Roll\\*back]] and [[a `[[code]]` b]] and [[open\n\nclosed]] then [[Last]]\n\n"
               "inline = [['\\(', '\\)']] and [[\"ab\" \"\"] [\"axb\" \"x\"]]\n");
  std::vector<std::string> read;
  for (const auto& link : links) read.push_back(described(link));
  EXPECT_EQ(read, (std::vector<std::string>{"wiki:Deploy#", "wiki:Roll\\*back#", "wiki:Last#"}));
}

TEST(Links, TomlArraysOfTablesAreNoWikilinks) {
  std::vector<Link> links =
      links_of("# Config\n\n[[cascade]]\n[cascade.params]\n\n"
               "  [[menus.main]] # the main menu\n  name = 'Home'\n\n[[Real note]]\n\n"
               "Text.\n");
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].doc, "Real note");
}

TEST(Links, EachLinkBelongsToTheNodeWhoseTextHoldsIt) {
  Document doc = parse("Intro [a](a.md).\n\n# One\n[b](b.md)\n\n{#u .note}\n[c](c.md)\n\n## Two\n"
                       "[d](d.md)\n",
                       "x.md");
  ASSERT_EQ(doc.nodes.size(), 4u); // top, one, u, two
  EXPECT_EQ(doc.nodes[0].links.at(0).doc, "a.md");
  EXPECT_EQ(doc.nodes[1].links.at(0).doc, "b.md");
  EXPECT_EQ(doc.nodes[2].links.at(0).doc, "c.md");
  EXPECT_EQ(doc.nodes[3].links.at(0).doc, "d.md");
}

TEST(Links, ResolverFollowsTheSiteGeneratorsRules) {
  std::vector<Document> docs;
  docs.push_back(parse("# Daily\n", "vault/notes/daily.md"));
  docs.push_back(parse("# Deploy\n## Roll back\n", "vault/ops/Deploy.md"));
  docs.push_back(parse("# Deploy (old)\n", "vault/archive/deploy.md"));
  docs.push_back(parse("Intro.\n\n## Install\n", "vault/ops/setup.md"));
  docs.push_back(parse("# Ops\n", "vault/ops/index.md"));
  docs.push_back(parse("# Daily deploy\n", "vault/notes/deploy.md"));
  std::vector<const Document*> set;
  std::unordered_map<std::string, uint32_t> by_path;
  for (uint32_t d = 0; d < docs.size(); ++d) {
    set.push_back(&docs[d]);
    by_path.emplace(docs[d].path, d);
  }
  LinkResolver::Parsed parsed(set);
  LinkResolver resolver(parsed, by_path);
  auto named = [&](Link link) -> std::string {
    auto found = resolver.resolve(0, link);
    if (!found) return "none";
    return docs[found->doc].path + "#" + docs[found->doc].nodes[found->node].id +
           (found->anchored ? "" : " (first)");
  };
  EXPECT_EQ(named({"../ops/setup.md", "install"}), "vault/ops/setup.md#install");
  EXPECT_EQ(named({"../ops/setup", "Install"}), "vault/ops/setup.md#install");
  EXPECT_EQ(named({"../ops/setup.md", ""}), "vault/ops/setup.md#top (first)");
  EXPECT_EQ(named({"../ops/", ""}), "vault/ops/index.md#ops (first)");
  EXPECT_EQ(named({"../ops/setup.md", "gone"}), "vault/ops/setup.md#top (first)");
  EXPECT_EQ(named({"../ops/nothing.md", ""}), "none");
  // Pretty URLs: daily.md is served as notes/daily/, so its `../deploy/` is notes/deploy.md.
  EXPECT_EQ(named({"../deploy/", ""}), "vault/notes/deploy.md#daily-deploy (first)");
  // By note name, any case, the nearest of several; a path part picks one.
  EXPECT_EQ(named({"DEPLOY", "", true}), "vault/notes/deploy.md#daily-deploy (first)");
  EXPECT_EQ(named({"ops/deploy", "Roll back", true}), "vault/ops/Deploy.md#roll-back");
  EXPECT_EQ(named({"archive/deploy.md", "", true}), "vault/archive/deploy.md#deploy-old (first)");
  EXPECT_EQ(named({"Nothing yet", "", true}), "none");
  EXPECT_EQ(named({"", "daily", true}), "vault/notes/daily.md#daily");
}

TEST(Links, FrontmatterRequiresNamesDocumentsAndCheckWarnsOnUnknownOnes) {
  std::vector<Document> docs;
  docs.push_back(parse("---\nname: report\nrequires: [pdf, nothing-like-it]\n---\n# Report\n",
                       "skills/report/SKILL.md"));
  docs.push_back(parse("---\nname: pdf\n---\n# PDF\n", "skills/pdf/SKILL.md"));
  EXPECT_EQ(docs[0].meta.requires_documents, (std::vector<std::string>{"pdf", "nothing-like-it"}));
  check_corpus(docs);
  ASSERT_EQ(docs[0].diagnostics.size(), 1u);
  EXPECT_EQ(docs[0].diagnostics[0].code, Code::link_document_missing);
  EXPECT_NE(docs[0].diagnostics[0].message.find("nothing-like-it"), std::string::npos);
  EXPECT_EQ(docs[0].lines.position(docs[0].diagnostics[0].span.start).line, 3u);
  // A value that is no name or list of names is a warning in plain frontmatter.
  Document odd = parse("---\nrequires: {a: b}\n---\n# X\n", "x.md");
  ASSERT_EQ(odd.diagnostics.size(), 1u);
  EXPECT_EQ(odd.diagnostics[0].severity, Severity::warning);
}

TEST(Links, CheckWarnsOnlyOnBrokenLinksWrittenAsFileNames) {
  std::vector<Document> docs;
  docs.push_back(
      parse("# A\n[b](b.md) [gone](gone.md) [page](./page) [[Later]] [o](out.md)\n", "docs/a.md"));
  docs.push_back(parse("# B\n", "docs/b.md"));
  LinkCounts counts;
  check_corpus(
      docs,
      [](const std::string& path) -> std::optional<Document> {
        if (path == "docs/out.md") return parse("# Out\n", path);
        return std::nullopt;
      },
      &counts);
  ASSERT_EQ(docs[0].diagnostics.size(), 1u);
  EXPECT_EQ(docs[0].diagnostics[0].code, Code::link_document_missing);
  EXPECT_EQ(docs[0].lines.position(docs[0].diagnostics[0].span.start).column, 12u); // `gone`
  EXPECT_EQ(counts.to_documents, 5u);
  EXPECT_EQ(counts.resolved, 2u); // b.md, and out.md read from disk
  EXPECT_EQ(docs.size(), 3u);
}

} // namespace og
