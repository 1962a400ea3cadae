#include "winnow/filter/url_filter.h"

#include <hs/hs.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "winnow/core/json_writer.h"
#include "winnow/text/py_str.h"

namespace winnow::filter {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kDefaultSuffixList = "/usr/share/publicsuffix/public_suffix_list.dat";

bool IsAlnum(char c) { return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'); }

// datatrove's normalize(): the runs of [a-zA-Z0-9] joined, lowercased.
void Normalize(std::string_view s, std::string* out) {
  out->resize(s.size());
  char* w = out->data();
  for (char c : s) {
    *w = c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c;
    w += IsAlnum(c) ? 1 : 0;
  }
  out->resize(static_cast<size_t>(w - out->data()));
}

// How datatrove's parse_list keeps one entry: words normalised, domains and URLs stripped.
enum class Entry { kWord, kStripped };

void AddEntry(std::string_view x, Entry kind, StringSet* set, std::string* buffer) {
  if (kind == Entry::kWord) {
    Normalize(x, buffer);
    set->Insert(*buffer);
  } else {
    set->Insert(text::PyStrip(x));
  }
}

// The lines of a file as Python's text mode gives them (\n, \r\n and \r end a line), each
// with its terminator, to parse_list: lines starting with '#' skipped. Read in 1 MB chunks
// (UT1's adult list is 100 MB).
Status AddFile(const std::string& path, Entry kind, StringSet* set) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("url_filter: cannot read " + path);
  std::string text, buffer;
  std::vector<char> chunk(1 << 20);
  size_t line = 0;
  bool eof = false;
  while (!eof) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    if (in.bad()) return Status::IOError("url_filter: cannot read " + path);
    eof = in.gcount() < static_cast<std::streamsize>(chunk.size());
    text.append(chunk.data(), static_cast<size_t>(in.gcount()));
    size_t at = 0;
    while (at < text.size()) {
      const size_t end = text.find_first_of("\r\n", at);
      // A line is complete at its terminator; "\r" at the end of a chunk may be half of one.
      if (end == std::string::npos || (!eof && text[end] == '\r' && end + 1 == text.size())) {
        if (!eof) break;
      }
      size_t next = end == std::string::npos ? text.size() : end;
      if (next < text.size()) next += text.compare(next, 2, "\r\n") == 0 ? 2 : 1;
      const std::string_view x(text.data() + at, next - at);
      ++line;
      if (!IsValidUtf8(x)) {
        return Status::InvalidArgument("url_filter: " + path + ":" + std::to_string(line) +
                                       ": not UTF-8");
      }
      if (x.front() != '#') AddEntry(x, kind, set, &buffer);
      at = next;
    }
    text.erase(0, at);
  }
  return Status::OK();
}

// An option holding a list or the path of a file with one entry per line.
Status AddListOrFile(const Options& options, std::string_view name, Entry kind, StringSet* set) {
  WINNOW_ASSIGN_OR_RETURN(bool is_list, options.IsList(name));
  WINNOW_ASSIGN_OR_RETURN(std::vector<std::string> items, options.StringList(name));
  if (!is_list) {
    for (const std::string& path : items) {
      if (!path.empty()) WINNOW_RETURN_IF_ERROR(AddFile(path, kind, set));
    }
    return Status::OK();
  }
  std::string buffer;
  for (const std::string& x : items) {
    if (!x.empty() && x.front() != '#') AddEntry(x, kind, set, &buffer);
  }
  return Status::OK();
}

