// Byte-pair merging of one pre-token, in tiktoken's order: repeatedly merge the adjacent pair
// whose concatenation has the lowest rank (the leftmost of equals) until no pair has a rank.
#include <algorithm>
#include <queue>

#include "tokenize/tokenize.hpp"

namespace og::tokenize {

namespace {

constexpr uint32_t no_rank = UINT32_MAX;

} // namespace

/// Short pieces (nearly all): tiktoken's own quadratic scan, which is fastest at this size.
void merge_by_scan(const RankTable& ranks, std::string_view piece, std::vector<uint32_t>& out) {
  struct Part {
    uint32_t start;
    uint32_t rank; // rank of this part merged with the next
  };
  Part parts[scan_merge_limit + 1];
  size_t n = piece.size() + 1; // parts[i].start, with a sentinel at the end
  auto pair_rank = [&](size_t i) {
    if (i + 2 >= n) return no_rank;
    return ranks.find(piece.substr(parts[i].start, parts[i + 2].start - parts[i].start));
  };
  for (size_t i = 0; i < n; ++i) parts[i] = {static_cast<uint32_t>(i), no_rank};
  for (size_t i = 0; i + 2 < n; ++i) parts[i].rank = pair_rank(i);
  for (;;) {
    uint32_t best = no_rank;
    size_t at = 0;
    for (size_t i = 0; i + 1 < n; ++i)
      if (parts[i].rank < best) best = parts[i].rank, at = i;
    if (best == no_rank) break;
    std::copy(parts + at + 2, parts + n, parts + at + 1);
    --n;
    parts[at].rank = pair_rank(at);
    if (at > 0) parts[at - 1].rank = pair_rank(at - 1);
  }
  for (size_t i = 0; i + 1 < n; ++i)
    out.push_back(ranks.find(piece.substr(parts[i].start, parts[i + 1].start - parts[i].start)));
}

/// Long pieces (a 10,000-letter word is one pre-token): the same order through a heap of
/// candidate pairs over a linked list of parts, O(n log n) instead of O(n^2).
void merge_by_heap(const RankTable& ranks, std::string_view piece, std::vector<uint32_t>& out) {
  const uint32_t n = static_cast<uint32_t>(piece.size());
  std::vector<uint32_t> next(n), prev(n), end(n);
  std::vector<bool> alive(n, true);
  for (uint32_t i = 0; i < n; ++i) next[i] = i + 1, prev[i] = i - 1, end[i] = i + 1;
  using Candidate = std::pair<uint64_t, uint32_t>; // (rank << 32 | start, right part's end)
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> heap;
  auto push = [&](uint32_t left) {
    uint32_t right = next[left];
    if (right >= n) return;
    uint32_t rank = ranks.find(piece.substr(left, end[right] - left));
    if (rank != no_rank) heap.push({(static_cast<uint64_t>(rank) << 32) | left, end[right]});
  };
  for (uint32_t i = 0; i + 1 < n; ++i) push(i);
  while (!heap.empty()) {
    auto [key, right_end] = heap.top();
    heap.pop();
    uint32_t left = static_cast<uint32_t>(key);
    uint32_t right = next[left];
    // Stale when either side changed since the candidate was pushed.
    if (!alive[left] || right >= n || end[right] != right_end) continue;
    end[left] = end[right];
    alive[right] = false;
    next[left] = next[right];
    if (next[left] < n) prev[next[left]] = left;
    push(left);
    if (left > 0) push(prev[left]);
  }
  for (uint32_t i = 0; i < n; i = next[i]) out.push_back(ranks.find(piece.substr(i, end[i] - i)));
}

void byte_pair_encode(const RankTable& ranks, std::string_view piece, std::vector<uint32_t>& out) {
  uint32_t whole = ranks.find(piece);
  if (whole != no_rank) return out.push_back(whole);
  if (piece.size() < scan_merge_limit) return merge_by_scan(ranks, piece, out);
  merge_by_heap(ranks, piece, out);
}

} // namespace og::tokenize
