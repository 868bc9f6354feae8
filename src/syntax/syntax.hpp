// Internal interface of the syntax stage: the og constructs found in raw lines, and the
// Markdown outline that md4c gives us. Nothing here is public API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "og/document.hpp"
#include "og/parse.hpp"

namespace og::syntax {

inline constexpr uint32_t no_offset = UINT32_MAX;

/// One line of `source` from `start`: its text without the line ending (any of `\n`, `\r\n`,
/// `\r`, as CommonMark reads them) and where the next line starts (npos after the last).
struct Line {
  std::string_view text;
  size_t next = std::string_view::npos;
};
inline Line line_from(std::string_view source, size_t start) {
  size_t end = source.find_first_of("\r\n", start);
  if (end == std::string_view::npos) return {source.substr(start)};
  size_t next =
      end + 1 + (source[end] == '\r' && end + 1 < source.size() && source[end + 1] == '\n');
  return {source.substr(start, end - start), next};
}

// ---- UTF-8 -------------------------------------------------------------------------------------

/// `text` with ASCII letters lowercased; other bytes (UTF-8 included) unchanged.
std::string ascii_lower(std::string_view text);

/// A letter, a non-enclosing mark or a decimal digit (Unicode categories L*, Mn, Mc, Nd): what
/// words are made of, for slugs and keywords alike.
bool is_word_code_point(int32_t cp);
/// Appends the UTF-8 encoding of `cp`.
void append_utf8(std::string& out, int32_t cp);
/// The code point whose encoding starts at text[i] and its length in bytes: {0, 1} where the
/// bytes there are not UTF-8.
std::pair<int32_t, size_t> code_point_at(std::string_view text, size_t i);

/// Offsets of the first bytes of invalid UTF-8 sequences, at most `max_reports`.
std::vector<uint32_t> find_invalid_utf8(std::string_view text, uint32_t max_reports);

// ---- container depth -------------------------------------------------------------------------

/// Offsets of the first container marker beyond `limit` on each line (from line `first_line` of
/// `lines`, the index of `text`) that opens more than `limit` nested block quotes and list items
/// at its start. Looks only at line starts: cheap next to the parse itself.
std::vector<uint32_t> find_overdeep_containers(std::string_view text, const LineIndex& lines,
                                               uint32_t first_line, uint32_t limit);

/// Makes the markers at `offsets` plain text for md4c without moving any byte: each becomes a
/// NUL, which CommonMark reads as U+FFFD text.
void neutralize_markers(std::string& text, const std::vector<uint32_t>& offsets);

// ---- frontmatter -------------------------------------------------------------------------------

/// 3 when `source` starts with a UTF-8 byte order mark, else 0.
uint32_t byte_order_mark_size(std::string_view source);

/// Detects YAML frontmatter at the start of `source` (after a byte order mark) and fills `meta`.
/// Frontmatter is a first line
/// `---`, a closing `---` or `...` line, and between them YAML whose root is a mapping; anything
/// else is Markdown — except that a block naming access fields (`og`, `roles`, `scope`) that
/// cannot be read exactly is an error (OG0014), never Markdown read as unscoped. Returns the
/// span of the block (empty when there is none).
Span read_frontmatter(std::string_view source, const ParseOptions& options, Meta& meta,
                      std::vector<Diagnostic>& diagnostics);

/// The access field `key` was probably meant to be (`Scope`, `scopes`, `scpoe`, `role`);
/// nullopt for other keys. An error in a frontmatter that uses access control (`og` or
/// `roles` present); in plain Markdown another field of the author's (`rules:`).
std::optional<std::string_view> near_access_field(std::string_view key);

// ---- attribute lists ---------------------------------------------------------------------------

struct AttributeItem {
  enum Kind : uint8_t { id, class_name, key_value } kind = id;
  std::string key;     ///< id or class name, or the key of key=value
  std::string value;   ///< unescaped value of key=value
  uint32_t offset = 0; ///< where the item starts in the source
};

struct AttributeList {
  std::vector<AttributeItem> items;
};

/// Position of a trailing `{…}` in `text` (the content of a heading or a marker line) that looks
/// like an attribute list: preceded by whitespace or the start, and starting with `#`, `.` or
/// `key=`. Returns an empty span (relative to text) when there is none.
Span find_trailing_attribute_list(std::string_view text, uint32_t max_bytes);

/// Parses `{#id .class key=value key="quoted value"}`. On failure returns nullopt and sets
/// `error` and `error_offset` (relative to text).
std::optional<AttributeList> parse_attribute_list(std::string_view text, std::string& error,
                                                  uint32_t& error_offset);

/// True for ids and class names: a letter or digit or `_`, then letters, digits, `-`, `_`, `.`,
/// `:`.
bool is_valid_name(std::string_view name);

/// Quotes a value for an attribute list when it needs quoting.
std::string quote_attribute_value(std::string_view value);

// ---- directives --------------------------------------------------------------------------------

struct DirectiveLine {
  std::string name;
  std::string value;
  uint32_t value_offset = 0; ///< offset of the value in the source
};

/// Reads `:name value` at the start of a line (no indentation). The name is a lowercase letter,
/// then lowercase letters, digits and `-`; it is followed by a space, a tab or the line end.
std::optional<DirectiveLine> read_directive_line(std::string_view line, uint32_t line_offset);

/// The directives of the core vocabulary plus any `x-…`.
bool is_known_directive(std::string_view name);

/// Directives that help search and tools but are not what the node says (`:dense`,
/// `:keywords`, `:made-from`, `:hash`, `:authored`).
bool is_reading_aid(std::string_view name);

/// The vocabulary in canonical order, comma-separated, for messages.
std::string known_directives();

/// Canonical position of a directive name (dense, keywords, edges, x-…, check, retry, escalate).
int directive_rank(std::string_view name);

// ---- doc-site dialects (dialect.cpp) -----------------------------------------------------------

struct DialectLine {
  enum Kind : uint8_t { none, admonition, fence_close, layout, tab, attributes } kind = none;
  std::string_view
      type; ///< admonition type (`note`, `warning`, …), or an attribute line's last class
  std::string_view title; ///< its title, a tab's label (quotes removed), or text after `{: … }`
};

/// What a line of block text is in the doc-site dialects: an admonition or alert opener
/// (`!!! warning "Title"`, `???+ note`, `:::tip Title`, `[!WARNING]`), a `:::` or `:::zone-end`
/// close, a DocFX layout line (`:::row:::`), a content tab (`=== "Tab"`), a kramdown attribute
/// line (`{: .note}`), or none (prose).
DialectLine classify_dialect_line(std::string_view line);

/// Admonition types that warn (warning, caution, danger, important, …).
bool is_warning_kind(std::string_view type);

/// `text` without HTML comments (`<!-- … -->`, across lines too), except inside fenced code
/// blocks: hidden text is no content to search or summarize.
std::string without_html_comments(std::string_view text);

/// Block text without dialect markup: openers give their title, closes, tabs and attribute
/// lines go, as do template tags, HTML comments and Obsidian block ids; blanks collapse. Each
/// line kept ends with a line break.
std::string prose_of(std::string_view text);

// ---- Markdown outline (md4c) -------------------------------------------------------------------

struct HeadingEvent {
  uint8_t level = 0;
  bool top_level = false;
  uint32_t first_text = no_offset; ///< first source offset of inline content
  uint32_t last_text = no_offset;  ///< last source offset of inline content
  uint32_t seen_before = 0;        ///< end of the last source text seen before the heading
  uint32_t seen_after = no_offset; ///< first source text seen after the heading
  /// Plain text of the heading (markup removed, entities decoded, images and HTML dropped).
  std::string text;
  /// Where the source-backed parts of `text` came from, in order.
  struct Piece {
    uint32_t text_pos; ///< offset in `text`
    uint32_t source;   ///< offset in the source
    uint32_t length;   ///< bytes in the source
    bool decoded;      ///< a character reference: its text differs from its source
  };
  std::vector<Piece> pieces;
  /// `text` up to the source offset `cut` (exclusive): the title without a trailing
  /// attribute list that starts at `cut`.
  std::string text_before(uint32_t cut) const;
};

/// A link as md4c read it: `[x](href)` outside code, or `[[target]]` (wikilinks).
struct LinkEvent {
  uint32_t at = 0;    ///< source offset of the link's first text (else of the text before it)
  std::string target; ///< the href, or the wikilink's target as written
  bool wiki = false;
};

struct Outline {
  std::vector<HeadingEvent> headings;
  /// Every link in source order.
  std::vector<LinkEvent> links;
  /// First source offset of each paragraph that is a direct child of the document and whose
  /// text starts with `{` (the only ones that can open a unit).
  std::vector<uint32_t> top_paragraphs;
};

/// What a link can name: a document (`doc`, a path relative to the linking file, or a wikilink's
/// note name) and a node in it (`anchor`: a fragment, or a wikilink's heading text); `doc` empty
/// for the linking document itself. nullopt for a URL with a scheme (`https:`, `xref:`), a
/// site-absolute path (`/docs/x`: only the site knows its root) and a file that is not a
/// document (`logo.png`, `page.html`). Paths are percent-decoded; `?query` is dropped.
struct LinkTarget {
  std::string doc;
  std::string anchor;
  bool wiki = false;
};
std::optional<LinkTarget> link_target(const LinkEvent& link);
/// Whether a file name has a document's extension (`.md`, `.og`, `.markdown`, any case).
bool names_document_file(std::string_view path);
/// `%XX` decoded; nullopt for a `%` not followed by two hex digits.
std::optional<std::string> percent_decode(std::string_view text);

/// Runs md4c (GitHub dialect) over `source[begin, end)`.
Outline scan_markdown(std::string_view source, uint32_t begin);

/// A block that is a direct child of the document, as md4c sees it (for the transpiler).
struct TopBlock {
  enum Kind : uint8_t { paragraph, heading, list, ordered_list, code, table, quote, html, rule };
  Kind kind = paragraph;
  uint32_t first_text = no_offset; ///< first source offset of its text (no_offset: none, e.g. rule)
  uint32_t text_end = no_offset;   ///< one past the last source byte of its text
  std::string text;                ///< plain text: markup dropped, `code` kept in backticks,
                                   ///< one line per paragraph, list item, code line or row
  std::string code_language;       ///< info string of a fenced code block
  uint32_t items = 0;              ///< list items (direct children)
  std::vector<std::string> anchors; ///< targets of in-document links `[x](#anchor)`
};

/// Every top-level block of `source[begin, end)` in order, with its plain text. Linear.
std::vector<TopBlock> scan_blocks(std::string_view source, uint32_t begin);

/// md4c alone with callbacks that do nothing: the baseline the parse benchmark compares with.
void md4c_parse_only(std::string_view source);

} // namespace og::syntax