// UT1's layout under `dir`: <category>/domains and <category>/urls for the chosen categories
// (all when none), and datatrove's extracted lists dir/domains and dir/urls.
Status AddBlocklists(const std::string& dir, const std::vector<std::string>& categories,
                     StringSet* domains, StringSet* urls) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Status::NotFound("url_filter: blocklists: no directory " + dir);
  }
  size_t files = 0;
  auto add = [&](const fs::path& d) -> Status {
    for (const auto& [name, set] : {std::pair{"domains", domains}, std::pair{"urls", urls}}) {
      const fs::path f = d / name;
      if (!fs::is_regular_file(f, ec)) continue;
      WINNOW_RETURN_IF_ERROR(AddFile(f.string(), Entry::kStripped, set));
      ++files;
    }
    return Status::OK();
  };
  WINNOW_RETURN_IF_ERROR(add(dir));
  std::vector<std::string> found;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    if (e.is_directory(ec)) found.push_back(e.path().filename().string());
  }
  std::sort(found.begin(), found.end());
  for (const std::string& c : categories) {
    if (!std::binary_search(found.begin(), found.end(), c)) {
      return Status::NotFound("url_filter: blocklists: no category '" + c + "' in " + dir);
    }
  }
  for (const std::string& c : found) {
    if (!categories.empty() &&
        std::find(categories.begin(), categories.end(), c) == categories.end())
      continue;
    WINNOW_RETURN_IF_ERROR(add(fs::path(dir) / c));
  }
  if (files == 0) {
    return Status::NotFound("url_filter: blocklists: no domains or urls files under " + dir +
                            " (UT1 layout: DIR/<category>/domains)");
  }
  return Status::OK();
}

struct UrlState final : FilterState {
  ~UrlState() override {
    if (hs != nullptr) hs_free_scratch(hs);
  }
  UrlScratch url;
  std::string buffer, fqdn, normalized;
  std::vector<std::string_view> soft;
  hs_scratch_t* hs = nullptr;
};

constexpr uint8_t kBanned = 1, kSoft = 2;

// The word filter's bit for `w` (a few bytes of it, not a real hash: cheap, and enough to
// tell ~300 listed words from the rest).
uint32_t WordBit(std::string_view w) {
  if (w.empty()) return 0;
  auto at = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(w[i])); };
  uint32_t h = static_cast<uint32_t>(w.size()) * 0x9E3779B1u;
  h ^= at(0) * 0x85EBCA77u;
  h ^= at(w.size() - 1) * 0xC2B2AE3Du;
  h ^= at(w.size() / 2) * 0x27D4EB2Fu;
  h ^= h >> 15;
  return h & 0xFFFF;
}

int StopAtFirst(unsigned, unsigned long long, unsigned long long, unsigned, void* found) {
  *static_cast<bool*>(found) = true;
  return 1;  // stop scanning
}

}  // namespace

const StageSpec& UrlFilter::Spec() {
  static const StageSpec spec{
      "url_filter",
      "Drops documents by their URL as datatrove's URLFilter does: block-listed registered "
      "domains, hosts and URLs, banned words, soft-banned words, banned subwords.",
      {
          {"blocklists", "", "a directory in UT1's layout: <category>/domains, <category>/urls"},
          {"categories", "[]", "the categories of `blocklists` to read (all when empty)"},
          {"domains", "[]", "more blocked domains and hosts: a list or a file, one per line"},
          {"urls", "[]", "more blocked URLs: a list or a file, one per line"},
          {"banned_words", "[]",
           "a word of the URL that drops it: url_filter:hard_blacklisted (a list or a file; "
           "datatrove's: assets/banned_words.txt)"},
          {"soft_banned_words", "[]",
           "soft_word_threshold of these drop it: url_filter:soft_blacklisted (list or file)"},
          {"soft_word_threshold", "2", "how many soft-banned words drop a URL"},
          {"banned_subwords", "[]",
           "a substring of the normalised URL that drops it: url_filter:blacklisted_subword "
           "(list or file)"},
          {"public_suffix_list", kDefaultSuffixList,
           "the Public Suffix List (Debian's publicsuffix package); its ICANN section is used"},
      }};
  return spec;
}

UrlFilter::~UrlFilter() {
  if (subword_db_ != nullptr) hs_free_database(subword_db_);
}

