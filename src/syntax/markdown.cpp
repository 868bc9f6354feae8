// The only file that includes md4c's parser. md4c reports blocks and inline text but no
// positions, so positions come from its text pointers into our buffer: every MD_TEXT_NORMAL,
// CODE, HTML and ENTITY pointer points into the input.
#include <md4c.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "syntax/syntax.hpp"

namespace og::syntax {

namespace {

/// `[[cascade]]` alone on its line with `key = value` or `[table]` below: TOML's array of
/// tables (Hugo's configuration examples, written as Markdown inside shortcodes), no wikilink.
bool is_toml_table_header(std::string_view source, uint32_t at) {
  // `at` is the target's first byte: only `[[` after blanks at a line start qualifies, which
  // keeps the check constant-time for every other link on a line.
  size_t start = at - 2;
  while (start > 0 && (source[start - 1] == ' ' || source[start - 1] == '\t')) --start;
  if (start > 0 && source[start - 1] != '\n') return false;
  size_t end = source.find('\n', at);
  if (end == std::string_view::npos) return false;
  std::string_view line = source.substr(at, end - at);
  size_t close = line.find("]]");
  if (close == std::string_view::npos) return false;
  std::string_view rest = line.substr(close + 2); // blank, or a TOML `# comment`
  rest.remove_prefix(std::min(rest.size(), rest.find_first_not_of(" \t\r")));
  if (!rest.empty() && rest[0] != '#') return false;
  size_t next_end = source.find('\n', end + 1);
  std::string_view next = source.substr(
      end + 1, next_end == std::string_view::npos ? std::string_view::npos : next_end - end - 1);
  next.remove_prefix(std::min(next.size(), next.find_first_not_of(" \t")));
  if (next.starts_with('[')) return true;
  size_t equals = next.find('=');
  if (equals == std::string_view::npos || equals == 0) return false;
  for (char c : next.substr(0, equals))
    if (!std::isalnum(static_cast<unsigned char>(c)) && !std::strchr("_-.'\" ", c)) return false;
  return true;
}

/// `inline = [['\(', '\)']]`: a TOML key's array of arrays, no wikilink. `at` is the byte after
/// `[[`; each byte looked at before it belongs to this line's key alone, so it stays linear.
bool is_toml_array_value(std::string_view source, uint32_t at) {
  size_t i = at - 2;
  while (i > 0 && (source[i - 1] == ' ' || source[i - 1] == '\t')) --i;
  if (i == 0 || source[i - 1] != '=') return false;
  --i;
  while (i > 0 && (source[i - 1] == ' ' || source[i - 1] == '\t')) --i;
  size_t key_end = i;
  while (i > 0 && (std::isalnum(static_cast<unsigned char>(source[i - 1])) ||
                   std::strchr("_-.'\"", source[i - 1])))
    --i;
  if (i == key_end) return false;
  while (i > 0 && (source[i - 1] == ' ' || source[i - 1] == '\t')) --i;
  return i == 0 || source[i - 1] == '\n';
}

struct Scanner {
  const char* base = nullptr; // start of the whole source, for offsets
  const char* begin = nullptr;
  const char* end = nullptr;
  Outline outline;
  int depth = 0;                         // block nesting; the document itself is depth 1
  int heading = -1;                      // index of the open heading, -1 outside headings
  int image_depth = 0;                   // alt text of images is not part of a heading's text
  bool in_top_paragraph = false;         // waiting for the first text of a top-level paragraph
  uint32_t seen = 0;                     // end of the last source text seen
  std::vector<size_t> awaiting;          // headings that still need seen_after
  int link_awaiting_text = -1;           // index of the link whose first text comes next
  uint32_t pending_wikilink = no_offset; // after an unclosed `[[` ending the last text chunk

  bool in_source(const char* p) const { return p >= begin && p < end; }
  std::string_view source() const { return {base, size_t(end - base)}; }

