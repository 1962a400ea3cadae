#include "winnow/filter/gopher_repetition.h"

#include <xxhash.h>

#include <bit>
#include <charconv>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include "winnow/filter/duplicates.h"
#include "winnow/filter/ngram_hashes.h"
#include "winnow/text/document_tokens.h"
#include "winnow/text/py_str.h"

namespace winnow::filter {
namespace {

double Ratio(double num, double den) { return den > 0 ? num / den : 0.0; }

// Splits at runs of `min_run` or more '\n' (re.split(r"\n{k,}", s)).
void SplitNewlineRuns(std::string_view s, size_t min_run, std::vector<std::string_view>* out) {
  out->clear();
  size_t start = 0, i = 0;
  while (i < s.size()) {
    const void* nl = std::memchr(s.data() + i, '\n', s.size() - i);
    if (nl == nullptr) break;
    i = static_cast<size_t>(static_cast<const char*>(nl) - s.data());
    size_t j = i;
    while (j < s.size() && s[j] == '\n') ++j;
    if (j - i >= min_run) {
      out->push_back(s.substr(start, i - start));
      start = j;
    }
    i = j;
  }
  out->push_back(s.substr(start));
}

// Reason and signal names for every n, built once: decisions and signals hold views, which
// must stay valid however long a document outlives the stage that judged it.
struct NGramNames {
  static constexpr int kMaxN = 64;
  std::string top_reason[kMaxN + 1], top_signal[kMaxN + 1];
  std::string dup_reason[kMaxN + 1], dup_signal[kMaxN + 1];
  NGramNames() {
    for (int n = 1; n <= kMaxN; ++n) {
      std::string k = std::to_string(n);
      top_reason[n] = "gopher_repetition:top_" + k + "_gram";
      top_signal[n] = "top_" + k + "_gram_frac";
      dup_reason[n] = "gopher_repetition:duplicated_" + k + "_n_grams";
      dup_signal[n] = "dup_" + k + "_gram_frac";
    }
  }
  static const NGramNames& Get() {
    static const NGramNames names;
    return names;
  }
};

Result<std::vector<std::pair<int, double>>> ParseNGrams(const Options& o, std::string_view name) {
  WINNOW_ASSIGN_OR_RETURN(std::vector<std::string> items, o.StringList(name));
  std::vector<std::pair<int, double>> out;
  for (const std::string& item : items) {
    size_t colon = item.find(':');
    int n = 0;
    double frac = 0;
    bool ok = colon != std::string::npos;
    if (ok) {
      auto r1 = std::from_chars(item.data(), item.data() + colon, n);
      auto r2 = std::from_chars(item.data() + colon + 1, item.data() + item.size(), frac);
      ok = r1.ec == std::errc() && r1.ptr == item.data() + colon && r2.ec == std::errc() &&
           r2.ptr == item.data() + item.size() && n >= 1 && n <= 64;
    }
    if (!ok) {
      return Status::InvalidArgument("gopher_repetition: option " + std::string(name) +
                                     ": expected items \"n:fraction\", got '" + item + "'");
    }
    out.emplace_back(n, frac);
  }
  return out;
}

}  // namespace

const StageSpec& GopherRepetitionFilter::Spec() {
  static const StageSpec spec{
      "gopher_repetition",
      "Gopher repetition heuristics with datatrove's decisions (duplicate lines and "
      "paragraphs, top and duplicated n-grams).",
      {
          {"dup_line_frac", "0.3", "share of duplicate lines above: dup_line_frac"},
          {"dup_para_frac", "0.3", "share of duplicate paragraphs above: dup_para_frac"},
          {"dup_line_char_frac", "0.2", "duplicate-line characters / length above"},
          {"dup_para_char_frac", "0.2", "duplicate-paragraph characters / length above"},
          {"top_n_grams", "[\"2:0.2\", \"3:0.18\", \"4:0.16\"]",
           "n:fraction; most common n-gram characters / length above: top_<n>_gram"},
          {"dup_n_grams",
           "[\"5:0.15\", \"6:0.14\", \"7:0.13\", \"8:0.12\", \"9:0.11\", \"10:0.1\"]",
           "n:fraction; repeated n-gram characters / length above: duplicated_<n>_n_grams"},
      }};
  return spec;
}

Result<std::unique_ptr<GopherRepetitionFilter>> GopherRepetitionFilter::Create(const Options& o) {
  auto f = std::make_unique<GopherRepetitionFilter>();
  WINNOW_ASSIGN_OR_RETURN(f->dup_line_frac_, o.OptionalDouble("dup_line_frac"));
  WINNOW_ASSIGN_OR_RETURN(f->dup_para_frac_, o.OptionalDouble("dup_para_frac"));
  WINNOW_ASSIGN_OR_RETURN(f->dup_line_char_frac_, o.OptionalDouble("dup_line_char_frac"));
  WINNOW_ASSIGN_OR_RETURN(f->dup_para_char_frac_, o.OptionalDouble("dup_para_char_frac"));
  const NGramNames& names = NGramNames::Get();
  WINNOW_ASSIGN_OR_RETURN(auto top, ParseNGrams(o, "top_n_grams"));
  for (auto [n, frac] : top) {
    f->top_n_grams_.push_back({n, frac, names.top_reason[n], names.top_signal[n]});
  }
  WINNOW_ASSIGN_OR_RETURN(auto dup, ParseNGrams(o, "dup_n_grams"));
  for (auto [n, frac] : dup) {
    f->dup_n_grams_.push_back({n, frac, names.dup_reason[n], names.dup_signal[n]});
    f->min_dup_n_ = f->min_dup_n_ == 0 ? n : std::min<size_t>(f->min_dup_n_, n);
  }
  f->tokenizer_ = &text::SpacyTokenizer::English();
  return f;
}

struct GopherRepetitionFilter::State final : FilterState {
  text::TokenizerScratch tokenizer;
  std::vector<std::string_view> words, lines;
  std::vector<uint32_t> lengths;
  NGramHashes ngrams;  // the n-gram identities
  std::vector<uint32_t> candidates, next_candidates, slots;
  std::string joined;                           // "".join(words)
  std::vector<uint64_t> seen_once, seen_twice;  // bitmaps over prefix hashes
  NGramCounter counter;
};

std::unique_ptr<FilterState> GopherRepetitionFilter::NewState() const {
  return std::make_unique<State>();
}

// Written from the definitions (the datatrove code the header quotes), not from Decide's
// pruned scans: slower, and a check on them where the report shows its highlights.
TextSpans GopherRepetitionFilter::Evidence(Document& doc, std::string_view reason) const {
  State s;
  TextSpans spans;
  const std::string_view text = doc.text;
  auto span_of = [&](std::string_view piece) {
    const auto at = static_cast<size_t>(piece.data() - text.data());
    spans.emplace_back(at, at + piece.size());
  };
  const bool paras = reason.starts_with("gopher_repetition:dup_para");
  if (paras || reason.starts_with("gopher_repetition:dup_line")) {
    SplitNewlineRuns(paras ? text::PyStrip(text) : text, paras ? 2 : 1, &s.lines);
    std::vector<size_t> repeats;
    FindDuplicates(s.lines, s.counter, &repeats);
    for (size_t i : repeats) span_of(s.lines[i]);
    return spans;
  }
  const NGramCheck* check = nullptr;
  bool top = false;
  for (const auto* list : {&top_n_grams_, &dup_n_grams_}) {
    for (const NGramCheck& c : *list) {
      if (c.reason == reason) {
        check = &c;
        top = list == &top_n_grams_;
      }
    }
  }
  if (check == nullptr) return spans;
  text::DocumentWords(doc, *tokenizer_, s.tokenizer, &s.words);
  const std::vector<std::string_view>& words = s.words;
  const auto n = static_cast<size_t>(check->n);
  if (words.size() < n) return spans;
  auto gram = [&](size_t i, std::string_view sep) {
    std::string g;
    for (size_t k = 0; k < n; ++k) g.append(k ? sep : "").append(words[i + k]);
    return g;
  };
  auto mark = [&](size_t i) {
    const auto from = static_cast<size_t>(words[i].data() - text.data());
    const auto to =
        static_cast<size_t>(words[i + n - 1].data() + words[i + n - 1].size() - text.data());
    spans.emplace_back(from, to);
  };
  const size_t m = words.size() - n + 1;
  if (top) {  // " ".join(words[i:i+n]), most common, ties to the first seen
    std::unordered_map<std::string, std::vector<size_t>> at;
    const std::vector<size_t>* best = nullptr;
    for (size_t i = 0; i < m; ++i) {
      std::vector<size_t>& list = at[gram(i, " ")];
      list.push_back(i);
      if (best == nullptr || list.size() > best->size() ||
          (list.size() == best->size() && list.front() < best->front())) {
        best = &list;
      }
    }
    if (best->size() >= 2) {
      for (size_t i : *best) mark(i);
    }
  } else {  // "".join(words[i:i+n]) seen before: counted, and the scan jumps past it
    std::unordered_set<std::string> seen;
    for (size_t i = 0; i < m;) {
      if (seen.insert(gram(i, "")).second) {
        ++i;
      } else {
        mark(i);
        i += n;
      }
    }
  }
  return spans;
}

std::vector<Threshold> GopherRepetitionFilter::Thresholds() const {
  std::vector<Threshold> t;
  auto add = [&](const std::optional<double>& v, std::string_view signal, std::string_view reason) {
    if (v.has_value() && *v != 0) t.push_back({signal, *v, false, reason});
  };
  add(dup_para_frac_, "dup_para_frac", "gopher_repetition:dup_para_frac");
  add(dup_para_char_frac_, "dup_para_char_frac", "gopher_repetition:dup_para_char_frac");
  add(dup_line_frac_, "dup_line_frac", "gopher_repetition:dup_line_frac");
  add(dup_line_char_frac_, "dup_line_char_frac", "gopher_repetition:dup_line_char_frac");
  for (const NGramCheck& c : top_n_grams_) t.push_back({c.signal, c.frac, false, c.reason});
  for (const NGramCheck& c : dup_n_grams_) t.push_back({c.signal, c.frac, false, c.reason});
  return t;
}

// `words` are views into `text`, or anywhere else (then copied the slow way).
// Marks which positions' "".join n-grams (n >= min_n) can occur twice, into
// scratch.candidates (ascending). Two equal n-grams are two equal substrings of
// "".join(words), both starting at a word, so the first kDupPrefixBytes of each occur at two
// word starts. A pass over the word starts with two bitmaps of those prefixes' hashes finds
// the prefixes seen once for sure; an n-gram at least that long starting there cannot repeat.
// A hash collision only keeps a position that could have been dropped, so the decisions stay
// exact; positions whose prefix is cut short by the end of the text, or whose n-gram is
// shorter than the prefix (flag kPrefixRepeats clear, checked per n), are kept.
void GopherRepetitionFilter::DupCandidates(std::string_view text,
                                           const std::vector<std::string_view>& words, size_t min_n,
                                           State& scratch) const {
  std::vector<uint32_t>& out = scratch.candidates;
  out.clear();
  if (words.size() < min_n) return;
  const size_t m = words.size() - min_n + 1;
  std::string& joined = scratch.joined;
  // Word i starts at offset[i] of "".join(words); a local pointer, as the bitmap stores below
  // could otherwise alias the vector's.
  const uint64_t* const offset = scratch.ngrams.JoinedOffsets();
  // Concatenate the words; one that is short and has 16 readable bytes in `text` is copied
  // as 16 bytes (the excess is overwritten by the next word), which beats a memcpy call.
  joined.resize(offset[words.size()] + 16);
  char* out_bytes = joined.data();
  const char* text_end = text.data() + text.size();
  for (std::string_view word : words) {
    if (word.size() <= 16 && word.data() >= text.data() && text_end - word.data() >= 16) {
      std::memcpy(out_bytes, word.data(), 16);
    } else {
      std::memcpy(out_bytes, word.data(), word.size());
    }
    out_bytes += word.size();
  }
  joined.resize(offset[words.size()]);
  const char* const bytes = joined.data();

  size_t bits = 64;
  while (bits < 8 * m) bits <<= 1;
  const int shift = 64 - std::countr_zero(bits);
  scratch.seen_once.assign(bits / 64, 0);
  scratch.seen_twice.assign(bits / 64, 0);
  uint64_t* once = scratch.seen_once.data();
  uint64_t* twice = scratch.seen_twice.data();
  // Word starts whose prefix fits; the tail (at most kDupPrefixBytes bytes) does not.
  size_t fits = m;
  while (fits > 0 && offset[fits - 1] + kDupPrefixBytes > joined.size()) --fits;
  // A multiplicative hash of the prefix's two words is enough for a screen: a collision costs
  // a wasted check, never a wrong decision.
  static_assert(kDupPrefixBytes == 16);
  std::vector<uint32_t>& buckets = scratch.slots;
  buckets.resize(fits);
  for (size_t i = 0; i < fits; ++i) {
    uint64_t a, b;
    std::memcpy(&a, bytes + offset[i], 8);
    std::memcpy(&b, bytes + offset[i] + 8, 8);
    const uint64_t h = ((a * 0x9E3779B97F4A7C15ULL) ^ b) * 0xC2B2AE3D27D4EB4FULL;
    const uint64_t bucket = h >> shift, bit = uint64_t{1} << (bucket & 63);
    buckets[i] = static_cast<uint32_t>(bucket);
    twice[bucket >> 6] |= once[bucket >> 6] & bit;
    once[bucket >> 6] |= bit;
  }
  for (size_t i = 0; i < m; ++i) {
    uint32_t entry = static_cast<uint32_t>(i);
    if (i < fits) {
      const uint32_t b = buckets[i];
      if ((twice[b >> 6] >> (b & 63)) & 1)
        entry |= kPrefixRepeats;
      else if (offset[i + min_n] - offset[i] >= kDupPrefixBytes)
        continue;
    } else {
      entry |= kPrefixRepeats;
    }
    out.push_back(entry);
  }
}

Decision GopherRepetitionFilter::Decide(Document& doc, FilterState& state) const {
  auto& scratch = static_cast<State&>(state);
  const std::string_view text = doc.text;
  const double len = static_cast<double>(text::PyLen(text));
  auto on = [](const std::optional<double>& v) { return v.has_value() && *v != 0; };
  Decision decision;
  auto fail = [&](bool cond, std::string_view reason) {
    if (cond && decision.keep) decision = {false, reason};
  };

  std::vector<std::string_view>& parts = scratch.lines;
  SplitNewlineRuns(text::PyStrip(text), 2, &parts);
  Duplicates paras = FindDuplicates(parts, scratch.counter);
  double para_frac = Ratio(static_cast<double>(paras.elements), static_cast<double>(parts.size()));
  double para_char_frac = Ratio(static_cast<double>(paras.chars), len);
  doc.SetSignal("dup_para_frac", para_frac);
  doc.SetSignal("dup_para_char_frac", para_char_frac);
  fail(on(dup_para_frac_) && para_frac > *dup_para_frac_, "gopher_repetition:dup_para_frac");
  fail(on(dup_para_char_frac_) && para_char_frac > *dup_para_char_frac_,
       "gopher_repetition:dup_para_char_frac");

  SplitNewlineRuns(text, 1, &parts);
  Duplicates lines = FindDuplicates(parts, scratch.counter);
  double line_frac = Ratio(static_cast<double>(lines.elements), static_cast<double>(parts.size()));
  double line_char_frac = Ratio(static_cast<double>(lines.chars), len);
  doc.SetSignal("dup_line_frac", line_frac);
  doc.SetSignal("dup_line_char_frac", line_char_frac);
  fail(on(dup_line_frac_) && line_frac > *dup_line_frac_, "gopher_repetition:dup_line_frac");
  fail(on(dup_line_char_frac_) && line_char_frac > *dup_line_char_frac_,
       "gopher_repetition:dup_line_char_frac");

  std::vector<std::string_view>& words = scratch.words;
  text::DocumentWords(doc, *tokenizer_, scratch.tokenizer, &words);
  const size_t w = words.size();
  // Hash every word for the n-gram keys, measuring its length in the same pass; the lengths
  // are shared with later filters through the document's memo.
  std::vector<uint32_t> lengths;
  scratch.ngrams.Build(words, &lengths);
  // Prefix sums of code-point lengths: the length of any run of words in O(1).
  std::vector<uint32_t>& cp = scratch.lengths;
  cp.resize(w + 1);
  cp[0] = 0;
  for (size_t i = 0; i < w; ++i) cp[i + 1] = cp[i] + lengths[i];
  text::SetDocumentWordLengths(doc, *tokenizer_, scratch.tokenizer, std::move(lengths));
  NGramCounter& counter = scratch.counter;

  // Top n-grams: " ".join(words[i:i+n]), most common, ties to the first seen. The join is
  // injective, so an n-gram occurring twice starts where its (n-1)-gram occurs twice: each
  // pass counts only the positions whose shorter n-gram repeated (`candidates`), in order;
  // every other position holds an n-gram seen once. With no repeat at all, the most common
  // n-gram is the first one (count 1). The pruning applies when consecutive checks are n-1
  // and n (the default 2, 3, 4); any other order counts every position.
  std::vector<uint32_t>& candidates = scratch.candidates;
  std::vector<uint32_t>& slots = scratch.slots;
  candidates.clear();
  int counted_n = 0;  // candidates are the positions whose counted_n-gram repeats
  for (const NGramCheck& c : top_n_grams_) {
    const size_t n = static_cast<size_t>(c.n);
    double frac = 0;
    if (w >= n) {
      const size_t m = w - n + 1;
      const bool all = counted_n == 0 || counted_n != c.n - 1;
      uint32_t best_count = 1, best_first = 0;  // the first n-gram, if nothing repeats
      size_t todo = all ? m : candidates.size();
      counter.Reset(todo);
      slots.resize(todo);
      size_t k = 0;
      for (size_t t = 0; t < todo; ++t) {
        const size_t i = all ? t : candidates[t];
        if (i >= m) break;
        size_t slot = counter.AddAt(scratch.ngrams.Key(i, n, true), static_cast<uint32_t>(i));
        slots[k++] = static_cast<uint32_t>(slot);
        const NGramCounter::Entry& e = counter.At(slot);
        if (e.count > best_count || (e.count == best_count && e.first < best_first)) {
          best_count = e.count;
          best_first = e.first;
        }
      }
      // Next pass's candidates: the positions whose n-gram repeats.
      std::vector<uint32_t>& next = scratch.next_candidates;
      next.clear();
      for (size_t t = 0; t < k; ++t) {
        if (counter.At(slots[t]).count >= 2)
          next.push_back(all ? static_cast<uint32_t>(t) : candidates[t]);
      }
      candidates.swap(next);
      counted_n = c.n;
      size_t chars = (cp[best_first + n] - cp[best_first]) + (n - 1);
      frac = Ratio(static_cast<double>(chars) * best_count, len);
    }
    doc.SetSignal(c.signal, frac);
    fail(frac > c.frac, c.reason);
  }

  // Duplicated n-grams: "".join(words[i:i+n]); a repeat counts its characters and the scan
  // jumps past it. Only positions that can repeat are visited (DupCandidates); every other
  // position holds an n-gram seen once, which the scan would insert and step over.
  if (!dup_n_grams_.empty()) DupCandidates(text, words, min_dup_n_, scratch);
  const std::vector<uint32_t>& dup_candidates = scratch.candidates;
  for (const NGramCheck& c : dup_n_grams_) {
    const size_t n = static_cast<size_t>(c.n);
    size_t repeated = 0;
    if (w >= n) {
      const size_t m = w - n + 1;
      counter.Reset(dup_candidates.size());
      size_t next_free = 0;  // positions before this were jumped over
      for (uint32_t entry : dup_candidates) {
        const size_t idx = entry & ~kPrefixRepeats;
        if (idx >= m) break;
        if (idx < next_free) continue;
        const size_t span = scratch.ngrams.JoinedOffset(idx + n) - scratch.ngrams.JoinedOffset(idx);
        if ((entry & kPrefixRepeats) == 0 && span >= kDupPrefixBytes) continue;  // unique
        if (counter.Seen(scratch.ngrams.Key(idx, n, false))) {
          repeated += cp[idx + n] - cp[idx];
          next_free = idx + n;
        }
      }
    }
    double frac = Ratio(static_cast<double>(repeated), len);
    doc.SetSignal(c.signal, frac);
    fail(frac > c.frac, c.reason);
  }
  return decision;
}

}  // namespace winnow::filter
