#include "winnow/dedup/sentence_dedup.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>

#include "winnow/core/wire.h"
#include "winnow/dedup/distributed.h"
#include "winnow/dedup/sorted_runs.h"
#include "winnow/text/py_str.h"
#include "winnow/text/simplify.h"
#include "winnow/text/spacy_tokenizer.h"

namespace winnow::dedup {
namespace {

using Span = std::pair<DocRef, uint32_t>;  // a document and the first sentence of a span

const text::SpacyTokenizer& Tokenizer() { return text::SpacyTokenizer::English(); }

// One scratch per thread for the map and the apply steps: the apply step tokenizes the same
// documents again, and finds their spans in the memo the map step filled.
text::TokenizerScratch& Scratch() {
  thread_local text::TokenizerScratch scratch;
  return scratch;
}

// Duplicate spans by document, sorted.
class SpanRemovals final : public GlobalDecisions {
 public:
  SpanRemovals(std::vector<Span> spans, const SentenceDedup::Settings& settings)
      : spans_(std::move(spans)), settings_(settings) {}

  bool Removes(DocRef) const override { return false; }  // decided on the text, when applied

  void Save(std::string* out) const override {
    WireWriter w;
    w.PutVarint(spans_.size());
    for (const auto& [doc, sentence] : spans_) {
      w.PutVarint(doc);
      w.PutVarint(sentence);
    }
    out->append(w.bytes());
  }

  static Result<std::unique_ptr<GlobalDecisions>> Load(std::string_view bytes,
                                                       const SentenceDedup::Settings& settings) {
    WireReader r(bytes);
    std::vector<Span> spans(r.GetCount(2));
    for (auto& [doc, sentence] : spans) {
      doc = r.GetVarint();
      sentence = static_cast<uint32_t>(r.GetVarint());
    }
    if (!r.ok() || !r.at_end() || !std::is_sorted(spans.begin(), spans.end())) {
      return Status::Corrupt("sentence_dedup: saved decisions do not decode");
    }
    return std::unique_ptr<GlobalDecisions>(new SpanRemovals(std::move(spans), settings));
  }

  Status Apply(Batch& batch) const override {
    if (spans_.empty()) return Status::OK();
    std::vector<uint32_t> duplicates;
    for (size_t i = 0; i < batch.docs.size(); ++i) {
      Document& d = batch.docs[i];
      if (d.removed()) continue;
      const DocRef doc = PackDoc(d.where);
      auto it = std::lower_bound(spans_.begin(), spans_.end(), Span{doc, 0});
      if (it == spans_.end() || it->first != doc) continue;
      duplicates.clear();
      for (; it != spans_.end() && it->first == doc; ++it) duplicates.push_back(it->second);
      bool keep = true;
      size_t removed = 0;
      std::string text = RemoveDuplicateSentences(d.text, duplicates, settings_, &keep, &removed);
      d.SetSignal("duplicate_sentences_removed", static_cast<double>(removed));
      if (text != d.text) d.SetText(std::move(text));
      if (!keep) batch.Drop(i, "sentence_dedup:too_short");
    }
    return Status::OK();
  }

