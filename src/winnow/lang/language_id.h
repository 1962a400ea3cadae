// Language identification: which language a text is in, with a score in [0, 1].
//
// Two engines behind one interface. CLD2 is built in (no model to download; its standard
// 83-language tables, see cmake/Deps.cmake for why not the full ones); a fastText model
// (lid.176.bin, GlotLID) is used when the user gives its path (see fasttext_model.h). Identifiers
// are immutable and shared by threads; the per-thread buffers live in a LanguageScratch.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/status.h"
#include "winnow/lang/fasttext_model.h"

namespace winnow::lang {

// One candidate language. `code` is ISO 639-1 where one exists ("en", "zh"), else the
// engine's code ("haw", "zh-Hant" for CLD2; GlotLID's "deu" with its script split off).
struct LanguageGuess {
  std::string_view code;  // static (CLD2) or identifier-owned (fastText) storage
  double score = 0;
};

struct LanguageScratch {
  PredictScratch predict;
  std::vector<LabelScore> labels;
};

class LanguageIdentifier {
 public:
  virtual ~LanguageIdentifier() = default;

  // "cld2" or "fasttext".
  virtual std::string_view name() const = 0;

  // The candidate languages of `text` (valid UTF-8), best first, scores in [0, 1]. Empty when
  // the engine recognises no language (empty text, digits only, binary junk).
  virtual void Identify(std::string_view text, LanguageScratch& scratch,
                        std::vector<LanguageGuess>& out) const = 0;
};

// CLD2 over plain text. The score of a language is the share of the text's letters CLD2
// assigns to it (its "percent3", / 100), so a half-English, half-German page gets about 0.5
// for each; CLD2's own reliability flag is folded in by halving the score of an unreliable
// call, so short or ambiguous texts fall below the usual 0.65 threshold as they do with
// fastText.
std::unique_ptr<LanguageIdentifier> NewCld2Identifier();

// A fastText language-ID model (labels "__label__<code>" or "__label__<code>_<Script>").
// NotFound / InvalidArgument naming `path` when it is missing or not a fastText model.
Result<std::unique_ptr<LanguageIdentifier>> LoadFastTextIdentifier(const std::string& path);

}  // namespace winnow::lang
