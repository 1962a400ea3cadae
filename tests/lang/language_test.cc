// Language ID (CLD2 and fastText), the language and fasttext_classifier stages, words for
// languages without spaces, and per-language filter options.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include <simdjson.h>

#include "testing/test_util.h"
#include "winnow/core/registry.h"
#include "winnow/filter/filter_stage.h"
#include "winnow/filter/register.h"
#include "winnow/gen/generator.h"
#include "winnow/lang/fasttext_model.h"
#include "winnow/lang/language_id.h"
#include "winnow/text/document_tokens.h"
#include "winnow/text/spacy_tokenizer.h"
#include "winnow/text/word_break.h"

namespace winnow {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const StageRegistry& Registry() {
  static const StageRegistry* r = [] {
    auto* reg = new StageRegistry();
    filter::RegisterStages(*reg);
    return reg;
  }();
  return *r;
}

Result<std::unique_ptr<filter::FilterStage>> Make(std::string_view name, OptionMap options,
                                                  PerLanguageOptions per_language = {}) {
  WINNOW_ASSIGN_OR_RETURN(auto s,
                          Registry().Create(name, std::move(options), std::move(per_language)));
  return std::unique_ptr<filter::FilterStage>(static_cast<filter::FilterStage*>(s.release()));
}

OptionValue V(std::string s) {
  OptionValue v;
  v.scalar = std::move(s);
  return v;
}
OptionValue L(std::vector<std::string> items) {
  OptionValue v;
  v.is_list = true;
  v.list = std::move(items);
  return v;
}

// Hand-written news-style sentences (not from any corpus), one per language.
const std::vector<std::pair<std::string, std::string>>& Sentences() {
  static const std::vector<std::pair<std::string, std::string>> s = {
      {"en",
       "The committee will meet again next week to discuss the budget for the new school "
       "building and the roads."},
      {"de",
       "Die Bundesregierung hat am Mittwoch beschlossen, die Förderung für erneuerbare "
       "Energien im kommenden Jahr deutlich zu erhöhen."},
      {"fr",
       "Le gouvernement a annoncé mercredi une nouvelle réforme des retraites qui suscite "
       "déjà de vives critiques chez les syndicats."},
      {"es",
       "El ayuntamiento ha decidido ampliar el horario de las bibliotecas públicas durante "
       "los meses de verano para los estudiantes."},
      {"it",
       "Il consiglio comunale ha approvato ieri sera il nuovo piano per la mobilità "
       "sostenibile nel centro storico della città."},
      {"pt",
       "O governo anunciou ontem um novo programa de apoio às pequenas empresas afetadas "
       "pela crise económica dos últimos anos."},
      {"nl",
       "De gemeente heeft besloten om volgend jaar extra geld uit te trekken voor het "
       "onderhoud van de fietspaden in de stad."},
      {"pl",
       "Rząd przyjął wczoraj projekt ustawy o ochronie środowiska, który ma ograniczyć "
       "emisję zanieczyszczeń w dużych miastach."},
      {"ru",
       "Правительство объявило о новых мерах поддержки малого бизнеса, которые вступят в "
       "силу в начале следующего года. Вчера вечером в центре города прошёл большой "
       "концерт, на который пришли тысячи людей."},
      {"uk",
       "Київ є столицею України і одним з найбільших міст Східної Європи, де живе понад "
       "три мільйони людей."},
      {"zh",
       "我们今天去北京大学学习中文，老师给我们介绍了中国的历史和文化，大家都觉得非常有意思。"},
      {"ja",
       "今日は友達と一緒に東京の美術館に行って、有名な画家の作品をたくさん見ることができました。"},
      {"ko",
       "오늘은 친구들과 함께 서울에 있는 박물관에 가서 한국의 역사에 대해 많은 것을 배웠습니다."},
      {"ar",
       "أعلنت الحكومة اليوم عن خطة جديدة لدعم التعليم في المناطق الريفية وتحسين جودة "
       "المدارس الحكومية."},
      {"th", "วันนี้ฉันไปตลาดกับแม่เพื่อซื้อผักและผลไม้สดสำหรับทำอาหารเย็นให้ครอบครัวของเรา"},
      {"tr",
       "Hükümet bugün küçük işletmeleri desteklemek için yeni bir ekonomik paket açıkladı "
       "ve vergi indirimleri yapılacak."},
      {"sv",
       "Regeringen presenterade i dag ett nytt förslag om att bygga fler bostäder i de "
       "större städerna under de kommande åren."},
      {"hi",
       "सरकार ने आज छोटे व्यापारियों की मदद के लिए एक नई योजना की घोषणा की है जो अगले "
       "महीने से लागू होगी।"},
      {"el",
       "Η κυβέρνηση ανακοίνωσε σήμερα νέα μέτρα στήριξης για τις μικρές επιχειρήσεις που "
       "επλήγησαν από την κρίση."},
      {"fi",
       "Hallitus ilmoitti tänään uusista toimista pienten yritysten tukemiseksi, ja ne "
       "tulevat voimaan ensi vuoden alussa."},
      {"he",
       "הממשלה החליטה היום להגדיל את התקציב לחינוך ולבריאות בשנה הבאה, כך נמסר בהודעה "
       "רשמית."},
      {"vi",
       "Chính phủ đã quyết định tăng ngân sách cho giáo dục và y tế trong năm tới, theo "
       "thông báo chính thức."},
      {"cs",
       "Vláda dnes rozhodla, že v příštím roce zvýší rozpočet na školství a "
       "zdravotnictví, uvedla v oficiálním prohlášení."},
      {"hu",
       "A kormány ma úgy döntött, hogy jövőre növeli az oktatásra és az egészségügyre "
       "fordított költségvetést."},
      {"da",
       "Regeringen besluttede i dag at hæve budgettet til uddannelse og sundhed i det "
       "kommende år, oplyser ministeriet."},
      {"id",
       "Pemerintah hari ini memutuskan untuk menaikkan anggaran pendidikan dan kesehatan "
       "pada tahun depan."},
      {"ro",
       "Guvernul a decis astăzi să mărească bugetul pentru educație și sănătate în anul "
       "care urmează."},
      {"fa", "دولت امروز تصمیم گرفت بودجه آموزش و بهداشت را در سال آینده افزایش دهد."},
  };
  return s;
}

TEST(Cld2Test, IdentifiesTwentyEightLanguages) {
  auto cld2 = lang::NewCld2Identifier();
  lang::LanguageScratch scratch;
  std::vector<lang::LanguageGuess> guesses;
  int right = 0;
  for (const auto& [code, sentence] : Sentences()) {
    cld2->Identify(sentence, scratch, guesses);
    ASSERT_FALSE(guesses.empty()) << code;
    EXPECT_EQ(guesses.front().code, code) << sentence;
    EXPECT_GT(guesses.front().score, 0.65) << code;
    right += guesses.front().code == code;
  }
  std::printf("CLD2: %d of %zu hand-written sentences identified\n", right, Sentences().size());
}

TEST(Cld2Test, NoLanguageInDigitsOrEmptyText) {
  auto cld2 = lang::NewCld2Identifier();
  lang::LanguageScratch scratch;
  std::vector<lang::LanguageGuess> guesses;
  for (std::string_view t : {"", "12345 67890 111 222 333", "\n\n  \t"}) {
    cld2->Identify(t, scratch, guesses);
    EXPECT_TRUE(guesses.empty()) << t;
  }
}

TEST(LanguageStageTest, DatatroveSemantics) {
  Document en;
  en.text = Sentences()[0].second;
  Document de;
  de.text = Sentences()[1].second;
  {
    auto f = *Make("language", {});  // languages [en], threshold 0.65
    EXPECT_TRUE(f->Check(en).keep);
    EXPECT_EQ(en.language(), "en");
    filter::Decision d = f->Check(de);
    EXPECT_FALSE(d.keep);
    EXPECT_EQ(d.reason, "language:other_language");
    EXPECT_EQ(de.language(), "de");
  }
  {
    auto f = *Make("language", {{"languages", L({"de", "fr"})}});
    EXPECT_TRUE(f->Check(de).keep);
    EXPECT_FALSE(f->Check(en).keep);
  }
  {
    // No list: any language whose score passes; a threshold nothing passes.
    auto any = *Make("language", {{"languages", L({})}});
    EXPECT_TRUE(any->Check(de).keep);
    auto strict = *Make("language", {{"languages", L({})}, {"language_threshold", V("0.999")}});
    filter::Decision d = strict->Check(de);
    EXPECT_FALSE(d.keep);
    EXPECT_EQ(d.reason, "language:below_threshold");
    auto listed_strict = *Make("language", {{"language_threshold", V("0.999")}});
    EXPECT_EQ(listed_strict->Check(en).reason, "language:below_threshold");
  }
  {
    auto label = *Make("language", {{"label_only", V("true")}});
    Document digits;
    digits.text = "12345 67890";
    EXPECT_TRUE(label->Check(de).keep);
    EXPECT_TRUE(label->Check(digits).keep);
    EXPECT_EQ(digits.language(), "un");
    ASSERT_EQ(digits.signals.size(), 1u);
    EXPECT_EQ(digits.signals[0].name, "language_score");
    EXPECT_EQ(digits.signals[0].value, 0.0);
  }
}

TEST(LanguageStageTest, SamplesLongTextsFromThreePlaces) {
  // 80 KB: English, a German middle, English. The whole text and the 1 KB sample agree on
  // the language and, roughly, on its share; the sample sees the German too.
  std::string text;
  for (int i = 0; i < 200; ++i) text += Sentences()[0].second + "\n";
  std::string mixed = text;
  for (int i = 0; i < 200; ++i) mixed += Sentences()[1].second + "\n";
  mixed += text;
  auto sampled = *Make("language", {});
  auto whole = *Make("language", {{"max_bytes", V("0")}});
  Document a, b, c;
  a.text = mixed;
  b.text = mixed;
  c.text = text;
  sampled->Check(a);
  whole->Check(b);
  EXPECT_EQ(a.language(), "en");
  EXPECT_EQ(b.language(), "en");
  EXPECT_NEAR(a.signals[0].value, b.signals[0].value, 0.15);
  EXPECT_TRUE(sampled->Check(c).keep);
  EXPECT_LT(a.signals[0].value, c.signals[0].value - 0.2);
  EXPECT_FALSE(Make("language", {{"max_bytes", V("10")}}).ok());
}

TEST(LanguageStageTest, LabelsSegmentsAnatomyMovedOut) {
  // anatomy with `comments: field` leaves the article in the text and the comments in a field.
  auto f = *Make("language", {});
  Document d;
  d.text = Sentences()[0].second;
  d.SetField("comments", Sentences()[1].second + "\n" + Sentences()[2].second);
  EXPECT_TRUE(f->Check(d).keep);  // the article is English
  EXPECT_EQ(d.language(), "en");
  EXPECT_EQ(d.Field("comments_language"), "de");
  EXPECT_EQ(d.Field("boilerplate_language"), "");  // no such segment
  bool scored = false;
  for (const Signal& s : d.signals) scored |= s.name == "comments_language_score" && s.value > 0.3;
  EXPECT_TRUE(scored);
}

TEST(LanguageStageTest, BadConfigurationIsAnError) {
  auto r = Make("language", {{"backend", V("cld3")}});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().ToString(), HasSubstr("cld2 or fasttext"));
  r = Make("language", {{"backend", V("fasttext")}});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().ToString(), HasSubstr("model"));
}

