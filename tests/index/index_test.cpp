// The persistent index (issue #13): whatever sequence of edits it followed, it answers exactly
// like a library built fresh from the same files — every search (scores included), listing and
// resolve, for every role; a restart reads nothing it already holds; a damaged or foreign
// directory is refused or made again, never served from.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "og/og.hpp"
#include "og/serve.hpp"
#include "spec_examples.hpp"

namespace og {

namespace {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name) {
    path = fs::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

const std::vector<std::string> words = {
    "deploy",  "canary", "rollback", "payments", "ledger", "schema", "migration", "token",
    "cluster", "backup", "restore",  "latency",  "quota",  "audit",  "secret",    "webhook"};

/// A random document: headings with ids, scoped nodes under declared roles, `:requires` edges
/// to its own nodes and to other files', prose from a small vocabulary (so ranks tie often).
std::string random_document(std::mt19937& rng, int file, int files) {
  auto word = [&] { return words[rng() % words.size()]; };
  std::string text;
  bool roles = rng() % 2;
  if (roles) text += "---\nog: 1\nroles: {admin: [reader], reader: []}\n---\n";
  int nodes = 1 + static_cast<int>(rng() % 5);
  for (int n = 0; n < nodes; ++n) {
    std::string id = "n" + std::to_string(n);
    text += std::string(n && rng() % 2 ? "## " : "# ") + word() + " " + word() + " {#" + id;
    if (roles && rng() % 3 == 0) text += " scope=admin";
    text += "}\n";
    if (n && rng() % 3 == 0) text += ":requires #n" + std::to_string(rng() % n) + "\n";
    if (rng() % 4 == 0) text += ":requires f" + std::to_string(rng() % files) + ".og#n0\n";
    text += "\n";
    int sentences = 1 + static_cast<int>(rng() % 3);
    for (int s = 0; s < sentences; ++s)
      text += word() + " " + word() + " " + word() + " with file" + std::to_string(file) + ".\n";
    text += "\n";
  }
  return text;
}

/// Every answer the library gives, as text: listings and searches per role, resolves of every
/// node per role. Two libraries that hold the same documents give the same text.
std::string answers(const Library& library) {
  std::string out;
  // `guest` is declared by no document: it sees what no scope narrows.
  std::vector<Caller> callers = {Caller{}, Caller{"reader"}, Caller{"admin"}, Caller{"guest"}};
  for (const auto& caller : callers) {
    out += "== role " + caller.role.value_or("-") + "\n";
    for (const std::string query : {"", "deploy canary", "secret ledger rollback", "file3",
                                    "What is a webhook, and how do I restore a backup?"}) {
      SearchRequest request;
      request.query = query;
      request.limit = 0;
      for (const auto& e : library.search_index(request, caller))
        out += fmt::format("{} {} {:.12f} {}|{}|{}\n", e.doc, e.id, e.score, e.tokens.index,
                           e.tokens.dense, e.tokens.full);
    }
    ResolveRequest resolve;
    for (size_t d = 0; d < library.prepared().size(); ++d)
      for (const auto& node : library.document(d).nodes)
        resolve.ids.push_back(library.document(d).path + "#" + node.id);
    ResolveResult result = library.resolve_context(resolve, caller);
    for (const auto& node : result.nodes) out += node.doc + "#" + node.id + " " + node.text;
    for (const auto& id : result.unknown) out += "unknown " + id + "\n";
  }
  return out;
}

Library fresh_library(const fs::path& dir) {
  std::vector<Document> docs;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    docs.push_back(parse(std::move(text), entry.path().lexically_relative(dir).generic_string()));
  }
  std::sort(docs.begin(), docs.end(),
            [](const Document& a, const Document& b) { return a.path < b.path; });
  return Library::open(std::move(docs), test::cl100k()).value();
}

std::shared_ptr<DocumentStore> indexed_store(const fs::path& tree, const fs::path& index_dir) {
  auto index =
      CorpusIndex::open(index_dir.string(), CorpusIndex::Access::write, Encoding::cl100k_base);
  EXPECT_TRUE(index.ok()) << index.error().message;
  auto store = DocumentStore::open(
      {tree.string()}, test::cl100k(), [](std::string) {}, {}, nullptr, std::move(index.value()));
  EXPECT_TRUE(store.ok());
  return store.value();
}

} // namespace