Result<std::unique_ptr<UrlFilter>> UrlFilter::Create(const Options& options) {
  std::unique_ptr<UrlFilter> f(new UrlFilter());
  WINNOW_ASSIGN_OR_RETURN(std::string psl, options.String("public_suffix_list"));
  WINNOW_ASSIGN_OR_RETURN(f->suffixes_, PublicSuffixList::Load(psl));
  WINNOW_ASSIGN_OR_RETURN(f->soft_word_threshold_, options.Int("soft_word_threshold"));
  WINNOW_ASSIGN_OR_RETURN(std::string blocklists, options.String("blocklists"));
  WINNOW_ASSIGN_OR_RETURN(std::vector<std::string> categories, options.StringList("categories"));
  if (!blocklists.empty()) {
    WINNOW_RETURN_IF_ERROR(AddBlocklists(blocklists, categories, &f->domains_, &f->urls_));
  } else if (!categories.empty()) {
    return Status::InvalidArgument("url_filter: categories needs blocklists: DIR");
  }
  WINNOW_RETURN_IF_ERROR(AddListOrFile(options, "domains", Entry::kStripped, &f->domains_));
  WINNOW_RETURN_IF_ERROR(AddListOrFile(options, "urls", Entry::kStripped, &f->urls_));
  StringSet banned, soft;
  WINNOW_RETURN_IF_ERROR(AddListOrFile(options, "banned_words", Entry::kWord, &banned));
  WINNOW_RETURN_IF_ERROR(AddListOrFile(options, "soft_banned_words", Entry::kWord, &soft));
  for (const auto& [set, flag] : {std::pair{&banned, kBanned}, std::pair{&soft, kSoft}}) {
    set->ForEach([&, flag = flag](std::string_view w) {
      uint8_t* flags = f->words_.FindMutable(w);
      if (flags == nullptr) flags = &f->words_.Insert(w, 0);
      *flags |= flag;
      f->max_word_ = std::max(f->max_word_, w.size());
      const uint32_t bit = WordBit(w);
      f->word_filter_[bit >> 6] |= uint64_t{1} << (bit & 63);
    });
  }
  f->has_soft_ = soft.size() > 0;
  StringSet subwords;
  WINNOW_RETURN_IF_ERROR(AddListOrFile(options, "banned_subwords", Entry::kWord, &subwords));
  // The subwords again, in a list for vectorscan (the set only removed duplicates); an empty
  // one matches nothing, as in pyahocorasick.
  subwords.ForEach([&](std::string_view w) {
    if (!w.empty()) f->subwords_.emplace_back(w);
  });
  std::sort(f->subwords_.begin(), f->subwords_.end());
  if (!f->subwords_.empty()) {
    std::vector<const char*> words;
    std::vector<size_t> lengths;
    std::vector<unsigned> ids, flags;
    for (const std::string& w : f->subwords_) {
      words.push_back(w.data());
      lengths.push_back(w.size());
      ids.push_back(static_cast<unsigned>(ids.size()));
      flags.push_back(HS_FLAG_SINGLEMATCH);
    }
    hs_compile_error_t* error = nullptr;
    if (hs_compile_lit_multi(words.data(), flags.data(), ids.data(), lengths.data(),
                             static_cast<unsigned>(words.size()), HS_MODE_BLOCK, nullptr,
                             &f->subword_db_, &error) != HS_SUCCESS) {
      std::string what = error != nullptr && error->message != nullptr ? error->message : "?";
      hs_free_compile_error(error);
      return Status::Internal("url_filter: banned_subwords: " + what);
    }
  }
  return f;
}

std::unique_ptr<FilterState> UrlFilter::NewState() const {
  auto state = std::make_unique<UrlState>();
  if (subword_db_ != nullptr && hs_alloc_scratch(subword_db_, &state->hs) != HS_SUCCESS) {
    state->hs = nullptr;  // Decide() reports it
  }
  return state;
}