// Agreement with the language the page declares (<html lang>), on the multilingual
// trafilatura evaluation pages, judged on their gold text snippets.
TEST(LanguageStageTest, AgreesWithDeclaredLanguagesOfTrafilaturaPages) {
  std::string dir = testing::SharedDataDir();
  if (dir.empty()) GTEST_SKIP() << "../shared/data absent";
  std::string base = dir + "/extraction/trafilatura_eval/";
  auto f = *Make("language", {{"label_only", V("true")}});
  int declared = 0, agree = 0;
  for (const std::string& line :
       testing::SplitLines(testing::ReadDecoded(base + "truth.jsonl.gz"))) {
    // Fields by hand: "html_file" and the "with" snippets.
    auto field = [&](std::string_view key) {
      size_t at = line.find("\"" + std::string(key) + "\": ");
      return at == std::string::npos ? std::string_view() : std::string_view(line).substr(at);
    };
    std::string_view file = field("html_file");
    file = file.substr(file.find(": \"") + 3);
    file = file.substr(0, file.find('"'));
    std::string html = testing::ReadDecoded(base + std::string(file));
    // <html ... lang="xx(-YY)">, by hand.
    std::string head = html.substr(0, std::min<size_t>(html.size(), 4096));
    for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    size_t tag = head.find("<html");
    size_t close = tag == std::string::npos ? tag : head.find('>', tag);
    size_t attr = tag == std::string::npos ? tag : head.find(" lang=\"", tag);
    if (attr == std::string::npos || attr > close) continue;
    std::string want;
    for (size_t i = attr + 7; i < head.size() && std::isalpha(static_cast<unsigned char>(head[i]));
         ++i) {
      want.push_back(head[i]);
    }
    if (want.empty()) continue;
    std::string_view with = field("with");
    with = with.substr(0, with.find(']'));
    Document doc;
    // The snippets, quotes and separators included: they are short, CLD2 sees the words.
    doc.text = std::string(with.substr(with.find('[') + 1));
    f->Check(doc);
    ++declared;
    agree += doc.language() == want;
  }
  std::printf("trafilatura_eval: %d pages declare a language; CLD2 agrees on %d (%.3f)\n", declared,
              agree, declared ? double(agree) / declared : 0.0);
  ASSERT_GE(declared, 30);
  // Some pages declare the wrong language (German text under lang="en"): not 1.0.
  EXPECT_GE(double(agree) / declared, 0.8);
}

