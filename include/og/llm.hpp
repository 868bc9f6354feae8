// An OpenAI-compatible chat endpoint as a transpile Synthesizer (`og transpile --llm URL`):
// one bounded call per node, answers cached on disk by content, nothing trusted — the
// transpiler checks every proposal against the node's text.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <string>

#include "og/result.hpp"
#include "og/transpile.hpp"

namespace og {

struct LlmOptions {
  std::string url;     ///< base (`http://127.0.0.1:8080/v1`) or the full `/chat/completions` URL
  std::string model;   ///< sent as `model`
  std::string api_key; ///< sent as `Authorization: Bearer`; empty: no header
  size_t max_tokens = 160;       ///< the answer's cap (`max_tokens`)
  unsigned timeout_seconds = 30; ///< per attempt: connect, read, write
  unsigned retries = 2;          ///< further attempts after a timeout, 429 or 5xx
  std::string cache_dir;         ///< answers by content hash; empty: no cache
};

/// Counters of one synthesizer, safe to read while it runs.
struct LlmStats {
  std::atomic<size_t> calls{0}; ///< HTTP requests sent (retries included)
  std::atomic<size_t> cache_hits{0};
  std::atomic<size_t> failures{0}; ///< nodes left without an answer
};

/// Checks the options (URL scheme, model) and returns the synthesizer; `log` gets one line per
/// failed node (why), `stats` (may be null) is updated as it works.
Result<Synthesizer> llm_synthesizer(const LlmOptions& options, size_t dense_tokens,
                                    size_t max_keywords, std::function<void(std::string)> log,
                                    LlmStats* stats);

} // namespace og
