// Pass 1, segmentation: a section whose own text is longer than `split_tokens` is cut at block
// boundaries into units of about `unit_tokens`. Never inside a block; only where a blank line
// precedes (so the marker line opens a paragraph); an introducing paragraph (ending in `:`)
// stays with the block it introduces; not where an earlier attempt's marker did not read as a
// unit (Plan::no_unit_at, no_split). The first group stays the section's own text. Whatever its
// size, a warning-kind admonition or alert inside a section is a unit of its own.
#include <algorithm>

#include "plan.hpp"

namespace og::transpiler {

namespace {

bool introduces_next(const Block& block) {
  std::string_view text = block.text;
  size_t end = text.find_last_not_of(" \n");
  return block.kind == syntax::TopBlock::paragraph && end != std::string_view::npos &&
         text[end] == ':';
}

bool has_units(const Plan& plan, size_t index) {
  const Document& doc = *plan.doc;
  for (uint32_t child : doc.nodes[static_cast<size_t>(plan.nodes[index].node)].children)
    if (doc.nodes[child].kind == NodeKind::unit) return true;
  return false;
}

/// Where a unit may start: after a blank line, not after a paragraph introducing this block or
/// an MkDocs opener whose indented body this is, not inside a `:::` admonition (its marker would
/// be inside), not where an earlier marker did not read as one.
std::vector<bool> cuttable(const std::vector<Block>& blocks,
                           const std::vector<uint32_t>& no_unit_at) {
  std::vector<bool> can(blocks.size(), false);
  int open_containers = 0;
  for (size_t i = 0; i < blocks.size(); ++i) {
    can[i] = i > 0 && blocks[i].after_blank && !introduces_next(blocks[i - 1]) &&
             !blocks[i - 1].opens_indented_body && open_containers <= 0 &&
             std::find(no_unit_at.begin(), no_unit_at.end(), blocks[i].start) == no_unit_at.end();
    open_containers += blocks[i].container_depth_change;
  }
  return can;
}

/// Group boundaries (block indices where a unit starts) for a section over the split size.
std::vector<size_t> size_cuts(const std::vector<Block>& blocks, size_t unit_tokens,
                              const std::vector<bool>& can) {
  std::vector<size_t> cuts;
  size_t group = 0;
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (can[i] && group > 0 && group + blocks[i].tokens > unit_tokens) {
      cuts.push_back(i);
      group = 0;
    }
    group += blocks[i].tokens;
  }
  return cuts;
}

/// A warning-kind admonition or alert inside a section becomes a unit of its own (typed
/// `.warning`, so resolve_context attaches it as it does warning nodes): a cut before it and
/// one after its body, where units may start.
std::vector<size_t> warning_cuts(const std::vector<Block>& blocks, const std::vector<bool>& can) {
  std::vector<size_t> cuts;
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (!syntax::is_warning_kind(blocks[i].admonition)) continue;
    size_t last = i;
    if (blocks[i].opens_indented_body && i + 1 < blocks.size()) last = i + 1;
    for (int depth = blocks[i].container_depth_change; depth > 0 && last + 1 < blocks.size();)
      depth += blocks[++last].container_depth_change;
    if (can[i]) cuts.push_back(i);
    if (last + 1 < blocks.size() && can[last + 1]) cuts.push_back(last + 1);
    i = last;
  }
  return cuts;
}

} // namespace

void segment(Plan& plan) {
  const size_t split = plan.options->split_tokens, unit = plan.options->unit_tokens;
  std::vector<PlanNode> out;
  out.reserve(plan.nodes.size());
  std::vector<int32_t> moved(plan.nodes.size(), -1); // old plan index -> new
  for (size_t i = 0; i < plan.nodes.size(); ++i) {
    NodeKind kind = plan.doc->nodes[static_cast<size_t>(plan.nodes[i].node)].kind;
    bool is_section = kind == NodeKind::heading || kind == NodeKind::document;
    std::vector<size_t> cuts;
    bool may_split = std::find(plan.no_split.begin(), plan.no_split.end(), plan.nodes[i].node) ==
                     plan.no_split.end();
    if (is_section && may_split && !has_units(plan, i)) {
      const std::vector<Block>& blocks = plan.nodes[i].blocks;
      std::vector<bool> can = cuttable(blocks, plan.no_unit_at);
      if (plan.nodes[i].tokens > split) cuts = size_cuts(blocks, unit, can);
      std::vector<size_t> warnings = warning_cuts(blocks, can);
      cuts.insert(cuts.end(), warnings.begin(), warnings.end());
      std::sort(cuts.begin(), cuts.end());
      cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    }
    PlanNode node = std::move(plan.nodes[i]);
    if (node.parent >= 0) node.parent = moved[static_cast<size_t>(node.parent)];
    moved[i] = static_cast<int32_t>(out.size());
    auto section = static_cast<int32_t>(out.size());
    std::vector<Block> blocks = std::move(node.blocks);
    size_t first_cut = cuts.empty() ? blocks.size() : cuts.front();
    node.blocks.assign(std::make_move_iterator(blocks.begin()),
                       std::make_move_iterator(blocks.begin() + static_cast<long>(first_cut)));
    out.push_back(std::move(node));
    for (size_t c = 0; c < cuts.size(); ++c) {
      size_t end = c + 1 < cuts.size() ? cuts[c + 1] : blocks.size();
      PlanNode u;
      u.parent = section;
      u.marker_at = blocks[cuts[c]].start;
      u.write_id = true;
      u.write_type = true;
      for (size_t b = cuts[c]; b < end; ++b) u.blocks.push_back(std::move(blocks[b]));
      out.push_back(std::move(u));
    }
  }
  for (auto& p : out) { // recompute own text and size after the moves
    p.text.clear();
    p.tokens = 0;
    for (const auto& b : p.blocks) {
      p.text += b.text;
      p.tokens += b.tokens;
    }
  }
  plan.nodes = std::move(out);
}

} // namespace og::transpiler
