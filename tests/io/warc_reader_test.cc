// The web archive readers: real WARC/ARC/WET files (Common Crawl's, warcio's test files with
// their deliberately broken ones) and hand-made damage, each reported with its offset.
#include "winnow/io/warc_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "testing/test_util.h"
#include "winnow/io/byte_source.h"
#include "winnow/io/charset.h"
#include "winnow/io/record_codec.h"

namespace winnow::io {
namespace {

using ::testing::HasSubstr;
using winnow::testing::TempDir;

struct Read {
  std::vector<Document> docs;
  std::vector<Rejected> rejected;
  std::map<std::string, uint64_t> skipped;
  std::map<std::string, uint64_t> counters;
};

Read ReadAll(std::unique_ptr<RecordReader> reader) {
  Read out;
  RecordParser parser;
  bool more = true;
  while (more) {
    Batch batch;
    batch.source = "test";
    more = reader->Next(batch);
    parser.ParseBatch(batch);
    for (Document& d : batch.docs) {
      d.record = {};  // views into the batch
      out.docs.push_back(std::move(d));
    }
    for (Rejected& r : batch.rejected) out.rejected.push_back(std::move(r));
  }
  if (reader->skipped_records() != nullptr) out.skipped = *reader->skipped_records();
  if (reader->counters() != nullptr) out.counters = *reader->counters();
  return out;
}

Read ReadFile(const std::string& path) {
  auto source = OpenByteSource(path);
  EXPECT_TRUE(source.ok()) << path;
  ReaderOptions o;
  return ReadAll(OpenWarcReader(path, std::move(source).value(), o));
}

Read ReadBytes(std::string_view bytes, ReaderOptions o = {}) {
  return ReadAll(OpenWarcReader("mem.warc", NewMemoryByteSource(bytes), o));
}

std::string Record(std::string_view type, std::string_view uri, std::string_view block,
                   long length = -1) {
  std::string r = "WARC/1.0\r\nWARC-Type: " + std::string(type) +
                  "\r\nWARC-Record-ID: <urn:uuid:" + std::string(uri) + ">\r\n";
  if (!uri.empty()) r += "WARC-Target-URI: http://example.com/" + std::string(uri) + "\r\n";
  r += "WARC-Date: 2024-05-18T01:58:10Z\r\n";
  r += "Content-Length: " + std::to_string(length < 0 ? static_cast<long>(block.size()) : length) +
       "\r\n\r\n";
  r += std::string(block) + "\r\n\r\n";
  return r;
}

std::string Response(std::string_view html, std::string_view content_type = "text/html") {
  return "HTTP/1.1 200 OK\r\nContent-Type: " + std::string(content_type) + "\r\n\r\n" +
         std::string(html);
}

TEST(WarcReaderTest, ResponsesResourcesAndConversionsBecomeDocuments) {
  std::string warc = Record("warcinfo", "", "software: test\r\n") +
                     Record("request", "a", "GET / HTTP/1.1\r\n\r\n") +
                     Record("response", "a", Response("<html><p>Hello</p></html>")) +
                     Record("response", "img", Response("\x89PNG....", "image/png")) +
                     Record("response", "404", "HTTP/1.1 404 Not Found\r\n\r\n<html>gone</html>") +
                     Record("resource", "r", "<!doctype html><p>Resource</p>") +
                     Record("conversion", "c", "Already extracted text\nwith two lines");
  Read r = ReadBytes(warc);
  ASSERT_EQ(r.docs.size(), 3u);
  EXPECT_TRUE(r.rejected.empty());
  EXPECT_EQ(r.docs[0].id, "<urn:uuid:a>");
  EXPECT_EQ(r.docs[0].url, "http://example.com/a");
  EXPECT_TRUE(r.docs[0].needs_extraction);
  EXPECT_EQ(r.docs[0].text, "<html><p>Hello</p></html>");
  EXPECT_TRUE(r.docs[1].needs_extraction);
  EXPECT_FALSE(r.docs[2].needs_extraction);
  EXPECT_EQ(r.docs[2].text, "Already extracted text\nwith two lines");
  EXPECT_EQ(r.skipped["warcinfo"], 1u);
  EXPECT_EQ(r.skipped["request"], 1u);
  EXPECT_EQ(r.skipped["not_html"], 1u);
  EXPECT_EQ(r.skipped["http_status"], 1u);
}

TEST(WarcReaderTest, DamageIsReportedWithOffsetsAndReadingResumes) {
  std::string good1 = Record("response", "one", Response("<p>one</p>"));
  std::string lying = Record("response", "lie", Response("<p>too short a length</p>"), 20);
  std::string garbage = "this is not a record at all\r\n";
  std::string no_length = "WARC/1.0\r\nWARC-Type: response\r\n\r\nbody\r\n\r\n";
  std::string good2 = Record("response", "two", Response("<p>two</p>"));
  std::string warc = good1 + lying + garbage + no_length + good2;
  Read r = ReadBytes(warc);
  ASSERT_EQ(r.docs.size(), 2u);
  EXPECT_EQ(r.docs[0].id, "<urn:uuid:one>");
  EXPECT_EQ(r.docs[1].id, "<urn:uuid:two>");
  std::vector<std::string_view> kinds;
  for (const Rejected& j : r.rejected) kinds.push_back(j.kind);
  // The lying record is dropped and reading resumes at the next "WARC/1." line, past the
  // garbage; the record without a Content-Length is reported on its own.
  EXPECT_THAT(kinds, ::testing::ElementsAre("warc_content_length", "warc_header"));
  EXPECT_EQ(r.rejected[0].byte_offset, good1.size());
  std::string at = "@";  // appended: GCC 12 warns falsely on "literal" + string
  at += std::to_string(good1.size());
  EXPECT_THAT(r.rejected[0].error, HasSubstr(at));
  EXPECT_EQ(r.rejected[1].byte_offset, good1.size() + lying.size() + garbage.size());
  // Garbage between two good records.
  Read g = ReadBytes(good1 + garbage + good2);
  ASSERT_EQ(g.docs.size(), 2u);
  ASSERT_EQ(g.rejected.size(), 1u);
  EXPECT_EQ(g.rejected[0].kind, "warc_garbage");
  EXPECT_EQ(g.rejected[0].byte_offset, good1.size());
}

TEST(WarcReaderTest, TruncatedArchiveKeepsEveryCompleteRecord) {
  std::string one = Record("response", "one", Response("<p>one</p>"));
  std::string two = Record("response", "two", Response("<p>two, cut short</p>"));
  Read r = ReadBytes(one + two.substr(0, two.size() - 20));
  ASSERT_EQ(r.docs.size(), 1u);
  ASSERT_EQ(r.rejected.size(), 1u);
  EXPECT_EQ(r.rejected[0].kind, "truncated");
  EXPECT_EQ(r.rejected[0].byte_offset, one.size());
}

TEST(WarcReaderTest, OversizedRecordsAreSkippedNotBuffered) {
  std::string big = Record("response", "big", Response(std::string(300000, 'x')));
  std::string small = Record("response", "small", Response("<p>small</p>"));
  ReaderOptions o;
  o.max_record_bytes = 100000;
  Read r = ReadBytes(big + small, o);
  ASSERT_EQ(r.docs.size(), 1u);
  EXPECT_EQ(r.docs[0].id, "<urn:uuid:small>");
  ASSERT_EQ(r.rejected.size(), 1u);
  EXPECT_EQ(r.rejected[0].kind, "record_too_large");
}

TEST(WarcReaderTest, ChunkedAndGzipBodies) {
  std::string chunked =
      "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\n<p>He\r\n6\r\nllo</p\r\n1\r\n>\r\n0\r\n\r\n";
  std::string html = "<p>zipped page</p>";
  std::string gz = testing::Gzip(html);
  std::string gzipped =
      "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n" + gz;
  Read r = ReadBytes(Record("response", "c", chunked) + Record("response", "g", gzipped));
  ASSERT_EQ(r.docs.size(), 2u);
  EXPECT_EQ(r.docs[0].text, "<p>Hello</p>");
  EXPECT_EQ(r.docs[1].text, html);
}

TEST(WarcReaderTest, LegacyCharsetsBecomeUtf8) {
  // windows-1252 declared by HTTP; Shift_JIS declared by <meta>; undeclared UTF-8.
  std::string latin =
      "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=windows-1252\r\n\r\n"
      "<p>Caf\xE9 cr\xE8me</p>";
  std::string sjis =
      "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
      "<meta charset=\"shift_jis\"><p>\x93\xFA\x96\x7B</p>";
  std::string utf8 = Response("<html><p>Grüße</p></html>");
  Read r = ReadBytes(Record("response", "l", latin) + Record("response", "s", sjis) +
                     Record("response", "u", utf8));
  ASSERT_EQ(r.docs.size(), 3u);
  EXPECT_EQ(r.docs[0].text, "<p>Café crème</p>");
  EXPECT_EQ(r.docs[1].text, "<meta charset=\"shift_jis\"><p>日本</p>");
  EXPECT_EQ(r.docs[2].text, "<html><p>Grüße</p></html>");
  EXPECT_EQ(DecodeToUtf8("<p>\xE9t\xE9</p>", "").text, "<p>été</p>");  // detected
}

// Every shared archive reads without a crash; the broken ones report their damage.
TEST(WarcReaderTest, EverySharedArchiveReads) {
  std::string dir = testing::SharedDataDir();
  if (dir.empty()) GTEST_SKIP() << "../shared/data absent";
  size_t files = 0, docs = 0, rejected = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir + "/warc")) {
    if (!e.is_regular_file() || e.path().filename() == "MANIFEST.tsv") continue;
    std::string path = e.path().string();
    // warcio's example-bad.warc.gz.bad is a gzipped WARC under an odd name.
    Read r = ReadFile(path);
    ++files;
    docs += r.docs.size();
    rejected += r.rejected.size();
    for (const Rejected& j : r.rejected) {
      EXPECT_FALSE(j.error.empty());
      EXPECT_THAT(j.error, HasSubstr("@"));  // an offset
    }
    std::string name = e.path().filename().string();
    if (name == "whirlwind.warc.gz") {
      ASSERT_EQ(r.docs.size(), 1u);
      EXPECT_EQ(r.docs[0].url, "https://an.wikipedia.org/wiki/Escopete");
      EXPECT_TRUE(r.docs[0].needs_extraction);
    }
    if (name == "whirlwind.warc.wet.gz") {
      ASSERT_EQ(r.docs.size(), 1u);
      EXPECT_FALSE(r.docs[0].needs_extraction);
      EXPECT_THAT(r.docs[0].text, HasSubstr("Escopete"));
    }
    if (name == "example.warc.gz" || name == "example.warc" || name == "example.arc") {
      EXPECT_EQ(r.docs.size(), 1u) << name;
    }
    if (name == "example-trunc.warc" || name == "bad.arc") {
      EXPECT_FALSE(r.rejected.empty()) << name;
    }
  }
  std::printf("shared archives: %zu files, %zu documents, %zu damaged records reported\n", files,
              docs, rejected);
  EXPECT_GE(files, 19u);
}