 private:
  std::vector<Span> spans_;
  SentenceDedup::Settings settings_;
};

}  // namespace

void SentenceSpanHashes(std::string_view text, int n_sentences,
                        std::vector<std::pair<uint64_t, uint32_t>>* out) {
  out->clear();
  text::TokenizerScratch& scratch = Scratch();
  thread_local std::vector<std::string_view> sentences;
  thread_local std::vector<std::string> simple;
  Tokenizer().Sentences(text, scratch, &sentences);
  const auto n = static_cast<size_t>(n_sentences);
  if (sentences.size() < n) return;
  simple.resize(sentences.size());
  for (size_t k = 0; k < sentences.size(); ++k) text::SimplifyText(sentences[k], &simple[k]);
  std::string joined;
  for (size_t k = 0; k + n <= sentences.size(); ++k) {
    joined.clear();
    bool blank = true;
    for (size_t j = k; j < k + n; ++j) {
      if (j > k) joined.push_back(' ');
      joined += simple[j];
      blank = blank && simple[j].empty();
    }
    if (blank) continue;  // datatrove skips spans whose joined text strips to nothing
    out->emplace_back(XXH64(joined.data(), joined.size(), 0), static_cast<uint32_t>(k));
  }
}

std::string RemoveDuplicateSentences(std::string_view text, const std::vector<uint32_t>& duplicates,
                                     const SentenceDedup::Settings& settings, bool* keep,
                                     size_t* removed_sentences) {
  text::TokenizerScratch& scratch = Scratch();
  thread_local std::vector<std::pair<uint32_t, uint32_t>> spans;
  thread_local std::vector<std::string_view> words;
  const text::SpacyTokenizer& tokenizer = Tokenizer();
  tokenizer.SentenceSpans(text, scratch, &spans);
  auto word_count = [&](std::string_view s) {
    tokenizer.Words(s, scratch, &words);
    return static_cast<int64_t>(words.size());
  };
  // datatrove's remove_dup_sentences, step for step: `removed` holds the first sentence of
  // the span being dropped (only the first: datatrove appends to it only when it is empty),
  // given back when min_words_to_remove_span says the span is too small to remove.
  std::vector<std::string_view> kept;
  std::string_view removed;
  bool removing = false;
  size_t next = 0, drop_until = 0, last_end = 0;
  auto close_span = [&] {
    if (!removing) return;
    if (settings.min_words_to_remove_span > 0 &&
        word_count(removed) < settings.min_words_to_remove_span) {
      kept.push_back(removed);
    }
    removing = false;
    removed = {};
  };
  for (size_t idx = 0; idx < spans.size(); ++idx) {
    const std::string_view line = text.substr(last_end, spans[idx].second - last_end);
    if (next < duplicates.size() && duplicates[next] == idx) {
      drop_until = idx + static_cast<size_t>(settings.n_sentences);
      ++next;
    }
    if (idx >= drop_until) {
      close_span();
      kept.push_back(line);
    } else if (!removing) {
      removing = true;
      removed = line;
    }
    last_end = spans[idx].second;
  }
  close_span();
  const size_t total = spans.size();
  *removed_sentences = total - std::min(total, kept.size());
  std::string out;
  for (std::string_view k : kept) out.append(k);
  out.erase(0, out.size() - text::PyLStrip(out).size());
  // Kept: unchanged, or with enough words and sentences; never empty.
  bool ok = out == text;
  if (!ok) {
    // Words and sentences of the edited text from one tokenization: its non-space tokens,
    // and the sentencizer's starts over the same tokens (what Words() and SentenceSpans()
    // would each tokenize for).
    thread_local std::vector<text::Token> tokens;
    thread_local std::vector<uint32_t> starts;
    tokenizer.Tokenize(out, scratch, &tokens);
    const auto edited_words = static_cast<int64_t>(std::count_if(
        tokens.begin(), tokens.end(), [](const text::Token& t) { return !t.is_space; }));
    const bool words_ok = settings.min_doc_words <= 0 || edited_words >= settings.min_doc_words;
    bool sentences_ok = true;
    if (words_ok && settings.min_num_sentences > 0) {
      tokenizer.SentenceStarts(out, tokens, &starts);
      sentences_ok =
          static_cast<int64_t>(std::max<size_t>(starts.size(), 1)) >= settings.min_num_sentences;
    }
    ok = words_ok && sentences_ok;
  }
  *keep = ok && !out.empty();
  return out;
}

class SentenceDedup::Mapper final : public GlobalMapper {
 public:
  Mapper(const SentenceDedup& stage, std::unique_ptr<SortedRuns::Writer> out)
      : stage_(stage), out_(std::move(out)) {}

  Status Map(Batch& batch) override {
    for (const Document& d : batch.docs) {
      if (d.removed()) continue;
      SentenceSpanHashes(d.text, stage_.settings().n_sentences, &hashes_);
      const DocRef doc = PackDoc(d.where);
      for (const auto& [hash, sentence] : hashes_) out_->Add(KeyRecord{hash, doc, sentence});
    }
    return Status::OK();
  }
  Status Finish() override { return out_->Finish(); }

