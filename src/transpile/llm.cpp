// The LLM synthesizer: a chat completion per node (temperature 0, JSON answer), retried on
// timeouts, 429 and 5xx with exponential backoff, cached on disk by a hash of everything that
// shapes the answer. The answer is only a proposal: synthesize.cpp checks it against the text.
#include <httplib.h>
#include <xxhash.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "og/io.hpp"
#include "og/llm.hpp"

namespace og {

namespace {

using json = nlohmann::json;

/// Bumped whenever the prompt changes, so cached answers to the old prompt are not reused.
constexpr std::string_view prompt_version = "og-llm-1";

struct Endpoint {
  std::string origin; ///< scheme://host[:port]
  std::string path;   ///< .../chat/completions
};

Result<Endpoint> parse_endpoint(const std::string& url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos ||
      (url.compare(0, scheme_end, "http") != 0 && url.compare(0, scheme_end, "https") != 0))
    return Error{fmt::format("--llm {}: expected an http:// or https:// URL", url)};
  size_t path_start = url.find('/', scheme_end + 3);
  Endpoint e{url.substr(0, path_start),
             path_start == std::string::npos ? "" : url.substr(path_start)};
  if (e.origin.size() <= scheme_end + 3) return Error{fmt::format("--llm {}: no host", url)};
  while (!e.path.empty() && e.path.back() == '/') e.path.pop_back();
  if (!e.path.ends_with("/chat/completions")) e.path += "/chat/completions";
  return e;
}

std::string system_prompt(size_t dense_tokens, size_t max_keywords) {
  return fmt::format(
      "You index sections of technical documents for retrieval. Read the section and answer "
      "with one JSON object and nothing else: {{\"dense\": \"...\", \"keywords\": [\"...\"]}}. "
      "dense: one sentence of at most {} tokens saying what the section tells the reader, "
      "using only words and facts that appear in the section. keywords: at most {} words or "
      "short phrases copied from the section that someone searching for it would type. Never "
      "add facts, numbers or names the section does not contain.",
      dense_tokens, max_keywords);
}

std::string cache_key(const LlmOptions& o, const std::string& system, std::string_view title,
                      std::string_view text) {
  std::string hashed =
      fmt::format("{}\n{}\n{}\n{}\n{}\n{}", prompt_version, o.model, o.url, system, title, text);
  XXH128_hash_t h = XXH3_128bits(hashed.data(), hashed.size());
  return fmt::format("{:016x}{:016x}", h.high64, h.low64);
}

/// The proposal in a chat completion's first message: bare JSON or JSON in a code fence.
std::optional<Synthesis> proposal_of(const json& completion) {
  const json* content = nullptr;
  if (completion.is_object() && completion.contains("choices") &&
      completion["choices"].is_array() && !completion["choices"].empty()) {
    const json& choice = completion["choices"][0];
    if (choice.is_object() && choice.contains("message") && choice["message"].is_object() &&
        choice["message"].contains("content") && choice["message"]["content"].is_string())
      content = &choice["message"]["content"];
  }
  if (!content) return std::nullopt;
  std::string text = content->get<std::string>();
  size_t open = text.find('{'), close = text.rfind('}');
  if (open == std::string::npos || close == std::string::npos || close < open) return std::nullopt;
  json answer = json::parse(text.substr(open, close - open + 1), nullptr, false);
  if (!answer.is_object()) return std::nullopt;
  Synthesis s;
  if (answer.contains("dense") && answer["dense"].is_string()) s.dense = answer["dense"];
  if (answer.contains("keywords") && answer["keywords"].is_array())
    for (const auto& k : answer["keywords"])
      if (k.is_string()) s.keywords.push_back(k.get<std::string>());
  size_t a = s.dense.find_first_not_of(" \t"), b = s.dense.find_last_not_of(" \t");
  s.dense = a == std::string::npos ? "" : s.dense.substr(a, b - a + 1);
  return s;
}

class Client {
public:
  Client(LlmOptions options, Endpoint endpoint, std::string system,
         std::function<void(std::string)> log, LlmStats* stats)
      : options_(std::move(options)), endpoint_(std::move(endpoint)), system_(std::move(system)),
        log_(std::move(log)), stats_(stats) {}

