// report.html: rendered at the end of a run, every number it shows equal to stats.json (each
// carries its stats.json path in data-key), every section present, and examples that show
// the text behind their reason.
#include "winnow/pipeline/report.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>

#include "testing/test_util.h"
#include "winnow/gen/generator.h"
#include "winnow/pipeline/builtin_stages.h"
#include "winnow/pipeline/executor.h"
#include "winnow/pipeline/report_data.h"

namespace winnow::pipeline {
namespace {

using winnow::testing::ReadRaw;
using winnow::testing::TempDir;

// Resolves "a.b[2].c" in `root`; object keys may contain dots, so the longest key that
// matches wins.
bool Resolve(simdjson::dom::element e, std::string_view path, double* out) {
  while (!path.empty()) {
    if (path.front() == '.') path.remove_prefix(1);
    if (path.front() == '[') {
      size_t close = path.find(']');
      size_t index = std::stoul(std::string(path.substr(1, close - 1)));
      simdjson::dom::array a;
      if (e.get(a) != simdjson::SUCCESS || a.at(index).get(e) != simdjson::SUCCESS) return false;
      path.remove_prefix(close + 1);
      continue;
    }
    simdjson::dom::object o;
    if (e.get(o) != simdjson::SUCCESS) return false;
    bool found = false;
    for (size_t len = path.size(); len > 0 && !found; --len) {
      if (len < path.size() && path[len] != '.' && path[len] != '[') continue;
      if (o.at_key(path.substr(0, len)).get(e) == simdjson::SUCCESS) {
        path.remove_prefix(len);
        found = true;
      }
    }
    if (!found) return false;
  }
  if (e.is_int64()) {
    *out = static_cast<double>(int64_t(e));
  } else if (e.is_uint64()) {
    *out = static_cast<double>(uint64_t(e));
  } else if (e.get(*out) != simdjson::SUCCESS) {
    return false;
  }
  return true;
}

TEST(ReportTest, EveryNumberShownEqualsStatsJson) {
  TempDir dir;
  gen::GenOptions o;
  o.docs = 3000;
  o.seed = 9;
  o.output = dir / "corpus.jsonl.zst";
  ASSERT_TRUE(gen::GenerateCorpus(o).ok());
  RunConfig cfg = DefaultCleanConfig(BuiltinStages());
  cfg.inputs = {o.output};
  cfg.output = dir / "out";
  cfg.threads = 2;
  Result<RunStats> s = RunPipeline(cfg, BuiltinStages(), "clean");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  const std::string html = ReadRaw(dir / "out/report.html");
  const std::string json = ReadRaw(dir / "out/stats.json");
  simdjson::dom::parser parser;
  simdjson::dom::element root = parser.parse(json);

  for (const char* section :
       {"funnel", "signals", "examples", "dedup", "languages", "throughput", "config"}) {
    std::string tag = "<section id=\"";  // appended: GCC 12 warns falsely on literal + string
    tag += section;
    tag += "\">";
    EXPECT_NE(html.find(tag), std::string::npos) << section;
  }
  // Every data-key="PATH">NUMBER< (scanned by hand: std::regex draws GCC 12 warnings under
  // the sanitizer build).
  std::vector<std::pair<std::string, std::string>> keyed;
  for (size_t at = html.find("data-key=\""); at != std::string::npos;
       at = html.find("data-key=\"", at + 1)) {
    size_t b = at + 10, e = html.find('"', b);
    if (e == std::string::npos || html.compare(e, 2, "\">") != 0) continue;
    size_t v = e + 2, ve = html.find('<', v);
    if (ve == std::string::npos || ve == v) continue;
    std::string shown = html.substr(v, ve - v);
    if (shown.find_first_not_of("-0123456789.,") != std::string::npos) continue;
    keyed.emplace_back(html.substr(b, e - b), shown);
  }
  size_t checked = 0;
  for (const auto& [path, shown] : keyed) {
    ASSERT_EQ(path.find('&'), std::string::npos) << "escaped key: " << path;  // none are
    std::string digits;
    for (char c : shown) {
      if (c != ',') digits.push_back(c);
    }
    const double value = std::stod(digits);
    size_t dot = digits.find('.');
    const double tolerance =
        dot == std::string::npos ? 0.5 : 0.5 * std::pow(10.0, -double(digits.size() - dot - 1));
    double want = 0;
    ASSERT_TRUE(Resolve(root, path, &want)) << "report shows " << path << " which stats.json lacks";
    if (path == "input.bytes") want /= 1e6;  // shown in MB
    EXPECT_NEAR(value, want, tolerance + 1e-9) << path;
    ++checked;
  }
  EXPECT_GT(checked, 100u);  // funnel, reasons, every signal and threshold, counters, throughput

  // The threshold counts are exact: a threshold of FineWeb's is counted over the documents
  // that reached it, and those it would remove include every one removed for its reason.
  for (simdjson::dom::element t : root["report"]["thresholds"].get_array()) {
    std::string_view reason = t["reason"];
    int64_t removed_for_it = 0;
    simdjson::dom::element r;
    if (root["removed_by_reason"][reason].get(r) == simdjson::SUCCESS)
      removed_for_it = int64_t(r["documents"]);
    EXPECT_GE(int64_t(t["beyond"]), removed_for_it) << reason;
    EXPECT_LE(int64_t(t["beyond"]), int64_t(t["documents"])) << reason;
  }
  // Examples: at most 3 per reason, one list per reason that removed something; a repetition
  // example highlights something; a dedup example shows its partner.
  simdjson::dom::object examples = root["report"]["examples"];
  for (auto [reason, list] : examples) {
    EXPECT_LE(simdjson::dom::array(list).size(), 3u);
    EXPECT_FALSE(root["removed_by_reason"][reason].error()) << reason;
  }
  simdjson::dom::array dup_lines;
  if (examples["gopher_repetition:dup_line_frac"].get(dup_lines) == simdjson::SUCCESS) {
    EXPECT_GT(simdjson::dom::array(dup_lines.at(0)["marks"]).size(), 0u);
  }
  simdjson::dom::array exact = examples["exact:duplicate"];
  ASSERT_GT(exact.size(), 0u);
  EXPECT_FALSE(exact.at(0)["partner_excerpt"].error());
  EXPECT_NE(html.find("dataset.ready"), std::string::npos);

  // Languages: every kept document passed the language stage, and only English is kept
  // (the generator's foreign documents are German, French, Spanish and Russian).
  int64_t kept_by_language = 0, foreign_removed = 0;
  for (auto [code, c] : simdjson::dom::object(root["report"]["languages"])) {
    kept_by_language += int64_t(c["kept"]);
    if (code != "en") {
      EXPECT_EQ(int64_t(c["kept"]), 0) << code;
    }
    if (code == "de" || code == "fr" || code == "es" || code == "ru")
      foreign_removed += int64_t(c["removed"]);
  }
  EXPECT_EQ(kept_by_language, int64_t(root["kept"]["documents"]));
  EXPECT_GT(foreign_removed, 0);
  EXPECT_NE(html.find("report.languages.en.kept"), std::string::npos);
}

TEST(ReportTest, ReportCommandRewritesThePageFromStats) {
  TempDir dir;
  winnow::testing::WriteFile(dir / "a.jsonl", "{\"id\":\"x\",\"text\":\"one two three\"}\n");
  RunConfig cfg;
  cfg.inputs = {dir / "a.jsonl"};
  cfg.output = dir / "out";
  ASSERT_TRUE(RunPipeline(cfg, BuiltinStages(), "clean").ok());
  std::string first = ReadRaw(dir / "out/report.html");
  std::remove((dir / "out/report.html").c_str());
  ASSERT_TRUE(WriteReport(dir / "out").ok());
  EXPECT_EQ(ReadRaw(dir / "out/report.html"), first);
  EXPECT_FALSE(RenderReport("{\"not\": \"stats\"}").ok());
  EXPECT_EQ(WriteReport(dir / "nowhere").code(), StatusCode::kNotFound);
}

TEST(SignalHistogramTest, BinsCoverEveryValueAndAddUp) {
  SignalHistogram a, b;
  for (double v : {-1.0, 0.0, 0.0019, 0.002, 0.5, 1.0, 1.0001, 9.99, 10.0, 123456.0, 1e9}) {
    const int bin = SignalHistogram::Bin(v);
    ASSERT_GE(bin, 0);
    ASSERT_LT(bin, SignalHistogram::kBins);
    if (v >= 0 && v < 1e7) {
      EXPECT_LE(SignalHistogram::Low(bin), v) << v;
      EXPECT_GE(SignalHistogram::High(bin), v) << v;
    }
    a.Add(v);
  }
  b.Add(NAN);
  b.Add(3);
  a.Combine(b);
  EXPECT_EQ(a.n, 12u);
  EXPECT_EQ(a.missing, 1u);
  EXPECT_EQ(a.min, -1.0);
  EXPECT_EQ(a.max, 1e9);
  uint64_t total = 0;
  for (uint64_t c : a.counts) total += c;
  EXPECT_EQ(total, 12u);
}

// The report's highlights come from the filter that removed the document, with the options
// it ran with: moving fineweb_quality's short_line_length moves the highlighted lines.
TEST(ReportTest, HighlightsFollowTheFiltersOptions) {
  TempDir dir;
  const std::string text =
      "Go home.\\nEat now.\\nRun fast.\\nSit down.\\nA medium line of twenty four.";
  winnow::testing::WriteFile(dir / "a.jsonl", "{\"id\":\"x\",\"text\":\"" + text + "\"}\n");
  auto marked_lines = [&](const std::string& short_line_length) {
    RunConfig cfg;
    cfg.inputs = {dir / "a.jsonl"};
    cfg.output = dir / ("out" + short_line_length);
    StageConfig fineweb{"fineweb_quality", {}, {}};
    fineweb.options["short_line_length"].scalar = short_line_length;
    cfg.stages = {fineweb};
    EXPECT_TRUE(RunPipeline(cfg, BuiltinStages(), "clean").ok());
    simdjson::dom::parser parser;
    simdjson::dom::element stats = parser.load(dir / ("out" + short_line_length + "/stats.json"));
    simdjson::dom::element example =
        stats["report"]["examples"]["fineweb_quality:short_line_ratio"].at(0);
    const std::string excerpt{std::string_view(example["excerpt"])};
    std::vector<std::string> lines;
    for (simdjson::dom::element m : simdjson::dom::array(example["marks"])) {
      const auto from = static_cast<size_t>(int64_t(m.at(0)));
      const auto to = static_cast<size_t>(int64_t(m.at(1)));
      lines.push_back(excerpt.substr(from, to - from));
    }
    return lines;
  };
  EXPECT_EQ(marked_lines("30"),
            (std::vector<std::string>{"Go home.", "Eat now.", "Run fast.", "Sit down.",
                                      "A medium line of twenty four."}));
  EXPECT_EQ(marked_lines("10"),
            (std::vector<std::string>{"Go home.", "Eat now.", "Run fast.", "Sit down."}));
}

}  // namespace
}  // namespace winnow::pipeline
