#!/usr/bin/env bash
# decontaminate with planted benchmark spans in real text, against the real datatrove
# (NGramsDecontFilter with an index of the same benchmark texts, hashed as its
# NGramsDecontIndexer.compute_hashes does; ../shared/reference/datatrove-kit), n = 13:
#   - benchmark texts: 300 passages of Reuters articles (../shared/data/text);
#   - corpus: the other real documents, 200 of them with a 13- to 30-word run of a benchmark
#     passage planted at a word boundary (its case, punctuation and numbers changed), 200 with
#     a 12-word run (one word short), the rest untouched;
#   - winnow removes exactly the documents that have a run of 13 words of a benchmark text
#     (checked on the token sequences themselves, without hashes) and decides as datatrove
#     does on every document, with the index built from the benchmark files and from
#     datatrove's own *.index.hashes file; every planted 13-word run is found (a 12-word one
#     counts only where the words beside it happen to continue the benchmark text);
#   - mode remove_ngrams cuts the text of every matching n-gram: the cut documents hold no
#     benchmark n-gram any more, and documents that held none are unchanged.
# Skips (exit 0, with a message) without /usr/bin/python3, the kit or its packages.
#   decontaminate_datatrove_test.sh WINNOW SHARED_DIR
set -uo pipefail
winnow=${1:?usage: decontaminate_datatrove_test.sh WINNOW SHARED_DIR}
shared=${2:?usage: decontaminate_datatrove_test.sh WINNOW SHARED_DIR}
kit=$shared/reference/datatrove-kit
[[ -d $shared/data/text ]] || { echo "SKIP: $shared/data/text not found (the shared data is absent)"; exit 0; }
[[ -x /usr/bin/python3 && -f $kit/run_datatrove.py ]] || { echo "SKIP: /usr/bin/python3 or $kit absent"; exit 0; }
(cd "$kit" && source ./env.sh && /usr/bin/python3 -c 'import run_datatrove; run_datatrove.setup_datatrove(); import datatrove.pipeline.decont.n_grams') >/dev/null 2>&1 ||
  { echo "SKIP: the kit's datatrove does not import (sudo bash $kit/setup.sh)"; exit 0; }
tmp=$(mktemp -d)
[[ -n ${KEEP:-} ]] || trap 'rm -rf "$tmp"' EXIT

(cd "$kit" && source ./env.sh && HOME=$tmp /usr/bin/python3 - "$shared/data/text" "$tmp") <<'PY' || { echo "FAIL: the datatrove side did not run"; exit 1; }
import glob, io, json, os, random, re, sys
import numpy as np
import zstandard
text_dir, tmp = sys.argv[1:3]
sys.path.insert(0, os.getcwd())
import run_datatrove
run_datatrove.setup_datatrove()
from datatrove.data import Document
from datatrove.pipeline.decont.n_grams import NGramsDecontConfig, NGramsDecontFilter
from datatrove.utils.hashing import create_hash_func
from datatrove.utils.text import ngrams, simplify_text
from datatrove.utils.word_tokenizers import load_word_tokenizer

def read(path):
    with open(path, "rb") as f:
        data = io.TextIOWrapper(zstandard.ZstdDecompressor().stream_reader(f), encoding="utf-8").read()
    return [json.loads(l) for l in data.splitlines() if l.strip()]

rng = random.Random(13)
reuters = read(os.path.join(text_dir, "reuters21578.jsonl.zst"))
others = [d for f in sorted(glob.glob(os.path.join(text_dir, "*.jsonl.zst"))) if "reuters" not in f for d in read(f)]
# Benchmark passages: 30-80 words of Reuters articles.
bench = []
for d in rng.sample(reuters, 300):
    words = d["text"].split()
    if len(words) < 40:
        continue
    i = rng.randrange(0, len(words) - 35)
    bench.append({"id": d["id"], "question": " ".join(words[i:i + rng.randrange(30, 80)])})
os.makedirs(os.path.join(tmp, "bench"))
with open(os.path.join(tmp, "bench", "reuters_qa.jsonl"), "w") as f:
    for b in bench:
        f.write(json.dumps(b) + "\n")

