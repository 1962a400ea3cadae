#include "winnow/pipeline/config.h"

#include <yaml-cpp/yaml.h>

#include "winnow/io/byte_source.h"

namespace winnow::pipeline {
namespace {

// The stages of `clean`, in order, with the options that differ from each stage's defaults.
struct DefaultStage {
  std::string_view name;
  std::vector<std::pair<std::string_view, std::string_view>> options;
};
const std::vector<DefaultStage>& CleanStages() {
  // Page anatomy first (boilerplate and comments out of the text), then FineWeb's language
  // filter (English, CLD2 built in) and its order of the datatrove filters, with FineWeb's C4
  // setting, then PII, then dedup.
  static const std::vector<DefaultStage> stages{
      {"anatomy", {}},
      {"language", {}},
      {"gopher_repetition", {}},
      {"gopher_quality", {}},
      {"c4_quality", {{"filter_no_terminal_punct", "false"}}},
      {"fineweb_quality", {}},
      {"pii", {}},
      {"exact", {}},
      {"minhash", {}},
  };
  return stages;
}

std::string Where(std::string_view source, const YAML::Node& node) {
  std::string w(source);
  if (node.Mark().line >= 0) w += ":" + std::to_string(node.Mark().line + 1);
  return w;
}

Status Bad(std::string_view source, const YAML::Node& node, const std::string& what) {
  return Status::InvalidArgument(Where(source, node) + ": " + what);
}

Result<OptionValue> ToOptionValue(std::string_view source, const YAML::Node& node,
                                  const std::string& key) {
  OptionValue v;
  if (node.IsScalar()) {
    v.scalar = node.Scalar();
    return v;
  }
  if (node.IsNull()) return v;
  if (node.IsSequence()) {
    v.is_list = true;
    for (const YAML::Node& item : node) {
      if (!item.IsScalar()) return Bad(source, item, "option " + key + ": expected scalars");
      v.list.push_back(item.Scalar());
    }
    return v;
  }
  return Bad(source, node, "option " + key + ": expected a value or a list");
}

Result<int64_t> ToInt(std::string_view source, const YAML::Node& node, const std::string& key) {
  try {
    return node.as<int64_t>();
  } catch (const YAML::Exception&) {
    return Bad(source, node, key + ": expected an integer");
  }
}

// per_language: {zh: {min_avg_word_length: 1, ...}, ja: {...}}
Status ParsePerLanguage(std::string_view source, const YAML::Node& node, StageConfig& sc) {
  if (!node.IsMap()) {
    return Bad(source, node, sc.name + ": per_language: expected a map of language -> options");
  }
  for (auto l = node.begin(); l != node.end(); ++l) {
    std::string language = l->first.as<std::string>();
    if (!l->second.IsMap()) {
      return Bad(source, l->second,
                 sc.name + ": per_language." + language + ": expected a map of options");
    }
    OptionMap& options = sc.per_language[language];
    for (auto o = l->second.begin(); o != l->second.end(); ++o) {
      std::string key = o->first.as<std::string>();
      WINNOW_ASSIGN_OR_RETURN(options[key], ToOptionValue(source, o->second, key));
    }
  }
  return Status::OK();
}

Result<std::vector<StageConfig>> ParseStages(std::string_view source, const YAML::Node& node) {
  if (!node.IsSequence()) return Bad(source, node, "stages: expected a list");
  std::vector<StageConfig> stages;
  for (size_t i = 0; i < node.size(); ++i) {
    const YAML::Node item = node[i];  // by value: operator[] returns a temporary
    std::string at = "stages[" + std::to_string(i) + "]";
    StageConfig sc;
    if (item.IsScalar()) {
      sc.name = item.Scalar();
    } else if (item.IsMap() && item.size() == 1) {
      auto it = item.begin();
      sc.name = it->first.as<std::string>();
      const YAML::Node opts = it->second;  // a copy: `->` yields a temporary proxy
      if (opts.IsMap()) {
        for (auto o = opts.begin(); o != opts.end(); ++o) {
          std::string key = o->first.as<std::string>();
          if (key == "per_language") {
            WINNOW_RETURN_IF_ERROR(ParsePerLanguage(source, o->second, sc));
            continue;
          }
          WINNOW_ASSIGN_OR_RETURN(sc.options[key], ToOptionValue(source, o->second, key));
        }
      } else if (!opts.IsNull()) {
        return Bad(source, opts, at + " (" + sc.name + "): expected a map of options");
      }
    } else {
      return Bad(source, item, at + ": expected a stage name or a one-key map {name: {options}}");
    }
    stages.push_back(std::move(sc));
  }
  return stages;
}

Status ParseInto(std::string_view source, const YAML::Node& root, RunConfig& cfg) {
  if (root.IsNull()) return Status::OK();
  if (!root.IsMap()) return Bad(source, root, "expected a map at the top level");
  for (auto it = root.begin(); it != root.end(); ++it) {
    std::string key = it->first.as<std::string>();
    const YAML::Node v = it->second;
    if (key == "inputs") {
      cfg.inputs.clear();
      if (v.IsScalar()) {
        cfg.inputs.push_back(v.Scalar());
      } else if (v.IsSequence()) {
        for (const YAML::Node& s : v) {
          if (!s.IsScalar()) return Bad(source, s, "inputs: expected paths");
          cfg.inputs.push_back(s.Scalar());
        }
      } else if (!v.IsNull()) {
        return Bad(source, v, "inputs: expected a path or a list of paths");
      }
    } else if (key == "output") {
      if (!v.IsScalar() && !v.IsNull()) return Bad(source, v, "output: expected a path");
      cfg.output = v.IsNull() ? "" : v.Scalar();
    } else if (key == "threads") {
      WINNOW_ASSIGN_OR_RETURN(int64_t t, ToInt(source, v, "threads"));
      if (t < 0 || t > 4096) return Bad(source, v, "threads: expected 0..4096");
      cfg.threads = static_cast<int>(t);
    } else if (key == "on_error") {
      std::string s = v.IsScalar() ? v.Scalar() : "";
      if (s == "skip") {
        cfg.on_error = OnError::kSkip;
      } else if (s == "fail") {
        cfg.on_error = OnError::kFail;
      } else {
        return Bad(source, v, "on_error: expected skip or fail");
      }
    } else if (key == "reader") {
      if (!v.IsMap()) return Bad(source, v, "reader: expected a map");
      for (auto r = v.begin(); r != v.end(); ++r) {
        std::string k = r->first.as<std::string>();
        if (k == "text_column" || k == "id_column") {
          if (!r->second.IsScalar() || r->second.Scalar().empty()) {
            return Bad(source, r->second, "reader." + k + ": expected a column name");
          }
          (k == "text_column" ? cfg.reader.text_field : cfg.reader.id_field) = r->second.Scalar();
          continue;
        }
        WINNOW_ASSIGN_OR_RETURN(int64_t n, ToInt(source, r->second, "reader." + k));
        if (n <= 0) return Bad(source, r->second, "reader." + k + ": expected a positive size");
        if (k == "batch_bytes") {
          cfg.reader.batch_bytes = static_cast<size_t>(n);
        } else if (k == "max_record_bytes") {
          cfg.reader.max_record_bytes = static_cast<size_t>(n);
        } else if (k == "max_row_group_bytes") {
          cfg.reader.max_row_group_bytes = static_cast<uint64_t>(n);
        } else if (k == "parquet_shard_bytes") {
          cfg.reader.parquet_shard_bytes = static_cast<uint64_t>(n);
        } else {
          return Bad(source, r->first,
                     "reader: unknown key '" + k +
                         "' (known: batch_bytes, max_record_bytes, text_column, id_column, "
                         "max_row_group_bytes, parquet_shard_bytes)");
        }
      }
    } else if (key == "writer") {
      if (!v.IsMap()) return Bad(source, v, "writer: expected a map");
      for (auto w = v.begin(); w != v.end(); ++w) {
        std::string k = w->first.as<std::string>();
        const std::string scalar = w->second.IsScalar() ? w->second.Scalar() : "";
        if (k == "format") {
          if (scalar != "jsonl" && scalar != "parquet") {
            return Bad(source, w->second, "writer.format: expected jsonl or parquet");
          }
          cfg.output_format = scalar == "parquet" ? OutputFormat::kParquet : OutputFormat::kJsonl;
        } else if (k == "compression") {
          if (scalar != "zstd" && scalar != "snappy" && scalar != "gzip" && scalar != "none") {
            return Bad(source, w->second,
                       "writer.compression: expected zstd, snappy, gzip or none");
          }
          cfg.compression = scalar;
        } else if (k == "level") {
          WINNOW_ASSIGN_OR_RETURN(int64_t lvl, ToInt(source, w->second, "writer.level"));
          if (lvl < 1 || lvl > 19) return Bad(source, w->second, "writer.level: expected 1..19");
          cfg.compression_level = static_cast<int>(lvl);
        } else if (k == "row_group_bytes") {
          WINNOW_ASSIGN_OR_RETURN(int64_t n, ToInt(source, w->second, "writer.row_group_bytes"));
          if (n <= 0)
            return Bad(source, w->second, "writer.row_group_bytes: expected a positive size");
          cfg.row_group_bytes = static_cast<uint64_t>(n);
        } else if (k == "page_index") {
          if (scalar != "true" && scalar != "false") {
            return Bad(source, w->second, "writer.page_index: expected true or false");
          }
          cfg.page_index = scalar == "true";
        } else {
          return Bad(source, w->first,
                     "writer: unknown key '" + k +
                         "' (known: format, compression, level, row_group_bytes, page_index)");
        }
      }
      if (cfg.output_format == OutputFormat::kJsonl && cfg.compression != "zstd" &&
          cfg.compression != "none") {
        return Bad(source, v,
                   "writer.compression: " + cfg.compression +
                       " is for format: parquet; JSONL parts are zstd or none");
      }
      cfg.compress = cfg.compression != "none";
    } else if (key == "memory_budget") {
      Result<uint64_t> bytes = v.IsScalar()
                                   ? ParseByteSize(v.Scalar())
                                   : Result<uint64_t>(Status::InvalidArgument("expected a size"));
      if (!bytes.ok() || *bytes < (uint64_t{1} << 20)) {
        return Bad(source, v, "memory_budget: expected a size of at least 1M, such as 512M or 2G");
      }
      cfg.memory_budget = *bytes;
    } else if (key == "stages") {
      WINNOW_ASSIGN_OR_RETURN(cfg.stages, ParseStages(source, v));
    } else {
      return Bad(source, it->first,
                 "unknown key '" + key +
                     "' (known: inputs, output, threads, on_error, reader, writer, memory_budget, "
                     "stages)");
    }
  }
  return Status::OK();
}

}  // namespace

Result<RunConfig> ParseConfig(std::string_view yaml, std::string_view source) {
  RunConfig cfg;
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    WINNOW_RETURN_IF_ERROR(ParseInto(source, root, cfg));
  } catch (const YAML::Exception& e) {
    std::string where(source);
    if (e.mark.line >= 0) {
      where += ':';  // appended piecewise: GCC 12 warns falsely (-Wrestrict) on ":" + string
      where += std::to_string(e.mark.line + 1);
    }
    return Status::InvalidArgument(where + ": " + e.msg);
  }
  return cfg;
}

