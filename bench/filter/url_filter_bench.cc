// url_filter per core: URLs decided per second (issue 21 asks >= 1 M/s), with every check on:
// Debian's Public Suffix List, a UT1-layout blocklist of 1,000,000 domains and 100,000 URLs,
// and datatrove's word lists from the kit when ../shared has it (a few inline words
// otherwise). The URLs are generated (a seeded mix of hosts under 14 suffixes, IPs, Punycode,
// paths of words, queries): 200,000 of them, about 1 in 8 on a blocked domain.
//   BM_UrlFilter       every check, as the stage runs them on a document's URL
//   BM_UrlSplit        the host split alone (tldextract's registered domain)
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "winnow/filter/url_filter.h"

namespace winnow::filter {
namespace {

namespace fs = std::filesystem;

const char* const kSuffixes[] = {"com",   "org", "net", "co.uk", "de",           "fr",  "com.au",
                                 "co.jp", "io",  "ru",  "info",  "blogspot.com", "edu", "xn--p1ai"};
const char* const kWords[] = {"news",  "article", "2024",   "sports", "video", "free",  "casino",
                              "blog",  "post",    "index",  "html",   "world", "games", "sex",
                              "local", "weather", "recipe", "best",   "top",   "review"};

std::string Host(std::mt19937_64& rng, uint64_t site) {
  std::string h;
  if (rng() % 3 == 0) h += rng() % 2 ? "www." : "m.";
  h += "site";
  h += std::to_string(site);
  h += '.';
  h += kSuffixes[site % std::size(kSuffixes)];
  return h;
}

const std::vector<std::string>& Urls() {
  static const std::vector<std::string> urls = [] {
    std::mt19937_64 rng(7);
    std::vector<std::string> out;
    for (int i = 0; i < 200000; ++i) {
      std::string u = rng() % 10 ? "https://" : "http://";
      if (rng() % 50 == 0) {
        u += "192.168." + std::to_string(rng() % 256) + "." + std::to_string(rng() % 256);
      } else {
        u += Host(rng, rng() % 8000000);  // 1 in 8 below 1,000,000: blocked
      }
      const int depth = 1 + static_cast<int>(rng() % 4);
      for (int d = 0; d < depth; ++d) {
        u += '/';
        u += kWords[rng() % std::size(kWords)];
        if (rng() % 2) {
          u += '-';  // appended: GCC 12 warns falsely on a + chain (PR 105329)
          u += kWords[rng() % std::size(kWords)];
        }
      }
      if (rng() % 4 == 0) {
        u += "?id=";
        u += std::to_string(rng() % 100000);
        u += "&ref=home";
      }
      out.push_back(std::move(u));
    }
    return out;
  }();
  return urls;
}

struct Fixture {
  std::unique_ptr<UrlFilter> filter;
  std::string error;
};

// The filter, its lists loaded (the blocklist's files removed once read).
Fixture* Build() {
  auto x = std::make_unique<Fixture>();
  const fs::path dir = fs::temp_directory_path() / ("winnow-url-bench-" + std::to_string(getpid()));
  fs::create_directories(dir / "adult");
  {
    std::ofstream d(dir / "adult" / "domains"), u(dir / "adult" / "urls");
    for (uint64_t s = 0; s < 1000000; ++s) {
      d << "site" << s << "." << kSuffixes[s % std::size(kSuffixes)] << "\n";
    }
    for (int s = 0; s < 100000; ++s) u << "https://site" << s << ".com/news/article\n";
  }
  OptionMap given;
  given["blocklists"].scalar = dir.string();
  const fs::path assets =
      fs::path(WINNOW_SHARED_DIR) / "reference/datatrove-kit/datatrove/src/datatrove/assets";
  if (fs::exists(assets / "banned_words.txt")) {
    given["banned_words"].scalar = (assets / "banned_words.txt").string();
    given["soft_banned_words"].scalar = (assets / "soft_banned_words.txt").string();
    given["banned_subwords"].scalar = (assets / "banned_subwords.txt").string();
  } else {
    given["banned_words"].scalar = "[casino, porn]";
    given["soft_banned_words"].scalar = "[sex, free, games]";
    given["banned_subwords"].scalar = "[hotcarl, xxx]";
  }
  Result<Options> o = Options::Make(UrlFilter::Spec(), given);
  Result<std::unique_ptr<UrlFilter>> made =
      o.ok() ? UrlFilter::Create(*o) : Result<std::unique_ptr<UrlFilter>>(o.status());
  std::error_code ec;
  fs::remove_all(dir, ec);
  if (made.ok()) {
    x->filter = std::move(made).value();
  } else {
    x->error = made.status().ToString();
  }
  return x.release();
}

Fixture& Get() {
  static Fixture* f = Build();
  return *f;
}

void BM_UrlFilter(benchmark::State& state) {
  Fixture& f = Get();
  if (!f.filter) return state.SkipWithError(f.error.c_str());
  std::unique_ptr<FilterState> s = f.filter->NewState();
  const std::vector<std::string>& urls = Urls();
  int64_t bytes = 0, removed = 0;
  for (auto _ : state) {
    for (const std::string& u : urls) {
      int soft = 0;
      removed += f.filter->DecideUrl(u, *s, &soft).keep ? 0 : 1;
      bytes += static_cast<int64_t>(u.size());
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(urls.size()));
  state.SetBytesProcessed(bytes);
  state.counters["removed_share"] =
      static_cast<double>(removed) / static_cast<double>(state.iterations() * urls.size());
}
BENCHMARK(BM_UrlFilter)->Unit(benchmark::kMillisecond);

void BM_UrlSplit(benchmark::State& state) {
  Result<PublicSuffixList> psl =
      PublicSuffixList::Load("/usr/share/publicsuffix/public_suffix_list.dat");
  if (!psl.ok()) return state.SkipWithError(psl.status().ToString().c_str());
  UrlScratch scratch;
  const std::vector<std::string>& urls = Urls();
  size_t sum = 0;
  for (auto _ : state) {
    for (const std::string& u : urls) sum += psl->Split(u, &scratch).suffix.size();
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(urls.size()));
}
BENCHMARK(BM_UrlSplit)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace winnow::filter
