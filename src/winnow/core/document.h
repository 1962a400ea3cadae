// Document: one unit of text flowing through the pipeline, and the outcome stages give it.
//
// A document read from JSONL keeps a view of its raw input record, so the writer can pass every
// input field through byte for byte and re-encode only `text` (when a stage edited it) and the
// single `"winnow"` object it adds. This replaces the parsed `json fields` member sketched in
// ARCHITECTURE.md: copying the raw bytes is exact (numbers, escapes and key order survive) and
// costs nothing per field.
//
// Documents live inside a Batch and are touched by one thread at a time; they are not
// thread-safe. Views (`record`, `reason`) must outlive the document: `record` points into the
// owning Batch's input bytes, `reason` and signal names into static storage.
#pragma once

#include <compare>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace winnow {

// Where a document came from: the total order used for every tie-break ("first seen"), so
// results never depend on threads, shards in flight, or ranks.
struct Provenance {
  uint32_t shard = 0;    // index of the input shard in the run's sorted input list
  uint64_t ordinal = 0;  // 0-based index of the record within its shard (rejected ones count)
  friend auto operator<=>(const Provenance&, const Provenance&) = default;
};

// A number a stage measured on a document, written under "winnow": {"signals": {...}}.
struct Signal {
  std::string_view name;  // static storage
  double value;
};

// One filter's verdict on a document, recorded by `winnow annotate` (which drops nothing).
struct FilterOutcome {
  std::string_view filter;  // stage name, static or stage-owned storage
  bool keep = true;
  std::string_view reason;  // the reason without the "<stage>:" prefix; empty when kept
};

// A byte range [begin, begin + size) inside Document::record.
struct Span {
  size_t begin = 0;
  size_t size = 0;
  bool empty() const { return size == 0; }
};

// Something a stage derived from a document's text that later stages may reuse (its word
// tokenization). Memos hold offsets into `text`, never views: documents move.
class DocumentMemo {
 public:
  virtual ~DocumentMemo() = default;
};

// A document's memos, keyed by the address of a tag object of the module that made them.
// Copying a document copies no memo (they describe the original's text); editing the text
// clears them.
class MemoSlots {
 public:
  MemoSlots() = default;
  MemoSlots(const MemoSlots&) {}
  MemoSlots& operator=(const MemoSlots&) {
    slots_.clear();
    return *this;
  }
  MemoSlots(MemoSlots&&) noexcept = default;
  MemoSlots& operator=(MemoSlots&&) noexcept = default;

  DocumentMemo* Get(const void* tag) const {
    for (const auto& [t, m] : slots_) {
      if (t == tag) return m.get();
    }
    return nullptr;
  }
  DocumentMemo* Set(const void* tag, std::unique_ptr<DocumentMemo> memo) {
    for (auto& [t, m] : slots_) {
      if (t == tag) return (m = std::move(memo)).get();
    }
    slots_.emplace_back(tag, std::move(memo));
    return slots_.back().second.get();
  }
  void Clear() { slots_.clear(); }

 private:
  std::vector<std::pair<const void*, std::unique_ptr<DocumentMemo>>> slots_;
};

class Document {
 public:
  std::string id;    // from the input's "id", or "<source>:<line>" when absent
  std::string text;  // UTF-8
  std::string url;   // optional: from the input's "url"
  Provenance where;

  // The raw input JSON object (one JSONL line), or empty for inputs that are not JSON
  // (a .txt file). `text_span` locates the "text" value in it, quotes included;
  // `winnow_span` a pre-existing top-level "winnow" value, which output replaces.
  std::string_view record;
  Span text_span;
  Span winnow_span;
  bool text_changed = false;
  // The text is an HTML page (from a WARC response or an .html file) that the `extract`
  // stage turns into text; no other stage reads a document while this is set.
  bool needs_extraction = false;

  // Outcome. A document is kept while `reason` is empty; once a stage drops it, later stages
  // skip it and it is written to removed/ with the reason.
  std::string_view reason;   // "<stage>:<reason>", static storage
  std::string duplicate_of;  // id of the kept document this one duplicates, when any
  // Near-duplicate cluster (MinHash dedup): its number and size, for every member, kept or
  // removed; -1 and 0 when the document is in none.
  int64_t cluster_id = -1;
  uint64_t cluster_size = 0;
  std::vector<Signal> signals;
  // Strings a stage adds to the "winnow" object: text it moved out of `text` (anatomy's
  // "comments"), or a label ("language": "en"). Name (static storage) and value.
  std::vector<std::pair<std::string_view, std::string>> fields;
  std::vector<FilterOutcome> outcomes;  // annotate mode only

  // Derived data shared between stages (see DocumentMemo).
  MemoSlots memos;

  bool removed() const { return !reason.empty(); }

  // Replaces the text; the writer re-encodes it instead of copying the raw value. Memos of
  // the old text are dropped.
  void SetText(std::string new_text) {
    text = std::move(new_text);
    text_changed = true;
    memos.Clear();
  }

  // Sets signal `name` (static storage), replacing an earlier value of the same name.
  void SetSignal(std::string_view name, double value);

  // The value of field `name`, or empty; and setting it (replacing an earlier value).
  std::string_view Field(std::string_view name) const;
  void SetField(std::string_view name, std::string value);

  // The document's language as the language stage found it ("en"), or empty.
  std::string_view language() const { return Field("language"); }
};

}  // namespace winnow