Result<RunConfig> LoadConfig(const std::string& path) {
  Result<std::string> text = io::ReadFileFully(path);
  if (!text.ok()) {
    return Status::InvalidArgument("cannot read config: " + std::string(text.status().message()));
  }
  return ParseConfig(*text, path);
}

std::string ConfigYaml(const RunConfig& cfg) {
  YAML::Emitter e;
  e << YAML::BeginMap;
  e << YAML::Key << "inputs" << YAML::Value << YAML::Flow << cfg.inputs;
  e << YAML::Key << "output" << YAML::Value << cfg.output;
  e << YAML::Key << "threads" << YAML::Value << cfg.threads;
  e << YAML::Key << "on_error" << YAML::Value << (cfg.on_error == OnError::kFail ? "fail" : "skip");
  e << YAML::Key << "reader" << YAML::Value << YAML::Flow << YAML::BeginMap;
  e << YAML::Key << "batch_bytes" << YAML::Value << cfg.reader.batch_bytes;
  e << YAML::Key << "max_record_bytes" << YAML::Value << cfg.reader.max_record_bytes;
  // Spelled out only when not the defaults, so earlier runs' checkpoints stay valid.
  const io::ReaderOptions reader_defaults;
  if (cfg.reader.text_field != reader_defaults.text_field) {
    e << YAML::Key << "text_column" << YAML::Value << cfg.reader.text_field;
  }
  if (cfg.reader.id_field != reader_defaults.id_field) {
    e << YAML::Key << "id_column" << YAML::Value << cfg.reader.id_field;
  }
  if (cfg.reader.max_row_group_bytes != reader_defaults.max_row_group_bytes) {
    e << YAML::Key << "max_row_group_bytes" << YAML::Value << cfg.reader.max_row_group_bytes;
  }
  if (cfg.reader.parquet_shard_bytes != reader_defaults.parquet_shard_bytes) {
    e << YAML::Key << "parquet_shard_bytes" << YAML::Value << cfg.reader.parquet_shard_bytes;
  }
  e << YAML::EndMap;
  e << YAML::Key << "writer" << YAML::Value << YAML::Flow << YAML::BeginMap;
  if (cfg.output_format == OutputFormat::kParquet) {
    e << YAML::Key << "format" << YAML::Value << "parquet";
    e << YAML::Key << "compression" << YAML::Value << cfg.compression;
    e << YAML::Key << "level" << YAML::Value << cfg.compression_level;
    e << YAML::Key << "row_group_bytes" << YAML::Value << cfg.row_group_bytes;
    e << YAML::Key << "page_index" << YAML::Value << cfg.page_index;
  } else {
    e << YAML::Key << "compression" << YAML::Value << (cfg.compress ? "zstd" : "none");
    e << YAML::Key << "level" << YAML::Value << cfg.compression_level;
  }
  e << YAML::EndMap;
  e << YAML::Key << "memory_budget" << YAML::Value << cfg.memory_budget;
  e << YAML::Key << "stages" << YAML::Value << YAML::BeginSeq;
  for (const StageConfig& s : cfg.stages) {
    if (s.options.empty()) {
      e << s.name;
      continue;
    }
    e << YAML::BeginMap << YAML::Key << s.name << YAML::Value << YAML::Flow << YAML::BeginMap;
    for (const auto& [k, v] : s.options) {
      e << YAML::Key << k << YAML::Value;
      if (v.is_list) {
        e << YAML::Flow << v.list;
      } else {
        e << v.scalar;
      }
    }
    e << YAML::EndMap << YAML::EndMap;
  }
  e << YAML::EndSeq << YAML::EndMap;
  return std::string(e.c_str()) + "\n";
}

