// Unit tests of the four datatrove filters: every reason, each threshold exactly at, just
// under and just over its measured value, and inputs that break naive code.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <string>

#include "winnow/core/registry.h"
#include "winnow/filter/c4_quality.h"
#include "winnow/filter/filter_stage.h"
#include "winnow/filter/register.h"

namespace winnow::filter {
namespace {

using Opts = std::map<std::string, std::string>;

const StageRegistry& Registry() {
  static const StageRegistry* r = [] {
    auto* reg = new StageRegistry();
    RegisterStages(*reg);
    return reg;
  }();
  return *r;
}

std::unique_ptr<FilterStage> Make(std::string_view name, const Opts& opts = {}) {
  std::map<std::string, OptionValue> o;
  for (const auto& [k, v] : opts) o[k].scalar = v;
  Result<std::unique_ptr<Stage>> s = Registry().Create(name, o);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return std::unique_ptr<FilterStage>(static_cast<FilterStage*>(s->release()));
}

struct Outcome {
  Decision decision;
  Document doc;
  double Signal(std::string_view name) const {
    for (const winnow::Signal& s : doc.signals) {
      if (s.name == name) return s.value;
    }
    ADD_FAILURE() << "no signal " << name;
    return NAN;
  }
};

Outcome Apply(std::string_view filter, const std::string& text, const Opts& opts = {}) {
  auto f = Make(filter, opts);
  Outcome r;
  r.doc.text = text;
  r.decision = f->Check(r.doc);
  return r;
}

std::string Reason(const Outcome& r) {
  return r.decision.keep ? "keep" : std::string(r.decision.reason);
}

// Clean English prose of `sentences` distinct sentences (at most 24): passes every filter with
// defaults. A new line every third sentence.
std::string Prose(int sentences) {
  static const char* kSentences[] = {
      "The river runs through the old town and past the market square.",
      "Farmers bring their vegetables to the stalls early in the morning.",
      "Children walk to school with their parents along narrow streets.",
      "In the evening cafes fill with people talking about their day.",
      "Visitors often stay longer than they planned because it is calm.",
      "A museum holds paintings that have hung there for two centuries.",
      "Local musicians play in the park on warm summer weekends.",
      "Last year a new bridge was built to connect both banks.",
      "Most houses near the harbour were painted blue by fishermen.",
      "Tourists who arrive by train should buy tickets at the station.",
      "On Sundays the bakery opens late and closes before lunch.",
      "A small library lends books to anyone with a local address.",
      "Storms in autumn sometimes flood the lower part of town.",
      "The mayor has promised better lighting for dark alleys.",
      "Several families have run shops here for generations.",
      "Cyclists prefer the quiet road that follows the canal.",
      "Every spring a festival celebrates the first harvest.",
      "Old stone walls still mark where the castle once stood.",
      "Teachers organise trips to the nearby forest each term.",
      "Young people leave for the city but many come back later.",
      "The hospital was rebuilt after a fire damaged its roof.",
      "Boats carry goods along the coast when roads are closed.",
      "Wild birds nest in the reeds beside the slow water.",
      "Nobody remembers exactly when the clock tower was finished."};
  std::string s;
  for (int i = 0; i < sentences; ++i) {
    if (i > 0) s += (i % 3 == 0) ? "\n" : " ";
    s += kSentences[i % 24];
  }
  return s;
}

// For a check `signal > threshold` (max_) or `signal < threshold` (min_): with the threshold
// set exactly to the measured signal the document passes (comparisons are strict, as in
// datatrove); one ulp on the other side it fails with `reason`.
void ExpectStrictThreshold(std::string_view filter, const std::string& text,
                           const std::string& option, std::string_view signal, bool is_max,
                           const std::string& reason, Opts base = {}) {
  double value = Apply(filter, text, base).Signal(signal);
  ASSERT_TRUE(std::isfinite(value)) << signal;
  auto with = [&](double t) {
    Opts o = base;
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.17g", t);
    o[option] = buf;
    return Reason(Apply(filter, text, o));
  };
  const double below = std::nextafter(value, -INFINITY), above = std::nextafter(value, INFINITY);
  EXPECT_EQ(with(value), "keep") << option << " at " << value;
  if (is_max) {
    EXPECT_EQ(with(below), reason) << option << " just under " << value;
    EXPECT_EQ(with(above), "keep") << option << " just over " << value;
  } else {
    EXPECT_EQ(with(above), reason) << option << " just over " << value;
    EXPECT_EQ(with(below), "keep") << option << " just under " << value;
  }
}

TEST(FiltersTest, CleanProsePassesEveryFilter) {
  std::string text = Prose(16);
  for (const char* f : {"gopher_repetition", "gopher_quality", "c4_quality", "fineweb_quality"}) {
    EXPECT_EQ(Reason(Apply(f, text)), "keep") << f;
  }
}

// ---- gopher_quality ----

TEST(GopherQualityTest, EveryReason) {
  EXPECT_EQ(Reason(Apply("gopher_quality", "The river and the town with a bridge.")),
            "gopher_quality:gopher_short_doc");
  std::string prose = Prose(16);
  EXPECT_EQ(Reason(Apply("gopher_quality", prose, {{"max_doc_words", "20"}})),
            "gopher_quality:gopher_long_doc");
  std::string tiny;
  for (int i = 0; i < 60; ++i) tiny += "to be of it and in ";
  EXPECT_EQ(Reason(Apply("gopher_quality", tiny)), "gopher_quality:gopher_below_avg_threshold");
  std::string longw;
  for (int i = 0; i < 60; ++i) longw += "the internationalization and responsibilities ";
  EXPECT_EQ(Reason(Apply("gopher_quality", longw)), "gopher_quality:gopher_above_avg_threshold");
  std::string hashes = prose, ellipses = prose;
  for (int i = 0; i < 40; ++i) {
    hashes += " #";
    ellipses += " ...";
  }
  EXPECT_EQ(Reason(Apply("gopher_quality", hashes)), "gopher_quality:gopher_too_many_hashes");
  EXPECT_EQ(Reason(Apply("gopher_quality", ellipses)), "gopher_quality:gopher_too_many_ellipsis");
  std::string bullets;
  for (int i = 0; i < 20; ++i) bullets += "- The river runs through the old town and the market\n";
  EXPECT_EQ(Reason(Apply("gopher_quality", bullets)), "gopher_quality:gopher_too_many_bullets");
  std::string trailing;
  for (int i = 0; i < 20; ++i)
    trailing += "The river runs through the old town and the market...\n";
  EXPECT_EQ(Reason(Apply("gopher_quality", trailing, {{"max_symbol_word_ratio", "null"}})),
            "gopher_quality:gopher_too_many_end_ellipsis");
  std::string numbers = prose;
  for (int i = 0; i < 60; ++i) numbers += " 1234 5678";
  EXPECT_EQ(Reason(Apply("gopher_quality", numbers)),
            "gopher_quality:gopher_below_alpha_threshold");
  std::string no_stop;
  for (int i = 0; i < 20; ++i) no_stop += "River runs past town. Farmers sell vegetables early. ";
  EXPECT_EQ(Reason(Apply("gopher_quality", no_stop)), "gopher_quality:gopher_enough_stop_words");
}

TEST(GopherQualityTest, StopWordsAreDistinctAndCaseSensitive) {
  std::string one_stop;
  for (int i = 0; i < 20; ++i)
    one_stop += "the river runs past town. Farmers sell vegetables early. ";
  Outcome r = Apply("gopher_quality", one_stop);
  EXPECT_EQ(r.Signal("stop_words"), 1);  // "the" many times is one distinct stop word
  EXPECT_EQ(Reason(r), "gopher_quality:gopher_enough_stop_words");
  std::string upper = one_stop + " THE AND";
  EXPECT_EQ(Apply("gopher_quality", upper).Signal("stop_words"), 1);
}

TEST(GopherQualityTest, ThresholdsAtUnderOver) {
  std::string prose = Prose(16) + " # ... and - more";
  ExpectStrictThreshold("gopher_quality", prose, "max_symbol_word_ratio", "hash_ratio", true,
                        "gopher_quality:gopher_too_many_hashes");
  ExpectStrictThreshold("gopher_quality", prose, "min_avg_word_length", "mean_word_length", false,
                        "gopher_quality:gopher_below_avg_threshold");
  ExpectStrictThreshold("gopher_quality", prose, "max_avg_word_length", "mean_word_length", true,
                        "gopher_quality:gopher_above_avg_threshold");
  ExpectStrictThreshold("gopher_quality", prose, "max_non_alpha_words_ratio", "alpha_words_ratio",
                        false, "gopher_quality:gopher_below_alpha_threshold");
  // Word counts: exactly min_doc_words passes, one fewer fails.
  Outcome r = Apply("gopher_quality", prose);
  int n = static_cast<int>(r.Signal("non_symbol_words"));
  EXPECT_EQ(Reason(Apply("gopher_quality", prose, {{"min_doc_words", std::to_string(n)}})), "keep");
  EXPECT_EQ(Reason(Apply("gopher_quality", prose, {{"min_doc_words", std::to_string(n + 1)}})),
            "gopher_quality:gopher_short_doc");
  EXPECT_EQ(Reason(Apply("gopher_quality", prose, {{"max_doc_words", std::to_string(n)}})), "keep");
  EXPECT_EQ(Reason(Apply("gopher_quality", prose, {{"max_doc_words", std::to_string(n - 1)}})),
            "gopher_quality:gopher_long_doc");
}

TEST(GopherQualityTest, EveryOtherThresholdAtUnderOver) {
  // Lines: a third start with a bullet and a third end with an ellipsis; a few ellipses.
  std::string text;
  for (int i = 0; i < 24; ++i) {
    std::string line = Prose(24).substr(static_cast<size_t>(i) * 7, 60);
    if (i % 3 == 0) line = "- " + line;
    if (i % 3 == 1) line += "...";
    text += line + "\n";
  }
  Opts open = {{"max_symbol_word_ratio", "null"},
               {"min_avg_word_length", "null"},
               {"max_non_alpha_words_ratio", "null"},
               {"min_stop_words", "null"}};
  ExpectStrictThreshold("gopher_quality", text, "max_bullet_lines_ratio", "bullet_lines_ratio",
                        true, "gopher_quality:gopher_too_many_bullets", open);
  ExpectStrictThreshold("gopher_quality", text, "max_ellipsis_lines_ratio",
                        "end_ellipsis_lines_ratio", true,
                        "gopher_quality:gopher_too_many_end_ellipsis", open);
  Opts only_ellipsis = open;
  only_ellipsis.erase("max_symbol_word_ratio");
  only_ellipsis["max_ellipsis_lines_ratio"] = "null";
  ExpectStrictThreshold("gopher_quality", text, "max_symbol_word_ratio", "ellipsis_ratio", true,
                        "gopher_quality:gopher_too_many_ellipsis", only_ellipsis);
  // Stop words: an integer bound; exactly the count present passes, one more fails.
  Outcome r = Apply("gopher_quality", Prose(16));
  int stops = static_cast<int>(r.Signal("stop_words"));
  EXPECT_GE(stops, 3);
  EXPECT_EQ(Reason(Apply("gopher_quality", Prose(16), {{"min_stop_words", std::to_string(stops)}})),
            "keep");
  EXPECT_EQ(
      Reason(Apply("gopher_quality", Prose(16), {{"min_stop_words", std::to_string(stops + 1)}})),
      "gopher_quality:gopher_enough_stop_words");
}

// ---- gopher_repetition ----

TEST(GopherRepetitionTest, EveryReason) {
  std::string para = "The river runs through the old town and past the market square today.";
  std::string text = Prose(8) + "\n\n" + para + "\n\n" + para + "\n\n" + para + "\n\n" + para;
  EXPECT_EQ(Reason(Apply("gopher_repetition", text)), "gopher_repetition:dup_para_frac");
  EXPECT_EQ(Reason(Apply("gopher_repetition", text, {{"dup_para_frac", "null"}})),
            "gopher_repetition:dup_para_char_frac");
  std::string lines = Prose(4) + "\n" + para + "\n" + para + "\n" + para + "\n" + para;
  EXPECT_EQ(Reason(Apply("gopher_repetition", lines)), "gopher_repetition:dup_line_frac");
  EXPECT_EQ(Reason(Apply("gopher_repetition", lines, {{"dup_line_frac", "null"}})),
            "gopher_repetition:dup_line_char_frac");
  std::string bigram;
  for (int i = 0; i < 40; ++i) bigram += "buy now ";
  EXPECT_EQ(Reason(Apply("gopher_repetition", Prose(4) + " " + bigram)),
            "gopher_repetition:top_2_gram");
  // Duplicated n-grams without a dominant top n-gram: a long passage repeated once.
  std::string passage = Prose(8);
  Opts no_top = {{"top_n_grams", "[]"}};
  EXPECT_EQ(Reason(Apply("gopher_repetition", passage + " " + passage, no_top)),
            "gopher_repetition:duplicated_5_n_grams");
  EXPECT_EQ(Reason(Apply("gopher_repetition", passage + " " + passage,
                         {{"top_n_grams", "[]"}, {"dup_n_grams", "[\"10:0.1\"]"}})),
            "gopher_repetition:duplicated_10_n_grams");
}

TEST(GopherRepetitionTest, ThresholdsAtUnderOver) {
  std::string para = "The river runs through the old town and past the market square today.";
  std::string text = Prose(12) + "\n\n" + para + "\n\n" + para;
  ExpectStrictThreshold("gopher_repetition", text, "dup_para_frac", "dup_para_frac", true,
                        "gopher_repetition:dup_para_frac");
  ExpectStrictThreshold(
      "gopher_repetition", text, "dup_line_char_frac", "dup_line_char_frac", true,
      "gopher_repetition:dup_line_char_frac",
      {{"dup_para_frac", "null"}, {"dup_para_char_frac", "null"}, {"dup_line_frac", "null"}});
  std::string repeated = Prose(12) + " " + Prose(3);
  double top2 = Apply("gopher_repetition", repeated).Signal("top_2_gram_frac");
  auto top = [&](double t) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "[\"2:%.17g\"]", t);
    return Reason(
        Apply("gopher_repetition", repeated, {{"top_n_grams", buf}, {"dup_n_grams", "[]"}}));
  };
  EXPECT_EQ(top(top2), "keep");
  EXPECT_EQ(top(std::nextafter(top2, -INFINITY)), "gopher_repetition:top_2_gram");
  EXPECT_EQ(top(std::nextafter(top2, INFINITY)), "keep");
}

