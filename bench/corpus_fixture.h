// The benchmarks' workload: generated documents (winnow gen), built once per process.
#pragma once

#include <string>
#include <vector>

namespace winnow::bench {

// `docs` generated JSONL lines joined with '\n' (seed 1), about 3.3 KB per document.
const std::string& CorpusJsonl(size_t docs = 20000);
// The texts of those documents.
const std::vector<std::string>& CorpusTexts(size_t docs = 20000);

// The texts of ../shared/reference/datatrove/input.jsonl.zst (1,649 real documents), or empty
// when ../shared is absent.
const std::vector<std::string>& RealTexts();

}  // namespace winnow::bench
