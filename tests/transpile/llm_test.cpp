// og transpile --llm against a scripted OpenAI-compatible server on loopback: supported
// proposals are taken, invented ones rejected, 5xx retried, answers cached by content, and a
// dead endpoint leaves exactly the extractive result.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "og/llm.hpp"
#include "og/og.hpp"
#include "spec_examples.hpp"
#include "transpile/plan.hpp"

namespace og {

namespace {

using json = nlohmann::json;

const Tokenizer& tokenizer() {
  return test::cl100k();
}

const char* const runbook = R"(# Payments runbook

## Rollback

Run `helm rollback payments` to return the release to the previous revision. The rollback
takes about two minutes.

## Invented

The cache warms up after a deploy. Requests are slower until it does.

## Flaky

Restart the worker pods with `kubectl rollout restart deploy/worker` when the queue stalls.

## Broken

Write the incident summary in the shared channel before the end of the shift.
)";

/// The scripted endpoint: answers by the section title in the prompt.
class ScriptedLlm {
public:
  ScriptedLlm() {
    server_.Post("/v1/chat/completions", [this](const httplib::Request& req,
                                                httplib::Response& res) {
      json body = json::parse(req.body);
      std::string prompt = body["messages"][1]["content"];
      std::lock_guard<std::mutex> lock(mutex_);
      ++calls_;
      last_authorization_ = req.get_header_value("Authorization");
      last_model_ = body["model"];
      std::string title = prompt.substr(15, prompt.find('\n') - 15); // "Section title: X"
      if (title == "Flaky" && flaky_failures_++ == 0) {
        res.status = 503;
        return;
      }
      std::string content;
      if (title == "Rollback")
        content =
            R"({"dense": "Run helm rollback payments to return the release to the previous revision.", "keywords": ["helm rollback", "previous revision"]})";
      else if (title == "Invented")
        content = R"(```json
{"dense": "Kubernetes 1.29 clusters need a warm cache.", "keywords": ["latency budget"]}
```)";
      else if (title == "Flaky")
        content =
            R"({"dense": "Restart the worker pods when the queue stalls.", "keywords": ["worker pods", "queue"]})";
      else
        content = "I cannot help with that.";
      res.set_content(
          json{{"choices", {{{"message", {{"role", "assistant"}, {"content", content}}}}}}}.dump(),
          "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // bind_to_any_port already listens: connections queue until the thread accepts them.
  }
  ~ScriptedLlm() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }
  size_t calls() {
    std::lock_guard<std::mutex> lock(mutex_);
    return calls_;
  }
  std::string last_authorization_, last_model_;

private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mutex_;
  size_t calls_ = 0;
  int flaky_failures_ = 0;
};

struct Outcome {
  TranspileResult result;
  std::vector<std::string> log;
};

Outcome transpile_with(const LlmOptions& llm, LlmStats* stats) {
  Outcome run;
  auto synthesizer = llm_synthesizer(
      llm, 40, 6, [&](std::string line) { run.log.push_back(line); }, stats);
  EXPECT_TRUE(synthesizer.ok());
  TranspileOptions options;
  options.synthesize = synthesizer.value();
  auto r = transpile(parse(runbook, "runbook.md"), tokenizer(), options);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  if (r.ok()) run.result = r.value();
  return run;
}

LlmOptions endpoint(std::string url, std::string model, std::string key) {
  LlmOptions o;
  o.url = std::move(url);
  o.model = std::move(model);
  o.api_key = std::move(key);
  return o;
}

std::string dense_of(const std::string& source, const std::string& id) {
  Document doc = parse(source, "runbook.og");
  const Node* node = doc.find(id);
  return node ? dense_view(doc, *node) : "";
}

} // namespace

TEST(Llm, SupportedProposalsAreTakenInventedOnesRejectedAndAnswersCached) {
  ScriptedLlm server;
  std::filesystem::path cache =
      std::filesystem::temp_directory_path() / ("og-llm-cache-" + std::to_string(::getpid()));
  std::filesystem::remove_all(cache);
  LlmOptions llm = endpoint(server.url(), "test-model", "test-key");
  llm.cache_dir = cache.string();
  LlmStats stats;
  Outcome first = transpile_with(llm, &stats);
  const std::string& source = first.result.source;

  EXPECT_EQ(server.last_authorization_, "Bearer test-key");
  EXPECT_EQ(server.last_model_, "test-model");
  EXPECT_EQ(dense_of(source, "rollback"),
            "Run helm rollback payments to return the release to the previous revision.");
  EXPECT_NE(source.find(":keywords helm rollback, previous revision"), std::string::npos);
  // Retried after the 503, then taken.
  EXPECT_EQ(dense_of(source, "flaky"), "Restart the worker pods when the queue stalls.");
  // "Kubernetes 1.29" and "latency budget" are not in the section: both rejected, extractive kept.
  EXPECT_EQ(source.find("Kubernetes"), std::string::npos);
  EXPECT_EQ(source.find("latency budget"), std::string::npos);
  EXPECT_EQ(dense_of(source, "invented"), "The cache warms up after a deploy.");
  EXPECT_FALSE(dense_of(source, "broken").empty()); // no JSON in the answer: extractive
  EXPECT_EQ(first.result.synthesized_dense, 2u);
  EXPECT_EQ(first.result.synthesized_keywords, 2u);
  EXPECT_EQ(first.result.synthesis_rejected, 2u);
  size_t calls = server.calls();
  EXPECT_EQ(stats.requests.load(), calls);
  EXPECT_EQ(stats.nodes.load(), stats.cache_hits + stats.answered + stats.failed + stats.skipped);
  EXPECT_GE(calls, 5u); // one per section with text, plus the retry

  // Same content, same prompt: every answer comes from the cache, and the result is identical.
  LlmStats again;
  Outcome second = transpile_with(llm, &again);
  EXPECT_EQ(server.calls(), calls);
  EXPECT_EQ(again.requests.load(), 0u);
  EXPECT_GE(again.cache_hits.load(), 4u);
  EXPECT_EQ(again.nodes.load(), again.cache_hits + again.failed);
  EXPECT_EQ(second.result.source, source);
  // Re-transpiling the result asks nothing: every node already has its dense and keywords.
  TranspileOptions options;
  options.synthesize = [](std::string_view, std::string_view) -> std::optional<Synthesis> {
    ADD_FAILURE() << "asked for a node that already has a summary";
    return std::nullopt;
  };
  auto idempotent = transpile(parse(source, "runbook.og"), tokenizer(), options);
  ASSERT_TRUE(idempotent.ok());
  EXPECT_FALSE(idempotent.value().changed);
  std::filesystem::remove_all(cache);
}

TEST(Llm, ADeadEndpointLeavesTheExtractiveResult) {
  // A port nobody listens on: bound, its number read, closed.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  int port = ntohs(address.sin_port);
  ::close(fd);
  LlmOptions llm = endpoint("http://127.0.0.1:" + std::to_string(port) + "/v1", "m", "");
  llm.retries = 1;
  llm.timeout_seconds = 2;
  LlmStats stats;
  Outcome run = transpile_with(llm, &stats);
  auto plain = transpile(parse(runbook, "runbook.md"), tokenizer());
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(run.result.source, plain.value().source);
  EXPECT_EQ(stats.failed.load(), 3u);
  EXPECT_GE(stats.skipped.load(), 1u);
  EXPECT_EQ(stats.answered.load() + stats.cache_hits.load(), 0u);
  EXPECT_EQ(stats.nodes.load(), stats.failed + stats.skipped);
  ASSERT_FALSE(run.log.empty());
  EXPECT_NE(run.log[0].find("after 2 attempts"), std::string::npos) << run.log[0];
  // Three nodes in a row failed: the rest are not asked (no waiting on a dead endpoint).
  EXPECT_EQ(stats.requests.load(), 3u * 2u);
  EXPECT_NE(run.log.back().find("no further calls"), std::string::npos) << run.log.back();
}

TEST(Llm, OptionsAreCheckedUpFront) {
  auto no_scheme = llm_synthesizer(endpoint("localhost:8080", "m", ""), 40, 6, nullptr, nullptr);
  ASSERT_FALSE(no_scheme.ok());
  EXPECT_NE(no_scheme.error().message.find("http://"), std::string::npos);
  auto no_model =
      llm_synthesizer(endpoint("http://127.0.0.1:1/v1", "", ""), 40, 6, nullptr, nullptr);
  ASSERT_FALSE(no_model.ok());
  EXPECT_NE(no_model.error().message.find("OG_LLM_MODEL"), std::string::npos);
}

TEST(Llm, SupportIsCheckedWordByWord) {
  std::string text = "Deploying the payments chart takes 3 minutes; the pods restart twice.";
  EXPECT_TRUE(
      transpiler::dense_is_supported("Deploy the payments chart in 3 minutes.", "Deploy", text));
  EXPECT_FALSE(
      transpiler::dense_is_supported("Deploy the payments chart in 5 minutes.", "Deploy", text));
  EXPECT_FALSE(transpiler::dense_is_supported("Deploy the billing chart.", "Deploy", text));
  EXPECT_FALSE(transpiler::dense_is_supported("two\nlines", "Deploy", text));
}

} // namespace og