TEST(CorpusIndex, IncrementalUpdatesAnswerLikeAFreshBuild) {
  for (unsigned seed = 1; seed <= 6; ++seed) {
    std::mt19937 rng(seed);
    TempDir tree("og-index-tree"), index_dir("og-index-db");
    const int files = 6;
    for (int f = 0; f < files; ++f)
      write(tree.path / ("f" + std::to_string(f) + ".og"), random_document(rng, f, files));
    auto store = indexed_store(tree.path, index_dir.path / "db");
    for (int step = 0; step < 12; ++step) {
      int f = static_cast<int>(rng() % (files + 2));
      fs::path file = tree.path / ("f" + std::to_string(f % files) + ".og");
      std::vector<std::string> changed = {file.string()};
      switch (rng() % 4) {
      case 0:
        fs::remove(file);
        break; // delete
      case 1:  // rename
        if (fs::exists(file)) {
          fs::create_directories(tree.path / "sub");
          fs::rename(file, tree.path / "sub" / ("f" + std::to_string(f) + ".og"));
          changed.push_back((tree.path / "sub" / ("f" + std::to_string(f) + ".og")).string());
        }
        break;
      default:
        write(file, random_document(rng, f, files)); // add or change
      }
      if (fs::exists(tree.path / "sub") && fs::is_empty(tree.path / "sub"))
        fs::remove(tree.path / "sub");
      // Odd seeds walk the tree; even ones look at the changed files alone, as og serve's
      // watcher asks when its events name every change.
      store->reload(changed, {}, seed % 2 == 0);
      std::string expected = answers(fresh_library(tree.path));
      ASSERT_EQ(answers(*store->snapshot()), expected) << "seed " << seed << " step " << step;
      // A fresh index of the same tree, and a restart of this one, answer the same too.
      TempDir other("og-index-other");
      ASSERT_EQ(answers(*indexed_store(tree.path, other.path / "db")->snapshot()), expected);
    }
    store.reset();
    auto restarted = indexed_store(tree.path, index_dir.path / "db");
    EXPECT_EQ(restarted->last_reload().read, 0u) << "an unchanged tree is read from the index";
    EXPECT_EQ(restarted->last_reload().counted, 0u);
    EXPECT_EQ(answers(*restarted->snapshot()), answers(fresh_library(tree.path)));
  }
}

/// What the index itself holds, served by a reader of it.
std::string indexed_answers(const fs::path& index_dir) {
  auto index =
      CorpusIndex::open(index_dir.string(), CorpusIndex::Access::read, Encoding::cl100k_base);
  EXPECT_TRUE(index.ok()) << index.error().message;
  auto follower =
      DocumentStore::follow(std::move(index.value()), test::cl100k(), [](std::string) {});
  EXPECT_TRUE(follower.ok());
  return answers(*follower.value()->snapshot());
}

TEST(CorpusIndex, ARestartOntoEditsMadeWhileStoppedAnswersLikeAFreshBuild) {
  // A start from an index reads every record while it walks the tree: what changed, moved or
  // went while no server ran must be read, and what went must leave the index too.
  for (unsigned seed = 1; seed <= 4; ++seed) {
    std::mt19937 rng(seed);
    TempDir tree("og-index-offline"), index_dir("og-index-offline-db");
    const int files = 8;
    for (int f = 0; f < files; ++f)
      write(tree.path / ("f" + std::to_string(f) + ".og"), random_document(rng, f, files));
    indexed_store(tree.path, index_dir.path / "db");
    for (int step = 0; step < 6; ++step) {
      for (int edit = 0; edit < 3; ++edit) { // while stopped
        int f = static_cast<int>(rng() % files);
        fs::path file = tree.path / ("f" + std::to_string(f) + ".og");
        fs::path moved = tree.path / "sub" / file.filename();
        switch (rng() % 3) {
        case 0:
          fs::remove(file);
          break;
        case 1:
          if (fs::exists(file)) {
            fs::create_directories(moved.parent_path());
            fs::rename(file, moved);
          }
          break;
        default:
          write(file, random_document(rng, f, files));
        }
      }
      std::string expected = answers(fresh_library(tree.path));
      auto store = indexed_store(tree.path, index_dir.path / "db");
      ASSERT_EQ(answers(*store->snapshot()), expected) << "seed " << seed << " step " << step;
      store.reset();
      ASSERT_EQ(indexed_answers(index_dir.path / "db"), expected)
          << "the index holds what is served, seed " << seed << " step " << step;
    }
  }
}

