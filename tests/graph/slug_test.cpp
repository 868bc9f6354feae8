#include <gtest/gtest.h>

#include "graph/graph.hpp"

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

} // namespace og::graph
