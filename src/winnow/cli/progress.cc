#include "winnow/cli/progress.h"

#include <unistd.h>

#include <cstdio>

namespace winnow::cli {

ProgressLine::ProgressLine(bool quiet) : quiet_(quiet), tty_(::isatty(STDERR_FILENO) != 0) {}

void ProgressLine::Update(const pipeline::Progress& p) {
  if (quiet_) return;
  if (!p.notice.empty()) {
    std::fprintf(stderr, "%swinnow: %s\n", tty_ && drawn_ ? "\r\033[K" : "", p.notice.c_str());
    return;
  }
  double interval = tty_ ? 0.2 : 5.0;
  if (!p.done && p.seconds - last_ < interval) return;
  if (p.done && !drawn_) return;  // a run too short to have shown anything stays silent
  last_ = p.seconds;
  double mb = static_cast<double>(p.bytes) / 1e6;
  double secs = p.seconds > 0 ? p.seconds : 1e-9;
  char line[256];
  char pass[32] = "";
  if (p.passes > 1) std::snprintf(pass, sizeof(pass), "pass %d/%d: ", p.pass, p.passes);
  int n = std::snprintf(line, sizeof(line), "%s%llu docs, %.1f MB, %.0f docs/s, %.1f MB/s", pass,
                        static_cast<unsigned long long>(p.records), mb,
                        static_cast<double>(p.records) / secs, mb / secs);
  if (p.total_compressed_bytes > 0 && n > 0 && static_cast<size_t>(n) < sizeof(line)) {
    double frac =
        static_cast<double>(p.compressed_bytes) / static_cast<double>(p.total_compressed_bytes);
    if (frac > 1) frac = 1;
    double eta = frac > 0 ? secs * (1 - frac) / frac : 0;
    std::snprintf(line + n, sizeof(line) - static_cast<size_t>(n), ", %.1f%%, ETA %.0f s",
                  100 * frac, eta);
  }
  if (tty_) {
    std::fprintf(stderr, "\r\033[K%s", line);
  } else {
    std::fprintf(stderr, "progress: %s\n", line);
  }
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressLine::Finish() {
  if (quiet_ || !tty_ || !drawn_) return;
  std::fprintf(stderr, "\n");
}

pipeline::ProgressFn ProgressLine::Callback() {
  return [this](const pipeline::Progress& p) { Update(p); };
}

}  // namespace winnow::cli
