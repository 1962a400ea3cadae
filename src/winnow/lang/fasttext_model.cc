#include "winnow/lang/fasttext_model.h"

#include <fasttext/args.h>
#include <fasttext/fasttext.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <istream>
#include <streambuf>
#include <system_error>

namespace winnow::lang {
namespace {

constexpr std::string_view kLabelPrefix = "__label__";
// fastText's file signature and the newest format version 0.9.2 reads.
constexpr int32_t kMagic = 793712314;
constexpr int32_t kMaxVersion = 12;

// An istream over bytes we own, without copying them (fastText reads only from streams).
class ViewBuf : public std::streambuf {
 public:
  explicit ViewBuf(std::string_view s) {
    char* p = const_cast<char*>(s.data());
    setg(p, p, p + s.size());
  }
};

// Walks the parts of a fastText .bin/.ftz file that fastText's loader trusts blindly, so
// that a truncated or foreign file is an error instead of a hang or a huge allocation
// (fastText 0.9.2 reads dictionary words with `in.get()` until a NUL and loops forever at
// EOF, and sizes matrices from the file). Hand-written: no library validates this format.
class ModelFileCheck {
 public:
  ModelFileCheck(std::ifstream& in, uint64_t size) : in_(in), size_(size) {}

  Status Run() {
    int32_t magic = 0, version = 0;
    if (!Read(magic) || !Read(version) || magic != kMagic) {
      return Bad("not a fastText model (bad signature)");
    }
    if (version > kMaxVersion)
      return Bad("fastText format version " + std::to_string(version) +
                 " is newer than this fastText reads");
    // Args: 12 int32 then one double.
    if (!Skip(12 * 4 + 8)) return Bad("truncated in the model's arguments");
    int32_t words = 0, nwords = 0, nlabels = 0;
    int64_t ntokens = 0, prune = 0;
    if (!Read(words) || !Read(nwords) || !Read(nlabels) || !Read(ntokens) || !Read(prune)) {
      return Bad("truncated in the dictionary header");
    }
    if (words < 0 || nwords < 0 || nlabels <= 0 || words != nwords + nlabels || prune < -1) {
      return Bad("corrupt dictionary header (not a supervised model?)");
    }
    std::string word;
    for (int32_t i = 0; i < words; ++i) {
      if (!std::getline(in_, word, '\0') || in_.eof()) return Bad("truncated in the dictionary");
      if (!Skip(8 + 1)) return Bad("truncated in the dictionary");
    }
    if (prune > 0 && !Skip(static_cast<uint64_t>(prune) * 8)) {
      return Bad("truncated in the dictionary's pruning table");
    }
    for (const char* what : {"input", "output"}) {
      uint8_t quantized = 0;
      if (!Read(quantized)) return Bad(std::string("truncated before the ") + what + " matrix");
      if (quantized != 0) return Status::OK();  // .ftz: fastText checks its own sizes there
      int64_t m = 0, n = 0;
      if (!Read(m) || !Read(n) || m < 0 || n <= 0 || n > (1 << 16)) {
        return Bad(std::string("corrupt ") + what + " matrix header");
      }
      if (static_cast<uint64_t>(m) > size_ / 4 ||
          !Skip(static_cast<uint64_t>(m) * static_cast<uint64_t>(n) * sizeof(float))) {
        return Bad(std::string("truncated in the ") + what + " matrix");
      }
    }
    return Status::OK();
  }

 private:
  template <typename T>
  bool Read(T& v) {
    return static_cast<bool>(in_.read(reinterpret_cast<char*>(&v), sizeof v));
  }
  bool Skip(uint64_t n) {
    auto at = static_cast<uint64_t>(in_.tellg());
    if (!in_ || at > size_ || n > size_ - at) return false;
    in_.seekg(static_cast<std::streamoff>(n), std::ios::cur);
    return static_cast<bool>(in_);
  }
  Status Bad(const std::string& what) { return Status::InvalidArgument(what); }

  std::ifstream& in_;
  uint64_t size_;
};

}  // namespace

FastTextModel::~FastTextModel() = default;

Result<std::unique_ptr<FastTextModel>> FastTextModel::Load(const std::string& path) {
  std::error_code ec;
  uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) return Status::NotFound("fastText model " + path + ": " + ec.message());
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError("fastText model " + path + ": cannot open");
  Status check = ModelFileCheck(in, size).Run();
  if (!check.ok()) return check.WithContext("fastText model " + path);
  in.seekg(0);

  std::unique_ptr<FastTextModel> m(new FastTextModel());
  m->path_ = path;
  m->model_ = std::make_unique<fasttext::FastText>();
  try {
    m->model_->loadModel(path);
  } catch (const std::exception& e) {
    return Status::InvalidArgument("fastText model " + path + ": " + e.what());
  }
  auto dict = m->model_->getDictionary();
  for (int32_t i = 0; i < dict->nlabels(); ++i) {
    std::string label = dict->getLabel(i);
    m->label_index_.emplace(label, static_cast<uint32_t>(i));
    if (label.starts_with(kLabelPrefix)) label.erase(0, kLabelPrefix.size());
    m->labels_.push_back(std::move(label));
  }
  return m;
}

void FastTextModel::Predict(std::string_view text, int k, PredictScratch& scratch,
                            std::vector<LabelScore>& out) const {
  out.clear();
  // One line, as datatrove feeds it: fastText stops reading a line at '\n'.
  scratch.buffer.assign(text);
  std::replace(scratch.buffer.begin(), scratch.buffer.end(), '\n', ' ');
  scratch.buffer.push_back('\n');
  ViewBuf buf(scratch.buffer);
  std::istream in(&buf);
  model_->predictLine(in, scratch.predictions, k < 0 ? -1 : k, 0.0f);
  for (const auto& [probability, label] : scratch.predictions) {
    auto it = label_index_.find(label);
    if (it != label_index_.end()) {
      out.push_back({it->second, std::clamp(static_cast<double>(probability), 0.0, 1.0)});
    }
  }
}

Status TrainSupervised(const std::string& train_path, const std::string& model_path,
                       const TrainOptions& options) {
  // fastText's Args() holds the *unsupervised* defaults (minCount 5, char n-grams, a 2M
  // bucket table): set the supervised ones ourselves.
  fasttext::Args args;
  args.input = train_path;
  args.output = model_path;
  args.model = fasttext::model_name::sup;
  args.loss = fasttext::loss_name::softmax;
  args.minCount = 1;
  args.minn = options.min_char_ngram;
  args.maxn = options.max_char_ngram;
  args.bucket = options.word_ngrams > 1 || options.max_char_ngram > 0 ? 100000 : 0;
  args.wordNgrams = options.word_ngrams;
  args.dim = options.dimension;
  args.epoch = options.epochs;
  args.lr = options.learning_rate;
  args.thread = 1;
  args.seed = 1;
  args.verbose = 0;
  try {
    fasttext::FastText ft;
    ft.train(args);
    ft.saveModel(model_path);
  } catch (const std::exception& e) {
    return Status::IOError("training fastText model from " + train_path + ": " + e.what());
  }
  return Status::OK();
}

}  // namespace winnow::lang
