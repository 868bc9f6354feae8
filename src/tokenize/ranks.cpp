// The rank table: every token's bytes in one arena, found through open addressing.
#include <cstring>

#include "tokenize/tokenize.hpp"

namespace og::tokenize {

namespace {

uint64_t hash_bytes(std::string_view bytes) {
  // FNV-1a over 8-byte words, then a final mix: tokens are short, and this is on the hot path.
  uint64_t h = 0xcbf29ce484222325ull ^ bytes.size();
  size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, bytes.data() + i, 8);
    h = (h ^ word) * 0x100000001b3ull;
  }
  for (; i < bytes.size(); ++i) h = (h ^ static_cast<unsigned char>(bytes[i])) * 0x100000001b3ull;
  h ^= h >> 29;
  h *= 0xbf58476d1ce4e5b9ull;
  return h ^ (h >> 32);
}

} // namespace

void RankTable::reserve(size_t tokens, size_t bytes) {
  arena_.reserve(bytes);
  spans_.reserve(tokens);
  size_t capacity = 16;
  while (capacity < tokens * 2) capacity *= 2;
  slots_.assign(capacity, 0);
}

void RankTable::add(std::string_view bytes, uint32_t rank) {
  if (slots_.empty() || (count_ + 1) * 2 > slots_.size()) grow();
  if (spans_.size() <= rank) spans_.resize(rank + 1, 0);
  spans_[rank] = (static_cast<uint64_t>(arena_.size()) << 24) | bytes.size();
  arena_.append(bytes);
  size_t mask = slots_.size() - 1;
  for (size_t i = hash_bytes(bytes) & mask;; i = (i + 1) & mask) {
    if (slots_[i] == 0) {
      slots_[i] = rank + 1;
      ++count_;
      return;
    }
    if (this->bytes(slots_[i] - 1) == bytes) return; // keep the first rank
  }
}

void RankTable::grow() {
  std::vector<uint32_t> old = std::move(slots_);
  slots_.assign(old.empty() ? 16 : old.size() * 2, 0);
  size_t mask = slots_.size() - 1;
  for (uint32_t slot : old) {
    if (slot == 0) continue;
    size_t i = hash_bytes(bytes(slot - 1)) & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

uint32_t RankTable::find(std::string_view bytes) const {
  if (slots_.empty()) return UINT32_MAX;
  size_t mask = slots_.size() - 1;
  for (size_t i = hash_bytes(bytes) & mask;; i = (i + 1) & mask) {
    uint32_t slot = slots_[i];
    if (slot == 0) return UINT32_MAX;
    if (this->bytes(slot - 1) == bytes) return slot - 1;
  }
}

std::string_view RankTable::bytes(uint32_t rank) const {
  if (rank >= spans_.size()) return {};
  uint64_t span = spans_[rank];
  return std::string_view(arena_).substr(span >> 24, span & 0xFFFFFF);
}

} // namespace og::tokenize
