#include "winnow/gen/generator.h"

#include <oneapi/tbb/parallel_pipeline.h>
#include <oneapi/tbb/task_arena.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

#include "winnow/core/json_writer.h"
#include "winnow/core/tsan.h"
#include "winnow/gen/vocabulary.h"
#include "winnow/io/part_file.h"
#include "winnow/io/zstd_frame.h"

namespace winnow::gen {
namespace {

using SV = std::string_view;

constexpr uint64_t kSites = 200;
constexpr uint64_t kDocsPerBlock = 1024;

// SplitMix64: a tiny, fast, well-mixed generator; seeded per (seed, index, stream) so every
// decision about a document can be recomputed from its index alone.
class Rng {
 public:
  Rng(uint64_t seed, uint64_t index, uint64_t stream)
      : state_(Mix(seed * 0x9E3779B97F4A7C15ULL ^ Mix(index + 0x632BE59BD9B4E019ULL * stream))) {}
  uint64_t Next() {
    state_ += 0x9E3779B97F4A7C15ULL;
    return Mix(state_);
  }
  // Uniform in [0, n). REQUIRES: n > 0.
  uint64_t Below(uint64_t n) {
    __extension__ using U128 = unsigned __int128;
    return static_cast<uint64_t>((static_cast<U128>(Next()) * n) >> 64);
  }
  uint64_t Between(uint64_t lo, uint64_t hi) { return lo + Below(hi - lo + 1); }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Unit() < p; }
  template <typename T>
  const T& Pick(std::span<const T> items) {
    return items[Below(items.size())];
  }

 private:
  static uint64_t Mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  uint64_t state_;
};

enum Stream : uint64_t { kRole = 1, kSource, kBody, kSite, kEdit, kMeta };

// What the document at an index is, decided from the index alone.
enum class Role { kOriginal, kExactDup, kExactWsDup, kNearDup };

Role RoleOf(uint64_t seed, uint64_t index) {
  if (index == 0) return Role::kOriginal;
  Rng r(seed, index, kRole);
  double u = r.Unit();
  if (u < 0.07) return Role::kExactDup;
  if (u < 0.10) return Role::kExactWsDup;
  if (u < 0.18) return Role::kNearDup;
  return Role::kOriginal;
}

// The original a duplicate copies: an earlier document, followed back to an original.
uint64_t RootOf(uint64_t seed, uint64_t index) {
  while (RoleOf(seed, index) != Role::kOriginal) {
    Rng r(seed, index, kSource);
    index = r.Below(index);
  }
  return index;
}

struct Site {
  std::string name, domain;
  size_t topic = 0;
  std::string nav, footer, cookie, share, newsletter_head, newsletter_body;
  bool comments = false;
  bool blank_line_paragraphs = false;
};

std::string Capitalize(std::string_view s) {
  std::string out(s);
  if (!out.empty() && out.front() >= 'a' && out.front() <= 'z') out.front() -= 'a' - 'A';
  return out;
}

void Replace(std::string& s, SV from, SV to) {
  if (s.find(from) == std::string::npos) return;
  std::string out;
  size_t start = 0;
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, start)) {
    out.append(s, start, pos - start);
    out.append(to);
    start = pos + from.size();
  }
  out.append(s, start, std::string::npos);
  s = std::move(out);
}

