#include "winnow/dedup/repeated_lines.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>

#include "winnow/core/wire.h"
#include "winnow/dedup/distributed.h"
#include "winnow/dedup/sorted_runs.h"
#include "winnow/text/simplify.h"
#include "winnow/text/utf8.h"

namespace winnow::dedup {
namespace {

// Units to remove, by document: (DocRef, unit index) pairs in order.
class UnitRemovals final : public GlobalDecisions {
 public:
  UnitRemovals(std::vector<std::pair<DocRef, uint32_t>> units, bool paragraphs)
      : units_(std::move(units)), paragraphs_(paragraphs) {}

  bool Removes(DocRef) const override { return false; }  // decided on the text, when applied

  void Save(std::string* out) const override {
    WireWriter w;
    w.PutBool(paragraphs_);
    w.PutVarint(units_.size());
    for (const auto& [doc, unit] : units_) {
      w.PutVarint(doc);
      w.PutVarint(unit);
    }
    out->append(w.bytes());
  }

  static Result<std::unique_ptr<GlobalDecisions>> Load(std::string_view bytes) {
    WireReader r(bytes);
    const bool paragraphs = r.GetBool();
    std::vector<std::pair<DocRef, uint32_t>> units(r.GetCount(2));
    for (auto& [doc, unit] : units) {
      doc = r.GetVarint();
      unit = static_cast<uint32_t>(r.GetVarint());
    }
    if (!r.ok() || !r.at_end() || !std::is_sorted(units.begin(), units.end())) {
      return Status::Corrupt("repeated_lines: saved decisions do not decode");
    }
    return std::unique_ptr<GlobalDecisions>(new UnitRemovals(std::move(units), paragraphs));
  }

  Status Apply(Batch& batch) const override {
    if (units_.empty()) return Status::OK();
    std::vector<std::string_view> parts;
    for (size_t i = 0; i < batch.docs.size(); ++i) {
      Document& d = batch.docs[i];
      if (d.removed()) continue;
      const DocRef doc = PackDoc(d.where);
      auto lo = std::lower_bound(units_.begin(), units_.end(), std::make_pair(doc, uint32_t{0}));
      if (lo == units_.end() || lo->first != doc) continue;
      auto hi = lo;
      while (hi != units_.end() && hi->first == doc) ++hi;
      SplitUnits(d.text, paragraphs_, &parts);
      std::string kept;
      kept.reserve(d.text.size());
      size_t removed = 0, removed_chars = 0;
      auto next = lo;
      bool first = true;
      for (size_t u = 0; u < parts.size(); ++u) {
        if (next != hi && next->second == u) {
          ++next;
          ++removed;
          removed_chars += text::CountCodePoints(parts[u]);
          continue;
        }
        if (!first) kept += paragraphs_ ? "\n\n" : "\n";
        first = false;
        kept.append(parts[u]);
      }
      d.SetSignal("repeated_units_removed", static_cast<double>(removed));
      d.SetSignal("repeated_chars_removed", static_cast<double>(removed_chars));
      bool blank = std::all_of(kept.begin(), kept.end(), [](char c) {
        return c == ' ' || c == '\n' || c == '\t' || c == '\r';
      });
      d.SetText(std::move(kept));
      if (blank) batch.Drop(i, "repeated_lines:empty");
    }
    return Status::OK();
  }