config = NGramsDecontConfig(n_grams=13)
tokenizer = load_word_tokenizer("en")
ntokens = lambda words: len(tokenizer.word_tokenize(simplify_text(" ".join(words), config.norm_config)))

def disguise(words):  # other case and numbers: the same after simplify_text
    out = []
    for w in words:
        w = re.sub(r"\d", lambda m: str((int(m.group()) + 1) % 10), w)
        out.append(w.upper() if rng.random() < 0.3 else w)
    return " ".join(out)

corpus, planted = [], {}
for k, d in enumerate(others):
    text = d["text"]
    if k % 5 in (1, 2) and len(text.split()) > 20:
        b = rng.choice(bench)["question"].split()
        i = rng.randrange(0, len(b) - 12)
        # The run's length counts datatrove's words (simplify_text, then spaCy's rules: "U.S."
        # is two): 13 to 30 of them, or 12 (one short).
        want = rng.randrange(13, 31) if k % 5 == 1 else 12
        j = i + 1
        while j < len(b) and ntokens(b[i:j + 1]) <= want:
            j += 1
        n = ntokens(b[i:j])
        if (k % 5 == 2 and n != 12) or (k % 5 == 1 and n < 13):
            corpus.append({"id": d["id"], "text": text})
            continue
        # Planted between words of the document, with spaces on both sides.
        cut = [m.start() for m in re.finditer(r" ", text)]
        at = rng.choice(cut)
        text = text[:at] + " " + disguise(b[i:j]) + " " + text[at:]
        planted[d["id"]] = n
    corpus.append({"id": d["id"], "text": text})
with open(os.path.join(tmp, "corpus.jsonl"), "w") as f:
    for d in corpus:
        f.write(json.dumps(d) + "\n")

# datatrove: the index as NGramsDecontIndexer.compute_hashes makes it (label only), then its
# filter.
hash_func = create_hash_func(config.hash_config)
hashes = set()
for b in bench:
    tokens = tokenizer.word_tokenize(simplify_text(b["question"], config.norm_config))
    hashes.update(map(hash_func, map(" ".join, ngrams(tokens, config.n_grams))))
# In a subdirectory: Debian's fsspec globs "**/*.index.hashes" (datatrove's pattern) only there.
os.makedirs(os.path.join(tmp, "index", "tasks"))
np.array(sorted(hashes), dtype="<u8").tofile(os.path.join(tmp, "index", "tasks", "reuters_qa.index.hashes"))
flt = NGramsDecontFilter(index_folder=os.path.join(tmp, "index"), config=config)
# The definition itself, without hashes: does the document have a run of 13 words that a
# benchmark text has?
grams = set()
for b in bench:
    tokens = tokenizer.word_tokenize(simplify_text(b["question"], config.norm_config))
    grams.update(ngrams(tokens, 13))
with open(os.path.join(tmp, "datatrove.jsonl"), "w") as out:
    for d in corpus:
        r = flt.filter(Document(text=d["text"], id=d["id"]))
        tokens = tokenizer.word_tokenize(simplify_text(d["text"], config.norm_config))
        truth = not any(g in grams for g in ngrams(tokens, 13))
        out.write(json.dumps({"id": d["id"], "keep": r is True, "truth": truth,
                              "planted": planted.get(d["id"], 0)}) + "\n")
print(f"datatrove: {len(corpus)} documents, {len(bench)} benchmark passages, {len(hashes)} n-grams")
PY

failures=0
for source in benchmarks indexes; do
  if [[ $source == benchmarks ]]; then
    printf 'stages:\n  - decontaminate: {benchmarks: [%s], field: question}\n' "$tmp/bench" >"$tmp/$source.yaml"
  else
    printf 'stages:\n  - decontaminate: {indexes: [%s]}\n' "$tmp/index" >"$tmp/$source.yaml"
  fi
  "$winnow" annotate "$tmp/corpus.jsonl" --config "$tmp/$source.yaml" -o "$tmp/$source.jsonl" -q ||
    { echo "FAIL: winnow annotate ($source)"; failures=$((failures + 1)); continue; }
  echo -n "index from $source: "
  /usr/bin/python3 - "$tmp/datatrove.jsonl" "$tmp/$source.jsonl" <<'PY' || failures=$((failures + 1))
