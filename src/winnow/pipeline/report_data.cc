#include "winnow/pipeline/report_data.h"

#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "winnow/core/json_writer.h"

namespace winnow::pipeline {
namespace {

constexpr size_t kExcerptBytes = 2400;
constexpr size_t kLargestClusters = 10;

// The largest prefix of s[0, n) that ends on a UTF-8 boundary.
size_t Utf8Floor(std::string_view s, size_t n) {
  if (n >= s.size()) return s.size();
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return n;
}

}  // namespace

int SignalHistogram::Bin(double v) {
  if (v < 0) return 0;
  if (v <= 1) return 1 + std::min(kLinear - 1, static_cast<int>(v * kLinear));
  const double d = std::log10(v) * kPerDecade;
  if (d >= kPerDecade * kDecades) return kBins - 1;
  return 1 + kLinear + static_cast<int>(d);
}

double SignalHistogram::Low(int bin) {
  if (bin <= 0) return -INFINITY;
  if (bin <= kLinear) return static_cast<double>(bin - 1) / kLinear;
  if (bin == kBins - 1) return std::pow(10.0, kDecades);
  return std::pow(10.0, static_cast<double>(bin - 1 - kLinear) / kPerDecade);
}

double SignalHistogram::High(int bin) {
  if (bin <= 0) return 0;
  if (bin <= kLinear) return static_cast<double>(bin) / kLinear;
  if (bin == kBins - 1) return INFINITY;
  return std::pow(10.0, static_cast<double>(bin - kLinear) / kPerDecade);
}

void SignalHistogram::Add(double v) {
  if (std::isnan(v)) {
    ++missing;
    return;
  }
  if (n == 0 || v < min) min = v;
  if (n == 0 || v > max) max = v;
  ++n;
  sum += v;
  ++counts[static_cast<size_t>(Bin(v))];
}

void SignalHistogram::Combine(const SignalHistogram& o) {
  if (o.n > 0) {
    min = n == 0 ? o.min : std::min(min, o.min);
    max = n == 0 ? o.max : std::max(max, o.max);
  }
  n += o.n;
  missing += o.missing;
  sum += o.sum;
  for (size_t i = 0; i < counts.size(); ++i) counts[i] += o.counts[i];
}

namespace {
std::string Fmt10(double v) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.10g", v);
  return text;
}
}  // namespace

ReportCollector::ReportCollector(std::vector<StageThreshold> thresholds,
                                 std::map<DocRef, DocRef> sample, EvidenceFn evidence,
                                 size_t examples_per_reason)
    : thresholds_(std::move(thresholds)),
      threshold_docs_(thresholds_.size(), 0),
      threshold_removes_(thresholds_.size(), 0),
      sample_(std::move(sample)),
      evidence_(std::move(evidence)),
      per_reason_(examples_per_reason) {
  for (const auto& [doc, partner] : sample_) partners_.insert(partner);
}

ReportCollector::Example ReportCollector::MakeExample(const Document& d, uint64_t rank) const {
  Example e;
  e.rank = rank;
  e.id = d.id;
  e.reason = std::string(d.reason);
  e.duplicate_of = d.duplicate_of;
  e.cluster_id = d.cluster_id;
  e.cluster_size = d.cluster_size;
  TextSpans marks;
  if (evidence_) {
    Document copy = d;  // the stage may memoise on it (words)
    TextSpans spans = evidence_(copy, d.reason);
    // Highlights are a union: overlapping n-grams ("a a a") become one mark.
    std::sort(spans.begin(), spans.end());
    for (auto [from, to] : spans) {
      if (!marks.empty() && from <= marks.back().second) {
        marks.back().second = std::max(marks.back().second, to);
      } else {
        marks.emplace_back(from, to);
      }
    }
  }
  // The window starts a little before the first highlight, on a line start when one is near.
  size_t from = 0;
  if (!marks.empty() && marks.front().first > kExcerptBytes / 2) {
    from = marks.front().first - 200;
    size_t nl = d.text.rfind('\n', marks.front().first);
    if (nl != std::string::npos && nl + 1 >= from) from = nl + 1;
    while (from < d.text.size() && (static_cast<unsigned char>(d.text[from]) & 0xC0) == 0x80)
      ++from;
  }
  const size_t to = from + Utf8Floor(std::string_view(d.text).substr(from), kExcerptBytes);
  e.excerpt = d.text.substr(from, to - from);
  e.truncated_front = from > 0;
  e.truncated_back = to < d.text.size();
  for (auto [b, end] : marks) {
    if (end <= from || b >= to) continue;
    e.marks.emplace_back(std::max(b, from) - from, std::min(end, to) - from);
  }
  return e;
}