TEST(CorpusIndex, AFirstLoadReportsTheFilesItIndexes) {
  TempDir tree("og-index-progress"), index_dir("og-index-progress-db");
  for (int f = 0; f < 5; ++f)
    write(tree.path / ("f" + std::to_string(f) + ".og"),
          "# F {#f}\n\nfile " + std::to_string(f) + "\n");
  auto index = CorpusIndex::open((index_dir.path / "db").string(), CorpusIndex::Access::write,
                                 Encoding::cl100k_base);
  ASSERT_TRUE(index.ok());
  std::vector<LoadProgress> heard;
  auto store = DocumentStore::open(
      {tree.path.string()}, test::cl100k(), [](std::string) {}, {},
      [&](const LoadProgress& now) { heard.push_back(now); }, std::move(index.value()));
  ASSERT_TRUE(store.ok());
  ASSERT_FALSE(heard.empty());
  size_t indexed = 0;
  for (const auto& now : heard) {
    EXPECT_LE(now.read, now.found);
    if (now.to_index == 0) continue;
    EXPECT_EQ(now.read, 5u) << "indexing follows reading";
    EXPECT_EQ(now.to_index, 5u);
    EXPECT_EQ(now.indexed, indexed + 1) << "one report per file written";
    indexed = now.indexed;
  }
  EXPECT_EQ(indexed, 5u);
}

/// The served names, in order.
std::vector<std::string> served(const DocumentStore& store) {
  std::vector<std::string> names;
  for (const auto& doc : store.snapshot()->prepared()) names.push_back(doc->path);
  return names;
}

TEST(CorpusIndex, AReloadOfTheChangedFilesAloneListsWhatAWalkLists) {
  TempDir tree("og-index-named"), index_dir("og-index-named-db");
  write(tree.path / "a.og", "# Alpha {#a}\n\nalpha words\n");
  write(tree.path / ".gitignore", "drafts/\n*.tmp.md\n");
  auto store = indexed_store(tree.path, index_dir.path / "db");
  std::vector<std::string> changed;
  for (const char* rel : {"b.md", "docs/c.markdown", "drafts/d.md", "docs/e.tmp.md", ".hidden/f.md",
                          "node_modules/g.md", "notes.txt", "docs/.h.md"}) {
    write(tree.path / rel, "# Note\n\nnote words\n");
    changed.push_back((tree.path / rel).string());
  }
  EXPECT_TRUE(store->reload(changed, {}, true));
  std::vector<std::string> expected = {"a.og", "b.md", "docs/c.markdown"};
  EXPECT_EQ(served(*store), expected);
  fs::remove(tree.path / "b.md");
  EXPECT_TRUE(store->reload({(tree.path / "b.md").string()}, {}, true));
  expected = {"a.og", "docs/c.markdown"};
  EXPECT_EQ(served(*store), expected);
  // What was not named is not looked at: the proof that the walk was left out.
  write(tree.path / "unnamed.og", "# Unnamed\n");
  EXPECT_FALSE(store->reload({}, {}, true));
  EXPECT_EQ(served(*store), expected);
  EXPECT_TRUE(store->reload({}));
  expected = {"a.og", "docs/c.markdown", "unnamed.og"};
  EXPECT_EQ(served(*store), expected);
}

TEST(CorpusIndex, ATreeWithLinksIsWalkedEvenWhenTheChangesAreNamed) {
  TempDir tree("og-index-linked"), index_dir("og-index-linked-db");
  write(tree.path / "a.og", "# Alpha {#a}\n\nalpha words\n");
  fs::create_symlink(tree.path / "a.og", tree.path / "alias.og"); // a second name of a.og
  auto store = indexed_store(tree.path, index_dir.path / "db");
  write(tree.path / "unnamed.og", "# Unnamed\n");
  EXPECT_TRUE(store->reload({}, {}, true)) << "a link may make a file another's second name";
  std::vector<std::string> expected = {"a.og", "unnamed.og"};
  EXPECT_EQ(served(*store), expected);
}

