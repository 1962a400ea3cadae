// Documents through a spill file and back: every field the writer or a later stage uses
// comes back equal, for JSON records (text read back from the record or stored when edited)
// and for text files (no record).
#include "winnow/io/doc_spill.h"

#include <gtest/gtest.h>

#include "testing/test_util.h"
#include "winnow/core/json_writer.h"
#include "winnow/io/record_codec.h"
#include "winnow/io/zstd_frame.h"

namespace winnow::io {
namespace {

using winnow::testing::TempDir;

TEST(UnescapeJsonStringTest, InvertsTheWriterAndDecodesEscapes) {
  std::string out;
  for (std::string s :
       {std::string(""), std::string("plain"), std::string("q\"b\\s/\n\r\t\b\f"),
        std::string("ctrl\x01\x1f"), std::string("caf\xC3\xA9 \xF0\x9F\x98\x80 \xE2\x80\xA8")}) {
    std::string quoted;
    AppendJsonString(quoted, s);
    ASSERT_TRUE(UnescapeJsonString(quoted, &out)) << quoted;
    EXPECT_EQ(out, s);
  }
  ASSERT_TRUE(UnescapeJsonString(R"("\u00e9\uD83D\uDE00\u0041\/")", &out));
  EXPECT_EQ(out,
            "\xC3\xA9\xF0\x9F\x98\x80"
            "A/");
  for (const char* bad :
       {"", "\"", "x\"", R"("\x")", R"("\u12")", R"("\uD83D")", R"("\uDE00")", R"("a\")"}) {
    EXPECT_FALSE(UnescapeJsonString(bad, &out)) << bad;
  }
}

TEST(DocSpillTest, DocumentsComeBackEqual) {
  RecordParser parser;
  Batch in;
  in.shard = 3;
  in.source = "input.jsonl";
  std::vector<std::string> records = {
      R"({"id":"a","text":"caf\u00e9 \"quoted\"\nline","meta":{"x":[1,2.5e3,null]},"url":"http://x"})",
      R"({"id":7,"text":"second","winnow":{"old":1}})", R"({"id":"c","text":"to be edited"})"};
  for (size_t i = 0; i < records.size(); ++i) {
    in.input += records[i];
    in.input += '\n';
  }
  size_t at = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    in.records.push_back(RecordRef{at, records[i].size(), i + 1, at, i * 2});
    at += records[i].size() + 1;
  }
  in.input.append(Batch::kInputPadding, '\0');
  parser.ParseBatch(in);
  ASSERT_EQ(in.docs.size(), 3u);
  in.docs[1].reason = "gopher_quality:gopher_short_doc";
  in.docs[1].SetSignal("words", 2);
  in.docs[2].SetText("edited text");
  in.docs[2].cluster_id = 4;
  in.docs[2].cluster_size = 9;
  in.docs[2].duplicate_of = "a";
  in.docs[2].fields.emplace_back("comments", "moved\ntext");
  Document txt;  // from a .txt input: no record
  txt.id = "page.txt";
  txt.text = "plain text page";
  txt.where = Provenance{3, 99};
  in.docs.push_back(txt);

  std::string raw;
  for (const Document& d : in.docs) AppendSpillRecord(d, raw);
  TempDir dir;
  ZstdFrameCompressor z(1);
  std::string frame;
  ASSERT_TRUE(z.Compress(raw, frame).ok());
  {
    Result<SpillWriter> w = SpillWriter::Create(dir / "s.bin");
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(w->Append(frame, raw.size(), in.docs.size()).ok());
    ASSERT_TRUE(w->Commit().ok());
  }
  auto reader = SpillReader::Open(dir / "s.bin");
  ASSERT_TRUE(reader.ok());
  Batch out;
  out.shard = 3;
  Result<bool> more = (*reader)->Next(out);
  ASSERT_TRUE(more.ok() && *more);
  EXPECT_TRUE((*reader)->at_end());
  NameTable names;
  ASSERT_TRUE(DecodeSpillRecords(out, names).ok());
  ASSERT_EQ(out.docs.size(), in.docs.size());
  for (size_t i = 0; i < in.docs.size(); ++i) {
    const Document &a = in.docs[i], &b = out.docs[i];
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.text, b.text);
    EXPECT_EQ(a.url, b.url);
    EXPECT_EQ(a.where, b.where);
    EXPECT_EQ(a.record, b.record);
    EXPECT_EQ(a.reason, b.reason);
    EXPECT_EQ(a.duplicate_of, b.duplicate_of);
    EXPECT_EQ(a.cluster_id, b.cluster_id);
    EXPECT_EQ(a.cluster_size, b.cluster_size);
    EXPECT_EQ(a.text_changed, b.text_changed);
    EXPECT_EQ(a.fields, b.fields);
    ASSERT_EQ(a.signals.size(), b.signals.size());
    std::string la, lb;
    AppendDocumentLine(a, la);
    AppendDocumentLine(b, lb);
    EXPECT_EQ(la, lb);  // the writer's bytes, the point of it all
  }
  Result<bool> end = (*reader)->Next(out);
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(*end);
}

TEST(DocSpillTest, DamageIsReportedNotTrusted) {
  TempDir dir;
  winnow::testing::WriteFile(dir / "s.bin", std::string(24, '\x7f'));
  auto reader = SpillReader::Open(dir / "s.bin");
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kCorrupt);
  Batch garbage;
  garbage.input = std::string(50, '\x01') + std::string(Batch::kInputPadding, '\0');
  NameTable names;
  EXPECT_FALSE(DecodeSpillRecords(garbage, names).ok());
}

}  // namespace
}  // namespace winnow::io
