// ProgressLine: shows a run's progress on stderr.
//
// On a terminal: one line redrawn in place at most 5 times a second (documents, MB, docs/s,
// MB/s, and percent and ETA by bytes when the input size is known). Otherwise (a log file, a
// CI job): a plain line every 5 seconds. Quiet: nothing.
#pragma once

#include "winnow/pipeline/executor.h"

namespace winnow::cli {

class ProgressLine {
 public:
  explicit ProgressLine(bool quiet);
  void Update(const pipeline::Progress& p);
  // Ends the in-place line, if one was drawn.
  void Finish();
  pipeline::ProgressFn Callback();

 private:
  bool quiet_;
  bool tty_;
  bool drawn_ = false;
  double last_ = 0;  // seconds at the last line drawn
};

}  // namespace winnow::cli
