// og commit: what it writes, what it never touches, and what og check reports afterwards.
#include <gtest/gtest.h>

#include "og/og.hpp"

namespace og {

namespace {

CommitOptions on(std::string date, std::string message = "") {
  return {std::move(message), std::move(date)};
}

CommitResult committed(const std::string& text, const CommitOptions& options) {
  auto result = commit(parse(text, "doc.og"), options);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
  return result.ok() ? result.value() : CommitResult{};
}

std::vector<std::string> change_texts(const CommitResult& r) {
  std::vector<std::string> out;
  for (const auto& c : r.changes) out.push_back(c.text());
  return out;
}

std::vector<Code> codes(const Document& doc) {
  std::vector<Code> out;
  for (const auto& d : doc.diagnostics) out.push_back(d.code);
  return out;
}

const std::string plain = "# Guide\n\nIntro.\n\n## Install\n\nRun `make`.\n\n## Use\n\nRun it.\n";

} // namespace

TEST(Commit, FirstCommitAddsVersionAndChangelogAroundUntouchedContent) {
  CommitResult r = committed(plain, on("2026-11-24", "initial"));
  ASSERT_TRUE(r.changed);
  EXPECT_EQ(r.version, 1u);
  EXPECT_EQ(change_texts(r), (std::vector<std::string>{"+guide", "+install", "+use"}));
  const std::string header = "---\nog: 1\nversion: 1\n---\n";
  ASSERT_EQ(r.source.substr(0, header.size()), header);
  EXPECT_EQ(r.source.substr(header.size(), plain.size()), plain); // content bytes unchanged
  std::string tail = r.source.substr(header.size() + plain.size());
  EXPECT_EQ(tail.substr(0, 29), "\n# Changelog {#__changelog}\n:");
  EXPECT_NE(tail.find("\n- v1 · 2026-11-24 · +guide +install +use · initial\n"), std::string::npos);
  Document after = parse(r.source, "doc.og");
  EXPECT_TRUE(codes(after).empty());
  EXPECT_EQ(after.meta.version, 1u);
}

TEST(Commit, TomlFrontmatterGetsTomlFieldsAtTheTopLevel) {
  // Hugo's `+++` frontmatter: the version is written as TOML, above any [table], where a key
  // still belongs to the document.
  const std::string hugo = "+++\ntitle = \"Guide\"\n[params]\nauthor = \"me\"\n+++\n" + plain;
  CommitResult r = committed(hugo, on("2026-11-24"));
  ASSERT_TRUE(r.changed);
  EXPECT_EQ(r.source.substr(0, 26), "+++\nversion = 1\ntitle = \"G");
  Document after = parse(r.source, "doc.og");
  EXPECT_TRUE(codes(after).empty());
  EXPECT_EQ(after.meta.version, 1u);
  std::string edited = r.source;
  edited.replace(edited.find("Run `make`."), 11, "Run `make all`.");
  CommitResult again = committed(edited, on("2026-11-25"));
  EXPECT_EQ(again.version, 2u);
  EXPECT_EQ(parse(again.source, "doc.og").meta.version, 2u);
}

TEST(Commit, NothingChangedWritesNothing) {
  CommitResult first = committed(plain, on("2026-11-24"));
  CommitResult second = committed(first.source, on("2026-11-25"));
  EXPECT_FALSE(second.changed);
  EXPECT_EQ(second.version, 1u);
  EXPECT_EQ(second.source, first.source);
}

TEST(Commit, RecordsAddedChangedRemovedAndOnlyThose) {
  std::string v1 = committed(plain, on("2026-11-24")).source;
  std::string edited = v1;
  edited.replace(edited.find("Run `make`."), 11, "Run `make install`.");
  edited.replace(edited.find("## Use\n\nRun it.\n"), 16, "## Tune\n\nSet flags.\n");
  CommitResult r = committed(edited, on("2026-11-25", "install and tune"));
  EXPECT_EQ(r.version, 2u);
  EXPECT_EQ(change_texts(r), (std::vector<std::string>{"~install", "+tune", "-use"}));
  Changelog log = read_changelog(parse(r.source, "doc.og"));
  ASSERT_EQ(log.entries.size(), 2u);
  EXPECT_EQ(log.entries[0].version, 2u); // newest first
  EXPECT_EQ(log.entries[0].message, "install and tune");
  EXPECT_EQ(log.entries[1].version, 1u);
  EXPECT_EQ(log.hashes.size(), 3u);
}

TEST(Commit, EditingMetadataOnlyIsAChangeButMadeFromIsNot) {
  std::string v1 = committed(plain, on("2026-11-24")).source;
  Document doc = parse(v1, "doc.og");
  std::string made_from = ":made-from " + hash_hex(summary_hash(doc, *doc.find("install"))) + "\n";
  std::string with_made_from = v1;
  with_made_from.insert(with_made_from.find("\nRun `make`."), made_from);
  EXPECT_FALSE(committed(with_made_from, on("2026-11-25")).changed);
  std::string with_dense = v1;
  with_dense.insert(with_dense.find("\nRun `make`."), ":dense Build it.\n");
  EXPECT_EQ(change_texts(committed(with_dense, on("2026-11-25"))),
            (std::vector<std::string>{"~install"}));
}

TEST(Commit, RemovedRestrictedNodeRemembersWhoCouldSeeIt) {
  std::string text = "---\nog: 1\nversion: 4\nroles: {admin: [ops], ops: []}\n---\n"
                     "# Ops\n\n## Secret {scope=admin}\n\nKey.\n\n## Public\n\nHi.\n";
  std::string v5 = committed(text, on("2026-11-24")).source;
  EXPECT_NE(v5.find(":hash secret "), std::string::npos);
  EXPECT_NE(v5.find(" @admin\n"), std::string::npos);
  std::string gone = v5;
  gone.erase(gone.find("## Secret"), std::string("## Secret {scope=admin}\n\nKey.\n\n").size());
  CommitResult r = committed(gone, on("2026-11-25"));
  EXPECT_EQ(r.version, 6u);
  EXPECT_EQ(change_texts(r), (std::vector<std::string>{"-secret@admin"}));
}

TEST(Commit, KeepsCrlfAndExistingFrontmatter) {
  std::string text = "---\r\nname: pdf\r\ndescription: PDF tools\r\n---\r\n# PDF\r\n\r\nText.\r\n";
  CommitResult r = committed(text, on("2026-11-24"));
  const std::string header = "---\r\nname: pdf\r\ndescription: PDF tools\r\nversion: 1\r\n---\r\n";
  EXPECT_EQ(r.source.substr(0, header.size()), header);
  EXPECT_EQ(r.source.find('\n'), r.source.find("\r\n") + 1);
  for (size_t i = r.source.find('\n'); i != std::string::npos; i = r.source.find('\n', i + 1))
    EXPECT_EQ(r.source[i - 1], '\r') << "bare LF at " << i;
}

TEST(Commit, RefusesWhatItCannotRecordHonestly) {
  auto skill =
      commit(parse("---\nname: x\nversion: 1.0.2\n---\n# X\n", "skill.md"), on("2026-11-24"));
  ASSERT_FALSE(skill.ok());
  EXPECT_NE(skill.error().message.find("1.0.2"), std::string::npos);
  auto broken = commit(parse("# A\n## B {confidence=1.5}\n", "broken.og"), on("2026-11-24"));
  EXPECT_FALSE(broken.ok());
  // The changelog appended after an unclosed fence would be code, not a changelog.
  auto fenced = commit(parse("# A\n\n```\ncode\n", "fence.md"), on("2026-11-24"));
  ASSERT_FALSE(fenced.ok());
  EXPECT_NE(fenced.error().message.find("nothing written"), std::string::npos);
}

TEST(Tracking, CheckReportsUncommittedEditsAndStaleSummaries) {
  std::string v1 = committed(plain, on("2026-11-24")).source;
  std::string edited = v1;
  edited.replace(edited.find("Run it."), 7, "Run it twice.");
  edited.insert(edited.find("\n# Changelog"), "\n## Extra\n\nMore.\n");
  Document doc = parse(edited, "doc.og");
  std::vector<std::string> messages;
  for (const auto& d : doc.diagnostics) {
    EXPECT_EQ(d.code, Code::change_uncommitted);
    messages.push_back(d.message);
  }
  EXPECT_EQ(messages,
            (std::vector<std::string>{"`#use` changed since v1; `og commit` records it",
                                      "`#extra` is new since v1; `og commit` records it"}));

  Document unsummarized = parse("## Install\nRun `make`.\n", "x");
  std::string summarized = "## Install\n:dense Run make.\n:made-from " +
                           hash_hex(summary_hash(unsummarized, unsummarized.nodes[0])) +
                           "\nRun `make`.\n";
  EXPECT_TRUE(codes(parse(summarized, "x")).empty());
  std::string stale = summarized;
  stale.replace(stale.find("Run `make`.\n"), 12, "Run `make all`.\n");
  EXPECT_EQ(codes(parse(stale, "x")), std::vector<Code>{Code::summary_stale});
}

TEST(Tracking, MalformedChangelogLinesAreErrors) {
  Document doc = parse("# A\n\n## Changelog {#__changelog}\n:hash a nothex\n\n- v1 2026\n", "x");
  EXPECT_EQ(codes(doc), (std::vector<Code>{Code::changelog_invalid, Code::changelog_invalid}));
  EXPECT_FALSE(commit(doc, on("2026-11-24")).ok());
  Document misplaced = parse("# A\n:hash a 0123456789abcdef\n", "x");
  EXPECT_EQ(codes(misplaced), std::vector<Code>{Code::changelog_invalid});
}

} // namespace og
