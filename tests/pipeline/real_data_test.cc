// The pipeline on real third-party text (../shared/data): nothing lost, every field intact.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <map>

#include "pipeline/output_reader.h"
#include "testing/test_util.h"
#include "winnow/pipeline/builtin_stages.h"
#include "winnow/pipeline/executor.h"

namespace winnow::pipeline {
namespace {

using winnow::testing::OutputLines;
using winnow::testing::ReadDecoded;
using winnow::testing::SharedDataDir;
using winnow::testing::SplitLines;
using winnow::testing::TempDir;

// The output line without the ,"winnow":{...} object winnow appended before the final brace.
std::string WithoutWinnow(const std::string& line) {
  size_t at = line.rfind(",\"winnow\":{");
  return at == std::string::npos ? line : line.substr(0, at) + "}";
}

// `line` with its top-level "text" value (quotes included) replaced by `value`.
std::string ReplaceText(const std::string& line, std::string_view value) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(line);
  simdjson::ondemand::document doc = parser.iterate(padded);
  for (auto field : doc.get_object()) {
    if (std::string_view(field.unescaped_key()) != "text") continue;
    std::string_view raw = field.value().raw_json_token();
    while (!raw.empty() && raw.back() == ' ') raw.remove_suffix(1);
    size_t begin = static_cast<size_t>(raw.data() - padded.data());
    return line.substr(0, begin) + std::string(value) + line.substr(begin + raw.size());
  }
  return line;
}

// The raw JSON of the top-level "text" value of `line`.
std::string RawText(const std::string& line) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(line);
  simdjson::ondemand::document doc = parser.iterate(padded);
  for (auto field : doc.get_object()) {
    if (std::string_view(field.unescaped_key()) != "text") continue;
    std::string_view raw = field.value().raw_json_token();
    while (!raw.empty() && raw.back() == ' ') raw.remove_suffix(1);
    return std::string(raw);
  }
  return "";
}

TEST(RealDataTest, CleaningRealTextLosesNothingAndPassesFieldsThrough) {
  std::string data = SharedDataDir();
  if (data.empty()) GTEST_SKIP() << "../shared/data is absent: real-data test skipped";
  std::string text_dir = data + "/text";
  TempDir dir;
  RunConfig cfg = DefaultCleanConfig(BuiltinStages());
  cfg.inputs = {text_dir};
  cfg.output = dir / "out";
  cfg.threads = 2;
  Result<RunStats> s = RunPipeline(cfg, BuiltinStages(), "clean");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_TRUE(s->AccountingHolds());
  EXPECT_EQ(s->rejected, 0u);

  // Input lines by id, in the order of the sorted files.
  std::map<std::string, std::string> input;
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(text_dir)) {
    if (e.path().string().ends_with(".jsonl.zst")) files.push_back(e.path().string());
  }
  ASSERT_FALSE(files.empty());
  simdjson::dom::parser parser;
  auto id_of = [&](const std::string& line) {
    return std::string(std::string_view(parser.parse(line)["id"]));
  };
  size_t n = 0;
  for (const std::string& f : files) {
    for (const std::string& line : SplitLines(ReadDecoded(f))) {
      input[id_of(line)] = line;
      ++n;
    }
  }
  EXPECT_EQ(s->input_records, n);
  size_t matched = 0, edited = 0;
  for (const char* part : {"kept", "removed"}) {
    for (const std::string& line : OutputLines(cfg.output, part)) {
      std::string id = id_of(line);
      auto it = input.find(id);
      ASSERT_NE(it, input.end()) << id;
      // Every field but "text" is the input's, byte for byte; "text" too unless C4 removed
      // lines from it.
      std::string out = WithoutWinnow(line);
      EXPECT_EQ(out, ReplaceText(it->second, RawText(out))) << id;
      if (out != it->second) ++edited;
      input.erase(it);
      ++matched;
    }
  }
  EXPECT_EQ(matched, n);
  EXPECT_GT(edited, 0u);  // C4 does edit real text
  EXPECT_TRUE(input.empty());
}

// Every page of the extraction benchmarks, as .html.gz files, through the default clean
// pipeline (extraction, anatomy, language, the filters, PII, dedup) with two threads: every page
// accounted for, nothing rejected. (A byline on one of these pages once crashed anatomy.)
TEST(RealDataTest, CleaningRealPagesAccountsForEveryPage) {
  const std::string data = SharedDataDir();
  if (data.empty()) GTEST_SKIP() << "../shared/data is absent: real pages skipped";
  std::vector<std::string> inputs;
  size_t pages = 0;
  for (const auto& b : std::filesystem::directory_iterator(data + "/extraction")) {
    if (!std::filesystem::is_directory(b.path() / "html")) continue;
    inputs.push_back((b.path() / "html").string());
    for (const auto& f : std::filesystem::directory_iterator(b.path() / "html"))
      pages += f.is_regular_file();
  }
  ASSERT_GT(pages, 100u);
  TempDir dir;
  RunConfig cfg = DefaultCleanConfig(BuiltinStages());
  cfg.inputs = inputs;
  cfg.output = dir / "out";
  cfg.threads = 2;
  Result<RunStats> s = RunPipeline(cfg, BuiltinStages(), "clean");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_TRUE(s->AccountingHolds());
  EXPECT_EQ(s->input_records, pages);
  EXPECT_EQ(s->rejected, 0u);
  EXPECT_GT(s->kept.docs, pages / 10);
  EXPECT_EQ(OutputLines(cfg.output, "kept").size(), s->kept.docs);
}

}  // namespace
}  // namespace winnow::pipeline
