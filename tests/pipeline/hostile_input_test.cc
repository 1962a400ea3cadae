// Hostile input through the whole pipeline (issue 8): every kind of broken byte a crawl holds,
// written by the test, each run under both --on-error policies. With `skip` the run succeeds,
// every record is accounted for and each bad one is in rejected/ with its kind, file and
// line; with `fail` the run stops with a Corrupt error naming file and position. Nothing
// crashes, hangs, or grows without bound.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "pipeline/output_reader.h"
#include "testing/test_util.h"
#include "winnow/pipeline/builtin_stages.h"
#include "winnow/pipeline/config.h"
#include "winnow/pipeline/executor.h"

namespace winnow::pipeline {
namespace {

using ::testing::HasSubstr;
using winnow::testing::Gzip;
using winnow::testing::OutputLines;
using winnow::testing::TempDir;
using winnow::testing::WriteFile;
using winnow::testing::Zstd;

struct Outcome {
  Result<RunStats> skip = Status::Internal("not run");
  Result<RunStats> fail = Status::Internal("not run");
  std::vector<std::string> kept, rejected;  // lines, from the skip run
};

// Runs a light pipeline over `path` with on_error skip, then fail.
Outcome RunBoth(const TempDir& dir, const std::string& path) {
  Outcome o;
  for (OnError policy : {OnError::kSkip, OnError::kFail}) {
    RunConfig cfg;
    cfg.inputs = {path};
    cfg.output = dir / (policy == OnError::kSkip ? "skip" : "fail");
    cfg.overwrite = true;
    cfg.threads = 2;
    cfg.on_error = policy;
    StageConfig length{"length", {}, {}};
    length.options["min_words"].scalar = "1";
    cfg.stages.push_back(std::move(length));
    cfg.stages.push_back(StageConfig{"exact", {}, {}});
    Result<RunStats> r = RunPipeline(cfg, BuiltinStages(), "clean");
    if (policy == OnError::kSkip) {
      o.skip = std::move(r);
      o.kept = OutputLines(cfg.output, "kept");
      o.rejected = OutputLines(cfg.output, "rejected");
    } else {
      o.fail = std::move(r);
    }
  }
  return o;
}

// Both policies behave: skip accounts for everything and rejects `rejected` records of kind
// `kind`; fail stops with Corrupt naming `file_hint`.
void ExpectHandled(const Outcome& o, uint64_t rejected, std::string_view kind,
                   std::string_view file_hint) {
  ASSERT_TRUE(o.skip.ok()) << o.skip.status().ToString();
  EXPECT_TRUE(o.skip->AccountingHolds());
  EXPECT_EQ(o.skip->rejected, rejected);
  if (!kind.empty()) {
    auto it = o.skip->rejected_by_kind.find(kind);
    ASSERT_NE(it, o.skip->rejected_by_kind.end()) << kind;
    EXPECT_EQ(it->second, rejected);
  }
  EXPECT_EQ(o.rejected.size(), rejected);
  for (const std::string& line : o.rejected) EXPECT_THAT(line, HasSubstr(std::string(file_hint)));
  if (rejected > 0) {
    ASSERT_FALSE(o.fail.ok());
    EXPECT_EQ(o.fail.status().code(), StatusCode::kCorrupt) << o.fail.status().ToString();
    EXPECT_THAT(o.fail.status().ToString(), HasSubstr(std::string(file_hint)));
  } else {
    EXPECT_TRUE(o.fail.ok()) << o.fail.status().ToString();
  }
}

const std::string kGood = R"({"id":"good","text":"an ordinary line of text, fine in every way"})";

TEST(HostileInputTest, BrokenJsonRecords) {
  using namespace std::string_literals;
  TempDir dir;
  const std::vector<std::string> bad = {
      R"({"id":"dup","text":"first","text":"second"})",      // duplicate key: ambiguous
      R"({"id":"hi","text":"lone \ud800 high surrogate"})",  // lone surrogates in escapes
      R"({"id":"lo","text":"lone \udc00 low surrogate"})",
      "{\"id\":\"overlong\",\"text\":\"over\xc0\xaflong slash\"}",      // overlong UTF-8
      "{\"id\":\"cesu\",\"text\":\"\xed\xa0\x80 encoded surrogate\"}",  // surrogate bytes
      "{\"id\":\"nul\",\"text\":\"raw\0nul\"}"s,                        // raw NUL byte
      std::string(100000, '[') + std::string(100000, ']'),              // 100,000 deep
      R"({"id":"deep","text":"x","y":)" + std::string(5000, '{'),       // deep and unclosed
      "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0 binary junk"s,           // 3 lines of it
      R"({"id":"key-only","text"})",
      "[1, 2, 3]",
  };
  std::string lines;
  for (const std::string& l : bad) lines += l + "\n";
  lines += R"({"id":"nul-escaped","text":"an escaped \u0000 NUL is text"})"
           "\n";
  lines += kGood + "\n";
  WriteFile(dir / "bad.jsonl", lines);
  Outcome o = RunBoth(dir, dir / "bad.jsonl");
  ASSERT_TRUE(o.skip.ok()) << o.skip.status().ToString();
  EXPECT_TRUE(o.skip->AccountingHolds());
  const uint64_t bad_records = bad.size() + 2;  // the PNG junk holds two more line ends
  EXPECT_EQ(o.skip->input_records, bad_records + 2);
  EXPECT_EQ(o.skip->kept.docs, 2u);
  EXPECT_EQ(o.skip->rejected, bad_records);
  EXPECT_EQ(o.skip->rejected_by_kind.at("utf8"), 3u);  // overlong, surrogate bytes, PNG
  ASSERT_EQ(o.rejected.size(), bad_records);
  EXPECT_THAT(o.rejected[0], HasSubstr(R"("line":1)"));
  EXPECT_THAT(o.rejected[0], HasSubstr("duplicate key"));
  for (const std::string& r : o.rejected) EXPECT_THAT(r, HasSubstr(R"("file":")"));
  ASSERT_EQ(o.kept.size(), 2u);
  EXPECT_THAT(o.kept[0], HasSubstr(R"(an escaped \u0000 NUL is text)"));
  ASSERT_FALSE(o.fail.ok());
  EXPECT_EQ(o.fail.status().code(), StatusCode::kCorrupt);
  EXPECT_THAT(o.fail.status().ToString(), HasSubstr("bad.jsonl:1@0"));
}

TEST(HostileInputTest, TruncatedGzipAndZstd) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 6000; ++i) {  // several zstd blocks: the cut leaves whole ones
    text += R"({"id":")" + std::to_string(i) + R"(","text":"line number )" + std::to_string(i) +
            R"( of a file that will be cut short before its end"})"
            "\n";
  }
  for (const auto& [name, bytes] : {std::pair<std::string, std::string>{"cut.jsonl.gz", Gzip(text)},
                                    {"cut.jsonl.zst", Zstd(text)}}) {
    SCOPED_TRACE(name);
    WriteFile(dir / name, bytes.substr(0, bytes.size() / 2));
    Outcome o = RunBoth(dir, dir / name);
    ExpectHandled(o, 1, "truncated", name);
    // Every complete line before the cut is kept, in order.
    ASSERT_GT(o.kept.size(), 100u) << o.skip->kept.docs << " " << o.skip->removed.docs;
    EXPECT_THAT(o.kept.back(), HasSubstr(R"("id":")" + std::to_string(o.kept.size() - 1) + "\""));
  }
}