  std::optional<Synthesis> operator()(std::string_view title, std::string_view text) const {
    if (stats_) ++stats_->nodes;
    std::string key = cache_key(options_, system_, title, text);
    std::string cached = cache_path(key);
    if (!cached.empty()) {
      if (auto bytes = read_file(cached)) {
        if (stats_) ++stats_->cache_hits;
        return proposal_of(json::parse(bytes.value(), nullptr, false));
      }
    }
    if (consecutive_failures_ >= give_up_after) { // the endpoint is down: stop waiting on it
      if (stats_) ++stats_->skipped;
      return std::nullopt;
    }
    auto completion = request(title, text);
    if (!completion) {
      if (stats_) ++stats_->failed;
      log_(fmt::format("{}: {}", title.empty() ? "(untitled node)" : std::string(title),
                       completion.error().message));
      if (++consecutive_failures_ == give_up_after)
        log_(fmt::format("{} nodes in a row failed: no further calls in this run", give_up_after));
      return std::nullopt;
    }
    consecutive_failures_ = 0;
    if (stats_) ++stats_->answered;
    if (!cached.empty()) {
      std::error_code ec;
      std::filesystem::create_directories(options_.cache_dir, ec);
      (void)write_file_atomic(cached, completion.value().dump()); // a cache: best effort
    }
    return proposal_of(completion.value());
  }

private:
  std::string cache_path(const std::string& key) const {
    return options_.cache_dir.empty() ? "" : options_.cache_dir + "/" + key + ".json";
  }

  Result<json> request(std::string_view title, std::string_view text) const {
    json body = {
        {"model", options_.model},
        {"temperature", 0},
        {"max_tokens", options_.max_tokens},
        {"messages",
         {{{"role", "system"}, {"content", system_}},
          {{"role", "user"}, {"content", fmt::format("Section title: {}\n\n{}", title, text)}}}}};
    std::string payload = body.dump(-1, ' ', false, json::error_handler_t::replace);
    httplib::Headers headers;
    if (!options_.api_key.empty()) headers.emplace("Authorization", "Bearer " + options_.api_key);
    std::string why;
    for (unsigned attempt = 0; attempt <= options_.retries; ++attempt) {
      if (attempt) // 0.5 s, 1 s, 2 s, … capped at 8 s
        std::this_thread::sleep_for(std::chrono::milliseconds(500 << std::min(attempt - 1, 4u)));
      httplib::Client client(endpoint_.origin);
      client.set_connection_timeout(static_cast<time_t>(options_.timeout_seconds), 0);
      client.set_read_timeout(static_cast<time_t>(options_.timeout_seconds), 0);
      client.set_write_timeout(static_cast<time_t>(options_.timeout_seconds), 0);
      if (stats_) ++stats_->requests;
      auto response = client.Post(endpoint_.path, headers, payload, "application/json");
      if (!response) {
        why = "no answer from " + options_.url + " (" + httplib::to_string(response.error()) + ")";
        continue;
      }
      if (response->status == 429 || response->status >= 500) {
        why = fmt::format("{} answered HTTP {}", options_.url, response->status);
        continue;
      }
      if (response->status != 200)
        return Error{fmt::format("{} answered HTTP {}: {}", options_.url, response->status,
                                 response->body.substr(0, 200))};
      json completion = json::parse(response->body, nullptr, false);
      if (completion.is_discarded()) return Error{options_.url + " answered something not JSON"};
      return completion;
    }
    return Error{fmt::format("{} (after {} attempts)", why, options_.retries + 1)};
  }

  static constexpr int give_up_after = 3;
  mutable std::atomic<int> consecutive_failures_{0};
  LlmOptions options_;
  Endpoint endpoint_;
  std::string system_;
  std::function<void(std::string)> log_;
  LlmStats* stats_;
};

} // namespace

Result<Synthesizer> llm_synthesizer(const LlmOptions& options, size_t dense_tokens,
                                    size_t max_keywords, std::function<void(std::string)> log,
                                    LlmStats* stats) {
  auto endpoint = parse_endpoint(options.url);
  if (!endpoint) return endpoint.error();
  if (options.model.empty())
    return Error{"--llm needs a model: --llm-model or the OG_LLM_MODEL environment variable"};
  auto client = std::make_shared<Client>(
      options, endpoint.value(), system_prompt(dense_tokens, max_keywords), std::move(log), stats);
  return Synthesizer(
      [client](std::string_view title, std::string_view text) { return (*client)(title, text); });
}

} // namespace og
