// og transpile: runs the passes over a plan, writes it, fills in `:made-from` hashes and the
// `__index`, and verifies the result before anyone sees it.
#include <fmt/format.h>

#include "og/changes.hpp"
#include "og/parse.hpp"
#include "og/query.hpp"
#include "og/render.hpp"
#include "plan.hpp"
#include "write/edit.hpp"

namespace og {

namespace {

/// Replaces each `:made-from` placeholder with the summary hash of its node in the new text.
std::string fill_made_from(const Document& doc) {
  std::string text = doc.source;
  std::string_view placeholder = transpiler::made_from_placeholder_text();
  for (const auto& node : doc.nodes)
    for (const auto& d : node.directives)
      if (d.name == "made-from" && d.value == placeholder) {
        size_t at = doc.text(d.span).find(placeholder) + d.span.start;
        text.replace(at, placeholder.size(), hash_hex(summary_hash(doc, node)));
      }
  return text;
}

/// Without the `:dense` lines this run wrote that say what a reader derives anyway (the body's
/// first sentence, dense_view()): a quarter of a transpiled file's growth, and a summary that
/// follows the text when its author edits it. What the input held stays as it was.
std::string without_derivable_dense(const Document& written, const Document& input) {
  std::vector<Edit> edits;
  for (const auto& node : written.nodes) {
    if (node.dense.empty() || is_generated_id(node.id)) continue;
    const Node* before = input.find(node.id);
    if (before && !before->dense.empty()) continue;
    Node underived = node;
    underived.dense.clear();
    if (dense_view(written, underived) != node.dense) continue;
    for (const auto& d : node.directives)
      if (d.name == "dense") edits.push_back({d.span.start, d.span.end, ""});
  }
  return apply_edits(written.source, edits);
}

std::string index_list_line(const Document& doc, const Node& node) {
  std::string line = "- " + index_line(doc, node, node.effective_scope);
  // One line whatever a title holds (a bare CR is a line break to Markdown, not to md4c's
  // title): the next run replaces the list line by line (found by fuzz_transpile).
  std::replace_if(
      line.begin(), line.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
  return line;
}

/// Writes the `__index` list: replaces the list of an existing index, or appends a new node.
std::string write_index(const Document& doc) {
  std::string_view eol = line_ending(doc.source);
  std::string lines;
  int level = 6;
  for (const auto& node : doc.nodes) {
    if (is_generated_id(node.id)) continue;
    lines += index_list_line(doc, node);
    lines += eol;
    if (node.kind == NodeKind::heading) level = std::min<int>(level, node.level);
  }
  if (const Node* index = doc.find(index_id)) {
    uint32_t start = index->body.start, end = start;
    for (uint32_t line = doc.lines.line_of(start); line < doc.lines.line_count(); ++line) {
      uint32_t at = doc.lines.line_start(line);
      if (at >= index->body.end || doc.text({at, doc.lines.content_end(line)}).substr(0, 2) != "- ")
        break;
      end = doc.lines.line_end(line);
    }
    return apply_edits(doc.source, {{start, end, lines}});
  }
  if (level == 6 && doc.nodes.empty()) level = 1;
  // After a bare CR, a "\n" would fuse with it into one CRLF line break, and strip() could
  // not take the index out without taking the CR too: repeat the CR instead.
  std::string_view lead = doc.source.empty() ? "" : doc.source.back() == '\r' ? "\r" : eol;
  std::string block = std::string(lead) + std::string(static_cast<size_t>(level), '#') +
                      " Index {#__index}" + std::string(eol) + lines;
  return doc.source + block;
}

/// Whether transpile writes the document an `__index`: when it already has one (kept up to
/// date), or has two nodes or more. One node's index line repeats its heading and keywords:
/// on a one-node page (a tldr page, a short note) the index was a quarter of the growth.
bool worth_an_index(const Document& doc) {
  if (doc.find(index_id)) return true;
  size_t nodes = 0;
  for (const auto& node : doc.nodes) nodes += !is_generated_id(node.id);
  return nodes >= 2;
}

std::vector<std::pair<uint8_t, std::string>> headings(const Document& doc) {
  std::vector<std::pair<uint8_t, std::string>> out;
  for (const auto& node : doc.nodes)
    if (node.kind == NodeKind::heading && !is_generated_id(node.id))
      out.emplace_back(node.level, node.title);
  return out;
}

/// The HTML of the Markdown content alone: what a viewer of the document sees.
std::string content_html(const Document& doc) {
  RenderOptions options;
  options.metadata = false;
  return render_html(doc, options);
}

/// `before_html`: content_html(before), made once per transpile.
Status verify(const Document& before, const std::string& before_html, const Document& after) {
  auto fail = [&](std::string why) {
    return Error{fmt::format("{}: transpiling would {}; nothing written", before.path, why)};
  };
  if (after.has_errors()) {
    for (const auto& d : after.diagnostics)
      if (d.severity == Severity::error) return fail("produce an error: " + d.message);
  }
  if (headings(after) != headings(before)) return fail("change the headings");
  for (const auto& node : before.nodes)
    if (!after.find(node.id)) return fail("lose the id `" + node.id + "`");
  if (strip(after) != strip(before)) return fail("change the content (strip differs)");
  if (content_html(after) != before_html) return fail("change how the content renders");
  return ok_status();
}

/// One run of the passes over a document, and the text it wrote, parsed.
struct Attempt {
  transpiler::Plan plan;
  TranspileResult result;
  Document next;
};

/// The sections a plan gives new units, in document order.
std::vector<int32_t> split_sections(const transpiler::Plan& plan) {
  std::vector<int32_t> split;
  for (const auto& p : plan.nodes)
    if (p.node < 0) {
      int32_t section = plan.nodes[static_cast<size_t>(p.parent)].node;
      if (split.empty() || split.back() != section) split.push_back(section);
    }
  return split;
}

/// One section among `split` whose units alone change the rendered HTML, found by halving
/// (only one half of the candidates keeps its units; the half that still renders otherwise is
/// searched next). All of `split` when neither half does it alone, or when the `runs` of the
/// passes left to spend are spent: a transpile stays linear in its document.
template <typename Run>
std::vector<int32_t> changed_html_by(const std::vector<int32_t>& split,
                                     const std::vector<int32_t>& whole, const Run& run,
                                     const std::string& original_html, int& runs) {
  auto renders_otherwise = [&](size_t from, size_t to) { // only split[from, to) splits
    --runs;
    std::vector<int32_t> kept_whole = whole;
    kept_whole.insert(kept_whole.end(), split.begin(), split.begin() + static_cast<long>(from));
    kept_whole.insert(kept_whole.end(), split.begin() + static_cast<long>(to), split.end());
    Attempt attempt = run(kept_whole);
    return attempt.result.kept_because.empty() && content_html(attempt.next) != original_html;
  };
  size_t from = 0, to = split.size();
  while (to - from > 1) {
    if (runs <= 0) return split;
    size_t middle = from + (to - from) / 2;
    if (renders_otherwise(from, middle))
      to = middle;
    else if (renders_otherwise(middle, to))
      from = middle;
    else
      return split; // only units in both halves together do it
  }
  return {split[from]};
}

/// New units whose marker the written text does not read as a unit (it joined a list item, a
/// quote or a code block before it).
std::vector<const transpiler::PlanNode*> unread_units(const transpiler::Plan& plan,
                                                      const Document& written) {
  std::vector<const transpiler::PlanNode*> unread;
  for (const auto& p : plan.nodes) {
    if (p.node >= 0) continue;
    const Node* read = written.find(p.id);
    if (!read || read->kind != NodeKind::unit) unread.push_back(&p);
  }
  return unread;
}

} // namespace

Result<TranspileResult> transpile(const Document& doc, const Tokenizer& tokenizer,
                                  const TranspileOptions& options, const CorpusStats* corpus) {
  if (doc.has_errors())
    return Error{doc.path + ": the document has errors; `og check` shows them, fix them first"};
  // A unit marker that Markdown would read as part of the block before it (a lazy list or
  // quote continuation) is no unit. The passes then run again without a unit there — and, if
  // that moves a marker to another such place, without splitting that section — so that
  // keywords and summaries are made from the nodes as they will be read, and transpiling the
  // result changes nothing. Each attempt after the second leaves one more section whole.
  std::vector<uint32_t> no_unit_at;
  std::vector<int32_t> no_split;
  const std::string original_html = content_html(doc);
  auto run = [&](const std::vector<int32_t>& whole) {
    Attempt attempt;
    attempt.plan = transpiler::outline(doc, tokenizer, options, corpus);
    attempt.plan.no_unit_at = no_unit_at;
    attempt.plan.no_split = whole;
    transpiler::segment(attempt.plan);
    transpiler::assign_ids(attempt.plan);
    transpiler::infer_types(attempt.plan);
    transpiler::infer_edges(attempt.plan);
    transpiler::synthesize(attempt.plan);
    transpiler::extract_keywords(attempt.plan);
    transpiler::extract_dense(attempt.plan);
    attempt.result.synthesized_dense = attempt.plan.synthesized_dense;
    attempt.result.synthesized_keywords = attempt.plan.synthesized_keywords;
    attempt.result.synthesis_rejected = attempt.plan.synthesis_rejected;
    std::string written = transpiler::write_plan(attempt.plan, attempt.result);
    if (attempt.result.kept_because.empty()) attempt.next = parse(std::move(written), doc.path);
    return attempt;
  };
  int runs_to_find = 16; // runs of the passes spent finding such sections, at most
  Attempt attempt;
  for (int pass = 1;; ++pass) {
    attempt = run(no_split);
    if (!attempt.result.kept_because.empty()) {
      attempt.result.source = doc.source;
      return attempt.result;
    }
    std::vector<const transpiler::PlanNode*> unread = unread_units(attempt.plan, attempt.next);
    if (!unread.empty()) {
      for (const auto* unit : unread) {
        no_unit_at.push_back(unit->marker_at);
        if (pass > 1)
          no_split.push_back(attempt.plan.nodes[static_cast<size_t>(unit->parent)].node);
      }
      continue;
    }
    // md4c reads some constructs differently once a paragraph is inserted nearby (a list item
    // holding a thematic break, md4c issue #413): the section whose units do that stays whole.
    if (content_html(attempt.next) == original_html) break;
    std::vector<int32_t> split = split_sections(attempt.plan);
    if (split.empty()) break; // verify() says what changed
    std::vector<int32_t> culprits =
        changed_html_by(split, no_split, run, original_html, runs_to_find);
    no_split.insert(no_split.end(), culprits.begin(), culprits.end());
  }
  TranspileResult result = std::move(attempt.result);
  Document next = std::move(attempt.next);
  next = parse(without_derivable_dense(next, doc), doc.path);
  next = parse(fill_made_from(next), doc.path);
  // A one-node document goes without an index unless it is what marks the file as og's:
  // without `og: 1` or any directive line, strip could not tell og's `{#id}` from an author's.
  if (options.write_index && (worth_an_index(next) || !verify(doc, original_html, next))) {
    // Appended after an unclosed code fence or HTML block, the index would be content; the
    // line break before it must not change how the last lines read either. Else the document
    // goes without one.
    Document indexed = parse(write_index(next), doc.path);
    if (indexed.find(index_id) && headings(indexed) == headings(next)) next = std::move(indexed);
  }
  if (auto verified = verify(doc, original_html, next); !verified) return verified.error();
  for (const auto& node : next.nodes) result.nodes += !is_generated_id(node.id);
  result.changed = next.source != doc.source;
  result.source = std::move(next.source);
  return result;
}

} // namespace og