// datatrove's n-gram statistics computed the naive way, on strings.
double NaiveTop(const std::vector<std::string>& words, size_t n, double len) {
  if (words.size() < n) return 0;
  std::map<std::string, std::pair<int, size_t>> counts;  // count, first position
  for (size_t i = 0; i + n <= words.size(); ++i) {
    std::string g = words[i];
    for (size_t k = 1; k < n; ++k) g += " " + words[i + k];
    auto [it, inserted] = counts.try_emplace(g, 0, i);
    ++it->second.first;
  }
  std::string best;
  int best_count = 0;
  size_t best_first = SIZE_MAX;
  for (const auto& [g, cf] : counts) {
    if (cf.first > best_count || (cf.first == best_count && cf.second < best_first)) {
      best = g;
      best_count = cf.first;
      best_first = cf.second;
    }
  }
  return static_cast<double>(best.size()) * best_count / len;  // ASCII: bytes are code points
}

double NaiveDup(const std::vector<std::string>& words, size_t n, double len) {
  std::set<std::string> unique;
  size_t repeated = 0, idx = 0;
  while (idx + n <= words.size()) {
    std::string g;
    for (size_t k = 0; k < n; ++k) g += words[idx + k];
    if (unique.count(g)) {
      repeated += g.size();
      idx += n;
    } else {
      unique.insert(g);
      ++idx;
    }
  }
  return static_cast<double>(repeated) / len;
}