  void saw(uint32_t offset, uint32_t size) {
    for (size_t h : awaiting) outline.headings[h].seen_after = offset;
    awaiting.clear();
    if (link_awaiting_text >= 0) outline.links[static_cast<size_t>(link_awaiting_text)].at = offset;
    link_awaiting_text = -1;
    seen = std::max(seen, offset + size);
  }

  /// Wikilinks in a chunk of ordinary text. md4c reads them only with MD_FLAG_WIKILINKS, which
  /// would also make `# See [[Deploy|it]]` the title `See it`, not what plain Markdown says; an
  /// unresolved `[[…]]` comes through as text, so they are found there (never in code or HTML).
  /// md4c splits text at escapes (`[[Note\|alias]]` in a table cell comes in two chunks): an
  /// opener left unclosed waits for the next chunk of the same run of text (see break_text).
  void find_wikilinks(std::string_view chunk, uint32_t offset) {
    size_t from = 0;
    if (pending_wikilink != no_offset) {
      size_t close = chunk.find("]]");
      size_t open = chunk.find("[[");
      if (close == std::string_view::npos && open == std::string_view::npos)
        return; // `[[Roll\*back]]`: the escaped `*` is a chunk of its own
      if (close < open) {
        add_wikilink(source().substr(pending_wikilink, offset + close - pending_wikilink),
                     pending_wikilink);
        from = close + 2;
      }
      pending_wikilink = no_offset;
    }
    for (size_t at = chunk.find("[[", from); at != std::string_view::npos;) {
      size_t close = chunk.find("]]", at + 2);
      if (close == std::string_view::npos) {
        pending_wikilink = static_cast<uint32_t>(offset + chunk.rfind("[[") + 2);
        return;
      }
      at = chunk.rfind("[[", close - 2); // `[[a [[b]]`: the last opener counts; linear
      add_wikilink(chunk.substr(at + 2, close - at - 2), static_cast<uint32_t>(offset + at + 2));
      at = chunk.find("[[", close + 2);
    }
  }

  /// `inner`: the text between `[[` and `]]` as written, at source offset `at`.
  void add_wikilink(std::string_view inner, uint32_t at) {
    // Brackets cannot be in a note's name (Obsidian refuses them): `[['\[', '\]']]` is data.
    if (inner.find_first_of("[]") != std::string_view::npos) return;
    std::string_view target = inner.substr(0, inner.find('|'));
    if (target.ends_with('\\')) target.remove_suffix(1); // `\|`: the alias bar, escaped in tables
    if (!target.empty() && !is_toml_table_header(source(), at) &&
        !is_toml_array_value(source(), at))
      outline.links.push_back({at, std::string(target), true});
  }

  /// Anything but ordinary text (a span, a block, a line break, an entity) ends a wikilink.
  void break_text() { pending_wikilink = no_offset; }

