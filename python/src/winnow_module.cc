// winnow._winnow: the engine's entry points for Python (pybind11). The public API, with its
// documentation, is the pure-Python package around it (python/winnow/__init__.py); this
// module only crosses the language boundary:
//   - every call that does real work releases the GIL, so Python threads run in parallel;
//   - documents cross as JSONL bytes (one copy each way, no per-field Python objects in C++),
//     and MinHash signatures as one numpy array;
//   - a Status becomes an exception of the class its code names (the classes are created here
//     and exported by the package: winnow.Error and its subclasses).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <optional>
#include <thread>

#include "winnow/core/document.h"
#include "winnow/core/options.h"
#include "winnow/dedup/minhash.h"
#include "winnow/dedup/minhash_dedup.h"
#include "winnow/extract/html_extractor.h"
#include "winnow/io/charset.h"
#include "winnow/pipeline/builtin_stages.h"
#include "winnow/pipeline/config.h"
#include "winnow/pipeline/document_stream.h"
#include "winnow/pipeline/executor.h"
#include "winnow/pipeline/explain.h"
#include "winnow/text/spacy_tokenizer.h"

namespace py = pybind11;

namespace winnow::python {
namespace {

// The exception classes, by status code (created in the module's init).
struct Errors {
  PyObject* base = nullptr;
  PyObject* by_code[16] = {};
};
Errors errors;

// Thrown in C++, translated into the Python class of its code.
struct StatusError {
  Status status;
};

void Check(const Status& st) {
  if (!st.ok()) throw StatusError{st};
}
template <typename T>
T Take(Result<T> r) {
  Check(r.status());
  return std::move(r).value();
}

// The configuration in the file `path`, or in YAML text (a JSON object is YAML too), or the
// default clean pipeline.
pipeline::RunConfig ConfigOrDefault(const std::optional<std::string>& yaml,
                                    const std::optional<std::string>& path) {
  if (path) return Take(pipeline::LoadConfig(*path));
  if (yaml) return Take(pipeline::ParseConfig(*yaml, "config"));
  return pipeline::DefaultCleanConfig(pipeline::BuiltinStages());
}

py::dict ProgressDict(const pipeline::Progress& p) {
  py::dict d;
  d["pass"] = p.pass;
  d["passes"] = p.passes;
  d["records"] = p.records;
  d["bytes"] = p.bytes;
  d["compressed_bytes"] = p.compressed_bytes;
  d["total_compressed_bytes"] = p.total_compressed_bytes;
  d["seconds"] = p.seconds;
  d["done"] = p.done;
  if (!p.notice.empty()) d["notice"] = p.notice;
  return d;
}

// Runs the pipeline on its own thread while this (the caller's, usually Python's main) thread
// waits with the GIL released, waking every 100 ms to deliver progress to `progress` and to
// let Python see signals: KeyboardInterrupt (or an exception from the callback) cancels the
// run at its next batch; committed shards stay in the checkpoint, so the run can be resumed.
std::string Execute(pipeline::RunConfig cfg, const std::string& command, py::object progress) {
  std::atomic<bool> cancel{false};
  cfg.cancel = &cancel;
  std::mutex mu;
  std::condition_variable cv;
  std::optional<pipeline::Progress> latest;
  bool done = false;
  Result<pipeline::RunStats> result = Status::Internal("the run did not finish");
  std::thread worker([&] {
    Result<pipeline::RunStats> r = pipeline::RunPipeline(cfg, pipeline::BuiltinStages(), command,
                                                         [&](const pipeline::Progress& p) {
                                                           std::lock_guard<std::mutex> lock(mu);
                                                           latest = p;
                                                           cv.notify_all();
                                                         });
    std::lock_guard<std::mutex> lock(mu);
    result = std::move(r);
    done = true;
    cv.notify_all();
  });
  std::optional<py::error_already_set> pending;
  for (;;) {
    std::optional<pipeline::Progress> got;
    bool finished = false;
    {
      py::gil_scoped_release release;
      std::unique_lock<std::mutex> lock(mu);
      cv.wait_for(lock, std::chrono::milliseconds(100), [&] { return done || latest; });
      got.swap(latest);
      finished = done;
    }
    if (!pending) {
      if (PyErr_CheckSignals() != 0) {
        pending.emplace();
        cancel = true;
      } else if (got && !progress.is_none()) {
        try {
          progress(ProgressDict(*got));
        } catch (py::error_already_set& e) {
          pending.emplace(std::move(e));
          cancel = true;
        }
      }
    }
    if (finished) break;
  }
  worker.join();
  if (pending) throw std::move(*pending);
  Check(result.status());
  return result->ToJson();
}

// winnow.run / winnow.clean: the CLI's `run` and `clean` with its options.
std::string Run(const std::optional<std::string>& yaml, const std::optional<std::string>& path,
                const std::optional<std::vector<std::string>>& inputs,
                const std::optional<std::string>& output, const std::string& command,
                std::optional<int> threads, bool overwrite, bool resume,
                const std::optional<std::string>& output_format,
                const std::optional<std::string>& memory_budget,
                const std::optional<std::string>& on_error, py::object progress) {
  pipeline::RunConfig cfg = ConfigOrDefault(yaml, path);
  if (resume && overwrite) {
    Check(Status::InvalidArgument(
        "resume and overwrite contradict each other: resume continues the run in the output "
        "directory, overwrite replaces it"));
  }
  if (inputs) cfg.inputs = *inputs;
  if (output) cfg.output = *output;
  if (threads) cfg.threads = *threads;
  cfg.resume = resume;
  cfg.overwrite = overwrite;
  if (on_error) {
    if (*on_error == "skip") {
      cfg.on_error = pipeline::OnError::kSkip;
    } else if (*on_error == "fail") {
      cfg.on_error = pipeline::OnError::kFail;
    } else {
      Check(Status::InvalidArgument("on_error: expected skip or fail, got '" + *on_error + "'"));
    }
  }
  if (output_format) {
    if (*output_format == "parquet") {
      cfg.output_format = pipeline::OutputFormat::kParquet;
    } else if (*output_format == "jsonl") {
      cfg.output_format = pipeline::OutputFormat::kJsonl;
      if (cfg.compression != "none") cfg.compression = "zstd";
    } else {
      Check(Status::InvalidArgument("output_format: expected jsonl or parquet, got '" +
                                    *output_format + "'"));
    }
  }
  if (memory_budget) {
    Result<uint64_t> budget = ParseByteSize(*memory_budget);
    if (!budget.ok() || *budget < (uint64_t{1} << 20)) {
      Check(Status::InvalidArgument(
          "memory_budget: expected a size of at least 1M, such as 512M or 2G"));
    }
    cfg.memory_budget = *budget;
  }
  if (cfg.output.empty()) {
    Check(Status::InvalidArgument("no output directory: pass output= or set it in the config"));
  }
  return Execute(std::move(cfg), command, std::move(progress));
}

// The engine half of winnow.Pipeline: one DocumentStream per mode, made on first use.
class Stream {
 public:
  Stream(const std::optional<std::string>& yaml, const std::optional<std::string>& path,
         std::optional<int> threads)
      : config_(ConfigOrDefault(yaml, path)) {
    if (threads) config_.threads = *threads;
  }