std::vector<Threshold> UrlFilter::Thresholds() const {
  if (!has_soft_) return {};
  return {{"soft_banned_words", static_cast<double>(soft_word_threshold_) - 0.5, false,
           "url_filter:soft_blacklisted"}};
}

Decision UrlFilter::DecideUrl(std::string_view url, FilterState& base, int* soft_words) const {
  auto& state = static_cast<UrlState&>(base);
  *soft_words = 0;
  // The three block-list lookups hashed and prefetched first: in lists of millions their
  // slots are cache misses, which then overlap.
  std::string_view registered, fqdn;
  uint64_t h_registered = 0, h_fqdn = 0;
  if (domains_.size() > 0) {
    const UrlParts parts = suffixes_.Split(url, &state.url);
    registered = parts.RegisteredDomain(&state.buffer);
    h_registered = StringSet::Hash(registered);
    domains_.Prefetch(h_registered);
    // Without a subdomain the full host is the registered domain: one lookup does.
    if (!parts.subdomain.empty()) {
      fqdn = parts.Fqdn(&state.fqdn);
      h_fqdn = StringSet::Hash(fqdn);
      domains_.Prefetch(h_fqdn);
    }
  }
  const uint64_t h_url = urls_.size() > 0 ? StringSet::Hash(url) : 0;
  if (urls_.size() > 0) urls_.Prefetch(h_url);
  if (domains_.size() > 0) {
    if (domains_.Contains(registered, h_registered)) return {false, "url_filter:domain"};
    if (!fqdn.empty() && domains_.Contains(fqdn, h_fqdn)) return {false, "url_filter:subdomain"};
  }
  if (urls_.size() > 0 && urls_.Contains(url, h_url)) return {false, "url_filter:url"};
  // The URL's words: runs of [a-zA-Z0-9], and the empty word when the URL is empty or starts
  // or ends with another character (what re.split gives).
  bool hard = false;
  state.soft.clear();
  auto look = [&](std::string_view word) {
    if (word.size() > max_word_) return;
    const uint32_t bit = WordBit(word);
    if ((word_filter_[bit >> 6] & (uint64_t{1} << (bit & 63))) == 0) return;
    const uint8_t* flags = words_.Find(word);
    if (flags == nullptr) return;
    hard = hard || (*flags & kBanned) != 0;
    if ((*flags & kSoft) != 0) state.soft.push_back(word);
  };
  if (words_.size() > 0) {
    if (url.empty() || !IsAlnum(url.front()) || !IsAlnum(url.back())) look("");
    for (size_t i = 0; i < url.size();) {
      if (!IsAlnum(url[i])) {
        ++i;
        continue;
      }
      size_t end = i;
      while (end < url.size() && IsAlnum(url[end])) ++end;
      look(url.substr(i, end - i));
      i = end;
    }
  }
  std::sort(state.soft.begin(), state.soft.end());
  *soft_words =
      static_cast<int>(std::unique(state.soft.begin(), state.soft.end()) - state.soft.begin());
  if (hard) return {false, "url_filter:hard_blacklisted"};
  if (*soft_words >= soft_word_threshold_) return {false, "url_filter:soft_blacklisted"};
  if (subword_db_ != nullptr) {
    Normalize(url, &state.normalized);
    bool found = false;
    WINNOW_CHECK(state.hs != nullptr);
    hs_scan(subword_db_, state.normalized.data(), static_cast<unsigned>(state.normalized.size()), 0,
            state.hs, StopAtFirst, &found);
    if (found) return {false, "url_filter:blacklisted_subword"};
  }
  return {};
}

Decision UrlFilter::Decide(Document& doc, FilterState& state) const {
  if (doc.url.empty()) {
    if (state.counters != nullptr) state.counters->Add("url_filter.no_url");
    return {};
  }
  int soft = 0;
  Decision d = DecideUrl(doc.url, state, &soft);
  doc.SetSignal("soft_banned_words", soft);
  return d;
}

}  // namespace winnow::filter
