#include "winnow/pipeline/report.h"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include "winnow/io/part_file.h"
#include "winnow/pipeline/report_data.h"

namespace winnow::pipeline {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

std::string Escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string Fmt(const char* f, double v) {
  char b[64];
  std::snprintf(b, sizeof(b), f, v);
  return b;
}

std::string Int(int64_t v) {  // 1234567 -> 1,234,567
  std::string s = std::to_string(v < 0 ? -v : v), out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && (s.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(s[i]);
  }
  return v < 0 ? "-" + out : out;
}

std::string Pct(double part, double whole) {
  return whole > 0 ? Fmt("%.1f%%", 100.0 * part / whole) : "-";
}

// A number with the stats.json path it comes from.
std::string Keyed(const std::string& key, const std::string& shown) {
  return "<span class=\"n\" data-key=\"" + Escape(key) + "\">" + shown + "</span>";
}

int64_t GetInt(element e, std::string_view key) {
  int64_t v = 0;
  if (e[key].get(v) != simdjson::SUCCESS) {
    double d = 0;
    if (e[key].get(d) == simdjson::SUCCESS) v = static_cast<int64_t>(d);
  }
  return v;
}
double GetNum(element e, std::string_view key) {
  double v = 0;
  if (e[key].get(v) != simdjson::SUCCESS) {
    int64_t i = 0;
    if (e[key].get(i) == simdjson::SUCCESS) v = static_cast<double>(i);
  }
  return v;
}
std::string GetStr(element e, std::string_view key) {
  std::string_view v;
  if (e[key].get(v) != simdjson::SUCCESS) return "";
  return std::string(v);
}

constexpr const char* kStyle = R"(
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2330;color:#fff;padding:18px 32px}header h1{margin:0 0 4px;font-size:22px}
header p{margin:0;color:#c9d1e0}nav{padding:8px 32px;background:#e9edf3;position:sticky;top:0}
nav a{margin-right:16px;color:#28509b;text-decoration:none}main{padding:8px 32px 40px;max-width:1200px}
section{background:#fff;border-radius:8px;padding:16px 20px;margin:16px 0;box-shadow:0 1px 2px #0001}
h2{margin:0 0 12px;font-size:18px}h3{font-size:15px;margin:16px 0 6px}
table{border-collapse:collapse;width:100%}td,th{padding:4px 8px;border-bottom:1px solid #eef0f3;text-align:right}
td:first-child,th:first-child{text-align:left}th{color:#5a6477;font-weight:600}
.bar{display:inline-block;height:10px;background:#5b8def;vertical-align:middle}.bar.rm{background:#e4684f}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(360px,1fr));gap:12px}
.sig{border:1px solid #eef0f3;border-radius:6px;padding:8px}.sig h3{margin:0 0 4px}.muted{color:#6b7486}
.th{font-size:12px;margin:2px 0}.ex{border-left:3px solid #e4684f;margin:10px 0;padding:4px 10px}
pre{white-space:pre-wrap;word-break:break-word;background:#fafbfc;border:1px solid #eef0f3;padding:8px;max-height:260px;overflow:auto;font-size:12px}
mark{background:#ffd86b}.pair{display:grid;grid-template-columns:1fr 1fr;gap:8px}svg text{font-size:10px;fill:#5a6477}
)";

// ---- histograms ----

struct Bars {
  std::vector<double> lo, hi;
  std::vector<uint64_t> count;
  bool log = false;
};

// Groups the fine bins into display bars: linear over [0, top] for signals within [0, 1],
// otherwise logarithmic (10 bars per decade) with everything at or below 1 in the first bar.
Bars MakeBars(const std::map<int, uint64_t>& bins, double max, const std::vector<double>& marks) {
  Bars b;
  uint64_t total = 0;
  for (const auto& [bin, c] : bins) total += c;
  double top_mark = 0;
  for (double m : marks) top_mark = std::max(top_mark, m);
  if (max <= 1) {
    // Up to the 99.5th percentile or 1.5x the highest threshold, rounded up to a tenth.
    double seen = 0, p995 = 0;
    for (const auto& [bin, c] : bins) {
      seen += static_cast<double>(c);
      p995 = SignalHistogram::High(bin);
      if (seen >= 0.995 * static_cast<double>(total)) break;
    }
    double top = std::ceil(std::max({p995, 1.5 * top_mark, 0.02}) * 10 - 1e-9) / 10;
    top = std::min(1.0, std::max(top, 0.1));
    const int per_bar = static_cast<int>(std::lround(top * SignalHistogram::kLinear / 50));
    const int bars = 50;
    b.lo.resize(bars);
    b.hi.resize(bars);
    b.count.assign(bars, 0);
    for (int i = 0; i < bars; ++i) {
      b.lo[i] = i * top / bars;
      b.hi[i] = (i + 1) * top / bars;
    }
    for (const auto& [bin, c] : bins) {
      if (bin <= 0) continue;
      int bar = std::min(bars - 1, (bin - 1) / std::max(per_bar, 1));
      b.count[static_cast<size_t>(bar)] += c;
    }
    return b;
  }
  b.log = true;
  const double hi_decade = std::ceil(std::log10(std::max({max, top_mark * 1.5, 10.0})));
  const int bars = 1 + static_cast<int>(hi_decade) * 10;
  b.lo.resize(bars);
  b.hi.resize(bars);
  b.count.assign(bars, 0);
  b.lo[0] = 0;
  b.hi[0] = 1;
  for (int i = 1; i < bars; ++i) {
    b.lo[i] = std::pow(10.0, (i - 1) / 10.0);
    b.hi[i] = std::pow(10.0, i / 10.0);
  }
  for (const auto& [bin, c] : bins) {
    int bar = 0;
    if (bin > SignalHistogram::kLinear) {
      bar = 1 + (bin - 1 - SignalHistogram::kLinear) / (SignalHistogram::kPerDecade / 10);
    }
    b.count[static_cast<size_t>(std::min(bar, bars - 1))] += c;
  }
  return b;
}

std::string HistogramSvg(const Bars& b, const std::vector<std::pair<double, bool>>& thresholds) {
  const double w = 340, h = 110, left = 4, bottom = 16;
  const size_t n = b.count.size();
  uint64_t peak = 1;
  for (uint64_t c : b.count) peak = std::max(peak, c);
  const double bw = (w - left) / static_cast<double>(n);
  auto x_of = [&](double v) {
    if (!b.log) return left + (v - b.lo.front()) / (b.hi.back() - b.lo.front()) * (w - left);
    if (v <= 1) return left + bw * std::max(0.0, v);
    return left + bw * (1 + std::log10(v) * 10);
  };
  std::ostringstream s;
  s << "<svg viewBox=\"0 0 " << w << ' ' << h << "\" width=\"100%\" role=\"img\">";
  for (size_t i = 0; i < n; ++i) {
    // Square-root scale: a spike at zero must not flatten everything else.
    const double bh =
        (h - bottom - 14) * std::sqrt(static_cast<double>(b.count[i]) / static_cast<double>(peak));
    s << "<rect x=\"" << Fmt("%.1f", left + bw * i) << "\" y=\"" << Fmt("%.1f", h - bottom - bh)
      << "\" width=\"" << Fmt("%.2f", std::max(bw - 0.6, 0.4)) << "\" height=\"" << Fmt("%.1f", bh)
      << "\" fill=\"#5b8def\"><title>" << Escape(Fmt("%g", b.lo[i])) << " - "
      << Escape(Fmt("%g", b.hi[i])) << ": " << b.count[i] << "</title></rect>";
  }
  for (auto [v, below] : thresholds) {
    const double x = std::clamp(x_of(v), left, w - 1);
    s << "<line x1=\"" << Fmt("%.1f", x) << "\" x2=\"" << Fmt("%.1f", x) << "\" y1=\"2\" y2=\""
      << h - bottom << "\" stroke=\"#e4684f\" stroke-width=\"1.5\"/>";
    const bool flip = x > w - 60;  // label on the left of a line near the right edge
    s << "<text x=\"" << Fmt("%.1f", flip ? x - 3 : x + 3) << "\" y=\"11\" style=\"fill:#e4684f\""
      << (flip ? " text-anchor=\"end\"" : "") << ">" << (below ? "&lt; " : "&gt; ")
      << Escape(Fmt("%g", v)) << "</text>";
  }
  s << "<text x=\"" << left << "\" y=\"" << h - 3 << "\">"
    << (b.log ? "0" : Fmt("%g", b.lo.front())) << "</text><text x=\"" << w - 4 << "\" y=\"" << h - 3
    << "\" text-anchor=\"end\">" << Escape(Fmt("%g", b.hi.back())) << (b.log ? " (log)" : "")
    << "</text></svg>";
  return s.str();
}

// Excerpt with <mark> around the byte ranges in `marks` (sorted, possibly overlapping).
std::string Marked(std::string_view text, array marks) {
  std::vector<std::pair<size_t, size_t>> m;
  for (element r : marks) {
    array a = r.get_array();
    m.emplace_back(static_cast<size_t>(int64_t(a.at(0))), static_cast<size_t>(int64_t(a.at(1))));
  }
  std::string out;
  size_t at = 0;
  for (auto [b, e] : m) {
    if (e <= at) continue;
    b = std::max(b, at);
    e = std::min(e, text.size());
    if (b >= e) continue;
    out += Escape(text.substr(at, b - at));
    out += "<mark>" + Escape(text.substr(b, e - b)) + "</mark>";
    at = e;
  }
  out += Escape(text.substr(std::min(at, text.size())));
  return out;
}

// What the run read, kept and removed, in one sentence, and the page's navigation.
void RenderHeader(element root, std::ostringstream& h) {
  const int64_t input = GetInt(root["input"], "records");
  const double input_mb = GetNum(root["input"], "bytes") / 1e6;
  const int64_t kept = GetInt(root["kept"], "documents");
  const int64_t removed = GetInt(root["removed"], "documents");
  const int64_t rejected = GetInt(root, "rejected");
  h << "<header><h1>winnow " << Escape(GetStr(root, "command")) << " report</h1><p>"
    << Keyed("input.records", Int(input)) << " documents, "
    << Keyed("input.bytes", Fmt("%.1f", input_mb)) << " MB in "
    << Keyed("wall_seconds", Fmt("%.2f", GetNum(root, "wall_seconds"))) << " s on "
    << Keyed("threads", Int(GetInt(root, "threads"))) << " threads, "
    << Keyed("passes", Int(GetInt(root, "passes"))) << " pass(es); kept "
    << Keyed("kept.documents", Int(kept)) << " (" << Pct(double(kept), double(input))
    << "), removed " << Keyed("removed.documents", Int(removed)) << " ("
    << Pct(double(removed), double(input)) << "), rejected " << Keyed("rejected", Int(rejected))
    << ".</p></header>";
  h << "<nav><a href=\"#funnel\">Funnel</a><a href=\"#signals\">Signals</a><a href=\"#examples\">"
       "Examples</a><a href=\"#dedup\">Dedup</a><a href=\"#languages\">Languages</a>"
       "<a href=\"#throughput\">Throughput</a><a href=\"#config\">Configuration</a></nav><main>";
}

// The documents each stage took in and let through, and the removals by reason.
void RenderFunnel(element root, std::ostringstream& h) {
  const int64_t input = GetInt(root["input"], "records");
  h << "<section id=\"funnel\"><h2>Funnel</h2><table><tr><th>stage</th><th>in</th><th>out</th>"
       "<th>removed</th><th></th><th>MB in</th></tr>";
  array stages;
  if (root["stages"].get(stages) != simdjson::SUCCESS) stages = array();
  size_t index = 0;
  for (element st : stages) {
    const std::string name = GetStr(st, "name");
    const int64_t in = GetInt(st["in"], "documents"), out = GetInt(st["out"], "documents");
    int64_t gone = 0;
    object rm;
    if (st["removed"].get(rm) == simdjson::SUCCESS) {
      for (auto [reason, t] : rm) gone += GetInt(t, "documents");
    }
    const std::string key = "stages[" + std::to_string(index++) + "]";
    if (name == "read" || name == "parse" || name == "encode" || name == "write") continue;
    const double width =
        input > 0 ? 240.0 * static_cast<double>(out) / static_cast<double>(input) : 0;
    const double rm_width =
        input > 0 ? 240.0 * static_cast<double>(gone) / static_cast<double>(input) : 0;
    h << "<tr><td>" << Escape(name) << "</td><td>" << Keyed(key + ".in.documents", Int(in))
      << "</td><td>" << Keyed(key + ".out.documents", Int(out)) << "</td><td>" << Int(gone) << " ("
      << Pct(double(gone), double(in))
      << ")</td><td style=\"text-align:left\"><span class=\"bar\" style=\"width:"
      << Fmt("%.1f", width)
      << "px\"></span><span class=\"bar rm\" style=\"width:" << Fmt("%.1f", rm_width)
      << "px\"></span></td><td>" << Fmt("%.1f", GetNum(st["in"], "bytes") / 1e6) << "</td></tr>";
  }
  h << "</table><h3>Removed by reason</h3><table><tr><th>reason</th><th>documents</th><th>share of "
       "input</th><th></th><th>MB</th></tr>";
  object reasons;
  std::vector<std::pair<int64_t, std::string>> by_count;
  if (root["removed_by_reason"].get(reasons) == simdjson::SUCCESS) {
    for (auto [reason, t] : reasons)
      by_count.emplace_back(GetInt(t, "documents"), std::string(reason));
  }
  std::sort(by_count.begin(), by_count.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  int64_t most = by_count.empty() ? 1 : std::max<int64_t>(1, by_count.front().first);
  for (const auto& [count, reason] : by_count) {
    element t = reasons[reason];
    h << "<tr><td><a href=\"#ex-" << Escape(reason) << "\">" << Escape(reason) << "</a></td><td>"
      << Keyed("removed_by_reason." + reason + ".documents", Int(count)) << "</td><td>"
      << Pct(double(count), double(input))
      << "</td><td style=\"text-align:left\"><span class=\"bar rm\" style=\"width:"
      << Fmt("%.1f", 240.0 * double(count) / double(most)) << "px\"></span></td><td>"
      << Fmt("%.2f", GetNum(t, "bytes") / 1e6) << "</td></tr>";
  }
  h << "</table></section>";
}

// A histogram of every signal with its thresholds drawn and the share beyond each.
void RenderSignals(bool has_report, element report, std::ostringstream& h) {
  h << "<section id=\"signals\"><h2>Signals and thresholds</h2>";
  if (!has_report) {
    h << "<p class=\"muted\">This run recorded no signal histograms.</p>";
  } else {
    std::map<std::string, std::vector<std::pair<size_t, element>>> thresholds;  // by signal
    array ths;
    if (report["thresholds"].get(ths) == simdjson::SUCCESS) {
      size_t i = 0;
      for (element t : ths) thresholds[GetStr(t, "signal")].emplace_back(i++, t);
    }
    h << "<p class=\"muted\">Over the documents that reached each filter. A red line is a "
         "threshold; the share is of the documents with the signal that lie beyond it (each "
         "threshold alone, whatever removed the document first).</p><div class=\"grid\">";
    object signals;
    if (report["signals"].get(signals) == simdjson::SUCCESS) {
      for (auto [name, sig] : signals) {
        std::map<int, uint64_t> bins;
        array list;
        if (sig["bins"].get(list) == simdjson::SUCCESS) {
          for (element pair : list) {
            array a = pair.get_array();
            bins[static_cast<int>(int64_t(a.at(0)))] += static_cast<uint64_t>(int64_t(a.at(1)));
          }
        }
        std::vector<double> mark_values;
        std::vector<std::pair<double, bool>> lines;
        for (auto [ti, t] : thresholds[std::string(name)]) {
          mark_values.push_back(GetNum(t, "value"));
          lines.emplace_back(GetNum(t, "value"), GetStr(t, "op") == "<");
        }
        const std::string key = "report.signals." + std::string(name);
        h << "<div class=\"sig\"><h3>" << Escape(name) << "</h3>"
          << HistogramSvg(MakeBars(bins, GetNum(sig, "max"), mark_values), lines)
          << "<div class=\"th muted\">n " << Keyed(key + ".n", Int(GetInt(sig, "n"))) << ", min "
          << Fmt("%.4g", GetNum(sig, "min")) << ", mean " << Fmt("%.4g", GetNum(sig, "mean"))
          << ", max " << Fmt("%.4g", GetNum(sig, "max"));
        if (GetInt(sig, "missing") > 0) h << ", undefined " << Int(GetInt(sig, "missing"));
        h << "</div>";
        for (auto [ti, t] : thresholds[std::string(name)]) {
          const std::string tk = "report.thresholds[" + std::to_string(ti) + "]";
          const int64_t docs = GetInt(t, "documents"), beyond = GetInt(t, "beyond");
          h << "<div class=\"th\">" << Escape(GetStr(t, "op")) << ' '
            << Escape(Fmt("%g", GetNum(t, "value"))) << ": " << Keyed(tk + ".beyond", Int(beyond))
            << " of " << Keyed(tk + ".documents", Int(docs)) << " ("
            << Pct(double(beyond), double(docs)) << ") <span class=\"muted\">"
            << Escape(GetStr(t, "reason")) << "</span></div>";
        }
        h << "</div>";
      }
    }
    h << "</div>";
  }
  h << "</section>";
}

// A sample of removed documents per reason, the text that made it fire highlighted.
void RenderExamples(bool has_report, element report, std::ostringstream& h) {
  h << "<section id=\"examples\"><h2>Examples per reason</h2><p class=\"muted\">A deterministic "
       "sample of removed documents; highlighted: the text that made the reason fire.</p>";
  object examples;
  if (has_report && report["examples"].get(examples) == simdjson::SUCCESS) {
    for (auto [reason, list] : examples) {
      h << "<h3 id=\"ex-" << Escape(reason) << "\">" << Escape(reason) << "</h3>";
      for (element ex : list.get_array()) {
        std::string_view excerpt = ex["excerpt"];
        array marks = ex["marks"].get_array();
        h << "<div class=\"ex\"><div><b>" << Escape(GetStr(ex, "id")) << "</b>";
        const std::string dup = GetStr(ex, "duplicate_of");
        if (!dup.empty()) h << " duplicates <b>" << Escape(dup) << "</b>";
        if (ex["cluster_id"].error() == simdjson::SUCCESS) {
          h << " <span class=\"muted\">(cluster " << GetInt(ex, "cluster_id") << ", "
            << GetInt(ex, "cluster_size") << " documents)</span>";
        }
        h << "</div>";
        const std::string partner = GetStr(ex, "partner_excerpt");
        std::string body = (bool(ex["truncated_front"]) ? "…" : "") + Marked(excerpt, marks) +
                           (bool(ex["truncated_back"]) ? "…" : "");
        if (!partner.empty()) {
          h << "<div class=\"pair\"><div><div class=\"muted\">removed</div><pre>" << body
            << "</pre></div><div><div class=\"muted\">kept: " << Escape(dup) << "</div><pre>"
            << Escape(partner) << "</pre></div></div>";
        } else {
          h << "<pre>" << body << "</pre>";
        }
        h << "</div>";
      }
    }
  } else {
    h << "<p class=\"muted\">No document was removed.</p>";
  }
  h << "</section>";
}

// The dedup stages' counters, cluster sizes and the largest clusters.
void RenderDedup(element root, bool has_report, element report, std::ostringstream& h) {
  h << "<section id=\"dedup\"><h2>Deduplication</h2>";
  object counters;
  if (root["counters"].get(counters) == simdjson::SUCCESS) {
    h << "<table><tr><th>counter</th><th>value</th></tr>";
    for (auto [k, v] : counters) {
      std::string_view key = k;
      if (key.rfind("exact.", 0) != 0 && key.rfind("minhash.", 0) != 0 &&
          key.rfind("bloom.", 0) != 0 && key.rfind("repeated_lines.", 0) != 0) {
        continue;
      }
      h << "<tr><td>" << Escape(key) << "</td><td>"
        << Keyed("counters." + std::string(key), Int(int64_t(v))) << "</td></tr>";
    }
    h << "</table>";
  }
  element clusters;
  array sizes;
  if (has_report && report["clusters"].get(clusters) == simdjson::SUCCESS &&
      clusters["sizes"].get(sizes) == simdjson::SUCCESS && sizes.size() > 0) {
    h << "<h3>Cluster sizes</h3><table><tr><th>documents in the "
         "cluster</th><th>clusters</th><th></th></tr>";
    int64_t peak = 1;
    for (element s : sizes) peak = std::max(peak, int64_t(s.get_array().at(1)));
    size_t si = 0;
    for (element s : sizes) {
      array a = s.get_array();
      const int64_t n = int64_t(a.at(1));
      h << "<tr><td>" << int64_t(a.at(0)) << "</td><td>"
        << Keyed("report.clusters.sizes[" + std::to_string(si++) + "][1]", Int(n))
        << "</td><td style=\"text-align:left\"><span class=\"bar\" style=\"width:"
        << Fmt("%.1f", 8 + 232.0 * std::log1p(double(n)) / std::log1p(double(peak)))
        << "px\"></span></td></tr>";
    }
    h << "</table><h3>Largest clusters</h3><table><tr><th>cluster</th><th>documents</th><th>kept "
         "document</th></tr>";
    for (element c : clusters["largest"].get_array()) {
      h << "<tr><td>" << GetInt(c, "cluster_id") << "</td><td>" << GetInt(c, "size") << "</td><td>"
        << Escape(GetStr(c, "kept_id")) << "<div class=\"muted\" style=\"text-align:left\">"
        << Escape(GetStr(c, "excerpt").substr(0, 240)) << "…</div></td></tr>";
    }
    h << "</table>";
  } else {
    h << "<p class=\"muted\">No near-duplicate clusters in this run.</p>";
  }
  h << "</section>";
}

// Documents per language, kept and removed.
void RenderLanguages(bool has_report, element report, std::ostringstream& h) {
  h << "<section id=\"languages\"><h2>Languages</h2>";
  // Documents per language the language stage gave them, most first (top 40).
  std::vector<std::tuple<int64_t, std::string, int64_t, int64_t, int64_t>> languages;
  object by_language;
  if (has_report && report["languages"].get(by_language) == simdjson::SUCCESS) {
    for (auto [code, c] : by_language) {
      int64_t k = GetInt(c, "kept"), r = GetInt(c, "removed");
      languages.emplace_back(k + r, std::string(code), k, r, GetInt(c, "kept_bytes"));
    }
  }
  std::sort(languages.begin(), languages.end(), [](const auto& a, const auto& b) {
    return std::get<0>(a) != std::get<0>(b) ? std::get<0>(a) > std::get<0>(b)
                                            : std::get<1>(a) < std::get<1>(b);
  });
  if (languages.empty()) {
    h << "<p class=\"muted\">No language identification stage ran in this pipeline.</p>";
  } else {
    h << "<p>Documents by the language the language stage found (\"un\": none), kept and "
         "removed by any stage.</p><table><tr><th>language</th><th>documents</th><th>kept</th>"
         "<th>removed</th><th>kept MB</th></tr>";
    for (size_t i = 0; i < languages.size() && i < 40; ++i) {
      const auto& [total, code, k, r, bytes] = languages[i];
      std::string key = "report.languages." + code;
      h << "<tr><td>" << Escape(code) << "</td><td>" << Int(total) << "</td><td>"
        << Keyed(key + ".kept", Int(k)) << "</td><td>" << Keyed(key + ".removed", Int(r))
        << "</td><td>" << Fmt("%.2f", static_cast<double>(bytes) / 1e6) << "</td></tr>";
    }
    h << "</table>";
    if (languages.size() > 40) {
      h << "<p class=\"muted\">" << languages.size() - 40 << " more languages in stats.json.</p>";
    }
  }
  h << "</section>";
}

// Throughput overall and per stage.
void RenderThroughput(element root, std::ostringstream& h) {
  array stages;
  if (root["stages"].get(stages) != simdjson::SUCCESS) stages = array();
  h << "<section id=\"throughput\"><h2>Throughput</h2><p>"
    << Keyed("throughput.mb_per_s", Fmt("%.1f", GetNum(root["throughput"], "mb_per_s")))
    << " MB/s, "
    << Keyed("throughput.docs_per_s", Fmt("%.0f", GetNum(root["throughput"], "docs_per_s")))
    << " docs/s overall; " << Fmt("%.1f", GetNum(root["throughput"], "mb_per_cpu_s"))
    << " MB per CPU-second; peak memory "
    << Keyed("peak_rss_mb", Fmt("%.0f", GetNum(root, "peak_rss_mb")))
    << " MB.</p><table><tr><th>stage</th><th>busy s</th><th>docs/s</th><th>MB/s</th></tr>";
  size_t index = 0;
  for (element st : stages) {
    const std::string key = "stages[" + std::to_string(index++) + "]";
    h << "<tr><td>" << Escape(GetStr(st, "name")) << "</td><td>"
      << Keyed(key + ".seconds", Fmt("%.3f", GetNum(st, "seconds"))) << "</td><td>"
      << Fmt("%.0f", GetNum(st, "docs_per_s")) << "</td><td>" << Fmt("%.1f", GetNum(st, "mb_per_s"))
      << "</td></tr>";
  }
  h << "</table>";
  // Memory by step: each pass and each global stage's group step.
  array steps;
  if (root["memory"].get(steps) == simdjson::SUCCESS && steps.size() > 0) {
    h << "<table><tr><th>step</th><th>peak memory MB</th><th>spilled MB</th></tr>";
    index = 0;
    for (element m : steps) {
      const std::string key = "memory[" + std::to_string(index++) + "]";
      std::string name = "pass " + Fmt("%.0f", GetNum(m, "pass"));
      if (GetStr(m, "step") == "group") name += ", group: " + GetStr(m, "stage");
      h << "<tr><td>" << Escape(name) << "</td><td>"
        << Keyed(key + ".peak_rss_mb", Fmt("%.0f", GetNum(m, "peak_rss_mb"))) << "</td><td>"
        << Keyed(key + ".spilled_mb", Fmt("%.1f", GetNum(m, "spilled_mb"))) << "</td></tr>";
    }
    h << "</table>";
  }
  h << "</section>";
}

// The configuration, and the mark the browser test looks for.
void RenderConfiguration(element root, std::ostringstream& h) {
  h << "<section id=\"config\"><h2>Configuration</h2><pre>" << Escape(GetStr(root, "config"))
    << "</pre></section></main>";
  // Marks the page as rendered for the browser test (and shows that scripts run).
  h << "<script>document.body.dataset.sections=document.querySelectorAll('section').length;"
       "document.body.dataset.renderMs=Math.round(performance.now());"
       "document.body.dataset.ready='1';</script></body></html>\n";
}

}  // namespace

Result<std::string> RenderReport(std::string_view stats_json) {
  simdjson::dom::parser parser;
  element root;
  if (parser.parse(stats_json.data(), stats_json.size()).get(root) != simdjson::SUCCESS ||
      root["winnow_stats_version"].error() != simdjson::SUCCESS) {
    return Status::InvalidArgument("not a winnow stats.json");
  }
  std::ostringstream h;
  h << "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
       "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
       "<title>winnow report</title><style>"
    << kStyle << "</style></head><body>";
  RenderHeader(root, h);
  RenderFunnel(root, h);
  element report;
  const bool has_report = root["report"].get(report) == simdjson::SUCCESS;
  RenderSignals(has_report, report, h);
  RenderExamples(has_report, report, h);
  RenderDedup(root, has_report, report, h);
  RenderLanguages(has_report, report, h);
  RenderThroughput(root, h);
  RenderConfiguration(root, h);
  return h.str();
}

Status WriteReport(const std::string& output_dir) {
  const std::string path = (std::filesystem::path(output_dir) / "stats.json").string();
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("no stats.json in " + output_dir);
  std::string json((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  WINNOW_ASSIGN_OR_RETURN(std::string html, RenderReport(json));
  return io::WriteFileAtomically((std::filesystem::path(output_dir) / "report.html").string(),
                                 html);
}

}  // namespace winnow::pipeline