Site MakeSite(uint64_t seed, uint64_t site) {
  Rng r(seed, site, kSite);
  Site s;
  std::string stem;
  uint64_t syllables = r.Between(2, 3);
  for (uint64_t i = 0; i < syllables; ++i) stem += r.Pick(SiteSyllables());
  static constexpr SV kSuffix[] = {" News", " Times", " Daily", " Post", " Herald", " Report"};
  s.name = Capitalize(stem) + std::string(r.Pick(std::span<const SV>(kSuffix)));
  s.domain = stem + (r.Chance(0.5) ? "news.example" : ".example.com");
  s.topic = r.Below(Topics().size());
  if (r.Chance(0.7)) {
    uint64_t n = r.Between(5, 8);
    for (uint64_t i = 0; i < n; ++i) {
      if (i > 0) s.nav += " | ";
      s.nav += r.Pick(NavigationItems());
    }
  }
  s.footer = "© 2024 " + s.name + ". All rights reserved.";
  if (r.Chance(0.4)) s.cookie = r.Pick(CookieNotices());
  if (r.Chance(0.4)) s.share = r.Pick(ShareLines());
  if (r.Chance(0.6)) {
    s.newsletter_head = r.Pick(NewsletterHeads());
    s.newsletter_body = r.Pick(NewsletterBodies());
    Replace(s.newsletter_body, "{topic}", Topics()[(s.topic + r.Below(3)) % Topics().size()]);
  }
  s.comments = r.Chance(0.5);
  s.blank_line_paragraphs = r.Chance(0.3);
  return s;
}

// A page as lines, with the truth about each line.
struct Page {
  std::string kind;
  SV lang = "en";
  uint64_t site = 0;
  std::string title;
  std::vector<std::string> lines;
  std::vector<int> boilerplate;  // 0-based line indices
  int comments_header = -1;
  std::vector<int> comments;
  std::vector<std::vector<int>> templated;
  bool blank_line_paragraphs = false;
};

void AppendWord(Rng& r, const Language& lang, size_t topic, std::string& out) {
  double u = r.Unit();
  if (u < 0.42) {
    out += r.Pick(lang.function);
  } else if (u < 0.50 && lang.code == "en") {
    out += r.Pick(TopicWords(topic));
  } else {
    // Skewed towards the start of the list, like word frequencies.
    double v = r.Unit();
    out += lang.content[static_cast<size_t>(v * v * static_cast<double>(lang.content.size()))];
  }
}

std::string Sentence(Rng& r, const Language& lang, size_t topic) {
  std::string s;
  uint64_t words = r.Between(6, 22);
  for (uint64_t i = 0; i < words; ++i) {
    if (i > 0) s += (i > 3 && r.Chance(0.06)) ? ", " : " ";
    if (r.Chance(0.025)) {
      s += std::to_string(r.Between(2, 2024));
    } else {
      AppendWord(r, lang, topic, s);
    }
  }
  s = Capitalize(std::move(s));
  double end = r.Unit();
  s += end < 0.9 ? "." : end < 0.96 ? "?" : "!";
  return s;
}

std::string Paragraph(Rng& r, const Language& lang, size_t topic, uint64_t lo, uint64_t hi) {
  std::string p;
  uint64_t n = r.Between(lo, hi);
  for (uint64_t i = 0; i < n; ++i) {
    if (i > 0) p += ' ';
    p += Sentence(r, lang, topic);
  }
  return p;
}

std::string Title(Rng& r, const Language& lang, size_t topic) {
  std::string t;
  uint64_t n = r.Between(4, 9);
  for (uint64_t i = 0; i < n; ++i) {
    if (i > 0) t += ' ';
    std::string w;
    AppendWord(r, lang, topic, w);
    t += i == 0 || r.Chance(0.5) ? Capitalize(std::move(w)) : w;
  }
  return t;
}

void AddBoilerplate(Page& p, std::string line) {
  if (line.empty()) return;
  p.boilerplate.push_back(static_cast<int>(p.lines.size()));
  p.lines.push_back(std::move(line));
}