  // Returns (lines, kinds): JSONL bytes and one byte per line (0 kept, 1 removed, 2 rejected).
  // The lock is taken with the GIL released: a thread waiting for it must not hold the GIL
  // the thread inside needs to return.
  py::tuple Process(py::bytes records, bool annotate) {
    std::string_view view = records;  // the bytes object stays alive: the caller holds it
    pipeline::DocumentStream::Mode mode = annotate ? pipeline::DocumentStream::Mode::kAnnotate
                                                   : pipeline::DocumentStream::Mode::kClean;
    pipeline::DocumentStream::Output out;
    Status st;
    {
      py::gil_scoped_release release;
      std::lock_guard<std::mutex> lock(mu_);
      std::unique_ptr<pipeline::DocumentStream>& stream = annotate ? annotate_ : clean_;
      if (!stream) {
        Result<std::unique_ptr<pipeline::DocumentStream>> made =
            pipeline::DocumentStream::Create(config_, pipeline::BuiltinStages(), mode);
        if (made.ok()) {
          stream = std::move(made).value();
        } else {
          st = made.status();
        }
      }
      if (st.ok()) st = stream->Process(view, &out);
    }
    Check(st);
    static_assert(sizeof(pipeline::DocumentStream::Kind) == 1);
    return py::make_tuple(
        py::bytes(out.lines),
        py::bytes(reinterpret_cast<const char*>(out.kinds.data()), out.kinds.size()));
  }

