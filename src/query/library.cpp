// Library: a set of documents with per-node views, token costs and a search index.
#include <fmt/format.h>
#include <xxhash.h>

#include <algorithm>
#include <future>
#include <set>
#include <stdexcept>
#include <unordered_set>

#include "index/index.hpp"
#include "og/corpus.hpp"
#include "og/parse.hpp"
#include "query/query.hpp"

namespace og {

bool Library::State::visible(uint32_t g, const Caller& caller) const {
  return prepared[refs[g].doc]->outline.visible(refs[g].node, caller);
}

IndexEntry Library::State::entry(uint32_t g, double score) const {
  const Document& doc = doc_of(g);
  const Node& node = node_of(g);
  IndexEntry e;
  e.id = node.id;
  e.handle = handle(g);
  e.doc = doc.path;
  e.title = node.title;
  e.type = node.type;
  e.keywords = node.keywords;
  e.dense = dense(g);
  for (int32_t p = node.parent; p >= 0; p = doc.nodes[static_cast<size_t>(p)].parent)
    e.path = doc.nodes[static_cast<size_t>(p)].title + (e.path.empty() ? "" : " > " + e.path);
  e.score = score;
  e.tokens = tokens(g);
  return e;
}

std::vector<uint32_t> Library::State::documents_named(const std::string& name) const {
  std::string wanted = resolve_relative("", name);
  if (auto exact = doc_by_path.find(wanted); exact != doc_by_path.end()) return {exact->second};
  std::vector<uint32_t> found;
  std::string tail = "/" + wanted;
  for (uint32_t d = 0; d < prepared.size(); ++d)
    if (prepared[d]->path_key.ends_with(tail)) found.push_back(d);
  return found;
}

Library::State::Lookup Library::State::lookup(const std::string& ref, const Caller& caller) const {
  if (ref.starts_with('~')) {
    auto found = by_handle_text(ref);
    Lookup by;
    if (found && visible(*found, caller)) by.node = *found;
    return by;
  }
  size_t hash = ref.rfind('#');
  std::vector<uint32_t> candidates; // global numbers of the nodes with that id
  if (hash == std::string::npos) {
    auto [first, last] = by_id.equal_range(std::string_view(ref));
    for (auto it = first; it != last; ++it) candidates.push_back(it->second);
  } else {
    // by_id holds each document's node with that id (ids are unique within a document).
    std::vector<uint32_t> named = documents_named(ref.substr(0, hash));
    std::sort(named.begin(), named.end());
    auto [first, last] = by_id.equal_range(std::string_view(ref).substr(hash + 1));
    for (auto it = first; it != last; ++it)
      if (std::binary_search(named.begin(), named.end(), refs[it->second].doc))
        candidates.push_back(it->second);
  }
  std::sort(candidates.begin(), candidates.end()); // document order
  Lookup found;
  for (uint32_t g : candidates) {
    if (!visible(g, caller)) continue;
    if (found.node < 0 && found.ambiguous.empty()) {
      found.node = g;
      continue;
    }
    if (found.ambiguous.empty())
      found.ambiguous.push_back(prepared[refs[static_cast<uint32_t>(found.node)].doc]->path);
    found.ambiguous.push_back(prepared[refs[g].doc]->path);
    found.node = -1;
  }
  return found;
}

std::string ambiguity_line(const AmbiguousId& ambiguous) {
  std::string id = ambiguous.id.substr(ambiguous.id.rfind('#') + 1), candidates;
  for (const auto& doc : ambiguous.docs)
    candidates += (candidates.empty() ? "" : ", ") + doc + "#" + id;
  return "`" + ambiguous.id + "` is in several documents: " + candidates + " (write doc#id)";
}

Result<Library::NodeHandle> Library::find(const std::string& ref, const Caller& caller) const {
  State::Lookup found = state_->lookup(ref, caller);
  if (!found.ambiguous.empty()) return Error{ambiguity_line({ref, std::move(found.ambiguous)})};
  if (found.node < 0) return Error{"no node `" + ref + "`"};
  auto g = static_cast<uint32_t>(found.node);
  return NodeHandle{&state_->doc_of(g), &state_->node_of(g)};
}

int64_t Library::State::edge_target(uint32_t g, const Edge& edge) const {
  const NodeRef& ref = refs[g];
  uint32_t doc = ref.doc;
  if (!edge.target.doc.empty()) {
    auto found = doc_by_path.find(resolve_relative(prepared[ref.doc]->path, edge.target.doc));
    if (found == doc_by_path.end()) return -1;
    doc = found->second;
  }
  int32_t node = prepared[doc]->document().index_of(edge.target.id);
  return node < 0 ? -1 : static_cast<int64_t>(global(doc, static_cast<uint32_t>(node)));
}

const LinkResolver& Library::State::link_resolver() const {
  std::call_once(links_made,
                 [&] { links = std::make_unique<LinkResolver>(link_set, doc_by_path); });
  return *links;
}

std::vector<uint32_t> Library::State::required_documents(uint32_t g) const {
  const NodeRef& ref = refs[g];
  const Meta& meta = prepared[ref.doc]->document().meta;
  if (meta.requires_documents.empty() || link_resolver().first_node(ref.doc) != ref.node) return {};
  std::vector<uint32_t> out;
  for (const auto& name : meta.requires_documents) {
    auto doc = link_resolver().named(ref.doc, name);
    auto node = doc ? link_resolver().first_node(*doc) : std::nullopt;
    if (node && *doc != ref.doc) out.push_back(global(*doc, *node));
  }
  return out;
}

std::vector<uint32_t> Library::State::link_targets(uint32_t g) const {
  std::vector<uint32_t> out;
  for (const auto& link : node_of(g).links)
    if (auto target = link_resolver().resolve(refs[g].doc, link)) {
      uint32_t t = global(target->doc, target->node);
      if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
    }
  return out;
}

std::optional<uint32_t> Library::State::node_indexed(std::string_view data) const {
  auto [name, node] = indexed_node(data);
  auto found = doc_by_name.find(name);
  if (found == doc_by_name.end() || node >= nodes_of(found->second)) return std::nullopt;
  return global(found->second, static_cast<uint32_t>(node));
}

namespace {

/// node_handle()'s number, of a path already normalised.
uint32_t handle_of(std::string_view path_key, std::string_view id) {
  std::string name;
  name.reserve(path_key.size() + 1 + id.size());
  name.append(path_key).append("#").append(id);
  return static_cast<uint32_t>(XXH3_64bits(name.data(), name.size()) % 1000000000);
}

} // namespace

std::string handle_text(uint32_t number) {
  return fmt::format("~{:09}", number);
}

std::string node_handle(std::string_view doc, std::string_view id) {
  return handle_text(handle_of(resolve_relative("", std::string(doc)), id));
}

std::optional<uint32_t> Library::State::by_handle_text(std::string_view handle) const {
  if (handle.size() != 10 || handle[0] != '~') return std::nullopt;
  uint32_t number = 0;
  for (char c : handle.substr(1)) {
    if (c < '0' || c > '9') return std::nullopt;
    number = number * 10 + static_cast<uint32_t>(c - '0');
  }
  auto found = std::lower_bound(by_handle.begin(), by_handle.end(), std::pair{number, 0u});
  if (found == by_handle.end() || found->first != number) return std::nullopt;
  return found->second;
}

namespace {

/// Whether no node before nodes[n] has its id (ids are unique in a document that parses: a
/// guard, for documents with few nodes).
bool first_with_id(const std::vector<DocumentOutline::Node>& nodes, size_t n) {
  for (size_t m = 0; m < n; ++m)
    if (nodes[m].id == nodes[n].id) return false;
  return true;
}

/// Every node's handle, except those two nodes share: a handle names one node or none, so a
/// request by handle never reaches the wrong node (at 100,000 nodes about five pairs share).
void assign_handles(Library::State& state) {
  std::vector<std::pair<uint32_t, uint32_t>> all(state.refs.size());
  for (uint32_t g = 0; g < state.refs.size(); ++g) all[g] = {state.prepared_handle(g), g};
  std::sort(all.begin(), all.end());
  state.handle_shared.resize(state.refs.size());
  state.by_handle.reserve(all.size());
  for (size_t i = 0; i < all.size();) {
    size_t end = i + 1;
    while (end < all.size() && all[end].first == all[i].first) ++end;
    bool shared = end - i > 1;
    for (; i < end; ++i)
      if (shared)
        state.handle_shared[all[i].second] = true;
      else
        state.by_handle.push_back(all[i]);
  }
}

} // namespace

DocumentOutline outline_of(const Document& doc) {
  DocumentOutline outline;
  outline.title = doc.meta.title;
  outline.skill = doc.meta.name;
  for (const auto& role : doc.meta.roles) outline.declared.push_back(role.name);
  outline.roles = outline.declared;
  for (const auto& node : doc.nodes)
    for (const auto& role : node.effective_scope)
      if (std::find(outline.roles.begin(), outline.roles.end(), role) == outline.roles.end())
        outline.roles.push_back(role);
  outline.seen.reserve(doc.nodes.size() * outline.roles.size());
  for (const auto& node : doc.nodes) {
    // A role no scope names and no document role includes passes only empty scopes.
    bool open = true;
    for (const Node* n = &node; open; n = &doc.nodes[static_cast<size_t>(n->parent)]) {
      open = n->effective_scope.empty();
      if (n->parent < 0) break;
    }
    outline.nodes.push_back({node.id, node.title, node.type, open, !node.edges.empty()});
    for (const auto& role : outline.roles) outline.seen.push_back(node_visible_to(doc, node, role));
  }
  return outline;
}

bool DocumentOutline::visible(size_t n, const Caller& caller) const {
  if (is_generated_id(nodes[n].id)) return false; // as og::visible()
  if (!caller.role) return true;
  auto role = std::find(roles.begin(), roles.end(), *caller.role);
  if (role == roles.end()) return nodes[n].open;
  return seen[n * roles.size() + static_cast<size_t>(role - roles.begin())];
}

const Document& PreparedDocument::document() const {
  std::call_once(parsed_once_, [&] { parse_now(); });
  return parsed_->document;
}

const Changelog& PreparedDocument::changelog() const {
  document();
  return parsed_->changelog;
}

bool PreparedDocument::parsed() const {
  return parsed_flag_.load(std::memory_order_acquire);
}

void PreparedDocument::parse_now() const {
  if (parsed_) return; // prepare() parsed it
  std::optional<std::string> bytes = load_();
  if (!bytes) // call_once lets a later call try again after a throw
    throw std::runtime_error(
        fmt::format("{}: it changed while this answer was read; ask again", path));
  Document doc = og::parse(std::move(*bytes), path);
  // The outline decided what every caller was shown and may see: text is served only from
  // bytes that parse to that outline.
  if (doc.has_errors() || doc.nodes.size() != tokens.size() || !(outline_of(doc) == outline))
    throw std::runtime_error(fmt::format(
        "{}: the index's record does not fit its bytes (rebuild it: og index --rebuild)", path));
  Changelog changelog = read_changelog(doc);
  parsed_ = std::make_unique<Parsed>(Parsed{std::move(doc), std::move(changelog)});
  parsed_flag_.store(true, std::memory_order_release);
}

namespace {

/// The keys and handles both kinds of prepared document derive from the path and the ids.
void derive_names(PreparedDocument& prepared) {
  prepared.path_key = resolve_relative("", prepared.path);
  prepared.name_key =
      prepared.name == prepared.path ? prepared.path_key : resolve_relative("", prepared.name);
  prepared.handles.reserve(prepared.outline.nodes.size());
  for (const auto& node : prepared.outline.nodes)
    prepared.handles.push_back(handle_of(prepared.path_key, node.id));
}

} // namespace

std::shared_ptr<const PreparedDocument> prepare(Document document, const Tokenizer& tokenizer,
                                                const std::vector<ViewTokens>* tokens,
                                                std::string name) {
  auto prepared = std::make_shared<PreparedDocument>();
  prepared->path = document.path;
  prepared->name = name.empty() ? document.path : std::move(name);
  prepared->hash = XXH3_64bits(document.source.data(), document.source.size());
  prepared->language = stemming_language(document);
  prepared->outline = outline_of(document);
  Changelog changelog = read_changelog(document);
  prepared->parsed_ = std::make_unique<PreparedDocument::Parsed>(
      PreparedDocument::Parsed{std::move(document), std::move(changelog)});
  prepared->parsed_flag_.store(true, std::memory_order_release);
  const Document& doc = prepared->parsed_->document;
  derive_names(*prepared);
  bool counted = tokens && tokens->size() == doc.nodes.size();
  for (size_t n = 0; n < doc.nodes.size(); ++n) {
    const Node& node = doc.nodes[n];
    prepared->tokens.push_back(counted ? (*tokens)[n]
                                       : ViewTokens{tokenizer.count(index_line(doc, node)),
                                                    tokenizer.count(dense_view(doc, node)),
                                                    tokenizer.count(full_view(doc, node))});
  }
  return prepared;
}

std::shared_ptr<const PreparedDocument>
prepare_recorded(SourceLoader load, std::string path, std::string name, uint64_t hash,
                 std::vector<ViewTokens> tokens, std::string language, DocumentOutline outline) {
  auto prepared = std::make_shared<PreparedDocument>();
  prepared->load_ = std::move(load);
  prepared->path = std::move(path);
  prepared->name = std::move(name);
  prepared->hash = hash;
  prepared->tokens = std::move(tokens);
  prepared->language = std::move(language);
  prepared->outline = std::move(outline);
  derive_names(*prepared);
  return prepared;
}

Result<Library> Library::open(std::vector<Document> documents, Tokenizer tokenizer,
                              std::vector<RefusedDocument> refused) {
  std::vector<std::shared_ptr<const PreparedDocument>> prepared;
  for (auto& doc : documents) {
    if (doc.has_errors())
      refused.push_back({doc.path, doc.first_error()});
    else
      prepared.push_back(prepare(std::move(doc), tokenizer));
  }
  return open(std::move(prepared), std::move(tokenizer), std::move(refused), nullptr);
}

Result<Library> Library::open(std::vector<std::shared_ptr<const PreparedDocument>> documents,
                              Tokenizer tokenizer, std::vector<RefusedDocument> refused,
                              const CorpusIndex* index) {
  auto state = std::make_shared<State>(std::move(tokenizer));
  state->refused = std::move(refused);
  state->prepared = std::move(documents);
  add_stop_words(state->stopper);
  size_t nodes_in_all = 0;
  for (const auto& prepared : state->prepared) nodes_in_all += prepared->outline.nodes.size();
  state->doc_by_path.reserve(state->prepared.size());
  state->doc_by_name.reserve(state->prepared.size());
  state->first_node.reserve(state->prepared.size() + 1);
  state->refs.reserve(nodes_in_all);
  state->by_id.reserve(nodes_in_all);
  // The documents' names on another core while this one numbers the nodes: at 120k
  // documents each is a tenth of a second.
  bool large = state->prepared.size() >= 4096;
  auto names = std::async(large ? std::launch::async : std::launch::deferred, [&state = *state] {
    for (uint32_t d = 0; d < state.prepared.size(); ++d) {
      const PreparedDocument& prepared = *state.prepared[d];
      state.doc_by_path.emplace(prepared.path_key, d);
      state.doc_by_name.emplace(prepared.name_key, d);
      state.stemmers.try_emplace(prepared.language, prepared.language);
    }
  });
  std::unordered_set<std::string_view> ids; // a long document's, so by_id holds its first
  for (uint32_t d = 0; d < state->prepared.size(); ++d) {
    state->first_node.push_back(static_cast<uint32_t>(state->refs.size()));
    const auto& nodes = state->prepared[d]->outline.nodes;
    bool few = nodes.size() <= 32; // compared with each other: no table per document
    ids.clear();
    for (uint32_t n = 0; n < nodes.size(); ++n) {
      auto g = static_cast<uint32_t>(state->refs.size());
      state->refs.push_back({d, n});
      if (few ? first_with_id(nodes, n) : ids.insert(nodes[n].id).second)
        state->by_id.emplace(nodes[n].id, g);
      if (nodes[n].type == "warning" && nodes[n].edges) state->edge_warnings.push_back(g);
    }
  }
  names.get();
  state->first_node.push_back(static_cast<uint32_t>(state->refs.size()));
  assign_handles(*state);
  try {
    if (index) {
      state->index = search_snapshot(*index);
      // A reader's documents come from one revision: postings of a later one would not fit.
      if (state->index.get_revision() != index->revision())
        return Error{"the index moved on while it was opened"};
    } else {
      Xapian::WritableDatabase memory(std::string(), Xapian::DB_BACKEND_INMEMORY);
      for (const auto& prepared : state->prepared)
        index_document(memory, *prepared, state->stopper);
      memory.commit();
      state->index = memory;
    }
  } catch (const Xapian::Error& e) {
    return Error{"search index: " + e.get_msg()};
  } catch (const std::runtime_error& e) { // a recorded document that cannot be parsed
    return Error{"search index: " + std::string(e.what())};
  }
  return Library(std::move(state));
}

const std::vector<RefusedDocument>& Library::refused() const {
  return state_->refused;
}

std::vector<std::string> Library::declared_roles() const {
  std::set<std::string> roles;
  for (const auto& prepared : state_->prepared)
    roles.insert(prepared->outline.declared.begin(), prepared->outline.declared.end());
  return {roles.begin(), roles.end()};
}

std::optional<std::string> Library::unknown_role_message(const std::string& role) const {
  std::vector<std::string> roles = declared_roles();
  if (std::binary_search(roles.begin(), roles.end(), role)) return std::nullopt;
  std::string known;
  for (const auto& r : roles) known += (known.empty() ? "" : ", ") + r;
  return "role `" + role + "` is declared by no document" +
         (known.empty() ? std::string(" (none declares roles)") : " (declared: " + known + ")");
}

std::vector<std::string> Library::known_types(const Caller& caller) const {
  std::vector<std::string> known = core_types();
  std::set<std::string> seen(known.begin(), known.end());
  for (uint32_t g = 0; g < state_->refs.size(); ++g) {
    const NodeRef& ref = state_->refs[g];
    const std::string& type = state_->prepared[ref.doc]->outline.nodes[ref.node].type;
    if (!type.empty() && !seen.count(type) && state_->visible(g, caller)) {
      seen.insert(type);
      known.push_back(type);
    }
  }
  return known;
}

const std::vector<std::shared_ptr<const PreparedDocument>>& Library::prepared() const {
  return state_->prepared;
}
const Document& Library::document(size_t d) const {
  return state_->prepared[d]->document();
}
const PreparedDocument* Library::prepared(const std::string& path) const {
  auto found = state_->doc_by_path.find(resolve_relative("", path));
  return found == state_->doc_by_path.end() ? nullptr : state_->prepared[found->second].get();
}
const Document* Library::document(const std::string& path) const {
  const PreparedDocument* prepared = this->prepared(path);
  return prepared ? &prepared->document() : nullptr;
}

const Tokenizer& Library::tokenizer() const {
  return state_->tokenizer;
}

} // namespace og