// Against the generator's truth: articles are English, foreign documents German, French,
// Spanish or Russian (junk has no language worth a label and is not scored).
TEST(LanguageStageTest, MatchesTheGeneratedCorpusTruth) {
  testing::TempDir dir;
  gen::GenOptions o;
  o.docs = 3000;
  o.seed = 11;
  o.output = dir / "corpus.jsonl";
  o.truth = dir / "truth.jsonl";
  ASSERT_TRUE(gen::GenerateCorpus(o).ok());
  std::vector<std::string> docs = testing::SplitLines(testing::ReadRaw(o.output));
  std::vector<std::string> truth = testing::SplitLines(testing::ReadRaw(o.truth));
  ASSERT_EQ(docs.size(), truth.size());
  auto f = *Make("language", {{"label_only", V("true")}});
  simdjson::dom::parser p1, p2;
  int scored = 0, right = 0, foreign = 0;
  for (size_t i = 0; i < docs.size(); ++i) {
    simdjson::dom::element t = p2.parse(truth[i]);
    std::string_view kind = t["base_kind"], want = t["lang"];
    if (kind != "article" && kind != "foreign") continue;
    Document d;
    d.text = std::string(std::string_view(p1.parse(docs[i])["text"]));
    f->Check(d);
    ++scored;
    foreign += kind == "foreign";
    right += d.language() == want;
  }
  std::printf("generated: %d of %d articles and foreign documents labelled as the truth says\n",
              right, scored);
  ASSERT_GT(foreign, 50);
  EXPECT_GE(right, scored - scored / 200);  // >= 99.5%
}

