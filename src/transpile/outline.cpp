// Pass 0, outline: the plan's nodes are the document's nodes (generated ones left out), each
// with the top-level blocks of its own content as md4c sees them.
#include "og/changes.hpp"
#include "plan.hpp"

namespace og::transpiler {

namespace {

bool is_blank_line(const Document& doc, uint32_t line) {
  std::string_view text = doc.text({doc.lines.line_start(line), doc.lines.content_end(line)});
  return text.find_first_not_of(" \t") == std::string_view::npos;
}

/// md4c over the document; past the container limit, markers are neutralized as parse() does.
std::vector<syntax::TopBlock> blocks_of(const Document& doc) {
  std::vector<uint32_t> overdeep = syntax::find_overdeep_containers(
      doc.source, doc.lines, doc.lines.line_of(doc.frontmatter.end), ParseOptions{}.max_container_depth);
  if (overdeep.empty()) return syntax::scan_blocks(doc.source, doc.frontmatter.end);
  std::string bounded = doc.source;
  syntax::neutralize_markers(bounded, overdeep);
  return syntax::scan_blocks(bounded, doc.frontmatter.end);
}

/// Index of the node whose own body holds `offset`, or -1; `hint` makes the walk linear.
int32_t owner_of(const Document& doc, uint32_t offset, size_t& hint) {
  while (hint < doc.nodes.size() && doc.nodes[hint].body.end <= offset) ++hint;
  if (hint < doc.nodes.size() && doc.nodes[hint].body.start <= offset) return static_cast<int32_t>(hint);
  return -1;
}

} // namespace

Plan outline(const Document& doc, const Tokenizer& tokenizer, const TranspileOptions& options,
             const CorpusStats* corpus) {
  Plan plan{&doc, &tokenizer, &options, corpus, {}};
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
    for (const auto& d : node.directives)
      if (d.name == "made-from" && d.value != hash_hex(summary_hash(doc, node))) {
        p.refresh = true; // made from text that has changed since: make them again
        p.keywords.clear();
        p.dense.clear();
      }
    plan_index[n] = static_cast<int32_t>(plan.nodes.size());
    plan.nodes.push_back(std::move(p));
  }

  std::vector<syntax::TopBlock> blocks = blocks_of(doc);
  size_t hint = 0;
  uint32_t previous_end = doc.frontmatter.end;
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
    Block block;
    block.kind = top.kind;
    block.start = std::max(doc.lines.line_start(line), node.body.start);
    block.after_blank = line > 0 && doc.lines.line_start(line - 1) >= node.body.start &&
                        is_blank_line(doc, line - 1);
    block.text = std::move(top.text);
    block.code_language = std::move(top.code_language);
    block.anchors = std::move(top.anchors);
    plan.nodes[static_cast<size_t>(plan_index[static_cast<size_t>(owner)])].blocks.push_back(
        std::move(block));
  }

  for (auto& p : plan.nodes) {
    const Node& node = doc.nodes[static_cast<size_t>(p.node)];
    for (size_t i = 0; i < p.blocks.size(); ++i) {
      uint32_t end = i + 1 < p.blocks.size() ? p.blocks[i + 1].start : node.body.end;
      p.blocks[i].tokens = tokenizer.count(doc.text({p.blocks[i].start, end}));
      p.tokens += p.blocks[i].tokens;
      p.text += p.blocks[i].text;
    }
  }
  return plan;
}

} // namespace og::transpiler