  // Checks the configuration for `mode` now (Pipeline's constructor), so errors come early.
  void Validate(bool annotate) {
    py::tuple unused = Process(py::bytes(""), annotate);
    (void)unused;
  }

 private:
  pipeline::RunConfig config_;
  std::mutex mu_;
  std::unique_ptr<pipeline::DocumentStream> annotate_, clean_;
};

// winnow.explain: `winnow explain --json`'s object for one document's text.
std::string Explain(const std::string& text, const std::string& id,
                    const std::optional<std::string>& yaml,
                    const std::optional<std::string>& path) {
  // The last configuration's explainer is kept: creating one loads the filters' models. All
  // of it runs with the GIL released (see Stream::Process for why the lock is taken so).
  static std::mutex mu;
  static std::string last_key;
  static std::unique_ptr<pipeline::Explainer> explainer;
  std::string key = (path ? "path:" + *path : "") + (yaml ? "yaml:" + *yaml : "");
  std::string json;
  {
    py::gil_scoped_release release;
    std::lock_guard<std::mutex> lock(mu);
    if (!explainer || key != last_key) {
      explainer =
          Take(pipeline::Explainer::Create(ConfigOrDefault(yaml, path), pipeline::BuiltinStages()));
      last_key = key;
    }
    Document doc;
    doc.id = id;
    doc.text = text;
    json = pipeline::ExplainJson(explainer->Explain(doc));
  }
  return json;
}

// winnow.extract: what `winnow extract --format jsonl --comments` says of one page.
py::dict Extract(py::object html, const std::optional<std::string>& content_type) {
  std::string page;
  if (py::isinstance<py::bytes>(html)) {
    // Bytes: decoded as the readers decode pages (BOM, Content-Type, <meta>, detection).
    page =
        io::DecodeToUtf8(std::string_view(html.cast<py::bytes>()), content_type.value_or("")).text;
  } else if (py::isinstance<py::str>(html)) {
    page = html.cast<std::string>();
  } else {
    throw py::type_error("extract: html must be str or bytes");
  }
  extract::Extracted out;
  Status st;
  {
    py::gil_scoped_release release;
    static const extract::HtmlExtractor extractor;
    thread_local extract::ExtractScratch scratch;
    st = extractor.Extract(page, scratch, &out);
  }
  Check(st);
  py::dict d;
  d["title"] = out.title;
  d["author"] = out.author;
  d["published"] = out.published;
  d["text"] = out.text;
  d["comments"] = out.comments;
  return d;
}

// winnow.words: datatrove's word_tokenize (spaCy 3.8 English rules).
std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> words;
  {
    py::gil_scoped_release release;
    thread_local text::TokenizerScratch scratch;
    std::vector<std::string_view> views;
    text::SpacyTokenizer::English().Words(text, scratch, &views);
    words.assign(views.begin(), views.end());
  }
  return words;
}

// winnow.minhash: one row of signature values per text; a text with no shingle has no
// signature, and its row is all 2^64 - 1 (and False in the returned mask).
py::tuple MinHash(const py::list& texts, const std::string& options_yaml) {
  pipeline::RunConfig cfg =
      Take(pipeline::ParseConfig("stages:\n  - minhash: " + options_yaml + "\n", "config"));
  std::unique_ptr<Stage> stage =
      Take(pipeline::BuiltinStages().Create("minhash", cfg.stages[0].options));
  const auto* dedup = dynamic_cast<const dedup::MinHashDedup*>(stage.get());
  if (dedup == nullptr) Check(Status::Internal("minhash: the stage is not MinHashDedup"));
  const dedup::MinHasher& hasher = dedup->hasher();
  const size_t k = hasher.permutations();
  const auto n = static_cast<size_t>(py::len(texts));
  // The texts' UTF-8 as Python caches it (no copy); `texts` keeps them alive.
  std::vector<std::string_view> views(n);
  for (size_t i = 0; i < n; ++i) {
    PyObject* item = PyList_GET_ITEM(texts.ptr(), static_cast<Py_ssize_t>(i));
    if (!PyUnicode_Check(item)) throw py::type_error("minhash: texts must be a list of str");
    Py_ssize_t size = 0;
    const char* data = PyUnicode_AsUTF8AndSize(item, &size);
    if (data == nullptr) throw py::error_already_set();  // lone surrogates: not UTF-8
    views[i] = std::string_view(data, static_cast<size_t>(size));
  }
  py::array_t<uint64_t> sigs({n, k});
  py::array_t<bool> has(static_cast<py::ssize_t>(n));
  uint64_t* out = sigs.mutable_data();
  bool* mask = has.mutable_data();
  {
    py::gil_scoped_release release;
    dedup::MinHashScratch scratch;
    for (size_t i = 0; i < n; ++i) {
      uint64_t* row = out + i * k;
      mask[i] = hasher.Signature(views[i], scratch, row);
      if (!mask[i]) std::fill(row, row + k, ~uint64_t{0});
    }
  }
  return py::make_tuple(sigs, has, hasher.config().bands, hasher.config().rows);
}

std::string DefaultConfig() { return pipeline::DefaultConfigYaml(pipeline::BuiltinStages()); }

}  // namespace
}  // namespace winnow::python