// --- fastText: tiny models trained here, so the real loading and prediction code runs.

std::string TrainFile(const testing::TempDir& dir, std::string_view name,
                      const std::vector<std::pair<std::string, std::string>>& rows) {
  std::string path = dir / name;
  std::string body;
  for (const auto& [label, text] : rows) body += "__label__" + label + " " + text + "\n";
  testing::WriteFile(path, body);
  return path;
}

// Sentences of three languages, varied by rotating their words: enough for a word model.
std::vector<std::pair<std::string, std::string>> LidTrainingRows() {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const auto& [code, sentence] : Sentences()) {
    if (code != "en" && code != "de" && code != "fr") continue;
    std::vector<std::string> words;
    std::string w;
    for (char c : sentence + " ") {
      if (c == ' ') {
        if (!w.empty()) words.push_back(w);
        w.clear();
      } else {
        w.push_back(c);
      }
    }
    for (size_t r = 0; r < words.size(); ++r) {
      std::string line;
      for (size_t i = 0; i < words.size(); ++i) line += words[(i + r) % words.size()] + " ";
      rows.emplace_back(code, line);
    }
  }
  return rows;
}

TEST(FastTextTest, TrainedLanguageModelPredictsThroughTheLanguageStage) {
  testing::TempDir dir;
  std::string model = dir / "lid.bin";
  ASSERT_TRUE(lang::TrainSupervised(TrainFile(dir, "lid.txt", LidTrainingRows()), model).ok());

  auto loaded = lang::FastTextModel::Load(model);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ((*loaded)->labels().size(), 3u);

  auto f =
      Make("language", {{"backend", V("fasttext")}, {"model", V(model)}, {"languages", L({"de"})}});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  // Held-out sentences sharing only common words with the training ones.
  Document de, en, fr;
  de.text = "Die Regierung hat die Energien und die Förderung im Jahr beschlossen";
  en.text = "The school and the roads will meet the budget next week";
  fr.text = "Le gouvernement et les syndicats une nouvelle réforme des critiques";
  EXPECT_TRUE((*f)->Check(de).keep);
  EXPECT_EQ(de.language(), "de");
  EXPECT_EQ((*f)->Check(en).reason, "language:other_language");
  EXPECT_EQ(en.language(), "en");
  (*f)->Check(fr);
  EXPECT_EQ(fr.language(), "fr");
  ASSERT_FALSE(de.signals.empty());
  EXPECT_GT(de.signals[0].value, 0.65);
  EXPECT_LE(de.signals[0].value, 1.0);
}

