// Markdown -> .og: infer ids, content types, edges, keywords and dense summaries, split long
// sections into units, and write them by inserting lines (and attribute lists at heading ends)
// only. Content bytes are never changed; strip() takes everything back out.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "og/document.hpp"
#include "og/result.hpp"
#include "og/tokenizer.hpp"

namespace og {

/// A proposal for a node's dense summary and keywords, from outside the document (an LLM).
struct Synthesis {
  std::string dense;
  std::vector<std::string> keywords;
};

/// Proposes a Synthesis for a node from its title and plain text, or nothing (no answer,
/// a failed call). Called concurrently when files are transpiled in parallel.
using Synthesizer =
    std::function<std::optional<Synthesis>(std::string_view title, std::string_view text)>;

struct TranspileOptions {
  size_t split_tokens = 250; ///< a section whose own text is longer is split into units
  size_t unit_tokens = 200;  ///< a unit closes once it holds about this many tokens
  size_t dense_tokens = 40;  ///< upper bound of a dense summary (tokens of the tokenizer given)
  size_t max_keywords = 6;
  bool write_index = true; ///< append (or refresh) the `__index` node
  /// Optional: proposals checked against the node's own text (spec §13.1); what fails the
  /// check is dropped and the extractive pass decides instead.
  Synthesizer synthesize;
};

/// Document frequencies of terms over a set of documents: keywords then favour what sets a
/// section apart from the corpus, not only from its own document.
struct CorpusStats {
  size_t documents = 0;
  std::unordered_map<std::string, uint32_t> document_frequency;
  void add(const Document& document);
};

struct TranspileResult {
  std::string source;
  bool changed = false;
  size_t nodes = 0;       ///< nodes of the result (generated ones excluded)
  size_t units_added = 0; ///< new units from segmentation
  size_t ids_written = 0;
  size_t types_written = 0;
  size_t edges_written = 0;
  size_t summaries_written = 0; ///< nodes that got a `:dense` (and `:made-from`)
  size_t keywords_written = 0;
  size_t synthesized_dense = 0;    ///< dense summaries taken from the synthesizer
  size_t synthesized_keywords = 0; ///< keyword sets taken from the synthesizer
  size_t synthesis_rejected = 0;   ///< proposals (dense or keywords) the text did not support
  /// Why the document was left as it was, when nothing could be written without losing what the
  /// author wrote (an attribute list at a heading with no room for its `:authored` line).
  std::string kept_because;
};

/// Runs the inference passes (spec §13) and writes their results into the document's text.
/// Re-running on the result changes nothing. The result is verified before it is returned:
/// same headings, and strip() of it equals strip() of the input, or an Error says why not.
Result<TranspileResult> transpile(const Document& document, const Tokenizer& tokenizer,
                                  const TranspileOptions& options = {},
                                  const CorpusStats* corpus = nullptr);

/// Removes og syntax: the `og: 1` frontmatter line (and a frontmatter left empty), attribute
/// lists of headings, directive lines, unit marker paragraphs, and the generated `__index` and
/// `__changelog` nodes. For a Markdown file without og syntax, strip(transpile(x)) == x.
std::string strip(const Document& document);

} // namespace og
