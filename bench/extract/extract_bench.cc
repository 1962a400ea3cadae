// HTML extraction speed: charset decoding plus extraction, per page, on the real pages of
// ../shared/data/extraction (the 12 ScrapingHub AEB pages, on which trafilatura measures
// about 33 pages/s and 5.8 MB/s per core, and all 230 pages of the 8 benchmarks).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "winnow/extract/html_extractor.h"
#include "winnow/io/byte_source.h"
#include "winnow/io/charset.h"

namespace winnow {
namespace {

std::vector<std::string> Pages(const std::string& only) {
  std::vector<std::string> pages;
  std::string root = WINNOW_SHARED_DIR "/data/extraction";
  if (!std::filesystem::exists(root)) return pages;
  std::vector<std::string> paths;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    std::string p = e.path().string();
    if (p.find("/html/") == std::string::npos || !p.ends_with(".html.gz")) continue;
    if (!only.empty() && p.find("/" + only + "/") == std::string::npos) continue;
    paths.push_back(p);
  }
  std::sort(paths.begin(), paths.end());
  for (const std::string& p : paths) {
    Result<std::string> bytes = io::ReadFileFully(p);
    if (bytes.ok()) pages.push_back(std::move(*bytes));
  }
  return pages;
}

void Run(benchmark::State& state, const std::vector<std::string>& pages, bool decode) {
  if (pages.empty()) {
    state.SkipWithError("../shared/data/extraction absent");
    return;
  }
  extract::HtmlExtractor extractor;
  extract::ExtractScratch scratch;
  extract::Extracted out;
  size_t bytes = 0;
  for (const std::string& p : pages) bytes += p.size();
  for (auto _ : state) {
    for (const std::string& p : pages) {
      if (decode) {
        io::DecodedPage page = io::DecodeToUtf8(p, "");
        benchmark::DoNotOptimize(extractor.Extract(page.text, scratch, &out));
      } else {
        benchmark::DoNotOptimize(extractor.Extract(p, scratch, &out));
      }
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * pages.size()));
}

void BM_ExtractScrapingHub(benchmark::State& s) {
  static const auto pages = Pages("scrapinghub_aeb");
  Run(s, pages, true);
}
void BM_ExtractAllBenchmarks(benchmark::State& s) {
  static const auto pages = Pages("");
  Run(s, pages, true);
}
void BM_ExtractAllBenchmarksNoDecode(benchmark::State& s) {
  static const auto pages = [] {
    auto p = Pages("");
    for (auto& x : p) x = io::DecodeToUtf8(x, "").text;
    return p;
  }();
  Run(s, pages, false);
}
// Hostile pages, one at a time (datatrove's budget: a second per page).
void BM_ExtractHostile(benchmark::State& state) {
  std::string page;
  switch (state.range(0)) {
    case 0:  // 100,000 nested tags
      for (int i = 0; i < 100000; ++i) page += "<div>";
      page += "deep text";
      for (int i = 0; i < 100000; ++i) page += "</div>";
      break;
    case 1:  // one 8 MB paragraph
      page = "<p>" + std::string(8 << 20, 'a') + "</p>";
      break;
    case 2:  // 400,000 elements
      for (int i = 0; i < 400000; ++i) page += "<span>x</span>";
      break;
    default:  // 2 MB of unclosed nested tables and lists
      for (int i = 0; i < 100000; ++i) page += "<table><tr><td><li>x ";
      break;
  }
  extract::HtmlExtractor extractor;
  extract::ExtractScratch scratch;
  extract::Extracted out;
  for (auto _ : state) benchmark::DoNotOptimize(extractor.Extract(page, scratch, &out));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * page.size()));
}
BENCHMARK(BM_ExtractHostile)->DenseRange(0, 3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ExtractScrapingHub)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ExtractAllBenchmarks)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ExtractAllBenchmarksNoDecode)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace winnow
