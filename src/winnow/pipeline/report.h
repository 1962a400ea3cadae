// report.html: one self-contained page (inline CSS and SVG, no network) rendered from a run's
// stats.json: the removal funnel, every signal's histogram with its thresholds and the share
// each removes, examples per reason with the text that triggered it highlighted, the
// near-duplicate clusters, throughput per stage and the configuration.
//
// Every number shown comes from stats.json and carries its path there in a data-key
// attribute, so a test (or a reader) can check the page against the stats.
#pragma once

#include <string>
#include <string_view>

#include "winnow/core/status.h"

namespace winnow::pipeline {

// Renders the page from the text of stats.json. InvalidArgument when it is not winnow stats.
Result<std::string> RenderReport(std::string_view stats_json);

// Reads OUT/stats.json and writes OUT/report.html (atomically).
Status WriteReport(const std::string& output_dir);

}  // namespace winnow::pipeline
