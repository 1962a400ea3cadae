#include "winnow/io/record_codec.h"

#include <gtest/gtest.h>

namespace winnow::io {
namespace {

// Parses `line` as the only record of a batch.
struct Parsed {
  Batch batch;
  bool ok() const { return batch.rejected.empty() && batch.docs.size() == 1; }
  const Document& doc() const { return batch.docs.at(0); }
  const Rejected& rejected() const { return batch.rejected.at(0); }
};

std::unique_ptr<Parsed> Parse(std::string_view line) {
  auto p = std::make_unique<Parsed>();
  p->batch.source = "in.jsonl";
  p->batch.shard = 3;
  p->batch.input.assign(line);
  p->batch.input.append(Batch::kInputPadding, ' ');
  RecordRef ref;
  ref.size = line.size();
  ref.line = 7;
  ref.byte_offset = 100;
  ref.ordinal = 6;
  p->batch.records.push_back(ref);
  RecordParser parser;
  parser.ParseBatch(p->batch);
  return p;
}

std::string Output(const Document& d) {
  std::string out;
  AppendDocumentLine(d, out);
  return out;
}

TEST(RecordCodecTest, ReadsTextIdAndUrl) {
  auto p = Parse(R"({"id":"a1","url":"https://x.example/","text":"Hello\nworld \u00e9"})");
  ASSERT_TRUE(p->ok());
  EXPECT_EQ(p->doc().id, "a1");
  EXPECT_EQ(p->doc().url, "https://x.example/");
  EXPECT_EQ(p->doc().text, "Hello\nworld \xC3\xA9");
  EXPECT_EQ(p->doc().where.shard, 3u);
  EXPECT_EQ(p->doc().where.ordinal, 6u);
}

TEST(RecordCodecTest, NumericIdKeepsItsSpellingAndMissingIdIsPositional) {
  auto p = Parse(R"({"id": 12.50 ,"text":"x"})");
  ASSERT_TRUE(p->ok());
  EXPECT_EQ(p->doc().id, "12.50");
  auto q = Parse(R"({"text":"x"})");
  ASSERT_TRUE(q->ok());
  EXPECT_EQ(q->doc().id, "3:6");
}

TEST(RecordCodecTest, EveryOtherFieldPassesThroughByteForByte) {
  std::string line =
      R"({"id":"d","meta":{"n":[1,2.50,-0.0,1E+2,12345678901234567890],"s":"caf\u00e9 \ud83e\udd14",)"
      R"("deep":{"a":{"b":[null,true,false,{}]}}},"text":"body text","z":"\"quoted\""})";
  auto p = Parse(line);
  ASSERT_TRUE(p->ok()) << p->rejected().error;
  Document d = p->doc();
  d.SetSignal("chars", 9);
  std::string out = Output(d);
  std::string expected =
      line.substr(0, line.size() - 1) + R"(,"winnow":{"signals":{"chars":9}}})" + "\n";
  EXPECT_EQ(out, expected);
}

TEST(RecordCodecTest, EditedTextIsReencodedInPlace) {
  auto p = Parse(R"({"text" : "old\ttext" , "after":1})");
  ASSERT_TRUE(p->ok());
  Document d = p->doc();
  d.SetText("new \"text\"\n");
  d.reason = "c4_quality:too_few_sentences";
  EXPECT_EQ(
      Output(d),
      R"({"text" : "new \"text\"\n" , "after":1,"winnow":{"reason":"c4_quality:too_few_sentences"}})"
      "\n");
}

TEST(RecordCodecTest, AnEarlierWinnowObjectIsReplaced) {
  auto p = Parse(R"({"text":"t","winnow":{"reason":"old:x","signals":{"a":1}},"k":2})");
  ASSERT_TRUE(p->ok());
  Document d = p->doc();
  d.duplicate_of = "first";
  d.reason = "exact:duplicate";
  EXPECT_EQ(Output(d),
            R"({"text":"t","winnow":{"reason":"exact:duplicate","duplicate_of":"first"},"k":2})"
            "\n");
}

TEST(RecordCodecTest, DocumentsFromTextInputGetAFreshObject) {
  Document d;
  d.id = "page.txt";
  d.text = "a\nb";
  EXPECT_EQ(Output(d), R"({"id":"page.txt","text":"a\nb","winnow":{}})"
                       "\n");
}

struct BadCase {
  const char* line;
  const char* kind;
  const char* message;
};

TEST(RecordCodecTest, BadRecordsAreRejectedWithKindAndPosition) {
  const BadCase cases[] = {
      {R"({"text":"ok","meta":{"a":tru}})", "json", "invalid JSON"},
      {R"({"text":"ok","meta":[1,2,}})", "json", "invalid JSON"},
      {R"({"text":"ok"} {"text":"again"})", "json", "trailing content"},
      {R"({"text":"ok")", "json", "invalid JSON"},
      {R"(["text","ok"])", "json", "not a JSON object"},
      {R"({"id":"x"})", "missing_text", "no \"text\" field"},
      {R"({"text":42})", "missing_text", "\"text\" is a number"},
      {R"({"text":null})", "missing_text", "\"text\" is null"},
      {R"({"text":"a","text":"b"})", "json", "duplicate key"},
      {"{\"text\":\"bad \xFF byte\"}", "utf8", "invalid JSON"},
      {R"({"text":"bad escape \x"})", "json", "invalid JSON"},
  };
  for (const BadCase& c : cases) {
    auto p = Parse(c.line);
    ASSERT_TRUE(p->batch.docs.empty()) << c.line;
    ASSERT_EQ(p->batch.rejected.size(), 1u) << c.line;
    const Rejected& r = p->rejected();
    EXPECT_EQ(r.kind, c.kind) << c.line;
    EXPECT_NE(r.error.find(c.message), std::string::npos) << c.line << " -> " << r.error;
    EXPECT_NE(r.error.find("in.jsonl:7@100"), std::string::npos) << r.error;
    EXPECT_EQ(r.line, 7u);
    EXPECT_EQ(r.ordinal, 6u);
  }
}

TEST(RecordCodecTest, RejectedLineIsValidJsonEvenForBinaryExcerpts) {
  Rejected r;
  r.file = "x.jsonl";
  r.line = 2;
  r.byte_offset = 10;
  r.kind = "utf8";
  r.error = "invalid";
  r.excerpt = std::string("\xFF\x00\"", 3);
  std::string out;
  AppendRejectedLine(r, out);
  EXPECT_EQ(
      out,
      "{\"file\":\"x.jsonl\",\"line\":2,\"offset\":10,\"kind\":\"utf8\",\"error\":\"invalid\","
      "\"excerpt\":\"\xEF\xBF\xBD\\u0000\\\"\"}\n");
}

}  // namespace
}  // namespace winnow::io