// A response that says Content-Encoding: gzip over a body stored decoded (ClueWeb09, some
// Common Crawl responses) is read as it is when it looks like the page it says it is, and
// counted; a body that neither decodes nor looks like one is still rejected.
TEST(WarcReaderTest, ALyingContentEncodingIsIgnoredWhenTheBodyIsThePage) {
  const std::string page = "<!DOCTYPE html><html><body><p>stored decoded</p></body></html>";
  const std::string lying =
      "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n" + page;
  const std::string garbage =
      "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n"
      "\x1f\x8b\x08\x00 not a gzip stream at all";
  Read r = ReadBytes(Record("response", "l", lying) + Record("response", "g", garbage));
  ASSERT_EQ(r.docs.size(), 1u);
  EXPECT_EQ(r.docs[0].text, page);
  EXPECT_EQ(r.counters["content_encoding_ignored"], 1u);
  ASSERT_EQ(r.rejected.size(), 1u);
  EXPECT_EQ(r.rejected[0].kind, "content_encoding");
}

// ClueWeb09's responses say gzip over decoded bodies: every page is read, none rejected.
TEST(WarcReaderTest, ClueWeb09PagesAreRead) {
  std::string dir = testing::SharedDataDir();
  if (dir.empty()) GTEST_SKIP() << "../shared/data absent";
  Read r = ReadFile(dir + "/warc/clueweb09/clueweb-quirk-sample.warc.gz");
  EXPECT_TRUE(r.rejected.empty()) << r.rejected.front().error;
  EXPECT_EQ(r.docs.size() + r.skipped["not_html"] + r.skipped["http_status"], 8u);
  EXPECT_GE(r.docs.size(), 6u);
  EXPECT_EQ(r.counters["content_encoding_ignored"], r.docs.size());
  for (const Document& d : r.docs) EXPECT_THAT(d.text, HasSubstr("<"));
}