// Random texts over `vocab` (a tiny vocabulary makes repeats, ties and re-segmentations such
// as "a"+"bc" = "ab"+"c" common): every n-gram statistic equals the naive definition.
void ExpectNaiveNGramStatistics(const std::vector<std::string>& vocab, size_t max_words,
                                uint64_t seed) {
  uint64_t state = seed;
  auto next = [&](uint64_t n) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % n;
  };
  for (int doc = 0; doc < 300; ++doc) {
    std::vector<std::string> words;
    size_t count = 1 + next(max_words);
    std::string text;
    const size_t choices = doc % 2 ? vocab.size() : vocab.size() / 2;
    for (size_t i = 0; i < count; ++i) {
      words.push_back(vocab[next(choices)]);
      if (i > 0) text += ' ';
      text += words.back();
    }
    Outcome r = Apply("gopher_repetition", text);
    const double len = static_cast<double>(text.size());
    for (size_t n : {2, 3, 4}) {
      EXPECT_DOUBLE_EQ(r.Signal(std::string("top_") + std::to_string(n) + "_gram_frac"),
                       NaiveTop(words, n, len))
          << "doc " << doc << " n " << n << ": " << text;
    }
    for (size_t n : {5, 6, 7, 8, 9, 10}) {
      EXPECT_DOUBLE_EQ(r.Signal(std::string("dup_") + std::to_string(n) + "_gram_frac"),
                       NaiveDup(words, n, len))
          << "doc " << doc << " n " << n << ": " << text;
    }
  }
}