TEST(HostileInputTest, RandomBytesWithACompressedName) {
  TempDir dir;
  std::string junk;
  uint64_t x = 88172645463325252ull;
  for (int i = 0; i < 100000; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    junk.push_back(static_cast<char>(x));
  }
  WriteFile(dir / "random.jsonl.zst", junk);
  ExpectHandled(RunBoth(dir, dir / "random.jsonl.zst"), 1, "corrupt", "random.jsonl.zst");
  WriteFile(dir / "random.jsonl.gz", junk);
  ExpectHandled(RunBoth(dir, dir / "random.jsonl.gz"), 1, "", "random.jsonl.gz");
}

// A 1 GB line (compressed to a few hundred KB at test time) between two good ones: rejected
// as too long while streaming past it, never held in memory.
TEST(HostileInputTest, OneGigabyteLine) {
  TempDir dir;
  const std::string path = dir / "giant.jsonl.zst";
  const std::string filler(1 << 20, 'a');
  int piece = 0;
  const std::string head = kGood + "\n" + R"({"id":"giant","text":")";
  const std::string tail = "\"}\n" + kGood + "\n";
  winnow::testing::WriteZstdStream(path, [&]() -> std::string_view {
    ++piece;
    if (piece == 1) return head;
    if (piece <= 1 + 1024) return filler;
    if (piece == 2 + 1024) return tail;
    return {};
  });
  Outcome o = RunBoth(dir, path);
  ExpectHandled(o, 1, "line_too_long", "giant.jsonl.zst");
  EXPECT_EQ(o.skip->input_records, 3u);
  EXPECT_EQ(o.skip->input_bytes, head.size() + (uint64_t{1} << 30) + tail.size());
  // The default record limit is 64 MB; nothing near the line's size was ever allocated.
  EXPECT_LT(o.skip->peak_rss_bytes, uint64_t{600} << 20);
  EXPECT_EQ(o.kept.size(), 1u);  // the two good lines are duplicates: exact removes one
}

