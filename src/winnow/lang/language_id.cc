#include "winnow/lang/language_id.h"

// compact_lang_det.h uses FILE without including its header.
#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

#include <algorithm>
#include <cstdio>

#include "winnow/lang/fasttext_model.h"

namespace winnow::lang {
namespace {

// CLD2 keeps a few withdrawn ISO 639-1 codes; report the current ones, as fastText's lid.176
// does, so `languages: [he]` means the same with either engine. Traditional Chinese is "zh"
// too (lid.176 does not tell the scripts apart).
std::string_view ModernCode(std::string_view code) {
  if (code == "iw") return "he";
  if (code == "ji") return "yi";
  if (code == "jw") return "jv";
  if (code == "in") return "id";
  if (code == "zh-Hant") return "zh";
  return code;
}

class Cld2Identifier final : public LanguageIdentifier {
 public:
  std::string_view name() const override { return "cld2"; }

  void Identify(std::string_view text, LanguageScratch&,
                std::vector<LanguageGuess>& out) const override {
    out.clear();
    CLD2::Language language3[3];
    int percent3[3] = {0, 0, 0};
    double normalized3[3];
    int text_bytes = 0;
    bool reliable = false;
    // CLD2 takes an int length; past a few hundred KB the answer no longer changes.
    int n = static_cast<int>(std::min<size_t>(text.size(), 1 << 30));
    // Best effort: an answer for short texts too (CLD2 otherwise says "unknown" below about
    // 40 letters); its reliability flag still marks the close calls, and halves their score.
    CLD2::CLDHints hints{nullptr, "", CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
    CLD2::ExtDetectLanguageSummary(text.data(), n, /*is_plain_text=*/true, &hints,
                                   CLD2::kCLDFlagBestEffort, language3, percent3, normalized3,
                                   /*resultchunkvector=*/nullptr, &text_bytes, &reliable);
    for (int i = 0; i < 3; ++i) {
      if (language3[i] == CLD2::UNKNOWN_LANGUAGE || percent3[i] <= 0) continue;
      double score = percent3[i] / 100.0;
      if (!reliable) score *= 0.5;
      std::string_view code = ModernCode(CLD2::LanguageCode(language3[i]));
      auto same = std::find_if(out.begin(), out.end(),
                               [&](const LanguageGuess& g) { return g.code == code; });
      if (same != out.end()) {
        same->score += score;  // zh and zh-Hant
      } else {
        out.push_back({code, score});
      }
    }
    std::stable_sort(out.begin(), out.end(), [](const LanguageGuess& a, const LanguageGuess& b) {
      return a.score > b.score;
    });
  }
};

class FastTextIdentifier final : public LanguageIdentifier {
 public:
  explicit FastTextIdentifier(std::unique_ptr<FastTextModel> model) : model_(std::move(model)) {
    // "deu_Latn" (GlotLID) -> "deu"; lid.176's "en" stays. Codes live as long as the model.
    for (const std::string& label : model_->labels()) {
      codes_.push_back(label.substr(0, label.find('_')));
    }
  }

  std::string_view name() const override { return "fasttext"; }

  void Identify(std::string_view text, LanguageScratch& scratch,
                std::vector<LanguageGuess>& out) const override {
    out.clear();
    model_->Predict(text, -1, scratch.predict, scratch.labels);
    for (const LabelScore& l : scratch.labels) out.push_back({codes_[l.label], l.probability});
  }

 private:
  std::unique_ptr<FastTextModel> model_;
  std::vector<std::string> codes_;
};

}  // namespace

std::unique_ptr<LanguageIdentifier> NewCld2Identifier() {
  return std::make_unique<Cld2Identifier>();
}

Result<std::unique_ptr<LanguageIdentifier>> LoadFastTextIdentifier(const std::string& path) {
  WINNOW_ASSIGN_OR_RETURN(std::unique_ptr<FastTextModel> model, FastTextModel::Load(path));
  return std::unique_ptr<LanguageIdentifier>(new FastTextIdentifier(std::move(model)));
}

}  // namespace winnow::lang