TEST(GopherRepetitionTest, NGramStatisticsEqualTheNaiveDefinitionOnRandomText) {
  ExpectNaiveNGramStatistics({"a", "ab", "bc", "c", "the", "river", "ran", "on"}, 80, 7);
}

TEST(GopherRepetitionTest, NGramStatisticsEqualTheNaiveDefinitionWithLongWords) {
  // Words long enough that n-grams pass the 16-byte prefix screen for duplicated n-grams,
  // with re-segmentations ("abcd"+"efgh" = "abcdefgh") that only the joined strings see.
  ExpectNaiveNGramStatistics({"abcdefgh", "abcd", "efgh", "ijklmnopqrst", "ijkl", "mnopqrst",
                              "river", "x", "confluence", "abcdefghijkl"},
                             400, 11);
}

TEST(GopherRepetitionTest, EveryOtherThresholdAtUnderOver) {
  std::string para = "The river runs through the old town and past the market square today.";
  std::string text = Prose(12) + "\n\n" + para + "\n\n" + para + " " + Prose(3);
  Opts off = {{"dup_para_frac", "null"}, {"dup_para_char_frac", "null"},
              {"dup_line_frac", "null"}, {"dup_line_char_frac", "null"},
              {"top_n_grams", "[]"},     {"dup_n_grams", "[]"}};
  auto except = [&](const char* keep_on) {
    Opts o = off;
    o.erase(keep_on);
    return o;
  };
  ExpectStrictThreshold("gopher_repetition", text, "dup_para_char_frac", "dup_para_char_frac", true,
                        "gopher_repetition:dup_para_char_frac", except("dup_para_char_frac"));
  ExpectStrictThreshold("gopher_repetition", text, "dup_line_frac", "dup_line_frac", true,
                        "gopher_repetition:dup_line_frac", except("dup_line_frac"));
  // Every n-gram check, through its "n:fraction" option.
  for (int n = 2; n <= 10; ++n) {
    bool top = n <= 4;
    std::string signal = (top ? "top_" : "dup_") + std::to_string(n) + "_gram_frac";
    std::string reason = top ? "gopher_repetition:top_" + std::to_string(n) + "_gram"
                             : "gopher_repetition:duplicated_" + std::to_string(n) + "_n_grams";
    double value = Apply("gopher_repetition", text).Signal(signal);
    ASSERT_GT(value, 0) << signal;
    auto with = [&](double t) {
      Opts o = off;
      char buf[80];
      std::snprintf(buf, sizeof(buf), "[\"%d:%.17g\"]", n, t);
      o[top ? "top_n_grams" : "dup_n_grams"] = buf;
      return Reason(Apply("gopher_repetition", text, o));
    };
    EXPECT_EQ(with(value), "keep") << signal;
    EXPECT_EQ(with(std::nextafter(value, -INFINITY)), reason) << signal;
    EXPECT_EQ(with(std::nextafter(value, INFINITY)), "keep") << signal;
  }
}