void ReportCollector::Observe(const Document& d) {
  for (const Signal& s : d.signals) {
    auto it = signals_.find(s.name);
    if (it == signals_.end()) it = signals_.emplace(std::string(s.name), SignalHistogram{}).first;
    it->second.Add(s.value);
  }
  for (size_t t = 0; t < thresholds_.size(); ++t) {
    const Threshold& th = thresholds_[t].threshold;
    for (const Signal& s : d.signals) {
      if (s.name != th.signal) continue;
      if (!std::isnan(s.value)) {
        ++threshold_docs_[t];
        threshold_removes_[t] += th.Removes(s.value);
      }
      break;
    }
  }
  if (std::string_view language = d.language(); !language.empty()) {
    auto it = languages_.find(language);
    if (it == languages_.end())
      it = languages_.emplace(std::string(language), LanguageCount{}).first;
    if (d.removed()) {
      ++it->second.removed;
    } else {
      ++it->second.kept;
      it->second.kept_bytes += d.text.size();
    }
  }
  const DocRef ref = PackDoc(d.where);
  if (partners_.count(ref)) {
    partner_excerpts_[ref] = d.text.substr(0, Utf8Floor(d.text, kExcerptBytes));
  }
  if (!d.removed() && d.cluster_id >= 0) {
    ++cluster_sizes_[d.cluster_size];
    Cluster c{d.cluster_size, d.cluster_id, d.id, d.text.substr(0, Utf8Floor(d.text, 600))};
    auto worse = [](const Cluster& a, const Cluster& b) {
      return a.size != b.size ? a.size > b.size : a.id < b.id;
    };
    if (largest_.size() < kLargestClusters || worse(c, largest_.back())) {
      largest_.insert(std::upper_bound(largest_.begin(), largest_.end(), c, worse), std::move(c));
      if (largest_.size() > kLargestClusters) largest_.pop_back();
    }
  }
  if (!d.removed()) return;
  auto slot = examples_.find(d.reason);
  if (slot == examples_.end())
    slot = examples_.emplace(std::string(d.reason), std::vector<Example>{}).first;
  std::vector<Example>& list = slot->second;
  auto sampled = sample_.find(ref);
  uint64_t rank;
  if (sampled != sample_.end()) {
    rank = 0;  // chosen by the dedup stage: always shown (it knows the partner)
  } else if (!d.duplicate_of.empty() && !sample_.empty()) {
    return;  // a duplicate the dedup stage did not pick
  } else {
    rank = 1 + (XXH3_64bits(d.id.data(), d.id.size()) >> 1);
  }
  auto by_rank = [](const Example& a, const Example& b) { return a.rank < b.rank; };
  if (list.size() >= per_reason_ && rank >= list.back().rank) return;
  Example e = MakeExample(d, rank);
  e.doc = ref;
  if (sampled != sample_.end()) {
    auto p = partner_excerpts_.find(sampled->second);
    if (p != partner_excerpts_.end()) e.partner_excerpt = p->second;
  }
  list.insert(std::upper_bound(list.begin(), list.end(), e, by_rank), std::move(e));
  if (list.size() > per_reason_) list.pop_back();
}

