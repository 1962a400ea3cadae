#include "winnow/pipeline/document_stream.h"

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <thread>

#include "winnow/core/batch.h"
#include "winnow/core/counters.h"
#include "winnow/io/record_codec.h"
#include "winnow/pipeline/executor.h"
#include "winnow/pipeline/guarded.h"
#include "winnow/pipeline/pass_plan.h"

namespace winnow::pipeline {
namespace {

// The name records are given in messages ("documents:17@0": the 17th record handed over).
constexpr std::string_view kSource = "documents";
// A slice per thread only when each gets at least this much: below it, threads cost more
// than they save.
constexpr size_t kMinSliceBytes = 64 << 10;

}  // namespace

// One thread's share of a Process() call.
struct DocumentStream::Slice {
  Batch batch;
  Status status;
  std::string lines;
  std::vector<Kind> kinds;
};

// Everything one engine thread owns.
struct DocumentStream::ThreadState {
  explicit ThreadState(const io::ReaderOptions& reader)
      : parser(reader.text_field, reader.id_field) {}
  io::RecordParser parser;
  std::vector<std::unique_ptr<StageWorker>> workers;  // by stage index
  Counters counters;
};

struct DocumentStream::Arena {
  explicit Arena(int threads) : arena(threads) {}
  tbb::task_arena arena;
};

Result<std::unique_ptr<DocumentStream>> DocumentStream::Create(const RunConfig& config,
                                                               const StageRegistry& registry,
                                                               Mode mode) {
  std::unique_ptr<DocumentStream> s(new DocumentStream());
  s->config_ = config;
  s->mode_ = mode;
  WINNOW_ASSIGN_OR_RETURN(s->stages_, CreateStages(config, registry, /*pages=*/false));
  for (const auto& stage : s->stages_) {
    if (stage->mode() == Stage::Mode::kGlobal && mode == Mode::kClean) {
      return Status::InvalidArgument(
          "stage " + std::string(stage->name()) +
          " works across the whole corpus and cannot judge documents as they stream past; run "
          "it over files (winnow.run / winnow.clean, or the CLI), or leave it out of this "
          "pipeline");
    }
  }
  // Segments: runs of parallel stages, each closed by an ordered one (pass_plan.h). Annotate
  // mode runs the filters alone, all in parallel (they judge each document on its own).
  std::vector<size_t> current;
  for (size_t i = 0; i < s->stages_.size(); ++i) {
    const Stage& stage = *s->stages_[i];
    if (stage.mode() == Stage::Mode::kGlobal) continue;
    if (mode == Mode::kAnnotate) {
      if (stage.annotates()) current.push_back(i);
      continue;
    }
    if (stage.mode() == Stage::Mode::kOrdered) {
      s->parallel_.push_back(std::move(current));
      s->ordered_.push_back(static_cast<int>(i));
      current.clear();
    } else {
      current.push_back(i);
    }
  }
  s->parallel_.push_back(std::move(current));
  s->ordered_.push_back(-1);

  int threads = config.threads > 0
                    ? config.threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  s->arena_ = std::make_unique<Arena>(threads);
  for (int t = 0; t < threads; ++t) {
    auto state = std::make_unique<ThreadState>(config.reader);
    WorkerContext ctx;
    ctx.thread = t;
    ctx.threads = threads;
    ctx.counters = &state->counters;
    ctx.annotate = mode == Mode::kAnnotate;
    state->workers.resize(s->stages_.size());
    for (const std::vector<size_t>& seg : s->parallel_) {
      for (size_t i : seg) {
        WINNOW_ASSIGN_OR_RETURN(state->workers[i], s->stages_[i]->NewWorker(ctx));
      }
    }
    for (int i : s->ordered_) {
      if (i < 0) continue;
      WINNOW_ASSIGN_OR_RETURN(state->workers[static_cast<size_t>(i)],
                              s->stages_[static_cast<size_t>(i)]->NewWorker(ctx));
    }
    s->threads_.push_back(std::move(state));
  }
  s->ordered_workers_.resize(s->stages_.size());
  for (int i : s->ordered_) {
    if (i < 0) continue;
    WorkerContext ctx;
    ctx.counters = &s->threads_[0]->counters;
    WINNOW_ASSIGN_OR_RETURN(s->ordered_workers_[static_cast<size_t>(i)],
                            s->stages_[static_cast<size_t>(i)]->NewWorker(ctx));
  }
  return s;
}

DocumentStream::~DocumentStream() = default;

Status DocumentStream::Process(std::string_view records, Output* out) {
  // Cut the records into slices of about equal bytes, one per thread, at record ends.
  const size_t threads = threads_.size();
  const size_t want = std::clamp<size_t>(records.size() / kMinSliceBytes, 1, threads);
  while (slices_.size() < want) slices_.push_back(std::make_unique<Slice>());
  size_t used = 0;
  size_t pos = 0;
  const uint64_t max_record = config_.reader.max_record_bytes;
  while (pos < records.size()) {
    Slice& slice = *slices_[used++];
    Batch& b = slice.batch;
    b.input.clear();
    b.records.clear();
    b.docs.clear();
    b.rejected.clear();
    b.scratch.clear();
    b.source = kSource;
    slice.status = Status::OK();
    const size_t target = used == want ? records.size() : pos + records.size() / want;
    size_t end = pos;
    while (end < records.size() && (end < target || b.records.empty())) {
      size_t nl = records.find('\n', end);
      if (nl == std::string_view::npos) nl = records.size();
      RecordRef ref;
      ref.begin = end - pos;
      ref.size = nl - end;
      ref.ordinal = records_;
      ref.line = ++records_;
      ref.byte_offset = 0;
      if (ref.size > max_record) {
        Rejected r;
        r.file = std::string(kSource);
        r.line = ref.line;
        r.ordinal = ref.ordinal;
        r.kind = "line_too_long";
        r.error = "record of " + std::to_string(ref.size) + " bytes is longer than " +
                  "max_record_bytes (" + std::to_string(max_record) +
                  "): documents:" + std::to_string(ref.line);
        r.excerpt.assign(records.substr(end, 64));
        b.rejected.push_back(std::move(r));
      } else {
        b.records.push_back(ref);
      }
      end = nl + 1;
    }
    end = std::min(end, records.size());
    // The reader's padding: simdjson may read past a record's end.
    b.input.reserve(end - pos + Batch::kInputPadding);
    b.input.assign(records.substr(pos, end - pos));
    b.input.append(Batch::kInputPadding, '\0');
    pos = end;
    if (used == want) break;
  }
  if (used == 0) return Status::OK();

  auto parallel = [&](auto&& fn) {
    arena_->arena.execute([&] {
      tbb::parallel_for(
          tbb::blocked_range<size_t>(0, used, 1),
          [&](const tbb::blocked_range<size_t>& r) {
            for (size_t i = r.begin(); i != r.end(); ++i) fn(*slices_[i]);
          },
          tbb::simple_partitioner());
    });
  };
  auto local = [&]() -> ThreadState& {
    int t = tbb::this_task_arena::current_thread_index();
    return *threads_[static_cast<size_t>(std::max(t, 0)) % threads];
  };
  for (size_t seg = 0; seg < parallel_.size(); ++seg) {
    parallel([&](Slice& slice) {
      if (!slice.status.ok()) return;
      ThreadState& state = local();
      Batch& b = slice.batch;
      if (seg == 0) {
        state.parser.ParseBatch(b);
        std::stable_sort(
            b.rejected.begin(), b.rejected.end(),
            [](const Rejected& x, const Rejected& y) { return x.ordinal < y.ordinal; });
      }
      for (size_t i : parallel_[seg]) {
        Status st = Guarded([&] { return state.workers[i]->Process(b); });
        if (!st.ok()) {
          slice.status = st.WithContext(stages_[i]->name());
          return;
        }
      }
      if (ordered_[seg] >= 0) {
        auto i = static_cast<size_t>(ordered_[seg]);
        Status st = Guarded([&] { return state.workers[i]->Prepare(b); });
        if (!st.ok()) slice.status = st.WithContext(stages_[i]->name());
      }
    });
    for (size_t k = 0; k < used; ++k) WINNOW_RETURN_IF_ERROR(slices_[k]->status);
    if (ordered_[seg] >= 0) {
      auto i = static_cast<size_t>(ordered_[seg]);
      for (size_t k = 0; k < used; ++k) {
        Batch& b = slices_[k]->batch;
        WINNOW_RETURN_IF_ERROR(Guarded([&] {
                                 return ordered_workers_[i]->Process(b);
                               }).WithContext(stages_[i]->name()));
      }
    }
  }
  // Each slice's lines in record order: documents and rejected records merged by ordinal
  // (each list is in order already).
  parallel([&](Slice& slice) {
    const Batch& b = slice.batch;
    slice.lines.clear();
    slice.kinds.clear();
    size_t d = 0, r = 0;
    while (d < b.docs.size() || r < b.rejected.size()) {
      bool doc = r == b.rejected.size() ||
                 (d < b.docs.size() && b.docs[d].where.ordinal < b.rejected[r].ordinal);
      if (doc) {
        const Document& document = b.docs[d++];
        if (mode_ == Mode::kAnnotate) {
          io::AppendAnnotateLine(document, slice.lines);
          slice.kinds.push_back(Kind::kKept);
        } else {
          io::AppendDocumentLine(document, slice.lines);
          slice.kinds.push_back(document.removed() ? Kind::kRemoved : Kind::kKept);
        }
      } else {
        io::AppendRejectedLine(b.rejected[r++], slice.lines);
        slice.kinds.push_back(Kind::kRejected);
      }
    }
  });
  for (size_t k = 0; k < used; ++k) {
    out->lines += slices_[k]->lines;
    out->kinds.insert(out->kinds.end(), slices_[k]->kinds.begin(), slices_[k]->kinds.end());
  }
  return Status::OK();
}

}  // namespace winnow::pipeline
