// changes_since: exactly the nodes changed after a version, role-filtered, removed ids only for
// roles that could see them.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>

#include "og/og.hpp"
#include "spec_examples.hpp"

namespace og {

namespace {

std::string commit_text(const std::string& text, const std::string& date) {
  auto r = commit(parse(text, "ops.og"), {"", date});
  if (!r) throw std::runtime_error(r.error().message);
  return r.value().source;
}

Library open_one(const std::string& text) {
  std::vector<Document> docs;
  docs.push_back(parse(text, "ops.og"));
  auto lib = Library::open(std::move(docs), test::cl100k());
  if (!lib) throw std::runtime_error(lib.error().message);
  return lib.value();
}

std::vector<std::string> node_ids(const ChangesResult& r) {
  std::vector<std::string> out;
  for (const auto& n : r.nodes) out.push_back(n.id + " " + n.why);
  return out;
}

void replace(std::string& text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
}

const std::string v0 = "---\nog: 1\nroles: {admin: [ops], ops: []}\n---\n# Ops\n\n"
                       "## Check {#check}\n:dense Look first.\nLook at the dashboard.\n\n"
                       "## Fix {#fix}\nRestart the pod.\n\n"
                       "## Keys {#keys scope=admin}\nRotate the key.\n\n"
                       "## Old {#old scope=admin}\nLegacy path.\n";

} // namespace

TEST(Changes, ReturnsExactlyTheNodesChangedAfterTheVersion) {
  std::string v1 = commit_text(v0, "2026-11-01");
  std::string edited = v1;
  replace(edited, "Restart the pod.", "Restart the pod, then wait.");
  replace(edited, "Rotate the key.", "Rotate the key twice.");
  std::string v2 = commit_text(edited, "2026-11-02");
  replace(v2, "Look at the dashboard.", "Look at both dashboards.");
  std::string v3 = commit_text(v2, "2026-11-03");
  Library lib = open_one(v3);

  auto since1 = lib.changes_since({"", 1, Depth::dense}, Caller{});
  ASSERT_TRUE(since1.ok());
  EXPECT_EQ(since1.value().version, 3u);
  EXPECT_EQ(
      node_ids(since1.value()),
      (std::vector<std::string>{"check changed in v3", "fix changed in v2", "keys changed in v2"}));
  ASSERT_EQ(since1.value().entries.size(), 2u);
  EXPECT_EQ(since1.value().entries[0].version, 3u);
  EXPECT_EQ(since1.value().nodes[0].text, "Look first.");

  auto full = lib.changes_since({"", 2, Depth::full}, Caller{});
  ASSERT_TRUE(full.ok());
  ASSERT_EQ(full.value().nodes.size(), 1u);
  EXPECT_EQ(full.value().nodes[0].text,
            "## Check {#check}\nLook at both dashboards.\n\n"); // search aids left out
  EXPECT_GT(full.value().tokens, 0u);

  EXPECT_TRUE(lib.changes_since({"", 3, Depth::dense}, Caller{}).value().nodes.empty());
  auto beyond = lib.changes_since({"", 4, Depth::dense}, Caller{});
  ASSERT_FALSE(beyond.ok());
  EXPECT_NE(beyond.error().message.find("v3"), std::string::npos);
  EXPECT_FALSE(lib.changes_since({"other.og", 1, Depth::dense}, Caller{}).ok());
}

TEST(Changes, HiddenNodesNeverShowUp) {
  std::string v1 = commit_text(v0, "2026-11-01");
  std::string edited = v1;
  replace(edited, "Rotate the key.", "Rotate the key twice.");
  std::string v2 = commit_text(edited, "2026-11-02");
  replace(v2, "## Old {#old scope=admin}\nLegacy path.\n", "");
  replace(v2, "Restart the pod.", "Restart it.");
  std::string v3 = commit_text(v2, "2026-11-03");
  Library lib = open_one(v3);

  auto ops = lib.changes_since({"", 1, Depth::full}, Caller{"ops"}).value();
  EXPECT_EQ(node_ids(ops), (std::vector<std::string>{"fix changed in v3"}));
  EXPECT_TRUE(ops.removed.empty());  // ops never saw #old
  ASSERT_EQ(ops.entries.size(), 1u); // v2 only touched #keys: the whole entry is withheld
  EXPECT_EQ(ops.entries[0].changes, std::vector<std::string>{"~fix"});
  nlohmann::json dump = changes_json(ops);
  EXPECT_EQ(dump.dump().find("keys"), std::string::npos);
  EXPECT_EQ(dump.dump().find("old"), std::string::npos);

  auto admin = lib.changes_since({"", 1, Depth::dense}, Caller{"admin"}).value();
  EXPECT_EQ(node_ids(admin), (std::vector<std::string>{"fix changed in v3", "keys changed in v2"}));
  EXPECT_EQ(admin.removed, std::vector<std::string>{"old"});
}

TEST(Changes, UncommittedEditsAreFlagged) {
  std::string v1 = commit_text(v0, "2026-11-01");
  replace(v1, "Restart the pod.", "Restart the pod now.");
  Library lib = open_one(v1);
  auto r = lib.changes_since({"", 1, Depth::dense}, Caller{}).value();
  EXPECT_TRUE(r.nodes.empty());
  EXPECT_EQ(r.uncommitted, std::vector<std::string>{"fix"});
}

TEST(Changes, GeneratedNodesAreNotContent) {
  Library lib = open_one(commit_text(v0, "2026-11-01"));
  EXPECT_FALSE(lib.find("__changelog", Caller{}).ok());
  for (const auto& e : lib.search_index({"changelog hash", 0, {}, ""}, Caller{}))
    EXPECT_NE(e.id, "__changelog");
  EXPECT_TRUE(
      lib.resolve_context({{"__changelog"}, Depth::full, {}, {}, {}}, Caller{}).nodes.empty());
}

TEST(Changes, RunbookWorkflowTranspileCommitEditCommit) {
  std::string path = test::shared_dir() + "/bench/corpus/runbooks/kube-pod-crashlooping.md";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " not found (set OG_SHARED_DIR)";
  auto og_text = transpile(parse(test::read_text(path), "runbook.og"), test::cl100k());
  ASSERT_TRUE(og_text.ok()) << og_text.error().message;
  std::string v1 = commit_text(og_text.value().source, "2026-11-01");
  EXPECT_TRUE(parse(v1, "runbook.og").diagnostics.empty());

  std::string edited = v1;
  replace(edited, "Service degradation or unavailability.", "Service degradation or outage.");
  replace(edited, "define\nsane default", "define\nsafe default"); // the body, not the dense
  Document doc = parse(edited, "runbook.og");
  std::vector<std::string> reported;
  for (const auto& d : doc.diagnostics)
    reported.push_back(code_name(d.code) + " " + d.message.substr(0, d.message.find(' ', 2)));
  std::sort(reported.begin(), reported.end());
  EXPECT_EQ(reported, (std::vector<std::string>{"OG0034 `#impact`", "OG0034 `#mitigation`",
                                                "OG0035 `#impact`", "OG0035 `#mitigation`"}));

  Library lib = open_one(commit_text(edited, "2026-11-02"));
  auto changes = lib.changes_since({"", 1, Depth::full}, Caller{});
  ASSERT_TRUE(changes.ok());
  EXPECT_EQ(node_ids(changes.value()),
            (std::vector<std::string>{"impact changed in v2", "mitigation changed in v2"}));
  EXPECT_NE(changes.value().nodes[0].text.find("or outage."), std::string::npos);
}

} // namespace og

namespace og {

TEST(Changes, ADocumentIsNamedByAnyTrailingPartAndAmbiguityListsOnlyWhatTheCallerSees) {
  std::vector<Document> docs;
  docs.push_back(parse("# A {#a}\nText.\n", "team/ops.og"));
  docs.push_back(
      parse("---\nroles: {admin: []}\nscope: admin\n---\n# S {#s}\nSecret.\n", "vault/ops.og"));
  auto lib = Library::open(std::move(docs), test::cl100k());
  ASSERT_TRUE(lib.ok());
  ChangesRequest request{"ops.og", 0, Depth::dense};
  auto trusted = lib.value().changes_since(request, {});
  ASSERT_FALSE(trusted.ok());
  EXPECT_NE(trusted.error().message.find("team/ops.og, vault/ops.og"), std::string::npos);
  // The admin-only document is no candidate for another role: the name means the one it sees.
  auto reader = lib.value().changes_since(request, Caller{std::string("reader")});
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  EXPECT_EQ(reader.value().doc, "team/ops.og");
  request.doc = "team/ops.og";
  EXPECT_TRUE(lib.value().changes_since(request, {}).ok());
}

} // namespace og