TEST(CorpusIndex, ATouchedFileIsNotCountedAgain) {
  TempDir tree("og-index-touch"), index_dir("og-index-touch-db");
  write(tree.path / "a.og", "# Alpha {#a}\n\nalpha words\n");
  auto store = indexed_store(tree.path, index_dir.path / "db");
  store.reset();
  write(tree.path / "a.og", "# Alpha {#a}\n\nalpha words\n"); // same bytes, new mtime
  auto again = indexed_store(tree.path, index_dir.path / "db");
  EXPECT_EQ(again->last_reload().read, 1u);
  EXPECT_EQ(again->last_reload().counted, 0u) << "its bytes' token costs were in the index";
}

TEST(CorpusIndex, FollowersServeTheWritersCommits) {
  TempDir tree("og-index-follow"), index_dir("og-index-follow-db");
  write(tree.path / "a.og", "# Alpha {#a}\n\nalpha words\n");
  auto writer = indexed_store(tree.path, index_dir.path / "db");
  auto reader_index = CorpusIndex::open((index_dir.path / "db").string(), CorpusIndex::Access::read,
                                        Encoding::cl100k_base);
  ASSERT_TRUE(reader_index.ok()) << reader_index.error().message;
  EXPECT_TRUE(reader_index.value().locked());
  auto follower =
      DocumentStore::follow(std::move(reader_index.value()), test::cl100k(), [](std::string) {});
  ASSERT_TRUE(follower.ok());
  EXPECT_EQ(answers(*follower.value()->snapshot()), answers(*writer->snapshot()));
  write(tree.path / "b.og", "# Beta {#b}\n\nbeta words\n");
  writer->reload({});
  EXPECT_TRUE(follower.value()->reload({}));
  EXPECT_EQ(answers(*follower.value()->snapshot()), answers(*writer->snapshot()));
  EXPECT_FALSE(follower.value()->reload({})) << "nothing new";
}

TEST(CorpusIndex, ARestartParsesADocumentOnlyWhenAnAnswerReadsIt) {
  TempDir tree("og-index-lazy"), index_dir("og-index-lazy-db");
  write(tree.path / "a.og", "# Alpha {#a}\n\nalpha words\n");
  write(tree.path / "b.og",
        "---\nog: 1\nroles: {admin: []}\n---\n# Beta {#b scope=admin}\n\nbeta\n");
  write(tree.path / "c.og", "# Gamma {#c}\n\ngamma words, see [alpha](a.og)\n");
  indexed_store(tree.path, index_dir.path / "db").reset();
  auto store = indexed_store(tree.path, index_dir.path / "db");
  auto library = store->snapshot();
  auto parsed = [&] {
    std::string out;
    for (const auto& doc : library->prepared()) out += doc->parsed() ? "P" : "-";
    return out;
  };
  EXPECT_EQ(parsed(), "---");
  // Listings, roles, types and bare ids come from the outlines.
  EXPECT_EQ(library->declared_roles(), std::vector<std::string>{"admin"});
  EXPECT_FALSE(library->find("b", Caller{"reader"}).ok()) << "hidden reads as unknown";
  EXPECT_TRUE(library->find("b", Caller{"admin"}).ok());
  EXPECT_EQ(parsed(), "-P-") << "find() hands out the node, so b is parsed";
  SearchRequest search;
  search.query = "alpha";
  auto hits = library->search_index(search, Caller{});
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].id, "a");
  EXPECT_EQ(parsed().substr(0, 2), "PP") << "a hit's entry reads its document";
  EXPECT_EQ(answers(*library), answers(fresh_library(tree.path)));
}

