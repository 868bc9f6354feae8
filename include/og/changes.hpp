// Change tracking: content hashes per node, the `__changelog` block, and `og commit`.
// Spec §8. A commit never touches content: it rewrites the frontmatter `version` and the
// generated `__changelog` node, nothing else.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "og/document.hpp"
#include "og/result.hpp"

namespace og {

/// Ids of the generated nodes (§8). They are not content: not searched, resolved or tracked.
inline constexpr std::string_view index_id = "__index";
inline constexpr std::string_view changelog_id = "__changelog";
bool is_generated_id(std::string_view id);

/// XXH3-64 of what an agent reads of the node: heading, directives (but `:made-from`) and
/// body, children excluded, trailing blank space dropped. Any visible edit changes it.
uint64_t content_hash(const Document& document, const Node& node);
/// XXH3-64 of the text a summary is made from: the title, a newline, the body (no directives).
/// `:made-from` records it when `:dense` / `:keywords` are written; a mismatch means stale.
uint64_t summary_hash(const Document& document, const Node& node);
/// 16 lowercase hex digits.
std::string hash_hex(uint64_t hash);

/// The roles that could see a node, when not every reader could: `@operator,admin`.
using SeenBy = std::optional<std::vector<std::string>>;

/// Roles among the declared ones that see the node (nullopt: all readers do).
SeenBy seen_by(const Document& document, const Node& node);
/// `@role,role` for a restricted SeenBy, "" for everyone.
std::string roles_suffix(const SeenBy& roles);

/// One change in a changelog entry: `+id`, `~id`, or `-id@roles` (who could see what is gone).
struct Change {
  char kind = '~'; ///< '+', '~' or '-'
  std::string id;
  SeenBy roles; ///< removed nodes only
  std::string text() const;
};

struct ChangelogEntry {
  uint32_t version = 0;
  std::string date;
  std::vector<Change> changes;
  std::string message;
  Span span; ///< the list item's line
};

/// A `:hash <id> <hex> [@role,…]` line of `__changelog`: the node as last committed.
struct RecordedHash {
  std::string id;
  uint64_t hash = 0;
  SeenBy roles;
};

struct Changelog {
  const Node* node = nullptr;          ///< the `__changelog` node, or nullptr
  std::vector<ChangelogEntry> entries; ///< newest first, as written
  std::vector<RecordedHash> hashes;
  std::vector<Diagnostic> problems; ///< malformed lines (OG0036)
};

/// Reads the `__changelog` node of a parsed document.
Changelog read_changelog(const Document& document);

struct CommitOptions {
  std::string message; ///< optional; one line
  std::string date;    ///< YYYY-MM-DD
};

struct CommitResult {
  bool changed = false; ///< false: nothing changed since the last commit, source untouched
  uint32_t version = 0; ///< the new version (or the current one when nothing changed)
  std::vector<Change> changes;
  std::string source; ///< the new file text
};

/// Records the document's current state: compares each node's content hash with the last
/// commit's, bumps the frontmatter `version`, writes a new `__changelog` entry and the hashes.
/// Refuses documents with errors and a frontmatter `version` that is not a whole number.
Result<CommitResult> commit(const Document& document, const CommitOptions& options);

} // namespace og