TEST(FastTextTest, QualityClassifierScoresAndKeepsByThreshold) {
  testing::TempDir dir;
  std::vector<std::pair<std::string, std::string>> rows;
  const char* good[] = {
      "The council approved the new budget after a long debate about schools and roads.",
      "Researchers measured the temperature of the lake every morning for three years.",
      "The museum opened a new exhibition on the history of printing in Europe.",
      "Farmers in the region reported a better harvest than in the previous season."};
  const char* bad[] = {"buy cheap pills now click here best price free shipping",
                       "click here win money now free casino bonus click click",
                       "cheap watches cheap bags free free click now best deal",
                       "hot singles click here now free chat best price win"};
  for (int r = 0; r < 8; ++r) {
    for (const char* g : good) rows.emplace_back("hq", g);
    for (const char* b : bad) rows.emplace_back("lq", b);
  }
  std::string model = dir / "quality.bin";
  ASSERT_TRUE(lang::TrainSupervised(TrainFile(dir, "q.txt", rows), model).ok());

  auto f = Make("fasttext_classifier",
                {{"model", V(model)}, {"label", V("__label__hq")}, {"name", V("dclm")}});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ((*f)->name(), "dclm");
  Document good_doc, bad_doc;
  good_doc.text = "The council reported a better harvest and approved the museum budget.";
  bad_doc.text = "click here for cheap pills, free casino bonus, best price now";
  EXPECT_TRUE((*f)->Check(good_doc).keep);
  filter::Decision d = (*f)->Check(bad_doc);
  EXPECT_FALSE(d.keep);
  EXPECT_EQ(d.reason, "dclm:below_threshold");
  ASSERT_EQ(good_doc.signals.size(), 1u);
  EXPECT_EQ(good_doc.signals[0].name, "dclm_hq");
  EXPECT_GT(good_doc.signals[0].value, 0.5);
  EXPECT_LT(bad_doc.signals[0].value, 0.5);

  // Score only; a label the model does not have is an error listing the ones it has.
  auto scorer = *Make("fasttext_classifier",
                      {{"model", V(model)}, {"label", V("lq")}, {"threshold", V("null")}});
  EXPECT_TRUE(scorer->Check(good_doc).keep);
  EXPECT_EQ(good_doc.signals.back().name, "fasttext_classifier_lq");
  auto r = Make("fasttext_classifier", {{"model", V(model)}, {"label", V("edu")}});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().ToString(), HasSubstr("has no label 'edu' (it has: "));
  EXPECT_THAT(r.status().ToString(), HasSubstr("hq"));
}

TEST(FastTextTest, MissingOrCorruptModelsAreErrorsNamingThePath) {
  testing::TempDir dir;
  std::string model = dir / "lid.bin";
  ASSERT_TRUE(lang::TrainSupervised(TrainFile(dir, "lid.txt", LidTrainingRows()), model).ok());
  std::string bytes = testing::ReadRaw(model);

  std::string missing = dir / "nope.bin";
  auto r = lang::FastTextModel::Load(missing);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().ToString(), HasSubstr(missing));

  std::string junk = dir / "junk.bin";
  testing::WriteFile(junk, "this is not a model, just some text\n");
  r = lang::FastTextModel::Load(junk);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().ToString(), HasSubstr(junk));
  EXPECT_THAT(r.status().ToString(), HasSubstr("not a fastText model"));

  // Truncated anywhere: in the header, in the dictionary (where fastText 0.9.2 itself would
  // loop forever), in the matrices. Each an error, quickly.
  for (size_t cut : {size_t{6}, size_t{70}, size_t{120}, bytes.size() / 2, bytes.size() - 1}) {
    std::string truncated = dir / ("cut" + std::to_string(cut) + ".bin");
    testing::WriteFile(truncated, std::string_view(bytes).substr(0, cut));
    auto start = std::chrono::steady_clock::now();
    r = lang::FastTextModel::Load(truncated);
    EXPECT_FALSE(r.ok()) << cut;
    if (!r.ok()) {
      EXPECT_THAT(r.status().ToString(), HasSubstr(truncated));
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  }
  // Through the stage, too.
  auto f = Make("language", {{"backend", V("fasttext")}, {"model", V(junk)}});
  ASSERT_FALSE(f.ok());
  EXPECT_THAT(f.status().ToString(), HasSubstr(junk));
  auto c = Make("fasttext_classifier", {{"model", V(missing)}, {"label", V("hq")}});
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().ToString(), HasSubstr(missing));
}