TEST(GopherRepetitionTest, JoinedNGramsCompareAsStrings) {
  // "".join makes "ab c d e f" and "a bc d e f" the same 5-gram: datatrove counts the second as
  // a repeat of the first.
  Outcome r = Apply("gopher_repetition", "ab c d e f x a bc d e f", {{"top_n_grams", "[]"}});
  EXPECT_GT(r.Signal("dup_5_gram_frac"), 0);
}

// ---- c4_quality ----

TEST(C4QualityTest, EveryReasonAndLineRemoval) {
  EXPECT_EQ(Reason(Apply("c4_quality", Prose(8) + "\nLorem ipsum dolor sit amet.")),
            "c4_quality:lorem_ipsum");
  EXPECT_EQ(Reason(Apply("c4_quality", Prose(8) + "\nThe function f(x) { return x; } is short.")),
            "c4_quality:curly_bracket");
  EXPECT_EQ(Reason(Apply("c4_quality", "One sentence here. Two sentences here.")),
            "c4_quality:too_few_sentences");
  // Lines dropped: no terminal punctuation, too few words, javascript, policy, long word.
  std::string text = Prose(8) +
                     "\nMenu Home About\nOk.\nPlease enable JavaScript to view this.\n"
                     "Read our privacy policy for details.\n" +
                     std::string(1001, 'x') + " end.";
  Outcome r = Apply("c4_quality", text);
  EXPECT_EQ(Reason(r), "keep");
  EXPECT_EQ(r.doc.text, Prose(8));
  EXPECT_TRUE(r.doc.text_changed);
  // Citations are removed from kept lines.
  Outcome c = Apply("c4_quality",
                    Prose(8) + "\nThe bridge opened in 2021.[3] It is long.[citation needed]");
  EXPECT_NE(c.doc.text.find("opened in 2021. It is long."), std::string::npos) << c.doc.text;
}