TEST(CorpusIndex, NamedAsGivenADocumentIsParsedOnlyWhereItsNameTitlesItOtherwise) {
  TempDir tree("og-index-named"), index_dir("og-index-named-db");
  write(tree.path / "README.md", "About this tree, before any heading.\n");
  write(tree.path / "guide" / "README.md", "How to use the guide.\n");
  write(tree.path / "notes.md", "Loose notes without a heading.\n");
  indexed_store(tree.path, index_dir.path / "db").reset(); // served names: `README.md`, …
  auto index = CorpusIndex::open((index_dir.path / "db").string(), CorpusIndex::Access::write,
                                 Encoding::cl100k_base);
  ASSERT_TRUE(index.ok()) << index.error().message;
  // As the CLI opens it: documents named by the walk (`<tree>/README.md`).
  auto store = DocumentStore::open(
      {tree.path.string()}, test::cl100k(), [](std::string) {}, {}, nullptr,
      std::move(index.value()), true);
  ASSERT_TRUE(store.ok());
  auto library = store.value()->snapshot();
  std::string parsed, titles;
  for (size_t d = 0; d < library->prepared().size(); ++d) {
    parsed += library->prepared()[d]->parsed() ? "P" : "-";
    titles += library->document(d).nodes.front().title + "|";
  }
  // `README.md` at the root is titled by the tree's folder only when named by its full path.
  EXPECT_EQ(parsed, "P--");
  EXPECT_EQ(titles, tree.path.filename().string() + "|guide|notes|");
}

TEST(CorpusIndex, TextIsServedOnlyFromBytesThatFitTheRecord) {
  const std::string text = "---\nog: 1\nroles: {admin: []}\n---\n# Secret {#s scope=admin}\n\nx\n";
  auto made = prepare(parse(text, "s.og"), test::cl100k());
  auto recorded = [&](std::optional<std::string> bytes) {
    return prepare_recorded([bytes] { return bytes; }, "s.og", "s.og", made->hash, made->tokens,
                            made->language, made->outline);
  };
  EXPECT_EQ(recorded(text)->document().nodes.size(), 1u);
  // Bytes whose scope is wider than the record's outline are not served.
  std::string widened = text;
  widened.replace(widened.find(" scope=admin"), 12, "");
  EXPECT_THROW(recorded(widened)->document(), std::runtime_error);
  EXPECT_THROW(recorded(std::nullopt)->document(), std::runtime_error) << "bytes gone";
  // A library that must index it in memory (no index to search) is not made from it.
  auto library = Library::open({recorded(std::nullopt)}, test::cl100k(), {}, nullptr);
  EXPECT_FALSE(library.ok()) << "an in-memory index reads every document";
}

TEST(CorpusIndex, ForeignAndDamagedDirectories) {
  TempDir dir("og-index-foreign");
  write(dir.path / "notes.txt", "mine\n");
  auto foreign =
      CorpusIndex::open(dir.path.string(), CorpusIndex::Access::write, Encoding::cl100k_base);
  ASSERT_FALSE(foreign.ok());
  EXPECT_NE(foreign.error().message.find("not an og index"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir.path / "notes.txt")) << "a directory og did not make is left alone";

  fs::path db = dir.path / "db";
  {
    auto made = CorpusIndex::open(db.string(), CorpusIndex::Access::write, Encoding::cl100k_base);
    ASSERT_TRUE(made.ok());
  }
  auto other = CorpusIndex::open(db.string(), CorpusIndex::Access::write, Encoding::o200k_base);
  ASSERT_FALSE(other.ok()) << "token counts of another encoding are not mixed in";
  std::string rebuilt;
  auto again =
      CorpusIndex::open(db.string(), CorpusIndex::Access::write, Encoding::o200k_base, &rebuilt);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_NE(rebuilt.find("o200k_base"), std::string::npos) << rebuilt;
  again = Error{"closed"};
  for (const auto& entry : fs::directory_iterator(db)) // damage every table
    if (entry.path().extension() == ".glass") write(entry.path(), "garbage");
  auto damaged = CorpusIndex::open(db.string(), CorpusIndex::Access::read, Encoding::o200k_base);
  EXPECT_FALSE(damaged.ok());
  rebuilt.clear();
  auto remade =
      CorpusIndex::open(db.string(), CorpusIndex::Access::write, Encoding::o200k_base, &rebuilt);
  ASSERT_TRUE(remade.ok()) << remade.error().message;
  EXPECT_FALSE(rebuilt.empty());
  EXPECT_TRUE(remade.value().verify().empty());
}

} // namespace og
