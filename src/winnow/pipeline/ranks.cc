#include "winnow/pipeline/ranks.h"

#include <xxhash.h>

#include <algorithm>

#include "winnow/core/wire.h"

namespace winnow::pipeline {
namespace {

// A rank's status, for the others: every rank then returns the same error.
void PutStatus(WireWriter& w, const Status& st) {
  w.PutVarint(static_cast<uint64_t>(st.code()));
  w.PutString(st.message());
}
Status GetStatus(WireReader& r) {
  const auto code = static_cast<StatusCode>(r.GetVarint());
  const std::string message(r.GetString());
  return code == StatusCode::kOk ? Status::OK() : Status(code, message);
}

}  // namespace

Result<bool> RankCoordinator::FromRankZero(const std::function<Result<bool>()>& decide) {
  Status st;
  bool value = false;
  if (rank() == 0) {
    Result<bool> r = decide();
    st = r.status();
    if (r.ok()) value = *r;
  }
  WireWriter w;
  PutStatus(w, st);
  w.PutBool(value);
  WINNOW_ASSIGN_OR_RETURN(std::vector<std::string> all, exchange_->AllGather(w.bytes()));
  WireReader r(all[0]);
  WINNOW_RETURN_IF_ERROR(GetStatus(r));
  return r.GetBool();
}

Result<size_t> RankCoordinator::EarliestPass(const Status& loaded, size_t pass, size_t passes) {
  WireWriter w;
  PutStatus(w, loaded);
  w.PutVarint(pass);
  WINNOW_ASSIGN_OR_RETURN(std::vector<std::string> all, exchange_->AllGather(w.bytes()));
  size_t earliest = passes;
  for (const std::string& bytes : all) {
    WireReader r(bytes);
    WINNOW_RETURN_IF_ERROR(GetStatus(r));
    earliest = std::min<size_t>(earliest, r.GetVarint());
  }
  return earliest;
}

Status RankCoordinator::AllOk(const Status& mine, const std::string& others) {
  WINNOW_ASSIGN_OR_RETURN(bool any_failed, exchange_->AnyAll(!mine.ok()));
  if (!any_failed) return Status::OK();
  return mine.ok() ? Status::Corrupt(others) : mine;
}

Result<uint64_t> RankCoordinator::Sum(uint64_t value) {
  WINNOW_ASSIGN_OR_RETURN(std::vector<uint64_t> sum, exchange_->SumAll({value}));
  return sum[0];
}

Result<std::map<DocRef, DocRef>> RankCoordinator::GatherExamples(
    std::vector<std::vector<std::pair<DocRef, DocRef>>> pairs, size_t k) {
  WireWriter w;
  for (const auto& list : pairs) {
    w.PutVarint(list.size());
    for (auto [doc, partner] : list) {
      w.PutVarint(doc);
      w.PutVarint(partner);
    }
  }
  WINNOW_ASSIGN_OR_RETURN(std::vector<std::string> all, exchange_->AllGather(w.bytes()));
  for (auto& list : pairs) list.clear();
  for (const std::string& bytes : all) {
    WireReader r(bytes);
    for (auto& list : pairs) {
      for (uint64_t n = r.GetCount(2); n > 0 && r.ok(); --n) {
        const DocRef doc = r.GetVarint();
        list.emplace_back(doc, r.GetVarint());
      }
    }
    if (!r.ok()) return Status::Internal("a rank sent report examples that do not decode");
  }
  auto hash = [](DocRef d) { return XXH3_64bits(&d, sizeof(d)); };
  std::map<DocRef, DocRef> sample;
  for (auto& list : pairs) {
    std::sort(list.begin(), list.end(), [&](const auto& a, const auto& b) {
      return std::make_pair(hash(a.first), a.first) < std::make_pair(hash(b.first), b.first);
    });
    if (list.size() > k) list.resize(k);
    for (auto [doc, partner] : list) sample.emplace(doc, partner);
  }
  return sample;
}

Status RankCoordinator::Reduce(const RunState& mine, ReportCollector* report,
                               const std::function<std::unique_ptr<ReportCollector>()>& make_report,
                               NameTable& names, RunState* total, uint64_t* peak_rss) {
  Checkpoint c;
  c.state = mine;
  if (report != nullptr) {
    WireWriter rw;
    report->Save(rw);
    c.report = std::move(rw.bytes());
  }
  WireWriter w;
  w.PutString(EncodeCheckpoint(c));
  w.PutVarint(PeakRssBytes());
  std::vector<std::string> out(static_cast<size_t>(size()));
  out[0] = std::move(w.bytes());
  WINNOW_ASSIGN_OR_RETURN(std::vector<std::string> in, exchange_->AllToAll(std::move(out)));
  if (rank() != 0) return Status::OK();
  for (size_t r = 0; r < in.size(); ++r) {
    WireReader rd(in[r]);
    const std::string_view bytes = rd.GetString();
    *peak_rss = std::max(*peak_rss, rd.GetVarint());
    Result<Checkpoint> theirs = DecodeCheckpoint(bytes, names);
    if (!rd.ok() || !theirs.ok()) {
      return Status::Internal("rank " + std::to_string(r) + " sent a state that does not decode");
    }
    if (r == 0) {
      *total = std::move(theirs->state);
      continue;
    }
    total->Combine(theirs->state);
    if (report != nullptr) {
      std::unique_ptr<ReportCollector> other = make_report();
      WireReader rr(theirs->report);
      if (!other->Load(rr)) {
        return Status::Internal("rank " + std::to_string(r) +
                                " sent a report that does not decode");
      }
      report->Merge(*other);
    }
  }
  return Status::OK();
}

}  // namespace winnow::pipeline