void AddComments(Rng& r, const Site& site, Page& p) {
  uint64_t n = r.Between(2, 24);
  std::string header(r.Pick(CommentHeaders()));
  Replace(header, "{n}", std::to_string(n));
  Replace(header, "{title}", p.title);
  p.comments_header = static_cast<int>(p.lines.size());
  p.lines.push_back(std::move(header));
  const Language& en = Languages()[0];
  bool bots = r.Chance(0.35);
  // A bot thread: a few templates about one subject, repeated with small changes.
  std::vector<size_t> templates;
  std::string a, b;
  if (bots) {
    uint64_t k = r.Between(2, 4);
    for (uint64_t i = 0; i < k; ++i) templates.push_back(r.Below(BotTemplates().size()));
    a = "the new " + std::string(r.Pick(TopicWords(site.topic))) + " plan";
    b = std::string(r.Pick(en.content)) + " in " + site.name.substr(0, site.name.find(' '));
  }
  std::vector<std::vector<int>> by_template(BotTemplates().size());
  for (uint64_t i = 0; i < n; ++i) {
    int line = static_cast<int>(p.lines.size());
    p.comments.push_back(line);
    if (bots && r.Chance(0.7)) {
      size_t t = templates[r.Below(templates.size())];
      std::string c(BotTemplates()[t]);
      Replace(c, "{a}", a);
      Replace(c, "{b}", b);
      Replace(c, "{adv}", r.Pick(BotAdverbs()));
      if (r.Chance(0.5)) c += " " + std::string(r.Pick(Emoji()));
      by_template[t].push_back(line);
      p.lines.push_back(std::move(c));
      continue;
    }
    std::string c(r.Pick(CommentOpeners()));
    c += " " + Paragraph(r, en, site.topic, 1, 3);
    p.lines.push_back(std::move(c));
  }
  for (auto& cluster : by_template) {
    if (cluster.size() >= 2) p.templated.push_back(std::move(cluster));
  }
}

void BuildArticle(Rng& r, uint64_t seed, Page& p) {
  p.kind = "article";
  p.site = r.Below(kSites);
  Site site = MakeSite(seed, p.site);
  const Language& en = Languages()[0];
  p.blank_line_paragraphs = site.blank_line_paragraphs;
  AddBoilerplate(p, site.cookie);
  AddBoilerplate(p, site.nav);
  p.title = Title(r, en, site.topic);
  p.lines.push_back(p.title);
  uint64_t paragraphs = r.Between(3, 9);
  for (uint64_t i = 0; i < paragraphs; ++i) p.lines.push_back(Paragraph(r, en, site.topic, 2, 7));
  AddBoilerplate(p, site.share);
  AddBoilerplate(p, site.newsletter_head);
  AddBoilerplate(p, site.newsletter_body);
  if (site.comments && r.Chance(0.6)) AddComments(r, site, p);
  AddBoilerplate(p, site.footer);
}

void BuildForeign(Rng& r, Page& p) {
  p.kind = "foreign";
  const Language& lang = Languages()[1 + r.Below(Languages().size() - 1)];
  p.lang = lang.code;
  p.site = r.Below(kSites);
  p.title = Title(r, lang, 0);
  p.lines.push_back(p.title);
  uint64_t paragraphs = r.Between(3, 6);
  for (uint64_t i = 0; i < paragraphs; ++i) p.lines.push_back(Paragraph(r, lang, 0, 2, 6));
}

void BuildJunk(Rng& r, Page& p) {
  p.site = r.Below(kSites);
  const Language& en = Languages()[0];
  switch (r.Below(4)) {
    case 0: {
      p.kind = "junk_links";
      uint64_t n = r.Between(15, 50);
      for (uint64_t i = 0; i < n; ++i) {
        std::string item(r.Pick(LinkListItems()));
        if (r.Chance(0.3)) item = "Category: " + Capitalize(std::string(r.Pick(Topics())));
        p.lines.push_back(std::move(item));
      }
      break;
    }
    case 1: {
      p.kind = "junk_spam";
      std::string product(r.Pick(TopicWords(r.Below(Topics().size()))));
      uint64_t lines = r.Between(1, 4);
      for (uint64_t l = 0; l < lines; ++l) {
        std::string s;
        uint64_t n = r.Between(20, 60);
        for (uint64_t i = 0; i < n; ++i) {
          if (i > 0) s += ' ';
          s += i % 2 == 0 ? std::string(r.Pick(SpamKeywords())) : product;
        }
        p.lines.push_back(std::move(s));
      }
      break;
    }
    case 2: {
      p.kind = "junk_short";
      std::string s = Sentence(r, en, r.Below(Topics().size()));
      p.lines.push_back(s.substr(0, std::min<size_t>(s.size(), 60)));
      break;
    }
    default: {
      p.kind = "junk_table";
      uint64_t rows = r.Between(10, 40);
      uint64_t cols = r.Between(4, 6);
      for (uint64_t i = 0; i < rows; ++i) {
        std::string row;
        for (uint64_t c = 0; c < cols; ++c) {
          if (c > 0) row += " | ";
          if (c % 2 == 0) {
            row += std::to_string(r.Between(0, 9999));
          } else {
            const auto second = r.Between(0, 99);  // drawn first: GCC's order, kept
            const auto first = r.Between(0, 99);
            row += std::to_string(first) + "." + std::to_string(second);
          }
        }
        p.lines.push_back(std::move(row));
      }
    }
  }
}

