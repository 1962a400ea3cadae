// The `url_filter` stage: datatrove URLFilter's decisions on the document's URL (the `url`
// field of JSONL and Parquet records, WARC-Target-URI of WARC responses), first in FineWeb's
// pipeline. Checks, in datatrove's order, each giving its reason:
//   url_filter:domain               the registered domain (tldextract: domain.suffix) is listed
//   url_filter:subdomain            the full host (tldextract's fqdn) is listed
//   url_filter:url                  the URL, exactly as given, is listed
//   url_filter:hard_blacklisted     a banned word is one of the URL's words
//   url_filter:soft_blacklisted     at least soft_word_threshold soft-banned words are
//   url_filter:blacklisted_subword  a banned subword occurs in the normalised URL
// The URL's words are its runs of ASCII letters and digits, case kept (datatrove splits on
// [^a-zA-Z0-9]+, so a URL that starts or ends with another character also has the empty
// word); the normalised URL is those runs joined and lowercased. List entries are read as
// datatrove reads them: words and subwords normalised the same way (so "hot carl" is
// "hotcarl"), domains and URLs stripped; lines starting with '#' skipped. A blank line is an
// entry, as in datatrove: an empty word (matching any URL that begins or ends with a
// separator) or an empty domain (matching any URL without a registered domain).
//
// Lists: `blocklists: DIR` reads UT1's layout (DIR/<category>/domains and .../urls, and
// DIR/domains, DIR/urls: datatrove's own extracted lists), `categories:` picks some; each of
// `domains`, `urls`, `banned_words`, `banned_subwords`, `soft_banned_words` is a list or the
// path of a file with one entry per line (datatrove's word lists are its assets
// banned_words.txt, banned_subwords.txt, soft_banned_words.txt). Registered domains come from
// the Public Suffix List (url_parts.h). A document without a URL is kept and counted
// (url_filter.no_url). Signal: soft_banned_words (how many the URL has).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/options.h"
#include "winnow/filter/filter_stage.h"
#include "winnow/filter/url_parts.h"
#include "winnow/text/flat_string_map.h"

struct hs_database;

namespace winnow::filter {

class UrlFilter final : public FilterStage {
 public:
  static const StageSpec& Spec();
  static Result<std::unique_ptr<UrlFilter>> Create(const Options& options);
  ~UrlFilter() override;

  std::string_view name() const override { return "url_filter"; }
  std::unique_ptr<FilterState> NewState() const override;
  Decision Decide(Document& doc, FilterState& state) const override;
  std::vector<Threshold> Thresholds() const override;

  // The decision on one URL (what Decide applies to doc.url). `state` from NewState().
  Decision DecideUrl(std::string_view url, FilterState& state, int* soft_words) const;

  size_t domains() const { return domains_.size(); }
  size_t urls() const { return urls_.size(); }

 private:
  UrlFilter() = default;

  PublicSuffixList suffixes_;
  StringSet domains_, urls_;
  // Banned (1) and soft-banned (2) words, one lookup per word of a URL; no word longer than
  // max_word_ bytes is in it.
  text::FlatStringMap<uint8_t> words_;
  size_t max_word_ = 0;
  // A URL's words are mostly not listed: a 64 Kbit filter of (length, first, middle, last
  // byte) rejects nearly all of them before the hash lookup.
  std::vector<uint64_t> word_filter_ = std::vector<uint64_t>(1024, 0);
  bool has_soft_ = false;
  std::vector<std::string> subwords_;
  hs_database* subword_db_ = nullptr;
  int64_t soft_word_threshold_ = 2;
};

}  // namespace winnow::filter
