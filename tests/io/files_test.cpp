#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "og/og.hpp"

namespace og {

namespace fs = std::filesystem;

class Files : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("og-files-" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "sub");
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(Files, AtomicWriteReplacesAndKeepsMode) {
  std::string path = (dir_ / "a.og").string();
  ASSERT_TRUE(write_file_atomic(path, "one"));
  chmod(path.c_str(), 0640);
  ASSERT_TRUE(write_file_atomic(path, "two"));
  EXPECT_EQ(read_file(path).value(), "two");
  struct stat st {};
  stat(path.c_str(), &st);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
  size_t entries = 0;
  for (auto& e : fs::directory_iterator(dir_)) entries += e.is_regular_file();
  EXPECT_EQ(entries, 1u); // no temporary file left behind
}

TEST_F(Files, AtomicWriteIntoMissingDirectoryFails) {
  Status s = write_file_atomic((dir_ / "nope" / "a.og").string(), "x");
  EXPECT_FALSE(s);
  EXPECT_NE(s.error().message.find("cannot create"), std::string::npos);
}

TEST_F(Files, CollectsOgAndMdRecursivelySorted) {
  for (auto name : {"b.md", "a.og", "sub/c.md", "skip.txt"})
    ASSERT_TRUE(write_file_atomic((dir_ / name).string(), "#"));
  std::vector<Error> errors;
  auto files = collect_documents({dir_.string(), (dir_ / "missing").string()}, &errors);
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(fs::path(files[0]).filename(), "a.og");
  EXPECT_EQ(fs::path(files[2]).filename(), "c.md");
  ASSERT_EQ(errors.size(), 1u);
}

TEST_F(Files, ReadErrorsAreValues) {
  EXPECT_FALSE(read_file((dir_ / "missing").string()));
  EXPECT_FALSE(read_file(dir_.string()));
}

TEST_F(Files, NewFilesGetTheUmaskMode) {
  // Issue #12: mkstemp's 0600 stayed on files that og created.
  mode_t old = umask(022);
  std::string path = (dir_ / "new.og").string();
  ASSERT_TRUE(write_file_atomic(path, "x"));
  umask(old);
  struct stat st {};
  stat(path.c_str(), &st);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
}

TEST_F(Files, WalksSkipDotDirsIgnoredFilesAndReportMdxAndLinks) {
  for (auto name : {"a.md", "README.MD", "n.markdown", ".git/x.md", "node_modules/p/r.md",
                    "drafts/d.md", "keep/k.md", "keep/skip.md", "page.mdx", ".hidden.md"}) {
    fs::create_directories((dir_ / "sub" / name).parent_path());
    ASSERT_TRUE(write_file_atomic((dir_ / "sub" / name).string(), "#")) << name;
  }
  ASSERT_TRUE(write_file_atomic((dir_ / "sub" / ".ogignore").string(), "drafts/\n# c\n"));
  ASSERT_TRUE(write_file_atomic((dir_ / "sub" / "keep" / ".gitignore").string(), "skip.md\n"));
  fs::create_symlink("loop.md", dir_ / "sub" / "loop.md");
  fs::create_symlink("a.md", dir_ / "sub" / "alias.md");
  fs::create_symlink((dir_ / "b.og").string(), dir_ / "sub" / "out.og");
  ASSERT_TRUE(write_file_atomic((dir_ / "b.og").string(), "#"));
  Walk walk = walk_documents({(dir_ / "sub").string()});
  std::vector<std::string> names;
  for (const auto& f : walk.files)
    names.push_back(fs::path(f).lexically_relative(dir_ / "sub").generic_string());
  EXPECT_EQ(names, (std::vector<std::string>{"README.MD", "a.md", "keep/k.md", "n.markdown"}));
  std::string skipped;
  for (const auto& s : walk.skipped) skipped += s + "\n";
  EXPECT_NE(skipped.find("page.mdx: MDX"), std::string::npos) << skipped;
  EXPECT_NE(skipped.find("loop.md: symbolic link loop"), std::string::npos) << skipped;
  EXPECT_NE(skipped.find("out.og: symbolic link leaves"), std::string::npos) << skipped;
  Walk followed = walk_documents({(dir_ / "sub").string()}, WalkOptions{true});
  EXPECT_EQ(followed.files.size(), 5u);
}

TEST_F(Files, FifosAndLoopsNamedByTheUserSayWhatTheyAre) {
  ASSERT_EQ(mkfifo((dir_ / "pipe.md").c_str(), 0600), 0);
  fs::create_symlink("self.md", dir_ / "self.md");
  std::vector<Error> errors;
  collect_documents({(dir_ / "pipe.md").string(), (dir_ / "self.md").string()}, &errors);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_NE(errors[0].message.find("a FIFO (named pipe)"), std::string::npos);
  EXPECT_NE(errors[1].message.find("symbolic link loop"), std::string::npos);
  EXPECT_NE(read_file((dir_ / "pipe.md").string()).error().message.find("FIFO"),
            std::string::npos); // never blocks on open
}

} // namespace og