  /// md4c gives spans no position: a link is placed at its first text, else where text last was.
  void open_link(const MD_ATTRIBUTE& href) {
    outline.links.push_back({seen, std::string(href.text ? href.text : "", href.size), false});
    link_awaiting_text = static_cast<int>(outline.links.size() - 1);
  }
};

// Decodes the entities that matter for heading text; others stay as written. (Titles only feed
// slugs and listings; rendering goes through md4c-html, which decodes every entity.)
std::string decode_entity(std::string_view entity) {
  if (entity == "&amp;") return "&";
  if (entity == "&lt;") return "<";
  if (entity == "&gt;") return ">";
  if (entity == "&quot;") return "\"";
  if (entity == "&apos;") return "'";
  if (entity == "&nbsp;") return "\xC2\xA0";
  if (entity.size() < 4 || entity[1] != '#') return std::string(entity);
  bool hex = entity[2] == 'x' || entity[2] == 'X';
  uint32_t code = 0;
  for (size_t i = hex ? 3 : 2; i + 1 < entity.size(); ++i) {
    char c = entity[i];
    uint32_t digit = (c >= '0' && c <= '9')   ? uint32_t(c - '0')
                     : (c >= 'a' && c <= 'f') ? uint32_t(c - 'a' + 10)
                                              : uint32_t(c - 'A' + 10);
    code = code * (hex ? 16 : 10) + digit;
    if (code > 0x10FFFF) break;
  }
  if (code == 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) code = 0xFFFD;
  std::string out;
  if (code < 0x80) {
    out += char(code);
  } else if (code < 0x800) {
    out += char(0xC0 | (code >> 6));
    out += char(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += char(0xE0 | (code >> 12));
    out += char(0x80 | ((code >> 6) & 0x3F));
    out += char(0x80 | (code & 0x3F));
  } else {
    out += char(0xF0 | (code >> 18));
    out += char(0x80 | ((code >> 12) & 0x3F));
    out += char(0x80 | ((code >> 6) & 0x3F));
    out += char(0x80 | (code & 0x3F));
  }
  return out;
}

int enter_block(MD_BLOCKTYPE type, void* detail, void* userdata) {
  auto& s = *static_cast<Scanner*>(userdata);
  s.break_text();
  ++s.depth;
  if (type == MD_BLOCK_H) {
    HeadingEvent event;
    event.level = static_cast<uint8_t>(static_cast<MD_BLOCK_H_DETAIL*>(detail)->level);
    event.top_level = s.depth == 2;
    event.seen_before = s.seen;
    s.heading = static_cast<int>(s.outline.headings.size());
    s.outline.headings.push_back(std::move(event));
  } else if (type == MD_BLOCK_P && s.depth == 2) {
    s.in_top_paragraph = true;
  }
  return 0;
}

int leave_block(MD_BLOCKTYPE type, void*, void* userdata) {
  auto& s = *static_cast<Scanner*>(userdata);
  s.break_text();
  --s.depth;
  if (type == MD_BLOCK_H) {
    s.awaiting.push_back(static_cast<size_t>(s.heading));
    s.heading = -1;
  } else if (type == MD_BLOCK_P) {
    s.in_top_paragraph = false;
  }
  return 0;
}

int enter_span(MD_SPANTYPE type, void* detail, void* userdata) {
  auto& s = *static_cast<Scanner*>(userdata);
  s.break_text();
  if (type == MD_SPAN_IMG) ++s.image_depth;
  if (type == MD_SPAN_A) s.open_link(static_cast<MD_SPAN_A_DETAIL*>(detail)->href);
  return 0;
}

int leave_span(MD_SPANTYPE type, void*, void* userdata) {
  auto& s = *static_cast<Scanner*>(userdata);
  s.break_text();
  if (type == MD_SPAN_IMG) --s.image_depth;
  return 0;
}

void add_heading_text(Scanner& s, MD_TEXTTYPE type, const MD_CHAR* text, MD_SIZE size,
                      uint32_t offset) {
  HeadingEvent& h = s.outline.headings[static_cast<size_t>(s.heading)];
  if (offset != no_offset) {
    if (h.first_text == no_offset) h.first_text = offset;
    h.last_text = offset + size - 1;
  }
  if (s.image_depth > 0 || type == MD_TEXT_HTML) return; // not in the heading's text content
  if (offset != no_offset)
    h.pieces.push_back({static_cast<uint32_t>(h.text.size()), offset, static_cast<uint32_t>(size),
                        type == MD_TEXT_ENTITY});
  switch (type) {
  case MD_TEXT_ENTITY:
    h.text += decode_entity({text, size});
    break;
  case MD_TEXT_NULLCHAR:
    h.text += "\xEF\xBF\xBD";
    break;
  case MD_TEXT_BR:
  case MD_TEXT_SOFTBR:
    h.text += ' ';
    break;
  default:
    h.text.append(text, size);
    break;
  }
}

int on_text(MD_TEXTTYPE type, const MD_CHAR* text, MD_SIZE size, void* userdata) {
  auto& s = *static_cast<Scanner*>(userdata);
  uint32_t offset = no_offset;
  if (size > 0 && s.in_source(text)) {
    offset = static_cast<uint32_t>(text - s.base);
    s.saw(offset, size);
    if (s.in_top_paragraph) {
      // Only a paragraph whose text starts with `{` can open a unit; checking here, while the
      // byte is in cache, spares the builder a cache miss per paragraph on large inputs.
      if (*text == '{') s.outline.top_paragraphs.push_back(offset);
      s.in_top_paragraph = false;
    }
  }
  if (type == MD_TEXT_NORMAL && offset != no_offset)
    s.find_wikilinks({text, size}, offset);
  else
    s.break_text();
  if (s.heading >= 0) add_heading_text(s, type, text, size, offset);
  return 0;
}

// ---- top-level blocks, for the transpiler ------------------------------------------------------

struct BlockScanner {
  const char* base = nullptr;
  const char* end = nullptr;
  std::vector<TopBlock> blocks;
  int depth = 0;
  int span_code = 0; // inside an inline code span

  TopBlock* top() { return blocks.empty() || depth < 2 ? nullptr : &blocks.back(); }
  void newline() {
    if (TopBlock* b = top(); b && !b->text.empty() && b->text.back() != '\n') b->text += '\n';
  }
};

TopBlock::Kind kind_of(MD_BLOCKTYPE type, void* detail) {
  switch (type) {
  case MD_BLOCK_H:
    return TopBlock::heading;
  case MD_BLOCK_UL:
    return TopBlock::list;
  case MD_BLOCK_OL:
    return TopBlock::ordered_list;
  case MD_BLOCK_CODE:
    return TopBlock::code;
  case MD_BLOCK_TABLE:
    return TopBlock::table;
  case MD_BLOCK_QUOTE:
    return TopBlock::quote;
  case MD_BLOCK_HTML:
    return TopBlock::html;
  case MD_BLOCK_HR:
    return TopBlock::rule;
  default:
    (void)detail;
    return TopBlock::paragraph;
  }
}

std::string attribute_text(const MD_ATTRIBUTE& attribute) {
  return attribute.text ? std::string(attribute.text, attribute.size) : std::string();
}

int block_enter(MD_BLOCKTYPE type, void* detail, void* userdata) {
  auto& s = *static_cast<BlockScanner*>(userdata);
  ++s.depth;
  if (s.depth == 2) {
    TopBlock block;
    block.kind = kind_of(type, detail);
    if (type == MD_BLOCK_CODE)
      block.code_language = attribute_text(static_cast<MD_BLOCK_CODE_DETAIL*>(detail)->lang);
    s.blocks.push_back(std::move(block));
  } else if (s.depth == 3 && type == MD_BLOCK_LI) {
    ++s.blocks.back().items;
  }
  return 0;
}

int block_leave(MD_BLOCKTYPE type, void*, void* userdata) {
  auto& s = *static_cast<BlockScanner*>(userdata);
  if (type == MD_BLOCK_P || type == MD_BLOCK_LI || type == MD_BLOCK_TR || type == MD_BLOCK_H)
    s.newline();
  else if (type == MD_BLOCK_TH || type == MD_BLOCK_TD)
    if (TopBlock* b = s.top()) b->text += " | ";
  --s.depth;
  return 0;
}

int block_span_enter(MD_SPANTYPE type, void* detail, void* userdata) {
  auto& s = *static_cast<BlockScanner*>(userdata);
  TopBlock* b = s.top();
  if (!b) return 0;
  if (type == MD_SPAN_CODE) {
    b->text += '`';
    ++s.span_code;
  } else if (type == MD_SPAN_A) {
    std::string href = attribute_text(static_cast<MD_SPAN_A_DETAIL*>(detail)->href);
    if (href.size() > 1 && href[0] == '#') b->anchors.push_back(href.substr(1));
  }
  return 0;
}

int block_span_leave(MD_SPANTYPE type, void*, void* userdata) {
  auto& s = *static_cast<BlockScanner*>(userdata);
  if (type == MD_SPAN_CODE && s.top()) {
    s.top()->text += '`';
    --s.span_code;
  }
  return 0;
}

int block_text(MD_TEXTTYPE type, const MD_CHAR* text, MD_SIZE size, void* userdata) {
  auto& s = *static_cast<BlockScanner*>(userdata);
  TopBlock* b = s.top();
  if (!b) return 0;
  if (size > 0 && text >= s.base && text < s.end) {
    auto offset = static_cast<uint32_t>(text - s.base);
    if (b->first_text == no_offset) b->first_text = offset;
    b->text_end = std::max(b->text_end == no_offset ? 0 : b->text_end, offset + size);
  }
  switch (type) {
  case MD_TEXT_ENTITY:
    b->text += decode_entity({text, size});
    break;
  case MD_TEXT_NULLCHAR:
    b->text += "\xEF\xBF\xBD";
    break;
  case MD_TEXT_BR:
  case MD_TEXT_SOFTBR:
    b->text += ' ';
    break;
  case MD_TEXT_HTML:
    if (b->kind == TopBlock::html) b->text.append(text, size);
    break;
  default:
    b->text.append(text, size);
    break;
  }
  return 0;
}

} // namespace

std::vector<TopBlock> scan_blocks(std::string_view source, uint32_t begin) {
  BlockScanner s;
  s.base = source.data();
  s.end = source.data() + source.size();
  MD_PARSER parser{};
  parser.flags = MD_DIALECT_GITHUB;
  parser.enter_block = block_enter;
  parser.leave_block = block_leave;
  parser.enter_span = block_span_enter;
  parser.leave_span = block_span_leave;
  parser.text = block_text;
  md_parse(source.data() + begin, static_cast<MD_SIZE>(source.size() - begin), &parser, &s);
  return std::move(s.blocks);
}

std::string HeadingEvent::text_before(uint32_t cut) const {
  for (const auto& piece : pieces) {
    if (piece.source + piece.length <= cut) continue;
    // Ordinary text maps byte for byte; a decoded entity is cut whole.
    bool inside = piece.source < cut && !piece.decoded;
    return text.substr(0, piece.text_pos + (inside ? cut - piece.source : 0));
  }
  return text;
}

Outline scan_markdown(std::string_view source, uint32_t begin) {
  Scanner s;
  s.base = source.data();
  s.begin = source.data() + begin;
  s.end = source.data() + source.size();
  s.outline.headings.reserve(source.size() / 1024 + 8); // real documents: a heading per ~0.6 KiB
  MD_PARSER parser{};
  parser.abi_version = 0;
  parser.flags = MD_DIALECT_GITHUB;
  parser.enter_block = enter_block;
  parser.leave_block = leave_block;
  parser.enter_span = enter_span;
  parser.leave_span = leave_span;
  parser.text = on_text;
  md_parse(s.begin, static_cast<MD_SIZE>(source.size() - begin), &parser, &s);
  return std::move(s.outline);
}

void md4c_parse_only(std::string_view source) {
  MD_PARSER parser{};
  parser.flags = MD_DIALECT_GITHUB;
  parser.enter_block = [](MD_BLOCKTYPE, void*, void*) { return 0; };
  parser.leave_block = [](MD_BLOCKTYPE, void*, void*) { return 0; };
  parser.enter_span = [](MD_SPANTYPE, void*, void*) { return 0; };
  parser.leave_span = [](MD_SPANTYPE, void*, void*) { return 0; };
  parser.text = [](MD_TEXTTYPE, const MD_CHAR*, MD_SIZE, void*) { return 0; };
  md_parse(source.data(), static_cast<MD_SIZE>(source.size()), &parser, nullptr);
}

} // namespace og::syntax
