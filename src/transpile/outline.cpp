// Pass 0, outline: the plan's nodes are the document's nodes (generated ones left out), each
// with the top-level blocks of its own content as md4c sees them.
#include <algorithm>

#include "og/changes.hpp"
#include "og/query.hpp"
#include "plan.hpp"

namespace og::transpiler {

namespace {

bool is_blank_line(const Document& doc, uint32_t line) {
  std::string_view text = doc.text({doc.lines.line_start(line), doc.lines.content_end(line)});
  return text.find_first_not_of(" \t") == std::string_view::npos;
}

/// An opening code fence: up to three spaces, then three or more backticks or tildes.
bool is_fence_line(const Document& doc, uint32_t line) {
  std::string_view text = doc.text({doc.lines.line_start(line), doc.lines.content_end(line)});
  size_t indent = text.find_first_not_of(' ');
  if (indent == std::string_view::npos || indent > 3) return false;
  char c = text[indent];
  return (c == '`' || c == '~') && text.substr(indent, 3) == std::string(3, c);
}

/// md4c over the document as Markdown sees it once og syntax is taken out (directive and
/// marker lines would otherwise join the paragraph structure: `:dense x` followed by `2. y`
/// reads as one paragraph, though og and any viewer of the stripped text see a list), with
/// offsets mapped back to the source. Past the container limit, markers are neutralized as
/// parse() does.
std::vector<syntax::TopBlock> blocks_of(const Document& doc) {
  std::vector<uint32_t> overdeep = syntax::find_overdeep_containers(
      doc.source, doc.lines, doc.lines.line_of(doc.content_start()),
      ParseOptions{}.max_container_depth);
  std::string bounded = doc.source;
  if (!overdeep.empty()) syntax::neutralize_markers(bounded, overdeep);
  std::vector<Edit> deleted = strip_edits(doc);
  // A heading list strip gives back as authored moves no block: only deletions change the view.
  std::erase_if(deleted, [](const Edit& e) { return !e.text.empty(); });
  std::sort(deleted.begin(), deleted.end(),
            [](const Edit& a, const Edit& b) { return a.start < b.start; });
  // kept[i] = {view offset, source offset} where the i-th kept run starts.
  std::vector<std::pair<uint32_t, uint32_t>> kept{{0, 0}};
  uint32_t begin = doc.content_start();
  uint32_t removed = 0, view_begin = begin;
  for (const auto& e : deleted) {
    if (e.start < begin) view_begin -= std::min(e.end, begin) - e.start;
    removed += e.end - e.start;
    kept.emplace_back(e.end - removed, e.end);
  }
  auto to_source = [&](uint32_t view, bool is_end) {
    // An end offset belongs to the run holding its last byte.
    uint32_t probe = is_end && view > 0 ? view - 1 : view;
    auto run = std::upper_bound(kept.begin(), kept.end(), probe,
                                [](uint32_t v, const auto& k) { return v < k.first; }) -
               1;
    return run->second + (view - run->first);
  };
  std::vector<syntax::TopBlock> blocks =
      syntax::scan_blocks(apply_edits(bounded, std::move(deleted)), view_begin);
  for (auto& b : blocks) {
    if (b.first_text == syntax::no_offset) continue;
    b.first_text = to_source(b.first_text, false);
    b.text_end = to_source(b.text_end, true);
  }
  return blocks;
}

/// A list of in-document links to at least half the headings (3 or more), one or more per
/// item: a table of contents, not text of the node it sits in.
bool is_table_of_contents(const syntax::TopBlock& top, size_t anchors, size_t headings) {
  bool list = top.kind == syntax::TopBlock::list || top.kind == syntax::TopBlock::ordered_list;
  return list && anchors >= 3 && anchors >= top.items && 2 * anchors >= headings;
}

/// `:::name` openers minus `:::` closes among the lines of a block's text.
int colon_fence_balance(std::string_view text) {
  int balance = 0;
  for (size_t start = 0; start < text.size();) {
    auto [line, next] = syntax::line_from(text, start);
    syntax::DialectLine d = syntax::classify_dialect_line(line);
    if (d.kind == syntax::DialectLine::fence_close) --balance;
    if (d.kind == syntax::DialectLine::admonition && line.starts_with(":::")) ++balance;
    start = next;
  }
  return balance;
}

/// What the block's dialect markup says: the admonition it opens, whether an indented body
/// follows (MkDocs), the `:::` containers it opens or closes.
void read_dialect(std::string_view text, Block& block) {
  std::string_view first = syntax::line_from(text, 0).text;
  syntax::DialectLine d = syntax::classify_dialect_line(first);
  block.admonition = std::string(d.type);
  block.opens_indented_body = d.kind == syntax::DialectLine::tab ||
                              (d.kind == syntax::DialectLine::admonition &&
                               (first.starts_with("!!!") || first.starts_with("???")));
  block.container_depth_change = colon_fence_balance(text);
}

/// Index of the node whose own body holds `offset`, or -1; `hint` makes the walk linear.
int32_t owner_of(const Document& doc, uint32_t offset, size_t& hint) {
  while (hint < doc.nodes.size() && doc.nodes[hint].body.end <= offset) ++hint;
  if (hint < doc.nodes.size() && doc.nodes[hint].body.start <= offset)
    return static_cast<int32_t>(hint);
  return -1;
}

} // namespace

Plan outline(const Document& doc, const Tokenizer& tokenizer, const TranspileOptions& options,
             const CorpusStats* corpus) {
  Plan plan;
  plan.doc = &doc;
  plan.tokenizer = &tokenizer;
  plan.options = &options;
  plan.corpus = corpus;
  std::vector<int32_t> plan_index(doc.nodes.size(), -1);
  for (size_t n = 0; n < doc.nodes.size(); ++n) {
    const Node& node = doc.nodes[n];
    if (is_generated_id(node.id)) continue;
    PlanNode p;
    p.node = static_cast<int32_t>(n);
    p.parent = node.parent < 0 ? -1 : plan_index[static_cast<size_t>(node.parent)];
    p.title = node.title;
    p.id = node.id;
    p.type = node.type;
    p.keywords = node.keywords;
    p.dense = node.dense;
    bool summarized = false;
    for (const auto& d : node.directives)
      if (d.name == "made-from") {
        summarized = true;
        if (d.value == hash_hex(summary_hash(doc, node))) continue;
        p.refresh = true; // made from text that has changed since: make them again
        p.keywords.clear();
        p.dense.clear();
      }
    // Summarized without a `:dense` line: the summary is the one a reader derives.
    if (summarized && !p.refresh && p.dense.empty()) p.dense = dense_view(doc, node);
    plan_index[n] = static_cast<int32_t>(plan.nodes.size());
    plan.nodes.push_back(std::move(p));
  }

  std::vector<syntax::TopBlock> blocks = blocks_of(doc);
  size_t headings = 0;
  for (const auto& node : doc.nodes) headings += node.kind == NodeKind::heading;
  size_t hint = 0;
  uint32_t previous_end = doc.content_start();
  for (size_t b = 0; b < blocks.size(); ++b) {
    syntax::TopBlock& top = blocks[b];
    if (top.first_text == syntax::no_offset) continue; // a rule or an empty block: no split here
    uint32_t floor = previous_end;
    previous_end = top.text_end;
    int32_t owner = owner_of(doc, top.first_text, hint);
    if (owner < 0 || plan_index[static_cast<size_t>(owner)] < 0) continue;
    const Node& node = doc.nodes[static_cast<size_t>(owner)];
    floor = std::max(floor, node.body.start);
    // The block starts at the first line of the run of non-blank lines that ends with its text.
    uint32_t line = doc.lines.line_of(top.first_text);
    while (line > 0 && doc.lines.line_start(line - 1) >= floor && !is_blank_line(doc, line - 1))
      --line;
    // A fenced code block may open with blank lines: its start is the fence above them.
    if (top.kind == syntax::TopBlock::code && !is_fence_line(doc, line)) {
      uint32_t fence = line;
      while (fence > 0 && doc.lines.line_start(fence - 1) >= floor && is_blank_line(doc, fence - 1))
        --fence;
      if (fence > 0 && doc.lines.line_start(fence - 1) >= floor && is_fence_line(doc, fence - 1))
        line = fence - 1;
    }
    Block block;
    block.kind = top.kind;
    block.start = std::max(doc.lines.line_start(line), node.body.start);
    block.after_blank = line > 0 && doc.lines.line_start(line - 1) >= node.body.start &&
                        is_blank_line(doc, line - 1);
    std::vector<Block>& owned =
        plan.nodes[static_cast<size_t>(plan_index[static_cast<size_t>(owner)])].blocks;
    // The indented body of an MkDocs admonition or content tab is prose, not code.
    bool indented_body = top.kind == syntax::TopBlock::code && !owned.empty() &&
                         owned.back().opens_indented_body && !is_fence_line(doc, line);
    if (indented_body) block.kind = syntax::TopBlock::paragraph;
    if (top.kind != syntax::TopBlock::code) read_dialect(top.text, block);
    // Dialect markup is not prose: summaries, keywords and types read the text without it.
    block.text =
        block.kind == syntax::TopBlock::code ? std::move(top.text) : syntax::prose_of(top.text);
    block.code_language = std::move(top.code_language);
    block.anchors = std::move(top.anchors);
    if (is_table_of_contents(top, block.anchors.size(), headings)) {
      // A table of contents repeats other nodes' titles: no summary, keyword or edge of its own.
      block.text.clear();
      block.anchors.clear();
    }
    owned.push_back(std::move(block));
  }

  for (auto& p : plan.nodes) {
    const Node& node = doc.nodes[static_cast<size_t>(p.node)];
    for (size_t i = 0; i < p.blocks.size(); ++i) {
      uint32_t end = i + 1 < p.blocks.size() ? p.blocks[i + 1].start : node.body.end;
      // Without the trailing line breaks: whether the file ends here or an appended index
      // follows must not change a count (segmentation thresholds would flip on re-runs).
      std::string_view span = doc.text({p.blocks[i].start, end});
      span = span.substr(0, span.find_last_not_of(" \t\r\n") + 1);
      p.blocks[i].tokens = tokenizer.count(span);
      p.tokens += p.blocks[i].tokens;
      p.text += p.blocks[i].text;
    }
  }
  return plan;
}

} // namespace og::transpiler