std::string ReportCollector::ToJson() const {
  JsonWriter w(/*pretty=*/false);
  w.BeginObject();
  w.Key("signals").BeginObject();
  for (const auto& [name, h] : signals_) {
    w.Key(name).BeginObject();
    w.Key("n").Int(static_cast<int64_t>(h.n));
    w.Key("missing").Int(static_cast<int64_t>(h.missing));
    w.Key("min").Number(h.min);
    w.Key("max").Number(h.max);
    // Rounded to 10 significant digits: a sum of doubles depends on the order of its terms in
    // the last bits, and ranks add theirs in a different order than one process does.
    const double mean = h.n ? h.sum / static_cast<double>(h.n) : 0;
    w.Key("mean").Number(std::stod(Fmt10(mean)));
    w.Key("bins").BeginArray();
    for (size_t b = 0; b < h.counts.size(); ++b) {
      if (h.counts[b] == 0) continue;
      w.BeginArray().Int(static_cast<int64_t>(b)).Int(static_cast<int64_t>(h.counts[b])).EndArray();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndObject();
  w.Key("bins").BeginObject();  // how to read bin numbers
  w.Key("linear_per_unit").Int(SignalHistogram::kLinear);
  w.Key("log_per_decade").Int(SignalHistogram::kPerDecade);
  w.Key("decades").Int(SignalHistogram::kDecades);
  w.EndObject();
  w.Key("thresholds").BeginArray();
  for (size_t t = 0; t < thresholds_.size(); ++t) {
    const Threshold& th = thresholds_[t].threshold;
    w.BeginObject();
    w.Key("stage").String(thresholds_[t].stage);
    w.Key("signal").String(th.signal);
    w.Key("op").String(th.removes_below ? "<" : ">");
    w.Key("value").Number(th.value);
    w.Key("reason").String(th.reason);
    w.Key("documents").Int(static_cast<int64_t>(threshold_docs_[t]));
    w.Key("beyond").Int(static_cast<int64_t>(threshold_removes_[t]));
    w.EndObject();
  }
  w.EndArray();
  w.Key("examples").BeginObject();
  for (const auto& [reason, list] : examples_) {
    w.Key(reason).BeginArray();
    for (const Example& e : list) {
      w.BeginObject();
      w.Key("id").String(e.id);
      w.Key("excerpt").String(e.excerpt);
      w.Key("truncated_front").Bool(e.truncated_front);
      w.Key("truncated_back").Bool(e.truncated_back);
      w.Key("marks").BeginArray();
      for (auto [b, end] : e.marks) {
        w.BeginArray().Int(static_cast<int64_t>(b)).Int(static_cast<int64_t>(end)).EndArray();
      }
      w.EndArray();
      if (!e.duplicate_of.empty()) w.Key("duplicate_of").String(e.duplicate_of);
      if (!e.partner_excerpt.empty()) w.Key("partner_excerpt").String(e.partner_excerpt);
      if (e.cluster_id >= 0) {
        w.Key("cluster_id").Int(e.cluster_id);
        w.Key("cluster_size").Int(static_cast<int64_t>(e.cluster_size));
      }
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  w.Key("languages").BeginObject();
  for (const auto& [language, c] : languages_) {
    w.Key(language).BeginObject();
    w.Key("kept").Int(static_cast<int64_t>(c.kept));
    w.Key("removed").Int(static_cast<int64_t>(c.removed));
    w.Key("kept_bytes").Int(static_cast<int64_t>(c.kept_bytes));
    w.EndObject();
  }
  w.EndObject();
  w.Key("clusters").BeginObject();
  w.Key("sizes").BeginArray();
  for (const auto& [size, count] : cluster_sizes_) {
    w.BeginArray().Int(static_cast<int64_t>(size)).Int(static_cast<int64_t>(count)).EndArray();
  }
  w.EndArray();
  w.Key("largest").BeginArray();
  for (const Cluster& c : largest_) {
    w.BeginObject();
    w.Key("cluster_id").Int(c.id);
    w.Key("size").Int(static_cast<int64_t>(c.size));
    w.Key("kept_id").String(c.kept_id);
    w.Key("excerpt").String(c.excerpt);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  w.EndObject();
  return w.Take();
}

void ReportCollector::Merge(const ReportCollector& o) {
  for (size_t t = 0; t < thresholds_.size() && t < o.thresholds_.size(); ++t) {
    threshold_docs_[t] += o.threshold_docs_[t];
    threshold_removes_[t] += o.threshold_removes_[t];
  }
  for (const auto& [name, h] : o.signals_) signals_[name].Combine(h);
  for (const auto& [doc, excerpt] : o.partner_excerpts_) partner_excerpts_.emplace(doc, excerpt);
  auto by_rank = [](const Example& a, const Example& b) { return a.rank < b.rank; };
  for (const auto& [reason, theirs] : o.examples_) {
    std::vector<Example>& list = examples_[reason];
    for (const Example& e : theirs) {  // after equal ranks: `o` observed later documents
      list.insert(std::upper_bound(list.begin(), list.end(), e, by_rank), e);
    }
    if (list.size() > per_reason_) list.resize(per_reason_);
  }
  for (auto& [reason, list] : examples_) {  // partners another rank observed
    for (Example& e : list) {
      auto sampled = sample_.find(e.doc);
      if (!e.partner_excerpt.empty() || sampled == sample_.end()) continue;
      auto p = partner_excerpts_.find(sampled->second);
      if (p != partner_excerpts_.end()) e.partner_excerpt = p->second;
    }
  }
  for (auto [size, n] : o.cluster_sizes_) cluster_sizes_[size] += n;
  for (const auto& [lang, c] : o.languages_) {
    LanguageCount& mine = languages_[lang];
    mine.kept += c.kept;
    mine.removed += c.removed;
    mine.kept_bytes += c.kept_bytes;
  }
  auto worse = [](const Cluster& a, const Cluster& b) {
    return a.size != b.size ? a.size > b.size : a.id < b.id;
  };
  largest_.insert(largest_.end(), o.largest_.begin(), o.largest_.end());
  std::sort(largest_.begin(), largest_.end(), worse);
  if (largest_.size() > kLargestClusters) largest_.resize(kLargestClusters);
}

void ReportCollector::Save(WireWriter& w) const {
  w.PutVarint(thresholds_.size());
  for (size_t i = 0; i < thresholds_.size(); ++i) {
    w.PutVarint(threshold_docs_[i]);
    w.PutVarint(threshold_removes_[i]);
  }
  w.PutVarint(signals_.size());
  for (const auto& [name, h] : signals_) {
    w.PutString(name);
    for (uint64_t c : h.counts) w.PutVarint(c);
    w.PutVarint(h.n);
    w.PutVarint(h.missing);
    w.PutDouble(h.min);
    w.PutDouble(h.max);
    w.PutDouble(h.sum);
  }
  w.PutVarint(partner_excerpts_.size());
  std::map<DocRef, std::string_view> partners(partner_excerpts_.begin(), partner_excerpts_.end());
  for (const auto& [doc, excerpt] : partners) {
    w.PutVarint(doc);
    w.PutString(excerpt);
  }
  w.PutVarint(examples_.size());
  for (const auto& [reason, list] : examples_) {
    w.PutString(reason);
    w.PutVarint(list.size());
    for (const Example& e : list) {
      w.PutVarint(e.rank);
      w.PutVarint(e.doc);
      for (const std::string* s :
           {&e.id, &e.reason, &e.excerpt, &e.duplicate_of, &e.partner_excerpt}) {
        w.PutString(*s);
      }
      w.PutVarint(e.marks.size());
      for (auto [from, to] : e.marks) {
        w.PutVarint(from);
        w.PutVarint(to);
      }
      w.PutSigned(e.cluster_id);
      w.PutVarint(e.cluster_size);
      w.PutBool(e.truncated_front);
      w.PutBool(e.truncated_back);
    }
  }
  w.PutVarint(cluster_sizes_.size());
  for (auto [size, n] : cluster_sizes_) {
    w.PutVarint(size);
    w.PutVarint(n);
  }
  w.PutVarint(languages_.size());
  for (const auto& [lang, c] : languages_) {
    w.PutString(lang);
    w.PutVarint(c.kept);
    w.PutVarint(c.removed);
    w.PutVarint(c.kept_bytes);
  }
  w.PutVarint(largest_.size());
  for (const Cluster& c : largest_) {
    w.PutVarint(c.size);
    w.PutSigned(c.id);
    w.PutString(c.kept_id);
    w.PutString(c.excerpt);
  }
}

bool ReportCollector::Load(WireReader& r) {
  if (r.GetVarint() != thresholds_.size()) return false;
  for (size_t i = 0; i < thresholds_.size(); ++i) {
    threshold_docs_[i] = r.GetVarint();
    threshold_removes_[i] = r.GetVarint();
  }
  signals_.clear();
  for (uint64_t n = r.GetCount(); n > 0 && r.ok(); --n) {
    SignalHistogram& h = signals_[std::string(r.GetString())];
    for (uint64_t& c : h.counts) c = r.GetVarint();
    h.n = r.GetVarint();
    h.missing = r.GetVarint();
    h.min = r.GetDouble();
    h.max = r.GetDouble();
    h.sum = r.GetDouble();
  }
  partner_excerpts_.clear();
  for (uint64_t n = r.GetCount(); n > 0 && r.ok(); --n) {
    const DocRef doc = r.GetVarint();
    partner_excerpts_[doc] = std::string(r.GetString());
  }
  examples_.clear();
  for (uint64_t n = r.GetCount(); n > 0 && r.ok(); --n) {
    std::vector<Example>& list = examples_[std::string(r.GetString())];
    list.resize(r.GetCount());
    for (Example& e : list) {
      e.rank = r.GetVarint();
      e.doc = r.GetVarint();
      for (std::string* s : {&e.id, &e.reason, &e.excerpt, &e.duplicate_of, &e.partner_excerpt}) {
        s->assign(r.GetString());
      }
      e.marks.resize(r.GetCount(2));
      for (auto& [from, to] : e.marks) {
        from = r.GetVarint();
        to = r.GetVarint();
      }
      e.cluster_id = r.GetSigned();
      e.cluster_size = r.GetVarint();
      e.truncated_front = r.GetBool();
      e.truncated_back = r.GetBool();
    }
  }
  cluster_sizes_.clear();
  for (uint64_t n = r.GetCount(); n > 0 && r.ok(); --n) {
    const uint64_t size = r.GetVarint();
    cluster_sizes_[size] = r.GetVarint();
  }
  languages_.clear();
  for (uint64_t n = r.GetCount(); n > 0 && r.ok(); --n) {
    LanguageCount& c = languages_[std::string(r.GetString())];
    c.kept = r.GetVarint();
    c.removed = r.GetVarint();
    c.kept_bytes = r.GetVarint();
  }
  largest_.resize(r.GetCount());
  for (Cluster& c : largest_) {
    c.size = r.GetVarint();
    c.id = r.GetSigned();
    c.kept_id.assign(r.GetString());
    c.excerpt.assign(r.GetString());
  }
  if (!r.ok()) {
    signals_.clear();
    partner_excerpts_.clear();
    examples_.clear();
    cluster_sizes_.clear();
    languages_.clear();
    largest_.clear();
    return false;
  }
  return true;
}

}  // namespace winnow::pipeline
