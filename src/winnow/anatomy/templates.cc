// Template clusters among a thread's comments (anatomy.h: ClusterTemplates): "strong" lines
// are the same words but for an emoji or a word or two, "weak" ones share a question
// template. Lines are compared as sequences of folded-token hashes.
#include <algorithm>
#include <numeric>
#include <span>
#include <unordered_map>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "winnow/anatomy/anatomy.h"
#include "winnow/text/simplify.h"

namespace winnow::anatomy {

namespace {

// Folded tokens of a line (case folded, emoji and punctuation dropped), each as a hash.
void TokenHashes(std::string_view line, std::string* folded, std::vector<std::string_view>* views,
                 std::vector<uint64_t>* out) {
  text::FoldTokens(line, folded, views);
  out->clear();
  for (std::string_view v : *views) out->push_back(XXH3_64bits(v.data(), v.size()));
}

// Word-level edit distance, capped: returns cap + 1 when larger.
size_t EditDistance(std::span<const uint64_t> a, std::span<const uint64_t> b, size_t cap,
                    std::vector<size_t>& prev, std::vector<size_t>& cur) {
  if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > cap) return cap + 1;
  prev.resize(b.size() + 1);
  cur.resize(b.size() + 1);
  std::iota(prev.begin(), prev.end(), 0);
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    size_t row_min = cur[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] =
          std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > cap) return cap + 1;
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// The sorted hashes of a line's runs of five tokens: two lines share a run of five exactly
// when these intersect (but for hash collisions).
void FiveGrams(std::span<const uint64_t> t, std::vector<uint64_t>* out) {
  const size_t first = out->size();
  for (size_t i = 0; i + 5 <= t.size(); ++i) {
    uint64_t h = 0x9E3779B97F4A7C15ULL;
    for (size_t k = 0; k < 5; ++k) h = (h ^ t[i + k]) * 0x100000001B3ULL + k;
    out->push_back(h);
  }
  std::sort(out->begin() + static_cast<ptrdiff_t>(first), out->end());
}

// Many short arrays in one allocation: array i is data[offset[i], offset[i + 1]).
struct Flat {
  std::vector<uint64_t> data;
  std::vector<size_t> offset{0};
  void Close() { offset.push_back(data.size()); }
  std::span<const uint64_t> operator[](size_t i) const {
    return {data.data() + offset[i], offset[i + 1] - offset[i]};
  }
  std::span<uint64_t> Mutable(size_t i) {
    return {data.data() + offset[i], offset[i + 1] - offset[i]};
  }
};

bool Intersect(std::span<const uint64_t> a, std::span<const uint64_t> b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] == b[j]) return true;
    a[i] < b[j] ? ++i : ++j;
  }
  return false;
}

struct Sets {
  std::vector<uint32_t> parent;
  explicit Sets(size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0u); }
  uint32_t Find(uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void Join(uint32_t a, uint32_t b) {
    a = Find(a);
    b = Find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  }
};

std::vector<std::vector<uint32_t>> Groups(Sets& sets, const std::vector<uint32_t>& index,
                                          const std::vector<uint8_t>& member) {
  std::unordered_map<uint32_t, std::vector<uint32_t>> by_root;
  for (uint32_t i = 0; i < index.size(); ++i) {
    if (member[i]) by_root[sets.Find(i)].push_back(index[i]);
  }
  std::vector<std::vector<uint32_t>> out;
  for (auto& [root, lines] : by_root) {
    if (lines.size() >= 2) out.push_back(std::move(lines));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

void ClusterTemplates(const std::vector<std::string_view>& lines,
                      const std::vector<uint32_t>& index,
                      std::vector<std::vector<uint32_t>>* strong,
                      std::vector<std::vector<uint32_t>>* weak) {
  const size_t n = lines.size();
  Flat tokens, grams;
  std::string folded;
  std::vector<std::string_view> views;
  std::vector<uint64_t> hashes;
  for (size_t i = 0; i < n; ++i) {
    TokenHashes(lines[i], &folded, &views, &hashes);
    tokens.data.insert(tokens.data.end(), hashes.begin(), hashes.end());
    tokens.Close();
    FiveGrams(hashes, &grams.data);
    grams.Close();
  }
  // Long comments are written by people: only lines of up to 40 words are compared (a
  // thread of hundreds of lines is compared in windows, so this stays linear).
  constexpr size_t kMaxWords = 40, kWindow = 200;
  auto comparable = [&](size_t i) {
    return tokens[i].size() >= 4 && tokens[i].size() <= kMaxWords;
  };
  Sets strong_sets(n), weak_sets(n);
  std::vector<uint8_t> in_strong(n), in_weak(n);
  std::vector<size_t> prev, cur;
  // Strong: the same words but for an emoji or up to two words changed. Lines sharing fewer
  // than all but two of their tokens (a cheap count on sorted hashes) cannot be that close.
  Flat sorted = tokens;
  for (size_t i = 0; i < n; ++i) std::sort(sorted.Mutable(i).begin(), sorted.Mutable(i).end());
  auto common = [&](size_t i, size_t j) {
    size_t a = 0, b = 0, k = 0;
    while (a < sorted[i].size() && b < sorted[j].size()) {
      if (sorted[i][a] == sorted[j][b]) {
        ++k, ++a, ++b;
      } else {
        sorted[i][a] < sorted[j][b] ? ++a : ++b;
      }
    }
    return k;
  };
  for (size_t i = 0; i < n; ++i) {
    if (!comparable(i)) continue;
    for (size_t j = i + 1; j < n && j < i + kWindow; ++j) {
      if (!comparable(j)) continue;
      const size_t longest = std::max(tokens[i].size(), tokens[j].size());
      if (longest > tokens[i].size() + 2 || longest > tokens[j].size() + 2) continue;
      if (common(i, j) + 2 < longest) continue;
      if (EditDistance(tokens[i], tokens[j], 2, prev, cur) <= 2) {
        strong_sets.Join(static_cast<uint32_t>(i), static_cast<uint32_t>(j));
        in_strong[i] = in_strong[j] = 1;
      }
    }
  }
  // Weak, among the rest: a shared template, i.e. the same opening three words, or the same
  // run of five. Complete linkage (a line joins a cluster only when it shares a template with
  // every member), so clusters do not chain through lines that share different phrases.
  auto linked = [&](size_t i, size_t j) {
    const std::span<const uint64_t> a = tokens[i], b = tokens[j];
    return (a[0] == b[0] && a[1] == b[1] && a[2] == b[2]) || Intersect(grams[i], grams[j]);
  };
  std::vector<std::vector<size_t>> clusters;
  size_t open = 0;  // clusters before this one started more than kWindow lines ago
  for (size_t i = 0; i < n; ++i) {
    if (!comparable(i) || in_strong[i]) continue;
    while (open < clusters.size() && i - clusters[open].front() >= kWindow) ++open;
    bool placed = false;
    for (size_t k = open; k < clusters.size(); ++k) {
      auto& c = clusters[k];
      if (std::all_of(c.begin(), c.end(), [&](size_t j) { return linked(i, j); })) {
        c.push_back(i);
        placed = true;
        break;
      }
    }
    if (!placed) clusters.push_back({i});
  }
  for (const auto& c : clusters) {
    if (c.size() < 2) continue;
    for (size_t j : c) {
      weak_sets.Join(static_cast<uint32_t>(c.front()), static_cast<uint32_t>(j));
      in_weak[j] = 1;
    }
  }
  *strong = Groups(strong_sets, index, in_strong);
  *weak = Groups(weak_sets, index, in_weak);
}

}  // namespace winnow::anatomy
