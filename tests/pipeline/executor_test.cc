#include "winnow/pipeline/executor.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <map>
#include <set>

#include "pipeline/output_reader.h"
#include "testing/test_util.h"
#include "winnow/gen/generator.h"
#include "winnow/pipeline/builtin_stages.h"

namespace winnow::pipeline {
namespace {

using winnow::testing::OutputFiles;
using winnow::testing::OutputLines;
using winnow::testing::ReadRaw;
using winnow::testing::SplitLines;
using winnow::testing::TempDir;
using winnow::testing::WriteFile;
using winnow::testing::Zstd;

std::string Str(simdjson::simdjson_result<simdjson::dom::element> e) {
  return std::string(std::string_view(e));
}

RunConfig CleanConfig(std::vector<std::string> inputs, std::string out, int threads) {
  RunConfig cfg = DefaultCleanConfig(BuiltinStages());
  cfg.inputs = std::move(inputs);
  cfg.output = std::move(out);
  cfg.threads = threads;
  return cfg;
}

std::string GenerateCorpus(const TempDir& dir, uint64_t docs) {
  gen::GenOptions o;
  o.docs = docs;
  o.seed = 3;
  o.output = dir / "corpus.jsonl.zst";
  o.truth = dir / "truth.jsonl";
  EXPECT_TRUE(gen::GenerateCorpus(o).ok());
  return o.output;
}

TEST(ExecutorTest, OutputIsByteIdenticalForAnyThreadCountAndAcrossRuns) {
  TempDir dir;
  std::string corpus = GenerateCorpus(dir, 6000);
  std::map<std::string, std::string> first;
  for (int threads : {1, 2, 4, 2}) {
    std::string out = dir / ("out" + std::to_string(threads));
    RunConfig cfg = CleanConfig({corpus}, out, threads);
    cfg.reader.batch_bytes = 64 << 10;  // many batches, so threads really interleave
    cfg.overwrite = true;
    Result<RunStats> s = RunPipeline(cfg, BuiltinStages(), "clean");
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    EXPECT_TRUE(s->AccountingHolds());
    std::map<std::string, std::string> files = OutputFiles(out);
    ASSERT_FALSE(files.empty());
    if (first.empty()) {
      first = files;
    } else {
      EXPECT_TRUE(files == first) << "threads=" << threads << " changed the output";
    }
  }
}

TEST(ExecutorTest, EveryDocumentIsAccountedForWithTheRightDuplicate) {
  TempDir dir;
  std::string corpus = GenerateCorpus(dir, 4000);
  std::string out = dir / "out";
  Result<RunStats> s = RunPipeline(CleanConfig({corpus}, out, 2), BuiltinStages(), "clean");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->input_records, 4000u);
  EXPECT_EQ(s->kept.docs + s->removed.docs, 4000u);
  EXPECT_EQ(s->rejected, 0u);

