#!/usr/bin/python3
"""Extraction and page-anatomy quality of a winnow build on benchmark pages, per benchmark:
the numbers issue 23 and the README quote, measured the same way every time.

    bench/quality/quality.py [--winnow build/winnow] [--data ../shared/data/extraction-dev]
                             [--half A|B|all] [--only anatomy|extract] [BENCH...]

anatomy   page text = gold main text + "\\n" + gold comment text; each non-blank line after the
          main text is a comment line, found when `winnow explain --json` labels it comment or
          comments_header: precision and recall over the lines of pages with comments. Pages
          without comments (one in four sampled) count article lines labelled anything else.
extract   `winnow extract --comments` on each page's HTML: main-text precision, recall and F1
          with ScrapingHub's article-extraction-benchmark metric (multisets of 4-gram shingles
          of lowercased \\w+ tokens, per page, averaged, then F1), the pages whose text came out
          empty, the same metric on the comments of pages with labelled comments, and where a
          benchmark has them, its snippets (`with` found, `without` not found).

--half splits the pages in two by a hash of "bench/id" (A: first byte even): tune on A,
report both, as issue 23 asks; the split is the same on any machine and for any build.
"""
import argparse
import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def half_of(bench, page_id):
    return "A" if hashlib.sha256(f"{bench}/{page_id}".encode()).digest()[0] % 2 == 0 else "B"


def pages(data, bench, half):
    with gzip.open(data / bench / "truth.jsonl.gz", "rt", encoding="utf-8") as f:
        for k, line in enumerate(f):
            d = json.loads(line)
            if half != "all" and half_of(bench, d["id"]) != half:
                continue
            yield k, d


def anatomy(winnow, data, bench, half):
    tp = fp = fn = art = art_bad = n = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "page.txt")
        for k, d in pages(data, bench, half):
            main = (d.get("main_text") or "").strip("\n")
            com = (d.get("comments_text") or "").strip("\n")
            if not main or d.get("comments_text") is None or (not com and k % 4):
                continue
            text = main + ("\n" + com if com else "")
            main_lines = main.count("\n") + 1
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            r = subprocess.run([winnow, "explain", path, "--json"], capture_output=True, text=True,
                               timeout=120)
            try:
                segments = json.loads(r.stdout.strip().split("\n")[0])["segments"]
            except (ValueError, KeyError, IndexError):
                segments = []
            label = {}
            for s in segments:
                for i in range(s["start_line"], s["end_line"] + 1):
                    label[i] = s["label"]
            n += 1
            for i, line in enumerate(text.split("\n"), 1):
                if not line.strip():
                    continue
                is_comment = i > main_lines
                said = label.get(i) in ("comment", "comments_header")
                if com:
                    tp += is_comment and said
                    fp += (not is_comment) and said
                    fn += is_comment and not said
                else:
                    art += 1
                    art_bad += label.get(i, "article") != "article"
    if n == 0:
        return f"{bench:20} anatomy  no pages with labelled comment text"
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return (f"{bench:20} anatomy  {n:4} pages  comment lines P {p:.3f} R {r:.3f} "
            f"(tp {tp} fp {fp} fn {fn}); article lines labelled otherwise {art_bad}/{art}")


WORD = re.compile(r"\w+")


def shingles(text):
    t = [w.lower() for w in WORD.findall(text or "")]
    n = len(t) - 3 if len(t) >= 4 else (1 if t else 0)
    return Counter(tuple(t[i:i + 4]) for i in range(n))


def shingle_match(truth, pred):
    a, b = shingles(truth), shingles(pred)
    tp = sum((a & b).values())
    fn = sum((a - b).values())
    fp = sum((b - a).values())
    return tp, fp, fn


def average(counts):
    ps, rs = [], []
    for tp, fp, fn in counts:
        if tp + fp:
            ps.append(1.0 if fp == 0 and fn == 0 else tp / (tp + fp))
        if tp + fn:
            rs.append(1.0 if fp == 0 and fn == 0 else tp / (tp + fn))
    p = sum(ps) / len(ps) if ps else 0.0
    r = sum(rs) / len(rs) if rs else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def extract(winnow, data, bench, half):
    chosen = [d for _, d in pages(data, bench, half) if d.get("html_file")]
    if not chosen:
        return f"{bench:20} extract  no pages with HTML"
    files = [str(data / bench / d["html_file"]) for d in chosen]
    r = subprocess.run([winnow, "extract", *files, "--format", "jsonl", "--comments", "-q"],
                       capture_output=True, text=True, timeout=1800)
    out = {}
    for line in r.stdout.splitlines():
        if line.strip():
            o = json.loads(line)
            out[o["id"]] = o
    main, comments, empty = [], [], 0
    snip_tp = snip_fp = snip_fn = 0
    squeeze = lambda s: re.sub(r"\s+", "", s)
    for d, f in zip(chosen, files):
        o = out.get(f, {})
        text = o.get("text") or ""
        empty += not text.strip()
        if d.get("main_text"):
            main.append(shingle_match(d["main_text"], text))
        if d.get("comments_text"):
            comments.append(shingle_match(d["comments_text"], o.get("comments") or ""))
        # Snippets (trafilatura's benchmark, WCXB): text that must and must not come out.
        body = squeeze(text)
        for w in d.get("with") or []:
            found = squeeze(w) in body
            snip_tp += found
            snip_fn += not found
        for w in d.get("without") or []:
            snip_fp += squeeze(w) in body
    line = f"{bench:20} extract  {len(chosen):4} pages  "
    if main:
        p, r, f1 = average(main)
        line += f"main text P {p:.3f} R {r:.3f} F1 {f1:.3f}; "
    if snip_tp + snip_fp + snip_fn:
        sp = snip_tp / (snip_tp + snip_fp) if snip_tp + snip_fp else 0.0
        sr = snip_tp / (snip_tp + snip_fn) if snip_tp + snip_fn else 0.0
        line += f"snippets P {sp:.3f} R {sr:.3f}; "
    line += f"empty {empty}"
    if comments:
        cp, cr, cf = average(comments)
        line += f"; comments ({len(comments)} pages) P {cp:.3f} R {cr:.3f} F1 {cf:.3f}"
    return line


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--winnow", default=str(ROOT / "build" / "winnow"))
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "extraction-dev"))
    ap.add_argument("--half", default="all", choices=["A", "B", "all"])
    ap.add_argument("--only", choices=["anatomy", "extract"])
    ap.add_argument("benchmarks", nargs="*")
    a = ap.parse_args()
    data = Path(a.data)
    if not data.is_dir():
        sys.exit(f"no benchmark pages at {data}")
    benches = a.benchmarks or sorted(p.name for p in data.iterdir() if (p / "truth.jsonl.gz").exists())
    print(f"# {a.winnow} on {data} (half {a.half})")
    for b in benches:
        if a.only != "extract":
            print(anatomy(a.winnow, data, b, a.half), flush=True)
        if a.only != "anatomy":
            print(extract(a.winnow, data, b, a.half), flush=True)


if __name__ == "__main__":
    main()