std::string DefaultConfigYaml(const StageRegistry& registry) {
  RunConfig d;
  std::string y;
  y += "# winnow configuration: the default `clean` pipeline, every option at its default.\n";
  y += "# Use it as `winnow run FILE.yaml` (set inputs and output) or `winnow clean --config`.\n";
  y += "inputs: []            # files or directories (recursed, sorted); clean: arguments\n";
  y += "output: \"\"            # output directory; clean: -o\n";
  y += "threads: 0            # worker threads; 0: every core\n";
  y += "on_error: skip        # skip: count bad input and write it to OUT/rejected/; fail: stop\n";
  y += "reader:\n";
  y += "  batch_bytes: " + std::to_string(d.reader.batch_bytes) +
       "       # records per batch, by size: the unit of parallel work\n";
  y += "  max_record_bytes: " + std::to_string(d.reader.max_record_bytes) +
       "  # longer lines are rejected (line_too_long), never buffered\n";
  y += "  text_column: text     # the field (JSONL key, Parquet column) holding the text\n";
  y += "  id_column: id         # the field holding the document's id\n";
  y += "  max_row_group_bytes: " + std::to_string(d.reader.max_row_group_bytes) +
       "  # Parquet: larger row groups are rejected (parquet_too_large)\n";
  y += "  parquet_shard_bytes: " + std::to_string(d.reader.parquet_shard_bytes) +
       "  # Parquet: a file is cut into shards of about this size\n";
  y += "writer:\n";
  y += "  format: jsonl         # jsonl (part-NNNNN.jsonl.zst) or parquet (part-NNNNN.parquet)\n";
  y += "  compression: zstd     # jsonl: zstd or none; parquet: zstd, snappy, gzip or none\n";
  y += "  level: " + std::to_string(d.compression_level) + "              # zstd level, 1..19\n";
  y += "  row_group_bytes: " + std::to_string(d.row_group_bytes) +
       "  # parquet: row groups of about this many bytes\n";
  y += "  page_index: false     # parquet: write a page index (ColumnIndex, OffsetIndex)\n";
  y += "memory_budget: 1G     # keys dedup holds in memory; past it they are sorted and spilled\n";
  auto option_lines = [](const StageSpec& spec, const DefaultStage* ds, std::string_view indent) {
    std::string out;
    for (const OptionSpec& o : spec.options) {
      std::string value(o.default_value);
      if (ds != nullptr) {
        for (const auto& [k, v] : ds->options) {
          if (k == o.name) value = std::string(v);
        }
      }
      if (value.empty()) value = "\"\"";
      std::string line = std::string(indent) + std::string(o.name) + ": " + value;
      if (line.size() < 40) line.append(40 - line.size(), ' ');
      out += line + "  # " + std::string(o.help) + "\n";
    }
    if (spec.per_language) {
      out += std::string(indent) +
             "# per_language: {zh: {option: value, ...}}  # other values for documents the "
             "language stage put in that language\n";
    }
    return out;
  };
  y += "stages:\n";
  for (const DefaultStage& ds : CleanStages()) {
    const StageRegistry::Entry* e = registry.Find(ds.name);
    if (e == nullptr) continue;
    y += "  # " + std::string(e->spec.help) + "\n";
    if (e->spec.options.empty()) {
      y += "  - " + std::string(ds.name) + "\n";
      continue;
    }
    y += "  - " + std::string(ds.name) + ":\n";
    y += option_lines(e->spec, &ds, "      ");
  }
  // Every other built-in stage, commented out, so all options are in one place.
  bool header = false;
  for (const auto& e : registry.entries()) {
    bool in_default = false;
    for (const DefaultStage& ds : CleanStages()) in_default |= ds.name == e->spec.name;
    if (in_default) continue;
    if (!header) {
      y += "  # Other stages (uncomment to use):\n";
      header = true;
    }
    y += "  # " + std::string(e->spec.help) + "\n";
    if (e->spec.options.empty()) {
      y += "  # - " + std::string(e->spec.name) + "\n";
      continue;
    }
    y += "  # - " + std::string(e->spec.name) + ":\n";
    y += option_lines(e->spec, nullptr, "  #     ");
  }
  return y;
}

RunConfig DefaultCleanConfig(const StageRegistry& registry) {
  Result<RunConfig> cfg = ParseConfig(DefaultConfigYaml(registry), "<defaults>");
  WINNOW_CHECK(cfg.ok());  // the defaults are ours: failing to parse them is a bug
  return std::move(cfg).value();
}

}  // namespace winnow::pipeline
