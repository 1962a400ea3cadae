// Text normalisations that MinHash shingles are built from.
//
//  - SimplifyText: datatrove's simplify_text (0.10, default TextNormConfig), the input of its
//    MinhashDedupSignature; what `--preset datatrove` needs bit for bit.
//  - FoldTokens: winnow's native normalisation, cheaper (no word tokenizer): Unicode full case
//    folding, every code point of general category P*, S*, Z* or C* becomes a separator, and
//    tokens are the runs between separators. It is the definition the near-duplicate truth in
//    ../shared/data/neardup_mini uses for its exact Jaccard values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace winnow::text {

// datatrove's simplify_text(text), in its order: str.lower() (full mapping: U+0130 becomes
// "i̇", capital sigma becomes final sigma at the end of a word); every decimal number
// (\p{Nd}+ with an optional [.,،٫⎖⎗⎘]\p{Nd}+ part) becomes "0"; datatrove's PUNCTUATION
// characters become spaces; strip and collapse whitespace runs to one space; NFD and drop
// nonspacing marks (Mn); strip. Writes into *out (cleared first). REQUIRES: valid UTF-8.
// (Canonical reordering of NFD is not applied: it only permutes combining marks, and all but
// a handful of them are Mn, which are dropped.)
void SimplifyText(std::string_view text, std::string* out);
// The same, and for every byte of *out the byte range [first, second) of `text` it came from
// (a number's "0": the whole number; a separating space: the character after it).
void SimplifyText(std::string_view text, std::string* out,
                  std::vector<std::pair<uint32_t, uint32_t>>* origins);

// Winnow's native shingle tokens of `text`: case-folded (full folding: "ß" -> "ss"), split at
// every P*/S*/Z*/C* code point. *folded receives the folded tokens back to back, *tokens views
// into it (both cleared first). REQUIRES: valid UTF-8.
void FoldTokens(std::string_view text, std::string* folded, std::vector<std::string_view>* tokens);

}  // namespace winnow::text
