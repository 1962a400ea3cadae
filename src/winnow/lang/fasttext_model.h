// FastTextModel: a fastText supervised model loaded from a path, for language ID and for
// model-based quality classifiers (DCLM's, FineWeb-Edu-style ones).
//
// Thin by design: fastText (libfasttext, Debian) does the work. Loading checks the file before
// fastText sees it (fastText's loader aborts or allocates wildly on some corrupt files), so a
// missing, truncated or foreign file gives an error naming the path. Prediction is const and
// thread-safe; text is scored as one line with newlines turned into spaces (what datatrove
// does), over at most `max_bytes` of it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "winnow/core/status.h"

namespace fasttext {
class FastText;
}

namespace winnow::lang {

struct LabelScore {
  uint32_t label = 0;  // index into FastTextModel::labels()
  double probability = 0;
};

struct PredictScratch {
  std::string buffer;
  std::vector<std::pair<float, std::string>> predictions;
};

class FastTextModel {
 public:
  ~FastTextModel();
  FastTextModel(const FastTextModel&) = delete;
  FastTextModel& operator=(const FastTextModel&) = delete;

  static Result<std::unique_ptr<FastTextModel>> Load(const std::string& path);

  // The `k` most probable labels of `text` (k < 0: all), most probable first.
  void Predict(std::string_view text, int k, PredictScratch& scratch,
               std::vector<LabelScore>& out) const;

  // The model's labels without "__label__", in the model's order.
  const std::vector<std::string>& labels() const { return labels_; }
  const std::string& path() const { return path_; }

 private:
  FastTextModel() = default;

  std::string path_;
  std::unique_ptr<fasttext::FastText> model_;
  std::vector<std::string> labels_;
  std::unordered_map<std::string, uint32_t> label_index_;  // "__label__x" -> index
};

// Trains a small supervised model on `train_path` (fastText's format: "__label__x words...")
// and saves it to `model_path`.
// Single-threaded and seeded, so the same data gives the same model. For tests and for users
// who want a quick classifier; real models are trained with fastText's own tool.
struct TrainOptions {
  int epochs = 25;
  double learning_rate = 0.5;
  int dimension = 16;
  int word_ngrams = 1;
  int min_char_ngram = 0, max_char_ngram = 0;  // subwords off
};
Status TrainSupervised(const std::string& train_path, const std::string& model_path,
                       const TrainOptions& options = {});

}  // namespace winnow::lang