TEST(C4QualityTest, PolicyPhrasesMatchAsPythonLowerDoes) {
  // Python's lower() maps U+212A KELVIN SIGN to 'k': "COO\u212AIE POLICY" is a cookie policy.
  std::string text = Prose(8) + "\nRead our COO\u212AIE POLICY before you continue here.";
  EXPECT_EQ(Apply("c4_quality", text).doc.text, Prose(8));
  // U+0130 lowers to "i" plus a combining dot, which does not spell "javascript".
  std::string dotted = Prose(8) + "\nEnable JAVASCR\u0130PT to read the rest of it.";
  EXPECT_EQ(Apply("c4_quality", dotted).doc.text, dotted);
}

TEST(C4QualityTest, SentenceCountAtUnderOver) {
  std::string text = Prose(5);
  Outcome r = Apply("c4_quality", text);
  int n = static_cast<int>(r.Signal("c4_sentences"));
  EXPECT_EQ(n, 5);
  EXPECT_EQ(Reason(Apply("c4_quality", text, {{"min_num_sentences", "5"}})), "keep");
  EXPECT_EQ(Reason(Apply("c4_quality", text, {{"min_num_sentences", "6"}})),
            "c4_quality:too_few_sentences");
  EXPECT_EQ(Reason(Apply("c4_quality", text, {{"min_num_sentences", "4"}})), "keep");
}

TEST(C4QualityTest, LineBoundsAtUnderOver) {
  // min_words_per_line: a line of exactly that many words stays, one word fewer goes.
  std::string text = Prose(8) + "\nFour words stay here.";
  EXPECT_EQ(Apply("c4_quality", text, {{"min_words_per_line", "4"}}).doc.text, text);
  EXPECT_EQ(Apply("c4_quality", text, {{"min_words_per_line", "5"}}).doc.text, Prose(8));
  // max_word_length: a word of exactly that many code points stays, one more goes.
  std::string word(20, 'x');
  std::string long_line = Prose(8) + "\nThis line has " + word + " in it.";
  EXPECT_EQ(Apply("c4_quality", long_line, {{"max_word_length", "20"}}).doc.text, long_line);
  EXPECT_EQ(Apply("c4_quality", long_line, {{"max_word_length", "19"}}).doc.text, Prose(8));
  std::string accented = Prose(8) + "\nThis line has " + std::string("\xC3\xA9") + word + " in it.";
  EXPECT_EQ(Apply("c4_quality", accented, {{"max_word_length", "21"}}).doc.text, accented);
}

TEST(C4QualityTest, AnnotateNeverEditsText) {
  auto f = Make("c4_quality");
  Document d;
  d.text = Prose(8) + "\nMenu Home About";
  std::string before = d.text;
  std::unique_ptr<FilterState> state = f->NewState();
  EXPECT_TRUE(f->Annotate(d, *state).keep);
  EXPECT_EQ(d.text, before);
  EXPECT_FALSE(d.text_changed);
}

