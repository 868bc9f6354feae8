// Change tracking (spec §8): content hashes, reading `__changelog`, and the checks that find
// uncommitted edits and stale summaries.
#include <xxhash.h>

#include <charconv>

#include <fmt/format.h>

#include "graph/graph.hpp"
#include "og/changes.hpp"

namespace og {

namespace {

constexpr std::string_view entry_separator = " \xC2\xB7 "; // " · "

std::string_view trim_trailing_space(std::string_view text) {
  size_t end = text.find_last_not_of(" \t\r\n");
  return end == std::string_view::npos ? std::string_view() : text.substr(0, end + 1);
}

bool parse_hex(std::string_view text, uint64_t* value) {
  if (text.size() != 16) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value, 16);
  return ec == std::errc() && end == text.data() + text.size();
}

bool parse_version(std::string_view text, uint32_t* value) {
  if (text.size() < 2 || text[0] != 'v') return false;
  auto [end, ec] = std::from_chars(text.data() + 1, text.data() + text.size(), *value);
  return ec == std::errc() && end == text.data() + text.size();
}

std::vector<std::string> split_scope(std::string_view text) {
  std::vector<std::string> roles;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = std::min(text.find(',', i), text.size());
    if (end > i) roles.emplace_back(text.substr(i, end - i));
    i = end + 1;
  }
  return roles;
}

/// `<id> <hex> [@role,…]`.
std::optional<RecordedHash> parse_hash_line(std::string_view value) {
  RecordedHash recorded;
  size_t space = value.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  recorded.id = std::string(value.substr(0, space));
  std::string_view rest = value.substr(space + 1);
  size_t scope_at = rest.find(" @");
  if (!parse_hex(rest.substr(0, scope_at), &recorded.hash)) return std::nullopt;
  if (scope_at != std::string_view::npos) recorded.roles = split_scope(rest.substr(scope_at + 2));
  return recorded;
}

std::optional<Change> parse_change(std::string_view word) {
  if (word.size() < 2 || (word[0] != '+' && word[0] != '~' && word[0] != '-')) return std::nullopt;
  Change change;
  change.kind = word[0];
  size_t at = word.find('@');
  change.id = std::string(word.substr(1, at == std::string_view::npos ? at : at - 1));
  if (change.id.empty()) return std::nullopt;
  if (at != std::string_view::npos) {
    if (change.kind != '-') return std::nullopt;
    change.roles = split_scope(word.substr(at + 1));
  }
  return change;
}

/// `- v<version> · <date> · <changes> · <message>`.
std::optional<ChangelogEntry> parse_entry(std::string_view line) {
  std::vector<std::string_view> fields;
  line.remove_prefix(2);
  while (fields.size() < 3) {
    size_t at = line.find(entry_separator);
    if (at == std::string_view::npos) break;
    fields.push_back(line.substr(0, at));
    line.remove_prefix(at + entry_separator.size());
  }
  fields.push_back(line); // the changes, or the message (which may hold " · ")
  if (fields.size() < 3) return std::nullopt;
  ChangelogEntry entry;
  if (!parse_version(fields[0], &entry.version)) return std::nullopt;
  entry.date = std::string(fields[1]);
  if (fields.size() == 4) entry.message = std::string(fields[3]);
  std::string_view changes = fields[2];
  size_t i = 0;
  while (i < changes.size()) {
    size_t end = std::min(changes.find(' ', i), changes.size());
    if (end > i) {
      auto change = parse_change(changes.substr(i, end - i));
      if (!change) return std::nullopt;
      entry.changes.push_back(std::move(*change));
    }
    i = end + 1;
  }
  return entry;
}

Diagnostic problem(Span span, std::string message) {
  return {Code::changelog_invalid, Severity::error, span, std::move(message)};
}

} // namespace

bool is_generated_id(std::string_view id) {
  return id == index_id || id == changelog_id;
}

uint64_t content_hash(const Document& doc, const Node& node) {
  std::string text(doc.text({node.heading.start, node.directive_block.start}));
  for (const auto& d : node.directives)
    if (d.name != "made-from") text += doc.text(d.span);
  text += doc.text(node.body);
  std::string_view hashed = trim_trailing_space(text);
  return XXH3_64bits(hashed.data(), hashed.size());
}

uint64_t summary_hash(const Document& doc, const Node& node) {
  std::string text = node.title + "\n";
  text += trim_trailing_space(doc.text(node.body));
  return XXH3_64bits(text.data(), text.size());
}

std::string hash_hex(uint64_t hash) {
  return fmt::format("{:016x}", hash);
}

