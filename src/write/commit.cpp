// `og commit`: records node hashes and a changelog entry. Only two places change: the
// frontmatter's `version` line and the generated `__changelog` node; content bytes never move
// relative to each other, and every edit is an insertion or a replacement of generated text.
#include <algorithm>

#include <fmt/format.h>

#include "og/changes.hpp"
#include "og/parse.hpp"
#include "write/edit.hpp"

namespace og {

namespace {

/// Sets `version: N` in the frontmatter (adding a frontmatter when there is none).
Result<Edit> version_edit(const Document& doc, uint32_t version, std::string_view eol) {
  if (doc.frontmatter.empty())
    return Edit{doc.bom.end, doc.bom.end,
                fmt::format("---{}og: 1{}version: {}{}---{}", eol, eol, version, eol, eol)};
  auto [first, last] = top_level_lines(doc);
  for (uint32_t line = first; line < last; ++line) {
    uint32_t start = doc.lines.line_start(line);
    std::string_view text = doc.text({start, doc.lines.content_end(line)});
    size_t value = field_value_start(doc, text, "version");
    if (value == std::string_view::npos) continue;
    if (!doc.meta.version)
      return Error{fmt::format("{}:{}: frontmatter `{}` is not an og document version (a whole "
                               "number); rename that field so `og commit` can number versions",
                               doc.path, line + 1, text)};
    return Edit{start + static_cast<uint32_t>(value), doc.lines.content_end(line),
                fmt::format(" {}", version)};
  }
  uint32_t at = new_field_offset(doc);
  return Edit{at, at, frontmatter_field(doc, "version", std::to_string(version), eol)};
}

std::string hash_lines(const Document& doc, std::string_view eol) {
  std::string out;
  for (const auto& node : doc.nodes) {
    if (is_generated_id(node.id)) continue;
    out += fmt::format(":hash {} {}", node.id, hash_hex(content_hash(doc, node)));
    SeenBy roles = seen_by(doc, node);
    if (roles) { // (not `" " + …`: GCC 12 -O3 warns -Wrestrict on it, bug 105329)
      out += ' ';
      out += roles_suffix(roles);
    }
    out += eol;
  }
  return out;
}

std::string entry_line(uint32_t version, const CommitOptions& options,
                       const std::vector<Change>& changes) {
  std::string line = fmt::format("- v{} · {} ·", version, options.date);
  for (const auto& change : changes) line += " " + change.text();
  std::string message = options.message;
  std::replace_if(
      message.begin(), message.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  if (!message.empty()) line += " · " + message;
  return line;
}

std::vector<Change> diff(const Document& doc, const Changelog& log) {
  std::vector<Change> changes;
  std::vector<char> present(log.hashes.size(), 0);
  for (const auto& node : doc.nodes) {
    if (is_generated_id(node.id)) continue;
    auto recorded = std::find_if(log.hashes.begin(), log.hashes.end(),
                                 [&](const RecordedHash& r) { return r.id == node.id; });
    if (recorded == log.hashes.end()) {
      changes.push_back({'+', node.id, {}});
      continue;
    }
    present[static_cast<size_t>(recorded - log.hashes.begin())] = 1;
    if (recorded->hash != content_hash(doc, node)) changes.push_back({'~', node.id, {}});
  }
  for (size_t i = 0; i < log.hashes.size(); ++i)
    if (!present[i]) changes.push_back({'-', log.hashes[i].id, log.hashes[i].roles});
  return changes;
}

/// Heading level for a new `__changelog`: the shallowest in the document, so it nests under
/// no section.
int changelog_level(const Document& doc) {
  int level = 2;
  for (const auto& node : doc.nodes)
    if (node.kind == NodeKind::heading && node.level < level) level = node.level;
  return level;
}

std::vector<Edit> changelog_edits(const Document& doc, const Changelog& log, std::string entry,
                                  std::string_view eol) {
  std::string hashes = hash_lines(doc, eol);
  if (!log.node) {
    // One line break before the block: a blank line after a final newline, none without one
    // (og strip removes exactly one, so it restores either).
    std::string text;
    std::string_view src = doc.source;
    if (!src.empty()) text += eol;
    text += std::string(static_cast<size_t>(changelog_level(doc)), '#');
    text += " Changelog {#__changelog}";
    text += eol;
    text += hashes + std::string(eol) + entry + std::string(eol);
    auto end = static_cast<uint32_t>(src.size());
    return {{end, end, std::move(text)}};
  }
  std::string directives;
  if (doc.text(log.node->heading).back() != '\n') directives += eol; // heading at end of file
  for (const auto& d : log.node->directives)
    if (d.name != "hash") directives += doc.text(d.span);
  directives += hashes;
  std::vector<Edit> edits;
  if (log.entries.empty() || log.entries.front().span.start == log.node->directive_block.end)
    directives += eol; // a blank line between the hashes and the list
  edits.push_back({log.node->directive_block.start, log.node->directive_block.end, directives});
  uint32_t at =
      log.entries.empty() ? log.node->directive_block.end : log.entries.front().span.start;
  edits.push_back({at, at, entry + std::string(eol)});
  return edits;
}

/// The committed text must read back as a clean commit of the same content: a changelog in an
/// unclosed code fence, say, would not. Refusing then beats writing a file that lies.
Result<CommitResult> verify(const Document& before, CommitResult result) {
  Document after = parse(result.source, before.path);
  Changelog log = read_changelog(after);
  bool clean = log.node && log.problems.empty() && !after.has_errors() &&
               after.meta.version == result.version;
  for (const auto& d : after.diagnostics) clean = clean && d.code != Code::change_uncommitted;
  if (!clean)
    return Error{before.path + ": the committed text does not read back as a clean commit "
                               "(is the last block an unclosed code fence?); nothing written"};
  return result;
}

} // namespace

Result<CommitResult> commit(const Document& doc, const CommitOptions& options) {
  if (doc.has_errors())
    return Error{doc.path + ": the document has errors; `og check` shows them, fix them first"};
  Changelog log = read_changelog(doc);
  if (!log.problems.empty())
    return Error{doc.path + ": the `__changelog` is malformed; `og check` shows where"};
  CommitResult result;
  uint32_t current =
      doc.meta.version.value_or(log.entries.empty() ? 0 : log.entries.front().version);
  result.changes = diff(doc, log);
  if (result.changes.empty() && log.node) {
    result.version = current;
    result.source = doc.source;
    return result;
  }
  result.changed = true;
  result.version = current + 1;
  std::string_view eol = line_ending(doc.source);
  auto version = version_edit(doc, result.version, eol);
  if (!version) return version.error();
  std::vector<Edit> edits =
      changelog_edits(doc, log, entry_line(result.version, options, result.changes), eol);
  edits.push_back(std::move(version.value()));
  result.source = apply_edits(doc.source, std::move(edits));
  return verify(doc, result);
}

} // namespace og