PYBIND11_MODULE(_winnow, m) {
  using namespace winnow;
  using namespace winnow::python;
  m.doc() = "winnow's engine; use the `winnow` package, which documents it.";

  // winnow.Error and one subclass per status code, each also a standard exception class.
  errors.base = PyErr_NewException("winnow.Error", PyExc_Exception, nullptr);
  m.attr("Error") = py::handle(errors.base);
  struct Kind {
    StatusCode code;
    const char* name;
    PyObject* also;
  };
  const Kind kinds[] = {
      {StatusCode::kInvalidArgument, "ConfigError", PyExc_ValueError},
      {StatusCode::kNotFound, "NotFoundError", PyExc_FileNotFoundError},
      {StatusCode::kIOError, "IOFailure", PyExc_OSError},
      {StatusCode::kCorrupt, "InputError", PyExc_ValueError},
      {StatusCode::kResourceExhausted, "LimitError", PyExc_MemoryError},
      {StatusCode::kUnimplemented, "UnsupportedError", PyExc_NotImplementedError},
      {StatusCode::kInternal, "InternalError", PyExc_RuntimeError},
      {StatusCode::kCancelled, "CancelledError", PyExc_RuntimeError},
  };
  for (const Kind& k : kinds) {
    std::string qualified = std::string("winnow.") + k.name;
    PyObject* bases = PyTuple_Pack(2, errors.base, k.also);
    PyObject* cls = PyErr_NewException(qualified.c_str(), bases, nullptr);
    Py_DECREF(bases);
    errors.by_code[static_cast<int>(k.code)] = cls;
    m.attr(k.name) = py::handle(cls);
  }
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const StatusError& e) {
      PyObject* cls = errors.by_code[static_cast<int>(e.status.code())];
      PyErr_SetString(cls != nullptr ? cls : errors.base, std::string(e.status.message()).c_str());
    }
  });

  m.def("run", &Run, py::arg("yaml"), py::arg("path"), py::arg("inputs"), py::arg("output"),
        py::arg("command"), py::arg("threads"), py::arg("overwrite"), py::arg("resume"),
        py::arg("output_format"), py::arg("memory_budget"), py::arg("on_error"),
        py::arg("progress"));
  py::class_<Stream>(m, "Stream")
      .def(py::init<const std::optional<std::string>&, const std::optional<std::string>&,
                    std::optional<int>>(),
           py::arg("yaml"), py::arg("path"), py::arg("threads"))
      .def("process", &Stream::Process, py::arg("records"), py::arg("annotate"))
      .def("validate", &Stream::Validate, py::arg("annotate"));
  m.def("explain", &Explain, py::arg("text"), py::arg("id"), py::arg("yaml"), py::arg("path"));
  m.def("extract", &Extract, py::arg("html"), py::arg("content_type"));
  m.def("words", &Words, py::arg("text"));
  m.def("minhash", &MinHash, py::arg("texts"), py::arg("options_yaml"));
  m.def("default_config", &DefaultConfig);
}
