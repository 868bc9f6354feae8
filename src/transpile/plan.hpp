// Internal interface of the transpiler: the plan each inference pass reads and extends, in the
// order transpile.cpp runs them. A plan node is an existing node of the document or a unit that
// segmentation adds; a pass fills a field only where the document does not already say it.
#pragma once

#include <string>
#include <vector>

#include "og/transpile.hpp"
#include "syntax/syntax.hpp"
#include "write/edit.hpp"

namespace og::transpiler {

/// A top-level block of a node's own content.
struct Block {
  syntax::TopBlock::Kind kind = syntax::TopBlock::paragraph;
  uint32_t start = 0;       ///< offset of its first line
  bool after_blank = false; ///< a blank line precedes it: a unit may start here
  size_t tokens = 0;        ///< tokens of its source lines
  std::string text;         ///< plain text (syntax::TopBlock::text)
  std::string code_language;
  std::vector<std::string> anchors;
  std::string admonition;           ///< the type of the admonition or alert it opens, if any
  bool opens_indented_body = false; ///< an MkDocs admonition or tab: the indented block is prose
  int container_depth_change = 0;   ///< `:::` admonitions it opens minus those it closes
};

struct PlannedEdge {
  std::string kind; ///< directive name: requires, precedes, see-also
  std::string target;
};

struct PlanNode {
  int32_t node = -1;      ///< index in Document::nodes; -1 for a unit segmentation adds
  int32_t parent = -1;    ///< plan index
  uint32_t marker_at = 0; ///< new units: where the marker line goes (a line start)
  std::string title;
  std::vector<Block> blocks;
  std::string text; ///< plain text of the own content, blocks joined
  size_t tokens = 0;

  std::string id;
  bool write_id = false; ///< heading: make the derived id explicit; unit: always
  std::string type;
  bool write_type = false;
  std::vector<PlannedEdge> edges; ///< new edges only
  std::vector<std::string> keywords;
  std::string dense;
  bool refresh = false; ///< its `:made-from` is stale: dense and keywords are made anew
};

struct Plan {
  const Document* doc = nullptr;
  const Tokenizer* tokenizer = nullptr;
  const TranspileOptions* options = nullptr;
  const CorpusStats* corpus = nullptr;
  std::vector<PlanNode> nodes; ///< document order
  /// Where an earlier attempt's unit marker did not read as one: no unit starts at these
  /// offsets, and the sections at these node indexes are not split at all.
  std::vector<uint32_t> no_unit_at;
  std::vector<int32_t> no_split;
  size_t synthesized_dense = 0, synthesized_keywords = 0, synthesis_rejected = 0;
};

/// Words of a text for statistics: runs of letters, marks and digits of scripts written with
/// spaces (any case, lowercased), with `_`, `-` and `.` inside, 3 to 40 characters (Hangul: 2
/// syllables), not a stop word, not a number; in a script written without spaces, the words
/// of two characters or more that ICU's dictionaries find.
std::vector<std::string> terms_of(std::string_view text);
bool is_stop_word(std::string_view word);
/// Whether code point `cp` is of a script written without spaces between words (Thai, Lao,
/// Myanmar, Khmer, Han, kana).
bool unspaced_script(int32_t cp);

// The passes, in order. Each is documented in docs/spec.md §13.
Plan outline(const Document& doc, const Tokenizer& tokenizer, const TranspileOptions& options,
             const CorpusStats* corpus);                           // outline.cpp
void segment(Plan& plan);                                          // segment.cpp
void assign_ids(Plan& plan);                                       // ids.cpp
void infer_types(Plan& plan);                                      // types.cpp
void infer_edges(Plan& plan);                                      // edges.cpp
void synthesize(Plan& plan);                                       // synthesize.cpp
void extract_keywords(Plan& plan);                                 // keywords.cpp
void extract_dense(Plan& plan);                                    // dense.cpp
std::string write_plan(const Plan& plan, TranspileResult& counts); // writer.cpp
/// The deletions og strip makes (og syntax only), in source order: the outline reads the
/// Markdown structure with them applied, as a plain Markdown viewer of the stripped text would.
std::vector<Edit> strip_edits(const Document& doc); // strip.cpp

/// What the writer puts in place of a `:made-from` hash until the new text is parsed.
std::string_view made_from_placeholder_text();
/// Whether a proposed summary / keyword set says only what the node's title and text say.
bool dense_is_supported(std::string_view dense, std::string_view title, std::string_view text);
bool keywords_are_supported(const std::vector<std::string>& keywords, std::string_view title,
                            std::string_view text);

} // namespace og::transpiler