 private:
  std::vector<std::pair<DocRef, uint32_t>> units_;
  bool paragraphs_;
};

}  // namespace

void SplitUnits(std::string_view text, bool paragraphs, std::vector<std::string_view>* units) {
  units->clear();
  size_t start = 0, i = 0;
  while (true) {
    size_t nl = text.find('\n', i);
    if (nl == std::string_view::npos) break;
    size_t j = nl;
    while (j < text.size() && text[j] == '\n') ++j;
    if (!paragraphs || j - nl >= 2) {
      units->push_back(text.substr(start, nl - start));
      if (!paragraphs) {
        // Every '\n' ends a line: a run of k newlines makes k - 1 empty lines.
        for (size_t k = nl + 1; k < j; ++k) units->push_back(std::string_view());
      }
      start = j;
    }
    i = j;
  }
  units->push_back(text.substr(start));
}

bool UnitKey(std::string_view unit, size_t min_chars, std::string* scratch,
             std::vector<std::string_view>* tokens, uint64_t* key) {
  std::string folded;
  text::FoldTokens(unit, &folded, tokens);
  if (tokens->empty()) return false;
  scratch->clear();
  for (std::string_view t : *tokens) {
    if (!scratch->empty()) scratch->push_back(' ');
    for (char c : t) scratch->push_back(c >= '0' && c <= '9' ? '0' : c);
  }
  if (min_chars > 0 && text::CountCodePoints(*scratch) < min_chars) return false;
  *key = XXH3_64bits(scratch->data(), scratch->size());
  return true;
}

class RepeatedLines::Mapper final : public GlobalMapper {
 public:
  Mapper(const RepeatedLines& stage, std::unique_ptr<SortedRuns::Writer> out)
      : stage_(stage), out_(std::move(out)) {}

  Status Map(Batch& batch) override {
    for (const Document& d : batch.docs) {
      if (d.removed()) continue;
      SplitUnits(d.text, stage_.paragraphs(), &units_);
      const DocRef doc = PackDoc(d.where);
      for (size_t u = 0; u < units_.size(); ++u) {
        uint64_t key;
        if (!UnitKey(units_[u], stage_.min_chars(), &scratch_, &tokens_, &key)) continue;
        out_->Add(KeyRecord{key, doc, u});
      }
    }
    return Status::OK();
  }
  Status Finish() override { return out_->Finish(); }

