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

/// Counters of one synthesizer, safe to read while it runs. Every node asked about is counted
/// once: nodes == cache_hits + answered + failed + skipped. `requests` counts HTTP requests,
/// retries included, so it is not a count of nodes.
struct LlmStats {
  std::atomic<size_t> nodes{0};      ///< nodes the synthesizer was asked about
  std::atomic<size_t> cache_hits{0}; ///< answered from the cache
  std::atomic<size_t> answered{0};   ///< answered by the endpoint
  std::atomic<size_t> failed{0};     ///< no usable answer after every attempt
  std::atomic<size_t> skipped{0};    ///< not sent: the endpoint had stopped answering
  std::atomic<size_t> requests{0};   ///< HTTP requests sent (retries included)
};

/// Checks the options (URL scheme, model) and returns the synthesizer; `log` gets one line per
/// failed node (why), `stats` (may be null) is updated as it works.
Result<Synthesizer> llm_synthesizer(const LlmOptions& options, size_t dense_tokens,
                                    size_t max_keywords, std::function<void(std::string)> log,
                                    LlmStats* stats);

} // namespace og