void BuildOriginal(uint64_t seed, uint64_t index, Page& p) {
  Rng r(seed, index, kBody);
  double u = r.Unit();
  if (u < 0.84) {
    BuildArticle(r, seed, p);
  } else if (u < 0.95) {
    BuildJunk(r, p);
  } else {
    BuildForeign(r, p);
  }
}

// Word-level edits at `rate` inside each line (line structure, and so line truth, is kept).
void EditWords(Rng& r, double rate, Page& p) {
  const Language& en = Languages()[0];
  for (size_t li = 0; li < p.lines.size(); ++li) {
    const std::string& line = p.lines[li];
    std::string out;
    size_t start = 0;
    while (start <= line.size()) {
      size_t end = line.find(' ', start);
      if (end == std::string::npos) end = line.size();
      SV word(line.data() + start, end - start);
      bool first = out.empty();
      auto put = [&](SV w) {
        if (!out.empty()) out += ' ';
        out += w;
      };
      if (!word.empty() && r.Chance(rate)) {
        double op = r.Unit();
        if (op < 0.4) {
          put(r.Pick(en.content));
        } else if (op < 0.7) {
          if (first && end == line.size()) put(word);  // never empty a line
        } else {
          put(word);
          put(r.Pick(en.content));
        }
      } else {
        put(word);
      }
      start = end + 1;
    }
    p.lines[li] = std::move(out);
  }
}

void AddWhitespaceNoise(Rng& r, Page& p) {
  for (std::string& line : p.lines) {
    if (r.Chance(0.3)) Replace(line, ". ", ".  ");
    if (r.Chance(0.3)) line += ' ';
  }
}

std::string JoinText(const Page& p) {
  std::string text;
  for (size_t i = 0; i < p.lines.size(); ++i) {
    if (i > 0) text += p.blank_line_paragraphs ? "\n\n" : "\n";
    text += p.lines[i];
  }
  return text;
}

std::string DocId(uint64_t index) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "doc-%09llu", static_cast<unsigned long long>(index));
  return buf;
}

void AppendLineList(std::string& out, const std::vector<int>& lines, const Page& p) {
  // Line numbers are 1-based in the joined text: with blank-line paragraphs every line i sits
  // on text line 2i+1.
  out += '[';
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) out += ',';
    int n = p.blank_line_paragraphs ? 2 * lines[i] + 1 : lines[i] + 1;
    out += std::to_string(n);
  }
  out += ']';
}

}  // namespace