// FastWARC's .warc.lz4 (one LZ4 frame per record) reads as the .warc.gz of the same records.
TEST(WarcReaderTest, Lz4ArchivesReadLikeGzipOnes) {
  std::string dir = testing::SharedDataDir();
  if (dir.empty()) GTEST_SKIP() << "../shared/data absent";
  Read gz = ReadFile(dir + "/warc/commoncrawl-whirlwind/whirlwind.warc.gz");
  Read lz4 = ReadFile(dir + "/warc/commoncrawl-whirlwind/whirlwind.warc.lz4");
  ASSERT_EQ(lz4.docs.size(), gz.docs.size());
  ASSERT_FALSE(gz.docs.empty());
  for (size_t i = 0; i < gz.docs.size(); ++i) {
    EXPECT_EQ(lz4.docs[i].id, gz.docs[i].id);
    EXPECT_EQ(lz4.docs[i].url, gz.docs[i].url);
    EXPECT_EQ(lz4.docs[i].text, gz.docs[i].text);
  }
  EXPECT_EQ(lz4.skipped, gz.skipped);
  EXPECT_EQ(lz4.rejected.size(), gz.rejected.size());
}

// Damage inside an LZ4 stream: the records before it are read, the rest is one rejection
// with its offset, as for gzip.
TEST(WarcReaderTest, TruncatedLz4KeepsEveryCompleteRecord) {
  std::string records;
  for (const char* page : {"one", "two", "three"}) {
    records += Record("response", page,
                      Response(std::string("<html><body><p>page ") + page + "</p></body></html>"));
  }
  std::string frames = testing::Lz4Frame(records.substr(0, records.size() / 2)) +
                       testing::Lz4Frame(records.substr(records.size() / 2));
  TempDir dir;
  winnow::testing::WriteFile(dir / "a.warc.lz4", frames);
  Read whole = ReadFile(dir / "a.warc.lz4");
  EXPECT_EQ(whole.docs.size(), 3u);
  EXPECT_TRUE(whole.rejected.empty());
  winnow::testing::WriteFile(dir / "b.warc.lz4", frames.substr(0, frames.size() - 7));
  Read cut = ReadFile(dir / "b.warc.lz4");
  EXPECT_GE(cut.docs.size(), 1u);
  EXPECT_LT(cut.docs.size(), 3u);
  ASSERT_FALSE(cut.rejected.empty());
  EXPECT_THAT(cut.rejected.back().error, HasSubstr("lz4"));
}

}  // namespace
}  // namespace winnow::io