// --- Words for languages without spaces.

std::vector<std::string> Words(std::string_view language, std::string text) {
  Document doc;
  doc.text = std::move(text);
  if (!language.empty()) doc.SetField("language", std::string(language));
  text::TokenizerScratch scratch;
  std::vector<std::string_view> words;
  text::DocumentWords(doc, text::SpacyTokenizer::English(), scratch, &words);
  return {words.begin(), words.end()};
}

TEST(WordBreakTest, ChineseJapaneseAndThaiAreSplitIntoWords) {
  EXPECT_THAT(Words("zh", "我们今天去北京大学学习中文"),
              ElementsAre("我们", "今天", "去", "北京", "大学", "学习", "中文"));
  // Without the language, the English rules see one 13-character word.
  EXPECT_EQ(Words("", "我们今天去北京大学学习中文").size(), 1u);
  std::vector<std::string> ja = Words("ja", "今日は友達と東京の美術館に行きました。");
  EXPECT_GE(ja.size(), 8u);
  EXPECT_EQ(ja.back(), "。");  // punctuation is a token, as in spaCy
  std::vector<std::string> th = Words("th", "วันนี้ฉันไปตลาดกับแม่");
  // "today I go to the market with mother": ICU's dictionary splits วันนี้ into วัน|นี้.
  EXPECT_THAT(th, ElementsAre("วัน", "นี้", "ฉัน", "ไป", "ตลาด", "กับ", "แม่"));
  // Spaces and Latin words inside Chinese text.
  EXPECT_THAT(Words("zh", "我们 使用 Linux 系统。"),
              ElementsAre("我们", "使用", "Linux", "系统", "。"));
  EXPECT_TRUE(text::UsesDictionaryWordBreak("zh"));
  EXPECT_FALSE(text::UsesDictionaryWordBreak("en"));
  EXPECT_FALSE(text::UsesDictionaryWordBreak("ko"));  // Korean has spaces
}

std::string ChinesePage() {
  std::string zh;
  for (int i = 0; i < 6; ++i) {
    zh += "我们今天去北京大学学习中文，老师给我们介绍了中国的历史和文化，大家都觉得非常有意思。";
    zh += "这个城市的交通非常方便，地铁和公交车可以到达每一个地方，所以很多人选择不开车。\n";
  }
  return zh;
}

TEST(PerLanguageTest, ChineseGetsItsOwnGopherSettings) {
  auto language = *Make("language", {{"languages", L({"en", "zh"})}});
  // Gopher's English settings: Chinese words are short and English stop words absent.
  auto plain = *Make("gopher_quality", {});
  OptionMap zh{{"min_avg_word_length", V("1")},
               {"stop_words", L({"的", "了", "是", "在", "和"})},
               {"min_stop_words", V("2")}};
  auto per = Make("gopher_quality", {}, {{"zh", zh}});
  ASSERT_TRUE(per.ok()) << per.status().ToString();

  Document a, b;
  a.text = b.text = ChinesePage();
  ASSERT_TRUE(language->Check(a).keep);
  ASSERT_TRUE(language->Check(b).keep);
  EXPECT_EQ(a.language(), "zh");
  filter::Decision d = plain->Check(a);
  EXPECT_FALSE(d.keep);
  EXPECT_EQ(d.reason, "gopher_quality:gopher_below_avg_threshold");  // words found, but short
  EXPECT_TRUE((*per)->Check(b).keep);
  // English documents keep English settings in the per-language stage.
  Document en;
  en.text = "the cat";
  language->Check(en);
  EXPECT_EQ((*per)->Check(en).reason, "gopher_quality:gopher_short_doc");
}

TEST(PerLanguageTest, OptionsAreValidated) {
  auto r = Make("gopher_quality", {}, {{"zh", {{"no_such_option", V("1")}}}});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().ToString(), HasSubstr("per_language.zh"));
  r = Make("language", {}, {{"zh", {{"max_bytes", V("0")}}}});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().ToString(), HasSubstr("no per-language options"));
  r = Make("gopher_quality", {}, {{"zh", {{"min_doc_words", V("many")}}}});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().ToString(), HasSubstr("per_language.zh"));
}

}  // namespace
}  // namespace winnow
