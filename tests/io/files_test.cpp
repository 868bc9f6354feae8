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

} // namespace og