 private:
  const SentenceDedup& stage_;
  std::unique_ptr<SortedRuns::Writer> out_;
  std::vector<std::pair<uint64_t, uint32_t>> hashes_;
};

const StageSpec& SentenceDedup::Spec() {
  static const StageSpec spec{
      "sentence_dedup",
      "Removes every span of n_sentences sentences seen before in the corpus (C4, datatrove's "
      "SentenceDedup); documents left too short are removed.",
      {
          {"n_sentences", "3", "sentences per span"},
          {"min_doc_words", "50",
           "an edited document with fewer words is removed: sentence_dedup:too_short (0: off)"},
          {"min_num_sentences", "3", "an edited document with fewer sentences is removed (0: off)"},
          {"min_words_to_remove_span", "0",
           "a duplicate span whose first sentence has fewer words is kept (datatrove's option)"},
      }};
  return spec;
}

Result<std::unique_ptr<SentenceDedup>> SentenceDedup::Create(const Options& o) {
  auto stage = std::make_unique<SentenceDedup>();
  Settings& s = stage->settings_;
  WINNOW_ASSIGN_OR_RETURN(int64_t n, o.Int("n_sentences"));
  WINNOW_ASSIGN_OR_RETURN(s.min_doc_words, o.Int("min_doc_words"));
  WINNOW_ASSIGN_OR_RETURN(s.min_num_sentences, o.Int("min_num_sentences"));
  WINNOW_ASSIGN_OR_RETURN(s.min_words_to_remove_span, o.Int("min_words_to_remove_span"));
  if (n < 1 || n > 1000) {
    return Status::InvalidArgument("sentence_dedup: n_sentences must be in 1..1000");
  }
  s.n_sentences = static_cast<int>(n);
  return stage;
}

SentenceDedup::~SentenceDedup() = default;

Status SentenceDedup::Begin(const GlobalContext& context) {
  context_ = context;
  keys_ = std::make_unique<SortedRuns>(context.work_dir, context.memory_budget, context.threads);
  return Status::OK();
}

Result<std::unique_ptr<GlobalMapper>> SentenceDedup::NewMapper(const WorkerContext&) {
  if (!keys_) return Status::Internal("sentence_dedup: NewMapper before Begin");
  return std::unique_ptr<GlobalMapper>(new Mapper(*this, keys_->NewWriter()));
}

Result<std::unique_ptr<GlobalDecisions>> SentenceDedup::Group(
    const DocDirectory&, const std::vector<const GlobalDecisions*>& earlier, Counters* counters) {
  const uint64_t mapped = keys_->records(), spilled = keys_->spilled_bytes();
  WINNOW_ASSIGN_OR_RETURN(std::unique_ptr<SortedRuns> keys,
                          GroupRuns(std::move(keys_), context_, 1, 1, earlier));
  std::vector<Span> remove;
  int64_t distinct = 0;
  bool have = false, first = true;
  uint64_t key = 0;
  auto add = [&](const KeyRecord& r) -> Status {
    if (!have || r.a != key) {
      have = true;
      key = r.a;
      first = true;
      ++distinct;
    }
    if (RemovedByAny(earlier, r.b)) return Status::OK();
    if (!first) remove.emplace_back(r.b, static_cast<uint32_t>(r.c));
    first = false;
    return Status::OK();
  };
  WINNOW_RETURN_IF_ERROR(keys->Merge(add));
  if (Distributed(context_)) {  // each span to the rank that owns its document
    auto put = [](WireWriter& w, const Span& s) {
      w.PutVarint(s.first);
      w.PutVarint(s.second);
    };
    auto get = [](WireReader& r) {
      const DocRef doc = r.GetVarint();
      return Span{doc, static_cast<uint32_t>(r.GetVarint())};
    };
    WINNOW_ASSIGN_OR_RETURN(
        remove, RouteToShards(
                    remove, [](const Span& s) { return s.first; }, put, get, *context_.exchange));
  }
  std::sort(remove.begin(), remove.end());
  if (counters != nullptr) {
    counters->Add("sentence_dedup.spans", static_cast<int64_t>(mapped));
    counters->Add("sentence_dedup.distinct_spans", distinct);
    counters->Add("sentence_dedup.duplicate_spans", static_cast<int64_t>(remove.size()));
    counters->Add(
        "sentence_dedup.spilled_bytes",
        static_cast<int64_t>(spilled + (Distributed(context_) ? keys->spilled_bytes() : 0)));
  }
  return std::unique_ptr<GlobalDecisions>(new SpanRemovals(std::move(remove), settings_));
}

Result<std::unique_ptr<GlobalDecisions>> SentenceDedup::LoadDecisions(
    std::string_view bytes) const {
  return SpanRemovals::Load(bytes, settings_);
}

}  // namespace winnow::dedup