TEST(HostileInputTest, WarcWithALyingContentLength) {
  TempDir dir;
  auto record = [](std::string_view id, std::string_view html, long length) {
    std::string block = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + std::string(html);
    return "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:" + std::string(id) +
           ">\r\nWARC-Target-URI: http://example.com/" + std::string(id) + "\r\nContent-Length: " +
           std::to_string(length < 0 ? static_cast<long>(block.size()) : length) + "\r\n\r\n" +
           block + "\r\n\r\n";
  };
  auto page = [](std::string_view word) {
    return "<html><body><p>A page about " + std::string(word) +
           " with a paragraph of plain "
           "words that an extractor keeps as the main text of this page.</p></body></html>";
  };
  // A length too small leaves bytes that are no record; one too large swallows the next
  // record, or runs past the end of the archive.
  std::string warc = record("one", page("apples"), -1) + record("short", page("pears"), 40) +
                     record("two", page("plums"), -1) + record("long", page("figs"), 4000) +
                     record("three", page("limes"), -1) +
                     record("past-the-end", page("dates"), 100000) +
                     record("four", page("kiwis"), -1);
  WriteFile(dir / "liar.warc", warc);
  Outcome o = RunBoth(dir, dir / "liar.warc");
  ExpectHandled(o, 3, "", "liar.warc");
  EXPECT_EQ(o.skip->rejected_by_kind.at("warc_garbage"), 1u);  // the short one's tail
  EXPECT_EQ(o.skip->rejected_by_kind.at("warc_content_length"), 2u);
  // one, two, three and four are kept; the short one's 40 bytes hold no page.
  EXPECT_EQ(o.skip->kept.docs, 4u);
  EXPECT_EQ(o.skip->removed_by_reason.at("extract:no_content").docs, 1u);
}

TEST(HostileInputTest, HtmlWithOneHundredThousandNestedTags) {
  TempDir dir;
  std::string html = "<html><body>";
  for (int i = 0; i < 100000; ++i) html += "<div><span>";
  html += "<p>Deep inside the page there is a sentence that should still come out.</p>";
  WriteFile(dir / "nested.html", html);  // never closed, either
  Outcome o = RunBoth(dir, dir / "nested.html");
  ExpectHandled(o, 0, "", "nested.html");
  EXPECT_EQ(o.skip->input_records, 1u);
  ASSERT_EQ(o.kept.size(), 1u);
  EXPECT_THAT(o.kept[0], HasSubstr("Deep inside the page there is a sentence"));
}

// Every file of warcio's test data, broken ones included, under both policies.
TEST(HostileInputTest, EveryWarcioTestFile) {
  const std::string shared = winnow::testing::SharedDataDir();
  if (shared.empty()) GTEST_SKIP() << "../shared/data is absent";
  const std::string data = shared + "/warc/warcio-testdata";
  if (!std::filesystem::is_directory(data)) GTEST_SKIP() << data << " is absent";
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(data)) {
    if (!e.is_regular_file()) continue;
    SCOPED_TRACE(e.path().string());
    ++files;
    TempDir dir;
    Outcome o = RunBoth(dir, e.path().string());
    if (!o.skip.ok()) {
      // Only a file no reader recognises may be refused, and then by both policies alike.
      EXPECT_EQ(o.skip.status().code(), StatusCode::kInvalidArgument) << o.skip.status().ToString();
      continue;
    }
    EXPECT_TRUE(o.skip->AccountingHolds());
    if (o.skip->rejected == 0) {
      EXPECT_TRUE(o.fail.ok()) << o.fail.status().ToString();
    } else {
      ASSERT_FALSE(o.fail.ok());
      EXPECT_EQ(o.fail.status().code(), StatusCode::kCorrupt) << o.fail.status().ToString();
    }
  }
  EXPECT_GE(files, 10);
}

}  // namespace
}  // namespace winnow::pipeline