void GenerateDocument(uint64_t seed, uint64_t index, GeneratedDoc* out) {
  Role role = RoleOf(seed, index);
  uint64_t root = role == Role::kOriginal ? index : RootOf(seed, index);
  Page page;
  BuildOriginal(seed, root, page);
  double edit_rate = 0;
  Rng er(seed, index, kEdit);
  std::string_view kind = page.kind == "article"      ? "article"
                          : page.kind == "foreign"    ? "foreign"
                          : page.kind == "junk_links" ? "junk_links"
                          : page.kind == "junk_spam"  ? "junk_spam"
                          : page.kind == "junk_short" ? "junk_short"
                                                      : "junk_table";
  if (role == Role::kExactWsDup) {
    AddWhitespaceNoise(er, page);
    kind = "exact_ws_dup";
  } else if (role == Role::kExactDup) {
    kind = "exact_dup";
  } else if (role == Role::kNearDup) {
    static constexpr double kRates[] = {0.01, 0.03, 0.05, 0.1, 0.2, 0.3};
    edit_rate = kRates[er.Below(std::size(kRates))];
    EditWords(er, edit_rate, page);
    kind = "near_dup";
  }
  out->kind = kind;

  Rng mr(seed, index, kMeta);
  Site site = MakeSite(seed, page.site);
  std::string id = DocId(index);
  std::string& line = out->line;
  line.clear();
  line += "{\"id\":\"" + id + "\",\"url\":";
  std::string url = "https://" + site.domain + "/" + std::string(Topics()[site.topic]) + "/" +
                    std::to_string(2015 + mr.Below(10)) + "/" + std::to_string(index);
  AppendJsonString(line, url);
  line += ",\"text\":";
  AppendJsonString(line, JoinText(page));
  line += ",\"meta\":{\"site\":";
  AppendJsonString(line, site.name);
  line += ",\"lang\":\"" + std::string(page.lang) + "\"";
  // Draws in statements of their own: the order of a call's arguments is unspecified (GCC and
  // Clang differ), and the corpus must not depend on the compiler.
  const auto day = static_cast<int>(mr.Between(1, 28));
  const auto month = static_cast<int>(mr.Between(1, 12));
  char date[32];
  std::snprintf(date, sizeof(date), "2024-%02d-%02d", month, day);
  line += ",\"crawl\":{\"date\":\"" + std::string(date) +
          "\",\"fetch_ms\":" + std::to_string(mr.Between(20, 2000)) + "}";
  line += ",\"tags\":[\"" + std::string(Topics()[site.topic]) + "\"";
  if (mr.Chance(0.3)) line += ",\"caf\\u00e9\"";      // escapes must pass through untouched
  if (mr.Chance(0.1)) line += ",\"\\ud83e\\udd14\"";  // a surrogate pair
  line += "],\"score\":";
  AppendJsonNumber(line, static_cast<double>(mr.Below(10000)) / 10000.0);
  line += mr.Chance(0.2) ? ",\"extra\":null" : "";
  line += "}}\n";

  std::string& t = out->truth;
  t.clear();
  t += "{\"id\":\"" + id + "\",\"kind\":\"" + std::string(kind) + "\",\"base_kind\":\"" +
       page.kind + "\",\"lang\":\"" + std::string(page.lang) +
       "\",\"site\":" + std::to_string(page.site);
  if (role == Role::kOriginal) {
    t += ",\"dup_of\":null,\"edit_rate\":null";
  } else {
    t += ",\"dup_of\":\"" + DocId(root) + "\",\"edit_rate\":";
    AppendJsonNumber(t, edit_rate);
  }
  t += ",\"lines\":{\"boilerplate\":";
  AppendLineList(t, page.boilerplate, page);
  t += ",\"comments_header\":";
  if (page.comments_header >= 0) {
    AppendLineList(t, {page.comments_header}, page);
  } else {
    t += "[]";
  }
  t += ",\"comments\":";
  AppendLineList(t, page.comments, page);
  t += ",\"templated\":[";
  for (size_t i = 0; i < page.templated.size(); ++i) {
    if (i > 0) t += ',';
    AppendLineList(t, page.templated[i], page);
  }
  t += "]}}\n";
}