std::string roles_suffix(const SeenBy& roles) {
  if (!roles) return "";
  std::string out = "@";
  for (size_t i = 0; i < roles->size(); ++i) out += (i ? "," : "") + (*roles)[i];
  return out;
}

SeenBy seen_by(const Document& doc, const Node& node) {
  std::vector<std::string> roles;
  for (const auto& role : doc.meta.roles)
    if (node_visible_to(doc, node, role.name)) roles.push_back(role.name);
  if (roles.size() == doc.meta.roles.size()) return std::nullopt;
  return roles;
}

std::string Change::text() const {
  return std::string(1, kind) + id + roles_suffix(roles);
}

Changelog read_changelog(const Document& doc) {
  Changelog log;
  log.node = doc.find(changelog_id);
  if (!log.node) return log;
  for (const auto& d : log.node->directives) {
    if (d.name != "hash") continue;
    if (auto recorded = parse_hash_line(d.value))
      log.hashes.push_back(std::move(*recorded));
    else
      log.problems.push_back(problem(d.span, "`:hash` takes `<id> <16 hex digits> [@role,…]`"));
  }
  const Span body = log.node->body;
  for (uint32_t line = doc.lines.line_of(body.start); line < doc.lines.line_count(); ++line) {
    uint32_t at = doc.lines.line_start(line);
    if (at >= body.end) break;
    uint32_t end = std::min(doc.lines.content_end(line), body.end);
    std::string_view text = doc.text({at, end});
    if (text.substr(0, 2) != "- ") continue;
    auto entry = parse_entry(text);
    if (!entry) {
      log.problems.push_back(
          problem({at, end}, "changelog entry is not `- v<version> · <YYYY-MM-DD> · <+id ~id "
                             "-id …> · <message>`"));
      continue;
    }
    entry->span = {at, end};
    log.entries.push_back(std::move(*entry));
  }
  return log;
}

namespace graph {

namespace {

void report(Document& doc, Code code, Span span, std::string message) {
  Severity severity = code == Code::changelog_invalid ? Severity::error : Severity::warning;
  doc.diagnostics.push_back({code, severity, span, std::move(message)});
}

void lint_summaries(Document& doc) {
  for (const auto& node : doc.nodes) {
    for (const auto& d : node.directives) {
      if (d.name == "hash" && node.id != changelog_id)
        report(doc, Code::changelog_invalid, d.span, "`:hash` lines belong to `__changelog`");
      if (d.name != "made-from" || d.value.empty()) continue;
      uint64_t recorded = 0;
      if (!parse_hex(d.value, &recorded)) {
        doc.diagnostics.push_back({Code::directive_value_invalid, Severity::error, d.span,
                                   "`:made-from` takes 16 hex digits (a summary hash)"});
        continue;
      }
      uint64_t now = summary_hash(doc, node);
      if (now != recorded)
        report(doc, Code::summary_stale, d.span,
               fmt::format("`#{}` changed after its `:dense` / `:keywords` were written (made "
                           "from {}, text is now {}); refresh them",
                           node.id, d.value, hash_hex(now)));
    }
  }
}

void lint_uncommitted(Document& doc, const Changelog& log) {
  if (log.hashes.empty()) return;
  std::string since =
      log.entries.empty() ? "the last commit" : fmt::format("v{}", log.entries.front().version);
  std::vector<char> seen(doc.nodes.size(), 0);
  for (const auto& recorded : log.hashes) {
    int32_t n = doc.index_of(recorded.id);
    if (n < 0) {
      report(doc, Code::change_uncommitted, log.node->heading,
             fmt::format("`#{}` was removed since {}; `og commit` records it", recorded.id, since));
      continue;
    }
    seen[static_cast<size_t>(n)] = 1;
    const Node& node = doc.nodes[static_cast<size_t>(n)];
    if (content_hash(doc, node) != recorded.hash)
      report(doc, Code::change_uncommitted, node.heading,
             fmt::format("`#{}` changed since {}; `og commit` records it", node.id, since));
  }
  for (size_t n = 0; n < doc.nodes.size(); ++n)
    if (!seen[n] && !is_generated_id(doc.nodes[n].id))
      report(doc, Code::change_uncommitted, doc.nodes[n].heading,
             fmt::format("`#{}` is new since {}; `og commit` records it", doc.nodes[n].id, since));
}

} // namespace

void lint_tracking(Document& doc) {
  lint_summaries(doc);
  Changelog log = read_changelog(doc);
  for (auto& p : log.problems) doc.diagnostics.push_back(std::move(p));
  if (log.node) lint_uncommitted(doc, log);
}

} // namespace graph

} // namespace og