// ---- fineweb_quality ----

TEST(FineWebQualityTest, EveryReason) {
  EXPECT_EQ(Reason(Apply("fineweb_quality", "\n \n\t\n")), "fineweb_quality:empty");
  std::string no_punct;
  for (int i = 0; i < 10; ++i) no_punct += "A line about the river and the town without a stop\n";
  EXPECT_EQ(Reason(Apply("fineweb_quality", no_punct)), "fineweb_quality:line_punct_ratio");
  std::string short_lines;
  for (int i = 0; i < 10; ++i) short_lines += "Short line " + std::to_string(i) + ".\n";
  EXPECT_EQ(Reason(Apply("fineweb_quality", short_lines)), "fineweb_quality:short_line_ratio");
  std::string dup =
      Prose(8) + "\nThe same sentence appears twice here.\nThe same sentence appears twice here.";
  EXPECT_EQ(Reason(Apply("fineweb_quality", dup)), "fineweb_quality:char_dup_ratio");
  std::string list;
  for (int i = 0; i < 20; ++i) list += "Item " + std::to_string(i) + ".\n";  // 3 words a line
  EXPECT_EQ(Reason(Apply("fineweb_quality", list, {{"short_line_thr", "1"}})),
            "fineweb_quality:list_ratio");
}

TEST(FineWebQualityTest, QuotesAreNotTerminalPunctuationAndThresholdsAreStrict) {
  // datatrove 0.10 counts sentence terminals only: a line ending in a quote does not count.
  Outcome q = Apply("fineweb_quality", "He said \"yes.\"\nShe asked \"why?\"\nThey left.");
  EXPECT_NEAR(q.Signal("line_punct_ratio"), 1.0 / 3, 1e-12);
  std::string text = Prose(12) + "\nA line without a stop\nAnother without one";
  ExpectStrictThreshold("fineweb_quality", text, "line_punct_thr", "line_punct_ratio", false,
                        "fineweb_quality:line_punct_ratio");
  ExpectStrictThreshold("fineweb_quality", text, "short_line_thr", "short_line_ratio", true,
                        "fineweb_quality:short_line_ratio");
  ExpectStrictThreshold("fineweb_quality", text, "new_line_ratio", "list_ratio", true,
                        "fineweb_quality:list_ratio");
  std::string dup = Prose(12) + "\nThe same line twice.\nThe same line twice.";
  ExpectStrictThreshold("fineweb_quality", dup, "char_duplicates_ratio", "char_dup_ratio", true,
                        "fineweb_quality:char_dup_ratio", {{"short_line_thr", "1"}});
}

// ---- inputs that break naive code ----

TEST(FiltersTest, HostileInputsGetADefinedDecision) {
  // A 10 MB single line of words, and a 1 MB run without spaces (spaCy's affix loop peels it
  // one character at a time: a million tokens, linear here, quadratic in spaCy).
  std::string ten_mb_line;
  ten_mb_line.reserve(10 << 20);
  while (ten_mb_line.size() < (10u << 20)) ten_mb_line += "word, another.word (x) ";
  std::string no_spaces(1 << 20, '=');
  const std::vector<std::string> inputs = {
      "",
      " ",
      "\n\n\n",
      "\t \u3000 \n",
      "...!!!???",
      "#####",
      ")))(((",
      "English текст 中文字符 العربية हिन्दी mixed in one line.",
      "Emoji 🤔🤔🤔 👍🏽 🇫🇷 and ZWJ 👨‍👩‍👧 sequences.",
      "Combining marks: e\u0301 a\u0308 o\u0303 stacked a\u0301\u0302\u0303\u0304.",
      std::string("nul\0byte inside", 15),
      "\xF0\x9F\x98\x80",
      ten_mb_line,
      no_spaces};
  for (const std::string& text : inputs) {
    for (const char* f : {"gopher_repetition", "gopher_quality", "c4_quality", "fineweb_quality"}) {
      Outcome r = Apply(f, text);
      if (!r.decision.keep) {
        EXPECT_FALSE(r.decision.reason.empty()) << f;
      }
      for (const winnow::Signal& s : r.doc.signals) {
        EXPECT_FALSE(std::isinf(s.value)) << f << " " << s.name;
      }
    }
  }
  EXPECT_EQ(Reason(Apply("gopher_quality", "")), "gopher_quality:gopher_short_doc");
  EXPECT_EQ(Reason(Apply("fineweb_quality", "")), "fineweb_quality:empty");
  EXPECT_EQ(Reason(Apply("c4_quality", "")), "c4_quality:too_few_sentences");
  EXPECT_EQ(Reason(Apply("gopher_repetition", "")), "keep");
}