 private:
  const RepeatedLines& stage_;
  std::unique_ptr<SortedRuns::Writer> out_;
  std::vector<std::string_view> units_, tokens_;
  std::string scratch_;
};

const StageSpec& RepeatedLines::Spec() {
  static const StageSpec spec{
      "repeated_lines",
      "Removes lines (or paragraphs) repeated across the corpus: every copy after the first "
      "(CCNet), or every copy of boilerplate found in many documents.",
      {
          {"unit", "line", "line or paragraph (blocks between blank lines)"},
          {"policy", "first",
           "first: keep the first occurrence in the corpus, remove the others (CCNet); "
           "boilerplate: remove every occurrence of a unit seen in min_docs documents or more"},
          {"min_docs", "3", "boilerplate policy: documents a unit must appear in"},
          {"min_chars", "0", "units shorter than this (normalised code points) are never removed"},
      }};
  return spec;
}

Result<std::unique_ptr<RepeatedLines>> RepeatedLines::Create(const Options& o) {
  auto stage = std::make_unique<RepeatedLines>();
  WINNOW_ASSIGN_OR_RETURN(std::string unit, o.String("unit"));
  WINNOW_ASSIGN_OR_RETURN(std::string policy, o.String("policy"));
  WINNOW_ASSIGN_OR_RETURN(int64_t min_docs, o.Int("min_docs"));
  WINNOW_ASSIGN_OR_RETURN(int64_t min_chars, o.Int("min_chars"));
  if (unit != "line" && unit != "paragraph") {
    return Status::InvalidArgument(
        "repeated_lines: option unit: expected line or paragraph, got '" + unit + "'");
  }
  if (policy != "first" && policy != "boilerplate") {
    return Status::InvalidArgument(
        "repeated_lines: option policy: expected first or boilerplate, got '" + policy + "'");
  }
  if (min_docs < 2 || min_chars < 0) {
    return Status::InvalidArgument("repeated_lines: min_docs must be >= 2 and min_chars >= 0");
  }
  stage->paragraphs_ = unit == "paragraph";
  stage->boilerplate_ = policy == "boilerplate";
  stage->min_docs_ = static_cast<uint64_t>(min_docs);
  stage->min_chars_ = static_cast<size_t>(min_chars);
  return stage;
}

RepeatedLines::~RepeatedLines() = default;

Status RepeatedLines::Begin(const GlobalContext& context) {
  context_ = context;
  keys_ = std::make_unique<SortedRuns>(context.work_dir, context.memory_budget, context.threads);
  return Status::OK();
}

Result<std::unique_ptr<GlobalMapper>> RepeatedLines::NewMapper(const WorkerContext&) {
  if (!keys_) return Status::Internal("repeated_lines: NewMapper before Begin");
  return std::unique_ptr<GlobalMapper>(new Mapper(*this, keys_->NewWriter()));
}

Result<std::unique_ptr<GlobalDecisions>> RepeatedLines::Group(
    const DocDirectory&, const std::vector<const GlobalDecisions*>& earlier, Counters* counters) {
  const uint64_t mapped = keys_->records(), spilled = keys_->spilled_bytes();
  WINNOW_ASSIGN_OR_RETURN(std::unique_ptr<SortedRuns> keys,
                          GroupRuns(std::move(keys_), context_, 1, 1, earlier));
  std::vector<std::pair<DocRef, uint32_t>> remove;
  std::vector<std::pair<DocRef, uint32_t>> group;  // one key's occurrences, in order
  int64_t distinct = 0, repeated_keys = 0;
  auto close = [&] {
    if (group.empty()) return;
    ++distinct;
    if (boilerplate_) {
      uint64_t docs = 1;
      for (size_t i = 1; i < group.size(); ++i) docs += group[i].first != group[i - 1].first;
      if (docs >= min_docs_) {
        ++repeated_keys;
        remove.insert(remove.end(), group.begin(), group.end());
      }
    } else if (group.size() > 1) {
      ++repeated_keys;
      remove.insert(remove.end(), group.begin() + 1, group.end());
    }
    group.clear();
  };
  bool have = false;
  uint64_t key = 0;
  auto add = [&](const KeyRecord& r) -> Status {
    if (!have || r.a != key) {
      close();
      have = true;
      key = r.a;
    }
    if (!RemovedByAny(earlier, r.b)) group.emplace_back(r.b, static_cast<uint32_t>(r.c));
    return Status::OK();
  };
  WINNOW_RETURN_IF_ERROR(keys->Merge(add));
  close();
  if (Distributed(context_)) {  // each removal to the rank that owns its document
    using Unit = std::pair<DocRef, uint32_t>;
    auto put = [](WireWriter& w, const Unit& u) {
      w.PutVarint(u.first);
      w.PutVarint(u.second);
    };
    auto get = [](WireReader& r) {
      const DocRef doc = r.GetVarint();
      return Unit{doc, static_cast<uint32_t>(r.GetVarint())};
    };
    WINNOW_ASSIGN_OR_RETURN(
        remove, RouteToShards(
                    remove, [](const Unit& u) { return u.first; }, put, get, *context_.exchange));
  }
  std::sort(remove.begin(), remove.end());
  if (counters != nullptr) {
    counters->Add("repeated_lines.units", static_cast<int64_t>(mapped));
    counters->Add("repeated_lines.distinct_units", distinct);
    counters->Add("repeated_lines.repeated_units", repeated_keys);
    counters->Add("repeated_lines.removed_units", static_cast<int64_t>(remove.size()));
    counters->Add(
        "repeated_lines.spilled_bytes",
        static_cast<int64_t>(spilled + (Distributed(context_) ? keys->spilled_bytes() : 0)));
  }
  return std::unique_ptr<GlobalDecisions>(new UnitRemovals(std::move(remove), paragraphs_));
}

Result<std::unique_ptr<GlobalDecisions>> RepeatedLines::LoadDecisions(
    std::string_view bytes) const {
  WINNOW_ASSIGN_OR_RETURN(std::unique_ptr<GlobalDecisions> d, UnitRemovals::Load(bytes));
  return d;
}

}  // namespace winnow::dedup
