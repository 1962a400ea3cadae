#include "winnow/pipeline/stats.h"

#include <sys/resource.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "winnow/core/json_writer.h"

namespace winnow::pipeline {

double CpuSeconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  auto secs = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec);
  };
  return secs(u.ru_utime) + secs(u.ru_stime);
}

namespace {

// The process's peak before the last ResetPeakRss(): memory is the process's, so this is too.
std::atomic<uint64_t> peak_before_reset{0};

uint64_t RusagePeak() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<uint64_t>(u.ru_maxrss) * 1024;  // Linux reports KiB
}

// VmHWM of /proc/self/status (the high-water mark clear_refs lowers), or 0.
uint64_t HighWaterMark() {
  FILE* f = std::fopen("/proc/self/status", "re");
  if (f == nullptr) return 0;
  char line[256];
  uint64_t kib = 0;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::strncmp(line, "VmHWM:", 6) == 0) {
      kib = std::strtoull(line + 6, nullptr, 10);
      break;
    }
  }
  std::fclose(f);
  return kib * 1024;
}

}  // namespace

uint64_t PeakRssBytes() {
  return std::max({peak_before_reset.load(), RusagePeak(), HighWaterMark()});
}

void ResetPeakRss() {
  const uint64_t now = PeakRssBytes();
  uint64_t was = peak_before_reset.load();
  while (was < now && !peak_before_reset.compare_exchange_weak(was, now)) {
  }
#if defined(__GLIBC__)
  // What the previous step freed goes back to the kernel; kept by malloc, it would count as
  // the next step's.
  malloc_trim(0);
#endif
  if (FILE* f = std::fopen("/proc/self/clear_refs", "we")) {
    std::fputs("5", f);
    std::fclose(f);
  }
}

uint64_t StepPeakRssBytes() {
  const uint64_t hwm = HighWaterMark();
  return hwm > 0 ? hwm : PeakRssBytes();
}

namespace {

constexpr double kMB = 1e6;

void WriteTally(JsonWriter& w, const Tally& t) {
  w.BeginObject();
  w.Key("documents").Int(static_cast<int64_t>(t.docs));
  w.Key("bytes").Int(static_cast<int64_t>(t.bytes));
  w.EndObject();
}

double Rate(double amount, double seconds) { return seconds > 0 ? amount / seconds : 0; }

// Rounded for people; the counts stay exact.
double Round3(double v) { return static_cast<double>(static_cast<int64_t>(v * 1000 + 0.5)) / 1000; }

}  // namespace

void StageStats::Combine(const StageStats& o) {
  in.Combine(o.in);
  out.Combine(o.out);
  seconds += o.seconds;
  for (const auto& [reason, t] : o.removed) removed[reason].Combine(t);
}