// ---- evidence: what the report highlights comes from the filter that decided ----

std::vector<std::string> Marked(std::string_view filter, const std::string& text,
                                std::string_view reason, const Opts& opts = {}) {
  auto f = Make(filter, opts);
  Document d;
  d.text = text;
  std::vector<std::string> out;
  for (auto [from, to] : f->Evidence(d, reason)) out.push_back(text.substr(from, to - from));
  return out;
}

TEST(EvidenceTest, RepeatedLinesAreTheCopiesAfterTheFirst) {
  const std::string text = "Menu\nStory line one.\nMenu\nno stop here\nMenu";
  EXPECT_EQ(Marked("gopher_repetition", text, "gopher_repetition:dup_line_frac"),
            (std::vector<std::string>{"Menu", "Menu"}));
  EXPECT_EQ(Marked("fineweb_quality", text, "fineweb_quality:char_dup_ratio"),
            (std::vector<std::string>{"Menu", "Menu"}));
  EXPECT_TRUE(Marked("gopher_quality", text, "gopher_quality:gopher_short_doc").empty());
}

TEST(EvidenceTest, NGramsAreTheFiltersWords) {
  // The most common 2-gram "a b" (three times); ties would go to the first seen.
  EXPECT_EQ(Marked("gopher_repetition", "a b c a b d a b", "gopher_repetition:top_2_gram"),
            (std::vector<std::string>{"a b", "a b", "a b"}));
  // spaCy words: "don't" is two words, so the 2-gram "do n't" repeats as "don't".
  EXPECT_EQ(Marked("gopher_repetition", "I don't. You don't.", "gopher_repetition:top_2_gram"),
            (std::vector<std::string>{"don't", "don't"}));
  // Six words hold two different 5-grams: nothing repeats.
  EXPECT_EQ(Marked("gopher_repetition", "x y x y x y", "gopher_repetition:duplicated_5_n_grams"),
            std::vector<std::string>{});
  EXPECT_EQ(
      Marked("gopher_repetition", "q r s t u q r s t u", "gopher_repetition:duplicated_5_n_grams"),
      (std::vector<std::string>{"q r s t u"}));
}

TEST(EvidenceTest, LineChecksFollowTheFiltersOptions) {
  const std::string text = "Go home.\nA medium line of twenty four.\nsay \"hi\"";
  // Quotes are not terminal punctuation for the filter (nor for datatrove).
  EXPECT_EQ(Marked("fineweb_quality", text, "fineweb_quality:line_punct_ratio"),
            (std::vector<std::string>{"say \"hi\""}));
  EXPECT_EQ(Marked("fineweb_quality", text, "fineweb_quality:short_line_ratio"),
            (std::vector<std::string>{"Go home.", "A medium line of twenty four.", "say \"hi\""}));
  EXPECT_EQ(Marked("fineweb_quality", text, "fineweb_quality:short_line_ratio",
                   {{"short_line_length", "10"}}),
            (std::vector<std::string>{"Go home.", "say \"hi\""}));
  EXPECT_EQ(Marked("gopher_quality", "- one\n  - two\nthree...\n#tag #x",
                   "gopher_quality:gopher_too_many_bullets"),
            (std::vector<std::string>{"- one", "  - two"}));
  EXPECT_EQ(Marked("gopher_quality", "- one\n  - two\nthree...\n#tag #x",
                   "gopher_quality:gopher_too_many_hashes"),
            (std::vector<std::string>{"#", "#"}));
  EXPECT_EQ(Marked("c4_quality", "First line is here.\nvar x = {a: 1};\nLast line.",
                   "c4_quality:curly_bracket", {{"filter_no_terminal_punct", "false"}}),
            (std::vector<std::string>{"var x = {a: 1};"}));
}

}  // namespace
}  // namespace winnow::filter
