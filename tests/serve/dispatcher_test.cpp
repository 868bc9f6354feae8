// The MCP dispatcher through its in-memory transport (no sockets): errors, eras, roles bound
// to the session, and the document store's hot reload.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "og/io.hpp"
#include "og/parse.hpp"
#include "og/serve.hpp"
#include "spec_examples.hpp"

namespace og {

namespace {

using json = nlohmann::json;

const char* const runbook = R"(---
og: 1
version: 2
roles: {admin: [operator], operator: []}
---
# Runbook

## Deploy {#deploy .steps scope=operator}
:precedes #verify
Run `helm upgrade payments`.

## Verify {#verify .assert scope=operator}
:check state.ready >= state.desired
:retry 1 every 5s
:escalate #page

Compare the replica counts.

## Page the on-call {#page scope=admin}
The pager code is 7731.

## Changelog {#__changelog}
- v2 · 2026-05-01 · ~page · Pager code rotated.
)";

const Tokenizer& tokenizer() {
  return test::cl100k();
}

Dispatcher dispatcher_over(const std::string& text) {
  std::vector<Document> documents;
  documents.push_back(parse(text, "runbook.og"));
  auto store = DocumentStore::hold(std::move(documents), tokenizer());
  if (!store) throw std::runtime_error(store.error().message);
  return Dispatcher(store.value(), ServeLimits{});
}

std::string rpc(int id, const std::string& method, json params = nullptr) {
  json message = {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
  if (!params.is_null()) message["params"] = std::move(params);
  return message.dump();
}

json reply(const Dispatcher& d, const std::string& message, Session& session,
           const HttpHeaders* headers = nullptr) {
  DispatchReply r = d.handle(message, session, headers);
  return r.body.empty() ? json() : json::parse(r.body);
}

json call(const Dispatcher& d, Session& session, const std::string& tool, json arguments) {
  return reply(d, rpc(1, "tools/call", {{"name", tool}, {"arguments", std::move(arguments)}}),
               session);
}

} // namespace

TEST(Dispatcher, ErrorsNameTheProblemAndServingGoesOn) {
  Dispatcher d = dispatcher_over(runbook);
  Session session;
  EXPECT_EQ(reply(d, "{nope", session)["error"]["code"], -32700);
  EXPECT_EQ(reply(d, "[1,2]", session)["error"]["code"], -32600);
  EXPECT_EQ(reply(d, rpc(1, "no/such"), session)["error"]["code"], -32601);
  json unknown_tool = reply(d, rpc(2, "tools/call", {{"name", "nope"}}), session);
  EXPECT_EQ(unknown_tool["error"]["code"], -32602);
  EXPECT_EQ(unknown_tool["id"], 2);
  json bad = call(d, session, "resolve_context", {{"ids", {"deploy", 7}}});
  EXPECT_TRUE(bad["result"]["isError"]);
  EXPECT_NE(bad["result"]["content"][0]["text"].get<std::string>().find("arguments.ids[1]"),
            std::string::npos);
  EXPECT_TRUE(
      d.handle(R"({"jsonrpc":"2.0","method":"notifications/initialized"})", session).body.empty());
  EXPECT_EQ(reply(d, rpc(3, "ping"), session)["result"], json::object());
}

TEST(Dispatcher, InitializeNegotiatesTheHandshakeEra) {
  Dispatcher d = dispatcher_over(runbook);
  Session session;
  json asked = {{"capabilities", json::object()},
                {"clientInfo", {{"name", "t"}, {"version", "0"}}}};
  asked["protocolVersion"] = "2025-06-18";
  EXPECT_EQ(reply(d, rpc(0, "initialize", asked), session)["result"]["protocolVersion"],
            "2025-06-18");
  EXPECT_EQ(session.protocol_version, "2025-06-18");
  asked["protocolVersion"] = "1999-01-01";
  EXPECT_EQ(reply(d, rpc(0, "initialize", asked), session)["result"]["protocolVersion"],
            "2025-11-25");
}

TEST(Dispatcher, ModernHttpHeadersMustRepeatTheBody) {
  Dispatcher d = dispatcher_over(runbook);
  Session session;
  json meta = {{"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
               {"io.modelcontextprotocol/clientCapabilities", json::object()}};
  std::string version = "2026-07-28", method = "tools/list", wrong = "tools/call";
  HttpHeaders good{&version, &method, nullptr};
  DispatchReply ok = d.handle(rpc(1, "tools/list", {{"_meta", meta}}), session, &good);
  EXPECT_EQ(ok.http_status, 200);
  EXPECT_EQ(json::parse(ok.body)["result"]["resultType"], "complete");
  HttpHeaders mismatched{&version, &wrong, nullptr};
  DispatchReply bad = d.handle(rpc(1, "tools/list", {{"_meta", meta}}), session, &mismatched);
  EXPECT_EQ(bad.http_status, 400);
  EXPECT_EQ(json::parse(bad.body)["error"]["code"], -32020);
  meta["io.modelcontextprotocol/protocolVersion"] = "2030-01-01";
  EXPECT_EQ(reply(d, rpc(2, "tools/list", {{"_meta", meta}}), session)["error"]["code"], -32022);
}

TEST(Dispatcher, TheRoleComesFromTheSessionNeverFromArguments) {
  Dispatcher d = dispatcher_over(runbook);
  Session operator_session{Caller{std::string("operator")}, {}};
  Session admin_session{Caller{std::string("admin")}, {}};
  std::string read = rpc(1, "resources/read", {{"uri", "og://doc/runbook.og"}});
  EXPECT_EQ(reply(d, read, operator_session).dump().find("7731"), std::string::npos);
  EXPECT_NE(reply(d, read, admin_session).dump().find("7731"), std::string::npos);
  // Nor through an edge line of a visible node (`:escalate #page` on #verify), nor by paging
  // from the hidden node (an existence oracle).
  EXPECT_EQ(reply(d, read, operator_session).dump().find("#page"), std::string::npos);
  EXPECT_NE(reply(d, read, admin_session).dump().find("#page"), std::string::npos);
  std::string from_hidden = rpc(2, "resources/read", {{"uri", "og://doc/runbook.og?from=page"}});
  EXPECT_TRUE(reply(d, from_hidden, operator_session).contains("error"));
  EXPECT_FALSE(reply(d, from_hidden, admin_session).contains("error"));

  json smuggled =
      call(d, operator_session, "resolve_context", {{"ids", {"page"}}, {"role", "admin"}});
  EXPECT_TRUE(smuggled["result"]["isError"]); // "role" is not an argument
  json hidden = call(d, operator_session, "resolve_context", {{"ids", {"page"}}});
  EXPECT_EQ(hidden["result"]["structuredContent"]["unknown"], json({"page"}));
  // Retries spent: admin is told whom to escalate to; operator cannot see #page, so it is withheld.
  json state = {{"ready", 1}, {"desired", 3}};
  json as_admin =
      call(d, admin_session, "run_assertion", {{"id", "verify"}, {"state", state}, {"attempt", 2}});
  EXPECT_EQ(as_admin["result"]["structuredContent"]["status"], "escalate");
  json as_operator = call(d, operator_session, "run_assertion",
                          {{"id", "verify"}, {"state", state}, {"attempt", 2}});
  EXPECT_EQ(as_operator["result"]["structuredContent"]["status"], "fail");
  EXPECT_EQ(as_operator.dump().find("\"page\""), std::string::npos);
  // The changelog entry touches only #page: hidden from operator entirely.
  json changes = call(d, operator_session, "changes_since", {{"doc", "runbook.og"}, {"since", 1}});
  EXPECT_EQ(changes["result"]["structuredContent"]["entries"], json::array());
}

TEST(DocumentStore, ReloadSwapsWholeVersionsAndKeepsTheLastGoodOne) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("og-store-" + std::to_string(::getpid()));
  fs::create_directories(dir / "ops");
  std::string file = (dir / "ops" / "a.og").string();
  ASSERT_TRUE(write_file_atomic(file, "# A\nFirst text.\n").ok());
  std::vector<std::string> log;
  auto store = DocumentStore::open({dir.string()}, tokenizer(),
                                   [&](std::string line) { log.push_back(std::move(line)); });
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(store.value()->name_of(file), "ops/a.og");
  auto before = store.value()->snapshot();

  ASSERT_TRUE(write_file_atomic(file, "# A\nSecond text.\n").ok());
  EXPECT_TRUE(store.value()->reload({file}));
  auto after = store.value()->snapshot();
  EXPECT_NE(after->document(0).source.find("Second"), std::string::npos);
  // A call that started before the swap still holds the old version, intact.
  EXPECT_NE(before->document(0).source.find("First"), std::string::npos);

  ASSERT_TRUE(write_file_atomic(file, "# A\n## B {confidence=1.5}\nout of range\n").ok());
  EXPECT_TRUE(store.value()->reload({file})); // the same text, now listed as stale
  auto stale = store.value()->snapshot();
  EXPECT_NE(stale->document(0).source.find("Second"), std::string::npos);
  ASSERT_EQ(stale->refused().size(), 1u);
  EXPECT_EQ(stale->refused()[0].path, "ops/a.og");
  EXPECT_TRUE(stale->refused()[0].stale);
  EXPECT_NE(stale->refused()[0].reason.find("ops/a.og:2:"), std::string::npos);
  ASSERT_FALSE(log.empty());
  EXPECT_NE(log.back().find("keeping the last good version"), std::string::npos);
  EXPECT_FALSE(store.value()->reload({file})); // nothing new to say

  // What is not served, and why, reaches the agent: whole for a trusted caller, a count for a
  // role (a path or a message could name what its scope hides).
  Dispatcher d(store.value(), ServeLimits{});
  Session trusted;
  json all = call(d, trusted, "search_index", {{"query", "text"}})["result"];
  EXPECT_EQ(all["structuredContent"]["not_served"]["count"], 1);
  EXPECT_EQ(all["structuredContent"]["not_served"]["documents"][0]["doc"], "ops/a.og");
  EXPECT_NE(all["content"][0]["text"].get<std::string>().find("not served: 1 document with errors"),
            std::string::npos);
  fs::remove_all(dir);
}

TEST(Dispatcher, AgentsReadAndWriteShortHandles) {
  Dispatcher d = dispatcher_over(runbook);
  Session session;
  json found = call(d, session, "search_index", {{"query", "helm upgrade"}})["result"];
  std::string handle = found["structuredContent"]["entries"][0]["handle"];
  EXPECT_EQ(handle, node_handle("runbook.og", "deploy"));
  EXPECT_EQ(found["content"][0]["text"].get<std::string>().rfind(handle + " runbook.og#deploy", 0),
            0u);
  json resolved = call(d, session, "resolve_context", {{"ids", {handle}}})["result"];
  EXPECT_EQ(resolved["structuredContent"]["nodes"][0]["id"], "deploy");
  EXPECT_NE(resolved["content"][0]["text"].get<std::string>().find("<!-- " + handle),
            std::string::npos);
  // The handle of a node outside the role's scope reads as unknown, like its id.
  Session operator_session{Caller{std::string("operator")}, {}};
  json hidden = call(d, operator_session, "resolve_context",
                     {{"ids", {node_handle("runbook.og", "page")}}})["result"];
  EXPECT_EQ(hidden["structuredContent"]["nodes"], json::array());
  EXPECT_EQ(hidden.dump().find("7731"), std::string::npos);
}

TEST(Dispatcher, UnknownTypesAreRefusedWithTheTypesTheCallerCanSee) {
  std::vector<Document> documents;
  documents.push_back(parse(runbook, "runbook.og"));
  documents.push_back(parse("---\nroles: {admin: [operator], operator: []}\n---\n# Vault "
                            "{#vault .x-vault scope=admin}\nKeys.\n# Play {#play .x-play}\nGo.\n",
                            "vault.og"));
  auto store = DocumentStore::hold(std::move(documents), tokenizer());
  ASSERT_TRUE(store.ok());
  Dispatcher d(store.value(), ServeLimits{});
  Session admin{Caller{std::string("admin")}, {}},
      operator_session{Caller{std::string("operator")}, {}};
  json typo = call(d, operator_session, "search_index", {{"query", "go"}, {"types", {"stpes"}}});
  ASSERT_TRUE(typo["result"]["isError"]);
  std::string message = typo["result"]["content"][0]["text"];
  EXPECT_NE(message.find("`stpes` is not a content type (known: steps, code,"), std::string::npos);
  EXPECT_NE(message.find("x-play"), std::string::npos);
  EXPECT_EQ(message.find("x-vault"), std::string::npos); // a type only admin's nodes use
  EXPECT_TRUE(
      call(d, operator_session, "search_index", {{"types", {"x-vault"}}})["result"]["isError"]);
  json vault = call(d, admin, "search_index", {{"types", {"x-vault"}}})["result"];
  EXPECT_FALSE(vault.value("isError", false));
  EXPECT_EQ(vault["structuredContent"]["entries"][0]["id"], "vault");
}

TEST(Dispatcher, ARoleLearnsOnlyHowManyDocumentsAreNotServed) {
  std::vector<Document> documents;
  documents.push_back(parse(runbook, "runbook.og"));
  documents.push_back(
      parse("---\nroles: {admin: []}\nscope: admin\n---\n# Merger {#m}\n:see-also #gone\n",
            "secret-merger.og"));
  auto store = DocumentStore::hold(std::move(documents), tokenizer());
  ASSERT_TRUE(store.ok());
  Dispatcher d(store.value(), ServeLimits{});
  Session operator_session{Caller{std::string("operator")}, {}};
  json result = call(d, operator_session, "search_index", {{"query", "deploy"}})["result"];
  EXPECT_EQ(result["structuredContent"]["not_served"]["count"], 1);
  EXPECT_EQ(result["structuredContent"]["not_served"]["documents"], json::array());
  EXPECT_EQ(result.dump().find("merger"), std::string::npos);
  EXPECT_NE(result["content"][0]["text"].get<std::string>().find("the server's log names them"),
            std::string::npos);
  Session trusted;
  EXPECT_NE(call(d, trusted, "search_index", {{"query", "deploy"}}).dump().find("secret-merger.og"),
            std::string::npos);
}

TEST(DocumentStore, ADeferredStoreAnswersAtOnceAndToolsWaitForTheDocuments) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("og-deferred-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  ASSERT_TRUE(write_file_atomic((dir / "a.md").string(), "# Alpha\nZqword here.\n").ok());
  auto store = DocumentStore::open_deferred({dir.string()}, tokenizer(), [](std::string) {});
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(store.value()->loading(), "looking for the documents");
  EXPECT_TRUE(store.value()->snapshot()->prepared().empty()); // served empty, not absent
  Dispatcher d(store.value(), ServeLimits{});
  Session session;
  EXPECT_EQ(reply(d, rpc(1, "initialize", {{"protocolVersion", "2025-06-18"}}),
                  session)["result"]["serverInfo"]["name"],
            "og"); // answered while nothing is loaded
  // A search sent now waits for the load (run on another thread, as og serve does).
  std::thread loader([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_TRUE(store.value()->load());
  });
  json found = call(d, session, "search_index", {{"query", "zqword"}});
  loader.join();
  ASSERT_EQ(found["result"]["structuredContent"]["entries"].size(), 1u);
  EXPECT_FALSE(store.value()->loading());
  fs::remove_all(dir);
}

TEST(DocumentStore, WatcherPicksUpChangedFiles) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("og-watch-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string file = (dir / "a.og").string();
  ASSERT_TRUE(write_file_atomic(file, "# A\nFirst text.\n").ok());
  auto store = DocumentStore::open({dir.string()}, tokenizer(), [](std::string) {});
  ASSERT_TRUE(store.ok());
  std::atomic<bool> stop{false};
  std::thread watcher([&] { watch_documents(store.value(), stop, [](std::string) {}); });
  // The watcher may not be watching yet: rewrite (at most 20 times) until the change shows.
  // It reloads after a quiet period, so each write gets a second to be picked up.
  bool seen = false;
  for (int i = 0; i < 20 && !seen; ++i) {
    ASSERT_TRUE(write_file_atomic(file, "# A\nRewritten " + std::to_string(i) + ".\n").ok());
    for (int wait = 0; wait < 40 && !seen; ++wait) {
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
      seen = store.value()->snapshot()->document(0).source.find("Rewritten") != std::string::npos;
    }
  }
  stop = true;
  watcher.join();
  EXPECT_TRUE(seen);
  fs::remove_all(dir);
}

TEST(Dispatcher, ProgressGoesToTheTransportAndACancelledCallGetsNoReply) {
  Dispatcher d = dispatcher_over(runbook);
  Session session;
  std::vector<json> sent;
  std::set<std::string> cancelled;
  CallControl control{[&](const std::string& m) { sent.push_back(json::parse(m)); },
                      [&](const std::string& id) { return cancelled.count(id) > 0; }};
  json params = {
      {"name", "diagnostics"}, {"arguments", json::object()}, {"_meta", {{"progressToken", "t"}}}};
  DispatchReply answered = d.handle(rpc(5, "tools/call", params), session, nullptr, &control);
  ASSERT_FALSE(answered.body.empty());
  ASSERT_FALSE(sent.empty());
  EXPECT_EQ(sent[0]["method"], "notifications/progress");
  EXPECT_EQ(sent[0]["params"]["progressToken"], "t");
  EXPECT_EQ(sent[0]["params"]["total"], 1);
  cancelled.insert("6");
  EXPECT_TRUE(d.handle(rpc(6, "tools/call", params), session, nullptr, &control).body.empty());
  // Without a progress token nothing is sent; the call is answered.
  sent.clear();
  params.erase("_meta");
  EXPECT_FALSE(d.handle(rpc(7, "tools/call", params), session, nullptr, &control).body.empty());
  EXPECT_TRUE(sent.empty());
}

TEST(Dispatcher, DiagnosticsFindLinkedServedDocumentsAndResolveFollowsLinks) {
  std::vector<Document> documents;
  documents.push_back(
      parse("# Guide\nSee [setup](ops/setup.md) and [old](ops/gone.md).\n", "guide.md"));
  documents.push_back(parse("# Setup\nInstall it.\n", "ops/setup.md"));
  auto store = DocumentStore::hold(std::move(documents), tokenizer());
  ASSERT_TRUE(store.ok());
  Dispatcher d(store.value(), ServeLimits{});
  Session session;
  json found =
      call(d, session, "diagnostics", json::object())["result"]["structuredContent"]["files"];
  ASSERT_EQ(found.size(), 1u); // only the broken link; the served one is found
  ASSERT_EQ(found[0]["diagnostics"].size(), 1u);
  EXPECT_EQ(found[0]["diagnostics"][0]["code"], "OG0054");
  EXPECT_EQ(found[0]["diagnostics"][0]["column"], 32); // `old`
  json nodes =
      call(d, session, "resolve_context",
           {{"ids", {"guide"}}, {"follow", {"links"}}})["result"]["structuredContent"]["nodes"];
  ASSERT_EQ(nodes.size(), 2u);
  EXPECT_EQ(nodes[1]["id"], "setup");
  EXPECT_EQ(nodes[1]["why"], "linked from guide");
  json listed = call(d, session, "search_index",
                     {{"query", ""}, {"one_per_document", true}})["result"]["structuredContent"];
  EXPECT_EQ(listed["entries"].size(), 2u);
}

TEST(Dispatcher, PromptsAndCompletionSeeOnlyTheCallersScope) {
  Dispatcher d = dispatcher_over(runbook);
  Session session{Caller{"operator"}, {}};
  json prompts = reply(d, rpc(1, "prompts/list"), session)["result"]["prompts"];
  ASSERT_EQ(prompts.size(), 2u);
  json follow = reply(
      d,
      rpc(2, "prompts/get", {{"name", "follow_document"}, {"arguments", {{"doc", "runbook.og"}}}}),
      session);
  std::string text = follow["result"]["messages"][0]["content"]["text"];
  EXPECT_EQ(text.find("page"), std::string::npos); // admin scope
  EXPECT_EQ(text.find("7731"), std::string::npos);
  json ids = reply(d,
                   rpc(3, "completion/complete",
                       {{"ref", {{"type", "ref/resource"}, {"uri", "og://doc/{path}#{id}"}}},
                        {"argument", {{"name", "id"}, {"value", ""}}},
                        {"context", {{"arguments", {{"path", "runbook.og"}}}}}}),
                   session)["result"]["completion"]["values"];
  EXPECT_FALSE(ids.empty());
  for (const auto& id : ids) EXPECT_NE(id, "page");
  json unknown = reply(
      d, rpc(4, "prompts/get", {{"name", "follow_document"}, {"arguments", {{"doc", "nope.og"}}}}),
      session);
  EXPECT_EQ(unknown["error"]["code"], -32602);
}

TEST(Dispatcher, SearchGroupsByDocumentUnlessAskedNotTo) {
  std::vector<Document> documents;
  documents.push_back(parse("# Alpha\n## Rotate {#rotate}\nRotate the signing key: rotate key "
                            "rotation.\n## Store {#store}\nWhere the key is kept.\n",
                            "a.md"));
  documents.push_back(parse("# Beta\n## Keys {#keys}\nThe signing key, rotated yearly.\n", "b.md"));
  auto store = DocumentStore::hold(std::move(documents), tokenizer());
  ASSERT_TRUE(store.ok());
  Dispatcher d(store.value(), ServeLimits{});
  Session session;
  auto order = [&](json arguments) {
    json result = call(d, session, "search_index", std::move(arguments))["result"];
    std::vector<std::string> out;
    for (const auto& e : result["structuredContent"]["entries"])
      out.push_back(e["doc"].get<std::string>() + "#" + e["id"].get<std::string>());
    return out;
  };
  json query = {{"query", "rotate the signing key"}};
  EXPECT_EQ(order(query), (std::vector<std::string>{"a.md#rotate", "a.md#store", "b.md#keys"}));
  query["group_by_document"] = false;
  EXPECT_EQ(order(query), (std::vector<std::string>{"a.md#rotate", "b.md#keys", "a.md#store"}));
  json bad = call(d, session, "search_index", {{"query", "key"}, {"group_by_document", "no"}});
  ASSERT_TRUE(bad["result"]["isError"]);
  EXPECT_NE(
      bad["result"]["content"][0]["text"].get<std::string>().find("arguments.group_by_document"),
      std::string::npos);
}

} // namespace og