import json, sys
want = [json.loads(l) for l in open(sys.argv[1])]
got = [json.loads(l) for l in open(sys.argv[2])]
assert len(want) == len(got)
bad = missed = wrong = 0
for w, g in zip(want, got):
    v = g["winnow"]["filters"]["decontaminate"]
    if v["keep"] != w["keep"] or v["keep"] != w["truth"]:
        bad += 1
        if bad <= 10: print(f"DIFF {w['id']}: datatrove keep={w['keep']}, winnow keep={v['keep']}, by definition {w['truth']} (planted {w['planted']})")
    if w["planted"] >= 13 and v["keep"]:
        missed += 1
    if w["planted"] == 12 and not v["keep"]:
        wrong += 1  # only where the words beside the run continue the benchmark text
    if not v["keep"] and "contaminated_benchmark" not in g["winnow"]:
        print(f"FAIL {w['id']}: removed without contaminated_benchmark"); bad += 1
planted13 = sum(w["planted"] >= 13 for w in want)
planted12 = sum(w["planted"] == 12 for w in want)
removed = sum(not g["winnow"]["filters"]["decontaminate"]["keep"] for g in got)
print(f"{len(want)} documents: {removed} removed; planted 13+: {planted13} ({missed} kept), "
      f"planted 12: {planted12} ({wrong} removed); {bad} differ from datatrove or the definition")
sys.exit(1 if bad or missed or planted13 == 0 or wrong > planted12 // 10 else 0)
PY
done

# mode remove_ngrams: cutting every matching n-gram leaves text with none (the cut output,
# checked again in remove mode, keeps every document), and documents without one unchanged.
printf 'stages:\n  - decontaminate: {benchmarks: [%s], field: question, mode: remove_ngrams}\n' \
  "$tmp/bench" >"$tmp/cut.yaml"
if "$winnow" clean "$tmp/corpus.jsonl" --config "$tmp/cut.yaml" -o "$tmp/cut" -q &&
   zstd -dcq "$tmp"/cut/kept/*.jsonl.zst >"$tmp/cut.jsonl" &&
   "$winnow" annotate "$tmp/cut.jsonl" --config "$tmp/benchmarks.yaml" -o "$tmp/recheck.jsonl" -q; then
  echo -n "remove_ngrams: "
  /usr/bin/python3 - "$tmp/corpus.jsonl" "$tmp/cut.jsonl" "$tmp/recheck.jsonl" "$tmp/datatrove.jsonl" <<'PY' || failures=$((failures + 1))
import json, sys
original = {d["id"]: d["text"] for d in map(json.loads, open(sys.argv[1]))}
cut = {d["id"]: d for d in map(json.loads, open(sys.argv[2]))}
recheck = [json.loads(l) for l in open(sys.argv[3])]
truth = {d["id"]: d["truth"] for d in map(json.loads, open(sys.argv[4]))}
left = [r["id"] for r in recheck if not r["winnow"]["filters"]["decontaminate"]["keep"]]
changed_clean = [i for i, d in cut.items() if truth[i] and d["text"] != original[i]]
untouched = [i for i, d in cut.items() if not truth[i] and d["text"] == original[i]]
edited = sum(1 for i, d in cut.items() if not truth[i])
print(f"{edited} documents cut, {len(original) - len(cut)} left empty and removed; "
      f"{len(left)} still contaminated, {len(changed_clean)} clean ones changed, {len(untouched)} contaminated ones untouched")
sys.exit(1 if left or changed_clean or untouched or edited == 0 else 0)
PY
else
  echo "FAIL: winnow clean/annotate in remove_ngrams mode"; failures=$((failures + 1))
fi
exit $((failures > 0))
