#include "winnow/filter/register.h"

#include "winnow/filter/anatomy_filter.h"
#include "winnow/filter/c4_quality.h"
#include "winnow/filter/decontaminate.h"
#include "winnow/filter/extract_filter.h"
#include "winnow/filter/fasttext_classifier.h"
#include "winnow/filter/fineweb_quality.h"
#include "winnow/filter/gopher_quality.h"
#include "winnow/filter/gopher_repetition.h"
#include "winnow/filter/language_filter.h"
#include "winnow/filter/length_filter.h"
#include "winnow/filter/per_language.h"
#include "winnow/filter/pii_filter.h"
#include "winnow/filter/tokenize_stage.h"
#include "winnow/filter/url_filter.h"

namespace winnow::filter {
namespace {

template <typename T>
void Add(StageRegistry& registry) {
  registry.Register(T::Spec(), [](const Options& o) -> Result<std::unique_ptr<Stage>> {
    WINNOW_ASSIGN_OR_RETURN(auto stage, T::Create(o));
    return std::unique_ptr<Stage>(std::move(stage));
  });
}

// A filter whose options can differ by document language (per_language.h).
template <typename T>
void AddPerLanguage(StageRegistry& registry) {
  StageSpec spec = T::Spec();
  spec.per_language = true;
  registry.Register(std::move(spec), [](const Options& o) -> Result<std::unique_ptr<Stage>> {
    WINNOW_ASSIGN_OR_RETURN(auto base, T::Create(o));
    std::vector<std::string> languages = o.Languages();
    if (languages.empty()) return std::unique_ptr<Stage>(std::move(base));
    auto filter = std::make_unique<PerLanguageFilter>(std::move(base));
    for (const std::string& language : languages) {
      Result<std::unique_ptr<T>> one = T::Create(o.ForLanguage(language));
      if (!one.ok()) return one.status().WithContext("per_language." + language);
      filter->Add(language, std::move(one).value());
    }
    return std::unique_ptr<Stage>(std::move(filter));
  });
}

}  // namespace

void RegisterStages(StageRegistry& registry) {
  Add<UrlFilter>(registry);
  Add<ExtractFilter>(registry);
  Add<AnatomyFilter>(registry);
  Add<LanguageFilter>(registry);
  AddPerLanguage<LengthFilter>(registry);
  AddPerLanguage<GopherRepetitionFilter>(registry);
  AddPerLanguage<GopherQualityFilter>(registry);
  AddPerLanguage<C4QualityFilter>(registry);
  AddPerLanguage<FineWebQualityFilter>(registry);
  Add<FastTextClassifier>(registry);
  Add<PiiFilter>(registry);
  Add<TokenizeStage>(registry);
  Add<Decontaminate>(registry);
}

}  // namespace winnow::filter