  // Planted truth: which documents are duplicates of which.
  simdjson::dom::parser parser;
  std::map<std::string, std::string> dup_of;
  std::map<std::string, std::string> kind;
  for (const std::string& line : SplitLines(ReadRaw(dir / "truth.jsonl"))) {
    simdjson::dom::element e = parser.parse(line);
    std::string id = Str(e["id"]);
    kind[id] = Str(e["kind"]);
    if (e["dup_of"].is_string()) dup_of[id] = Str(e["dup_of"]);
  }
  std::set<std::string> seen;
  size_t exact_removed = 0;
  for (const char* part : {"kept", "removed"}) {
    for (const std::string& line : OutputLines(out, part)) {
      simdjson::dom::element e = parser.parse(line);
      std::string id = Str(e["id"]);
      EXPECT_TRUE(seen.insert(id).second) << "document written twice: " << id;
      simdjson::dom::element w = e["winnow"];
      if (std::string_view(part) == "kept") {
        EXPECT_TRUE(w["reason"].error() == simdjson::NO_SUCH_FIELD) << line.substr(0, 200);
        // A planted exact copy is never kept: its original comes first.
        EXPECT_NE(kind[id], "exact_dup") << id;
        EXPECT_NE(kind[id], "exact_ws_dup") << id;
        continue;
      }
      std::string_view reason = w["reason"];
      if (reason == "exact:duplicate") {
        ++exact_removed;
        EXPECT_EQ(Str(w["duplicate_of"]), dup_of[id]) << id;
      }
    }
  }
  EXPECT_EQ(seen.size(), 4000u);
  EXPECT_GT(exact_removed, 200u);
}

// A global stage makes the run two passes, with every document spilled in between: the
// documents exact dedup leaves alone come out byte for byte as in a one-pass run (edited C4
// text, signals, ids, fields), and the spill and work files are gone at the end.
TEST(ExecutorTest, PassesThroughTheSpillChangeNothingButTheDedupDecisions) {
  TempDir dir;
  std::string corpus = GenerateCorpus(dir, 3000);
  auto without = [](RunConfig cfg, std::set<std::string> names) {
    cfg.stages.erase(std::remove_if(cfg.stages.begin(), cfg.stages.end(),
                                    [&](const StageConfig& s) { return names.count(s.name) > 0; }),
                     cfg.stages.end());
    return cfg;
  };
  RunConfig one = without(CleanConfig({corpus}, dir / "one", 2), {"exact", "minhash"});
  RunConfig two = without(CleanConfig({corpus}, dir / "two", 2), {"minhash"});
  ASSERT_EQ(two.stages.size(), one.stages.size() + 1);
  Result<RunStats> s1 = RunPipeline(one, BuiltinStages(), "clean");
  Result<RunStats> s2 = RunPipeline(two, BuiltinStages(), "clean");
  ASSERT_TRUE(s1.ok() && s2.ok()) << s2.status().ToString();
  EXPECT_EQ(s1->passes, 1);
  EXPECT_EQ(s2->passes, 2);
  EXPECT_TRUE(s2->AccountingHolds());
  std::map<std::string, std::string> by_id;
  simdjson::dom::parser parser;
  for (const char* part : {"kept", "removed"}) {
    for (const std::string& line : OutputLines(dir / "one", part)) {
      by_id[Str(parser.parse(line)["id"])] = line;
    }
  }
  size_t same = 0, dups = 0;
  for (const char* part : {"kept", "removed"}) {
    for (const std::string& line : OutputLines(dir / "two", part)) {
      simdjson::dom::element e = parser.parse(line);
      std::string id = Str(e["id"]);
      if (e["winnow"]["reason"].is_string() && Str(e["winnow"]["reason"]) == "exact:duplicate") {
        ++dups;
        continue;
      }
      EXPECT_TRUE(line == by_id[id]) << id << " changed through the spill";
      ++same;
    }
  }
  EXPECT_EQ(same + dups, 3000u);
  EXPECT_GT(dups, 100u);
  EXPECT_FALSE(std::filesystem::exists(dir / "two/.winnow-work"));
}

// Exact dedup across files: the first file's copy is kept; the result is the same whether
// the keys fit in memory or spill to disk.
TEST(ExecutorTest, ExactDedupSpansFilesAndIgnoresTheMemoryBudget) {
  TempDir dir;
  std::string a, b;
  for (int i = 0; i < 3000; ++i) {
    a += "{\"id\":\"a" + std::to_string(i) + "\",\"text\":\"text number " + std::to_string(i) +
         "\"}\n";
    b += "{\"id\":\"b" + std::to_string(i) + "\",\"text\":\"text  number " + std::to_string(i * 2) +
         "\"}\n";
  }
  WriteFile(dir / "1.jsonl", a);
  WriteFile(dir / "2.jsonl", b);
  std::map<std::string, std::string> first;
  for (uint64_t budget : {uint64_t{1} << 30, uint64_t{16} << 10}) {  // the second spills
    RunConfig cfg =
        CleanConfig({dir / "1.jsonl", dir / "2.jsonl"}, dir / ("out" + std::to_string(budget)), 2);
    cfg.stages = {StageConfig{"exact", {}}};
    cfg.memory_budget = budget;
    cfg.reader.batch_bytes = 16 << 10;
    Result<RunStats> s = RunPipeline(cfg, BuiltinStages(), "clean");
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    EXPECT_EQ(s->removed.docs, 1500u);  // b's even numbers below 3000 repeat a's
    if (budget < (1 << 20)) {
      EXPECT_GT(s->counters["exact.spilled_bytes"], 0);
    }
    // Memory by step: the map pass (which spilled the documents), exact's group step (which
    // spilled keys past the small budget), the writing pass; each peak within the run's.
    ASSERT_EQ(s->memory.size(), 3u);
    EXPECT_EQ(s->memory[0].step, "pass");
    EXPECT_GT(s->memory[0].spilled_bytes, 0u);
    EXPECT_EQ(s->memory[1].step, "group");
    EXPECT_EQ(s->memory[1].stage, "exact");
    EXPECT_EQ(s->memory[1].spilled_bytes,
              static_cast<uint64_t>(s->counters["exact.spilled_bytes"]));
    EXPECT_EQ(s->memory[2].pass, 2);
    for (const StepMemory& m : s->memory) {
      EXPECT_GT(m.peak_rss_bytes, 0u);
      EXPECT_LE(m.peak_rss_bytes, s->peak_rss_bytes);
    }
    std::vector<std::string> removed = OutputLines(cfg.output, "removed");
    ASSERT_EQ(removed.size(), 1500u);
    EXPECT_EQ(
        removed[0],
        R"({"id":"b0","text":"text  number 0","winnow":{"reason":"exact:duplicate","duplicate_of":"a0"}})");
    auto files = OutputFiles(cfg.output);
    if (first.empty()) first = files;
    EXPECT_TRUE(files == first) << "the memory budget changed the output";
  }
}

TEST(ExecutorTest, BadInputIsRejectedWithPositionAndTheRunGoesOn) {
  TempDir dir;
  std::string good = R"({"id":"g1","text":"one two three"})";
  std::string lines = good + "\n" +
                      R"({"id":"bad1","text":"x","meta":{"a":tru}})"
                      "\n" +
                      R"({"id":"bad2"})"
                      "\n" +
                      "{\"id\":\"bad3\",\"text\":\"\xFF\"}\n" +
                      R"({"id":"g2","text":"four five six"})"
                      "\n";
  WriteFile(dir / "a.jsonl", lines);
  WriteFile(dir / "b.jsonl", "");
  std::string many;
  for (int i = 0; i < 20000; ++i) many += "{\"text\":\"good line " + std::to_string(i) + "\"}\n";
  std::string z = Zstd(many);  // several zstd blocks: the ones before the cut decode
  WriteFile(dir / "c.jsonl.zst", z.substr(0, z.size() - 8));
  WriteFile(dir / "d.jsonl.zst", "not zstd");
  std::string out = dir / "out";
  RunConfig cfg = CleanConfig(
      {dir / "a.jsonl", dir / "b.jsonl", dir / "c.jsonl.zst", dir / "d.jsonl.zst"}, out, 2);
  cfg.stages.clear();  // keep everything that parses
  Result<RunStats> s = RunPipeline(cfg, BuiltinStages(), "clean");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_TRUE(s->AccountingHolds());
  EXPECT_GE(s->rejected_by_kind["json"], 1u);
  EXPECT_LE(s->rejected_by_kind["json"], 2u);
  EXPECT_EQ(s->rejected_by_kind["missing_text"], 1u);
  EXPECT_EQ(s->rejected_by_kind["utf8"], 1u);
  EXPECT_EQ(s->rejected_by_kind["empty_file"], 1u);
  EXPECT_EQ(s->rejected_by_kind["truncated"], 1u);
  EXPECT_EQ(s->rejected_by_kind["corrupt"], 1u);
  // a.jsonl's two, and c's complete lines before the cut (a cut last line is rejected as json
  // or not decoded at all).
  EXPECT_GT(s->kept.docs, 2u + 5000u);
  EXPECT_LT(s->kept.docs, 2u + 20000u);
  std::vector<std::string> rejected = OutputLines(out, "rejected");
  ASSERT_GE(rejected.size(), 6u);
  EXPECT_NE(rejected[0].find("\"line\":2"), std::string::npos) << rejected[0];
  EXPECT_NE(rejected[0].find("a.jsonl:2@"), std::string::npos) << rejected[0];
  EXPECT_NE(rejected[1].find("\"line\":3"), std::string::npos) << rejected[1];
  EXPECT_NE(rejected[2].find("\"kind\":\"utf8\""), std::string::npos) << rejected[2];
  // Rejected parts are numbered by shard: a.jsonl is part 0, b.jsonl part 1, ...
  EXPECT_TRUE(std::filesystem::exists(dir / "out/rejected/part-00001.jsonl.zst"));
  EXPECT_TRUE(std::filesystem::exists(dir / "out/rejected/part-00003.jsonl.zst"));
  std::vector<std::string> kept = OutputLines(out, "kept");
  ASSERT_GE(kept.size(), 2u);
  EXPECT_EQ(kept[0], R"({"id":"g1","text":"one two three","winnow":{}})");
}

TEST(ExecutorTest, OnErrorFailStopsAtTheFirstBadRecord) {
  TempDir dir;
  WriteFile(dir / "a.jsonl", "{\"text\":\"ok\"}\n{\"text\":\"ok\"}\n{broken\n{\"text\":\"ok\"}\n");
  RunConfig cfg = CleanConfig({dir / "a.jsonl"}, dir / "out", 2);
  cfg.on_error = OnError::kFail;
  Result<RunStats> s = RunPipeline(cfg, BuiltinStages(), "clean");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(s.status().message().find("a.jsonl:3@"), std::string_view::npos)
      << s.status().ToString();
  // Nothing is left looking complete.
  EXPECT_FALSE(std::filesystem::exists(dir / "out/stats.json"));
  EXPECT_FALSE(std::filesystem::exists(dir / "out/kept/part-00000.jsonl.zst"));
  EXPECT_FALSE(std::filesystem::exists(dir / "out/kept/part-00000.jsonl.zst.tmp"));
}

TEST(ExecutorTest, RefusesToOverwriteAnEarlierRunUnlessAsked) {
  TempDir dir;
  WriteFile(dir / "a.jsonl", "{\"text\":\"one two\"}\n");
  RunConfig cfg = CleanConfig({dir / "a.jsonl"}, dir / "out", 1);
  ASSERT_TRUE(RunPipeline(cfg, BuiltinStages(), "clean").ok());
  Result<RunStats> again = RunPipeline(cfg, BuiltinStages(), "clean");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(again.status().message().find("--overwrite"), std::string_view::npos);
  cfg.overwrite = true;
  EXPECT_TRUE(RunPipeline(cfg, BuiltinStages(), "clean").ok());
}

TEST(ExecutorTest, StatsJsonHoldsAccountingAndPerStageCounts) {
  TempDir dir;
  std::string corpus = GenerateCorpus(dir, 2000);
  std::string out = dir / "out";
  Result<RunStats> s = RunPipeline(CleanConfig({corpus}, out, 2), BuiltinStages(), "clean");
  ASSERT_TRUE(s.ok());
  simdjson::dom::parser parser;
  simdjson::dom::element stats = parser.load(out + "/stats.json");
  EXPECT_EQ(int64_t(stats["accounting"]["input"]), 2000);
  EXPECT_TRUE(bool(stats["accounting"]["holds"]));
  EXPECT_EQ(uint64_t(int64_t(stats["kept"]["documents"])), s->kept.docs);
  std::vector<std::string> names;
  uint64_t removed_by_stages = 0;
  for (simdjson::dom::element st : stats["stages"].get_array()) {
    names.push_back(Str(st["name"]));
    for (auto [reason, t] : st["removed"].get_object())
      removed_by_stages += int64_t(t["documents"]);
    EXPECT_GE(double(st["seconds"]), 0.0);
  }
  EXPECT_EQ(names,
            (std::vector<std::string>{"read", "parse", "anatomy", "language", "gopher_repetition",
                                      "gopher_quality", "c4_quality", "fineweb_quality", "pii",
                                      "exact", "minhash", "encode", "write"}));
  EXPECT_EQ(removed_by_stages, s->removed.docs);
}

}  // namespace
}  // namespace winnow::pipeline