std::string RunStats::ToJson() const {
  JsonWriter w;
  w.BeginObject();
  w.Key("winnow_stats_version").Int(1);
  w.Key("command").String(command);
  w.Key("threads").Int(threads);
  w.Key("ranks").Int(ranks);
  w.Key("wall_seconds").Number(Round3(wall_seconds));
  w.Key("cpu_seconds").Number(Round3(cpu_seconds));
  w.Key("peak_rss_mb").Number(Round3(static_cast<double>(peak_rss_bytes) / kMB));
  w.Key("passes").Int(passes);
  w.Key("attempts").Int(attempts);
  w.Key("memory_budget_mb").Number(Round3(static_cast<double>(memory_budget) / kMB));
  w.Key("spilled_mb").Number(Round3(static_cast<double>(spilled_bytes) / kMB));

  w.Key("input").BeginObject();
  w.Key("files").Int(static_cast<int64_t>(files));
  w.Key("records").Int(static_cast<int64_t>(input_records));
  w.Key("bytes").Int(static_cast<int64_t>(input_bytes));
  w.Key("compressed_bytes").Int(static_cast<int64_t>(compressed_bytes));
  w.Key("blank_lines").Int(static_cast<int64_t>(blank_lines));
  w.Key("skipped_records").BeginObject();
  for (const auto& [why, count] : skipped_records) w.Key(why).Int(static_cast<int64_t>(count));
  w.EndObject();
  w.EndObject();

  w.Key("kept");
  WriteTally(w, kept);
  w.Key("removed");
  WriteTally(w, removed);
  w.Key("rejected").Int(static_cast<int64_t>(rejected));

  w.Key("removed_by_reason").BeginObject();
  for (const auto& [reason, t] : removed_by_reason) {
    w.Key(reason);
    WriteTally(w, t);
  }
  w.EndObject();
  w.Key("rejected_by_kind").BeginObject();
  for (const auto& [kind, n] : rejected_by_kind) w.Key(kind).Int(static_cast<int64_t>(n));
  w.EndObject();
  if (!notes.empty()) {  // only when there are some: stats.json of most runs is unchanged
    w.Key("notes").BeginArray();
    for (const std::string& n : notes) w.String(n);
    w.EndArray();
  }

  w.Key("stages").BeginArray();
  for (const StageStats& s : stages) {
    w.BeginObject();
    w.Key("name").String(s.name);
    w.Key("in");
    WriteTally(w, s.in);
    w.Key("out");
    WriteTally(w, s.out);
    w.Key("removed").BeginObject();
    for (const auto& [reason, t] : s.removed) {
      w.Key(reason);
      WriteTally(w, t);
    }
    w.EndObject();
    w.Key("seconds").Number(Round3(s.seconds));
    w.Key("docs_per_s").Number(Round3(Rate(static_cast<double>(s.in.docs), s.seconds)));
    w.Key("mb_per_s").Number(Round3(Rate(static_cast<double>(s.in.bytes) / kMB, s.seconds)));
    w.EndObject();
  }
  w.EndArray();

  w.Key("memory").BeginArray();
  for (const StepMemory& m : memory) {
    w.BeginObject();
    w.Key("pass").Int(m.pass);
    w.Key("step").String(m.step);
    if (!m.stage.empty()) w.Key("stage").String(m.stage);
    w.Key("peak_rss_mb").Number(Round3(static_cast<double>(m.peak_rss_bytes) / kMB));
    w.Key("spilled_mb").Number(Round3(static_cast<double>(m.spilled_bytes) / kMB));
    w.EndObject();
  }
  w.EndArray();

  w.Key("throughput").BeginObject();
  w.Key("docs_per_s").Number(Round3(Rate(static_cast<double>(input_records), wall_seconds)));
  w.Key("mb_per_s").Number(Round3(Rate(static_cast<double>(input_bytes) / kMB, wall_seconds)));
  w.Key("mb_per_s_per_thread")
      .Number(Round3(Rate(static_cast<double>(input_bytes) / kMB, wall_seconds) /
                     std::max(threads, 1) / std::max(ranks, 1)));
  // Per core actually used: input MB over CPU seconds.
  w.Key("mb_per_cpu_s").Number(Round3(Rate(static_cast<double>(input_bytes) / kMB, cpu_seconds)));
  w.EndObject();

  w.Key("counters").BeginObject();
  for (const auto& [k, v] : counters) w.Key(k).Int(v);
  w.EndObject();

  if (!config_yaml.empty()) w.Key("config").String(config_yaml);
  if (!report_json.empty()) w.Key("report").Raw(report_json);

  w.Key("accounting").BeginObject();
  w.Key("input").Int(static_cast<int64_t>(input_records));
  w.Key("kept").Int(static_cast<int64_t>(kept.docs));
  w.Key("removed").Int(static_cast<int64_t>(removed.docs));
  w.Key("rejected").Int(static_cast<int64_t>(rejected));
  w.Key("holds").Bool(AccountingHolds());
  w.EndObject();

  w.EndObject();
  std::string s = w.Take();
  s.push_back('\n');
  return s;
}

}  // namespace winnow::pipeline
