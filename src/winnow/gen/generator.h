// The corpus generator behind `winnow gen`: deterministic, seeded, web-like documents.
//
// Every document is a pure function of (seed, index), so generation runs in parallel and the
// output bytes depend only on the seed and the count, never on the thread count. The mix
// imitates a crawl: articles from a few hundred sites, each site repeating its own boilerplate
// (navigation, cookie notice, newsletter box, share line, footer) on every page; comment
// threads, about a third written by bots that repeat a few question templates with an emoji
// or a word changed; exact duplicates (some differing only in whitespace) and near duplicates
// at controlled word-edit rates; junk pages (link lists, keyword spam, very short pages,
// tables of numbers); pages in German, French, Spanish and Russian.
//
// The truth file records, per document, what was planted: kind, language, the duplicate's
// original and edit rate, and the 1-based lines that are boilerplate, the comments header,
// comments, and templated comment clusters.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "winnow/core/status.h"

namespace winnow::gen {

struct GenOptions {
  uint64_t docs = 20000;
  uint64_t seed = 1;
  int threads = 0;     // 0: every core
  int level = 3;       // zstd level, when the output name ends in .zst
  std::string output;  // .jsonl or .jsonl.zst
  std::string truth;   // optional; .jsonl or .jsonl.zst
};

struct GenStats {
  uint64_t docs = 0;
  uint64_t bytes = 0;         // uncompressed JSONL bytes
  uint64_t output_bytes = 0;  // bytes written to the output file
  double seconds = 0;
  std::map<std::string, uint64_t> kinds;  // documents per kind (article, exact_dup, ...)
};

// One generated document: its JSONL line and its truth line (each ending in '\n').
struct GeneratedDoc {
  std::string line;
  std::string truth;
  std::string_view kind;
};

// Generates document `index` of the corpus with `seed`. Thread-safe.
void GenerateDocument(uint64_t seed, uint64_t index, GeneratedDoc* out);

// Writes `options.docs` documents to `options.output` (and the truth file), each complete file
// renamed into place at the end.
Result<GenStats> GenerateCorpus(const GenOptions& options);

}  // namespace winnow::gen
