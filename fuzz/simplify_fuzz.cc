// libFuzzer target: the text paths of sentence_dedup and decontaminate on arbitrary valid
// UTF-8: simplify_text with and without origins (the same text; every byte's origin a
// non-empty range inside the input, in order), PlainWords() equal to Words() where it
// applies, sentence spans (inside the text, in order),
// the duplicate-span removal with indices taken from the input, and the n-gram hashes.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "winnow/core/json_writer.h"
#include "winnow/dedup/sentence_dedup.h"
#include "winnow/filter/decontaminate.h"
#include "winnow/text/simplify.h"
#include "winnow/text/spacy_tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  size = std::min<size_t>(size, 4096);  // long inputs add time, not paths
  const std::string text =
      winnow::ToValidUtf8(std::string_view(reinterpret_cast<const char*>(data), size));
  std::string plain, mapped;
  std::vector<std::pair<uint32_t, uint32_t>> origins;
  winnow::text::SimplifyText(text, &plain);
  winnow::text::SimplifyText(text, &mapped, &origins);
  if (plain != mapped || origins.size() != mapped.size()) std::abort();
  for (size_t k = 0; k < origins.size(); ++k) {
    const auto [b, e] = origins[k];
    if (b >= e || e > text.size() || (k > 0 && b < origins[k - 1].first)) std::abort();
  }
  static winnow::text::TokenizerScratch scratch;
  // PlainWords() agrees with Words() wherever it accepts the text (the simplified text, and
  // the raw one).
  const winnow::text::SpacyTokenizer& tokenizer = winnow::text::SpacyTokenizer::English();
  for (std::string_view t : {std::string_view(plain), std::string_view(text)}) {
    std::vector<std::string_view> fast, full;
    if (!tokenizer.PlainWords(t, scratch, &fast)) continue;
    std::vector<std::string> kept(fast.begin(), fast.end());
    tokenizer.Words(t, scratch, &full);
    if (kept != std::vector<std::string>(full.begin(), full.end())) std::abort();
  }
  std::vector<std::pair<uint32_t, uint32_t>> spans;
  winnow::text::SpacyTokenizer::English().SentenceSpans(text, scratch, &spans);
  for (size_t k = 0; k < spans.size(); ++k) {
    if (spans[k].first > spans[k].second || spans[k].second > text.size() ||
        (k > 0 && spans[k].first < spans[k - 1].second)) {
      std::abort();
    }
  }
  std::vector<uint32_t> duplicates;
  for (size_t k = 0; k < size && k < 8; ++k) duplicates.push_back(data[k] % 16);
  std::sort(duplicates.begin(), duplicates.end());
  duplicates.erase(std::unique(duplicates.begin(), duplicates.end()), duplicates.end());
  bool keep = false;
  size_t removed = 0;
  const std::string left = winnow::dedup::RemoveDuplicateSentences(
      text, duplicates, winnow::dedup::SentenceDedup::Settings{}, &keep, &removed);
  if (left.size() > text.size() || removed > spans.size()) std::abort();
  static winnow::filter::NGramScratch ngrams;
  std::vector<uint64_t> hashes;
  winnow::filter::NGramHashes(text, 3, ngrams, &hashes, /*origins=*/true);
  if (!ngrams.words.empty() &&
      hashes.size() != (ngrams.words.size() >= 3 ? ngrams.words.size() - 2 : 0))
    std::abort();
  return 0;
}
