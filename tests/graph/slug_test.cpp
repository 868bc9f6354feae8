#include <gtest/gtest.h>

#include <filesystem>

#include "graph/graph.hpp"
#include "syntax/syntax.hpp"

namespace og::graph {

TEST(Slug, MatchesGithubAnchors) {
  EXPECT_EQ(github_slug("Roll back a deployment"), "roll-back-a-deployment");
  EXPECT_EQ(github_slug("KEP-1164: Deprecate and Remove SelfLink"),
            "kep-1164-deprecate-and-remove-selflink");
  EXPECT_EQ(github_slug("What's new in v2.0?"), "whats-new-in-v20");
  EXPECT_EQ(github_slug("snake_case stays"), "snake_case-stays");
  EXPECT_EQ(github_slug("  two  spaces "), "--two--spaces-");
  EXPECT_EQ(github_slug("Prompt Caching — Design & Optimization"),
            "prompt-caching--design--optimization");
  EXPECT_EQ(github_slug("Ünïcödé ÄÖÜ"), "ünïcödé-äöü");
  EXPECT_EQ(github_slug("日本語 テスト"), "日本語-テスト");
  EXPECT_EQ(github_slug("emoji 🚀 rocket"), "emoji--rocket");
}

TEST(Slug, InvalidUtf8IsSkipped) {
  EXPECT_EQ(github_slug("a\xFF"
                        "b"),
            "ab");
}

TEST(Slug, DeduplicatesLikeGithubSlugger) {
  SlugDeduplicator slugs;
  EXPECT_EQ(slugs.next("setup"), "setup");
  EXPECT_EQ(slugs.next("setup"), "setup-1");
  EXPECT_EQ(slugs.next("setup-1"), "setup-1-1");
  EXPECT_EQ(slugs.next("setup"), "setup-2");
}

TEST(FileTitle, ReadsPathsAsStdFilesystemDoes) {
  // The reference: the std::filesystem reading that file_title replaced (it runs per walked
  // file). {folder page, title}.
  auto reference = [](std::string_view path) {
    std::filesystem::path p(path);
    std::string lower = syntax::ascii_lower(p.stem().string());
    bool folder_page =
        (lower == "index" || lower == "_index" || lower == "readme" || lower == "skill") &&
        p.has_parent_path() && !p.parent_path().filename().empty();
    std::string stem = p.stem().string();
    std::string title = folder_page    ? p.parent_path().filename().string()
                        : stem.empty() ? std::string(path)
                                       : stem;
    return std::pair{folder_page, title};
  };
  for (std::string_view path : {"README.md",
                                "docs/README.md",
                                "/README.md",
                                "a/b/README.md",
                                "a//README.md",
                                "a/b//index.md",
                                "skills/pdf/SKILL.md",
                                "x/_index.md",
                                "guides/deploy-app.md",
                                "archive.tar.gz",
                                ".bashrc",
                                "dir/.hidden",
                                "..foo",
                                "a/..",
                                "a/.",
                                "dir/",
                                "/",
                                "",
                                "notes",
                                "a/b/Readme",
                                "./README.md",
                                "../README.md",
                                "a/README.md/"}) {
    auto [folder_page, title] = reference(path);
    EXPECT_EQ(file_title(path), title) << path;
    EXPECT_EQ(is_folder_page(path), folder_page) << path;
  }
}

} // namespace og::graph