namespace {

bool EndsWith(const std::string& s, SV suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

struct Block {
  uint64_t first = 0, count = 0;
  std::string data, truth;  // encoded output
  uint64_t raw_bytes = 0;
  std::map<std::string, uint64_t> kinds;
};

}  // namespace

Result<GenStats> GenerateCorpus(const GenOptions& options) {
  if (options.output.empty()) return Status::InvalidArgument("gen: no output file (-o)");
  if (options.docs == 0) return Status::InvalidArgument("gen: --docs must be at least 1");
  auto compressed = [](const std::string& path) -> Result<bool> {
    if (EndsWith(path, ".zst")) return true;
    if (EndsWith(path, ".jsonl")) return false;
    return Status::InvalidArgument("gen: output must end in .jsonl or .jsonl.zst: " + path);
  };
  WINNOW_ASSIGN_OR_RETURN(bool zst, compressed(options.output));
  bool truth_zst = false;
  if (!options.truth.empty()) {
    WINNOW_ASSIGN_OR_RETURN(truth_zst, compressed(options.truth));
  }
  WINNOW_ASSIGN_OR_RETURN(io::PartFile out, io::PartFile::Create(options.output));
  io::PartFile truth;
  if (!options.truth.empty()) {
    WINNOW_ASSIGN_OR_RETURN(truth, io::PartFile::Create(options.truth));
  }

  int threads = options.threads > 0
                    ? options.threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  auto t0 = std::chrono::steady_clock::now();
  GenStats stats;
  Status error;
  uint64_t next = 0;
  tbb::task_arena arena(threads);
  const char sync = 0;  // TSan's view of the pipeline's hand-offs (core/tsan.h)
  WINNOW_TSAN_RELEASE(&sync);
  arena.execute([&] {
    tbb::parallel_pipeline(
        static_cast<size_t>(2 * threads + 2),
        tbb::make_filter<void, Block*>(tbb::filter_mode::serial_in_order,
                                       [&](tbb::flow_control& fc) -> Block* {
                                         TsanFilterScope scope(&sync);
                                         if (next >= options.docs || !error.ok()) {
                                           fc.stop();
                                           return nullptr;
                                         }
                                         auto* b = new Block;
                                         b->first = next;
                                         b->count = std::min(kDocsPerBlock, options.docs - next);
                                         next += b->count;
                                         return b;
                                       }) &
            tbb::make_filter<Block*, Block*>(
                tbb::filter_mode::parallel,
                [&](Block* b) {
                  TsanFilterScope scope(&sync);
                  thread_local std::unique_ptr<io::ZstdFrameCompressor> zstd;
                  thread_local int zstd_level = -1;
                  if (!zstd || zstd_level != options.level) {
                    zstd = std::make_unique<io::ZstdFrameCompressor>(options.level);
                    zstd_level = options.level;
                  }
                  std::string data, tr;
                  GeneratedDoc doc;
                  for (uint64_t i = b->first; i < b->first + b->count; ++i) {
                    GenerateDocument(options.seed, i, &doc);
                    data += doc.line;
                    if (!options.truth.empty()) tr += doc.truth;
                    ++b->kinds[std::string(doc.kind)];
                  }
                  b->raw_bytes = data.size();
                  // Compression cannot fail on valid buffers; a failure is surfaced below as
                  // an empty block, which the writer reports.
                  if (zst) {
                    (void)zstd->Compress(data, b->data);
                  } else {
                    b->data.swap(data);
                  }
                  if (truth_zst) {
                    (void)zstd->Compress(tr, b->truth);
                  } else {
                    b->truth.swap(tr);
                  }
                  return b;
                }) &
            tbb::make_filter<Block*, void>(tbb::filter_mode::serial_in_order, [&](Block* b) {
              TsanFilterScope scope(&sync);
              std::unique_ptr<Block> owned(b);
              if (!error.ok()) return;
              if (b->data.empty()) {
                error = Status::Internal("gen: compression failed");
                return;
              }
              Status st = out.Append(b->data);
              if (st.ok() && truth.is_open()) st = truth.Append(b->truth);
              if (!st.ok()) {
                error = st;
                return;
              }
              stats.docs += b->count;
              stats.bytes += b->raw_bytes;
              for (const auto& [k, v] : b->kinds) stats.kinds[k] += v;
            }));
  });
  WINNOW_TSAN_ACQUIRE(&sync);
  WINNOW_RETURN_IF_ERROR(error);
  stats.output_bytes = out.bytes_written();
  WINNOW_RETURN_IF_ERROR(out.Commit());
  if (truth.is_open()) WINNOW_RETURN_IF_ERROR(truth.Commit());
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return stats;
}

}  // namespace winnow::gen
