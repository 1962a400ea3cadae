#!/usr/bin/env bash
# The command-line contract (CLI.md), through the real binary: exit codes, outputs, identical
# results for any thread count, one-line errors.
set -uo pipefail
winnow=${1:?usage: cli_test.sh WINNOW [SHARED_DATA]}
shared=${2:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

check() {  # check NAME EXPECTED_RC COMMAND...
  local name=$1 want=$2
  shift 2
  "$@" >"$tmp/stdout" 2>"$tmp/stderr"
  local rc=$?
  if [[ $rc -ne $want ]]; then
    echo "FAIL $name: exit $rc, want $want"; sed 's/^/  stderr: /' "$tmp/stderr" | head -5
    failures=$((failures + 1))
  else
    echo "ok   $name"
  fi
}
expect() {  # expect NAME CONDITION...
  local name=$1
  shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; failures=$((failures + 1)); fi
}

check "version" 0 "$winnow" version
expect "version prints a version" grep -q '^winnow [0-9]' "$tmp/stdout"
check "no subcommand is a usage error" 2 "$winnow"
check "unknown option is a usage error" 2 "$winnow" clean --bogus

check "config --defaults" 0 "$winnow" config --defaults
cp "$tmp/stdout" "$tmp/defaults.yaml"
expect "defaults list the stages" grep -q -- '- gopher_quality:' "$tmp/defaults.yaml"
expect "defaults list the other stages, commented" grep -q -- '# - length:' "$tmp/defaults.yaml"

check "gen" 0 "$winnow" gen --docs 3000 --seed 5 -o "$tmp/c.jsonl.zst" --truth "$tmp/t.jsonl"
expect "gen summary" grep -q '3000 documents' "$tmp/stdout"

check "clean, 1 thread" 0 "$winnow" clean "$tmp/c.jsonl.zst" -o "$tmp/o1" --threads 1
expect "clean summary names the reasons" grep -q 'exact:duplicate' "$tmp/stdout"
for f in kept/part-00000.jsonl.zst removed/part-00000.jsonl.zst stats.json; do
  expect "clean wrote $f" test -s "$tmp/o1/$f"
done
check "clean, 2 threads" 0 "$winnow" clean "$tmp/c.jsonl.zst" -o "$tmp/o2" --threads 2 -q
expect "kept identical for 1 and 2 threads" cmp -s "$tmp/o1/kept/part-00000.jsonl.zst" "$tmp/o2/kept/part-00000.jsonl.zst"
expect "removed identical for 1 and 2 threads" cmp -s "$tmp/o1/removed/part-00000.jsonl.zst" "$tmp/o2/removed/part-00000.jsonl.zst"
check "clean again without --overwrite refuses" 2 "$winnow" clean "$tmp/c.jsonl.zst" -o "$tmp/o2" -q
check "clean again with --overwrite" 0 "$winnow" clean "$tmp/c.jsonl.zst" -o "$tmp/o2" --overwrite -q
expect "a re-run gives the same bytes" cmp -s "$tmp/o1/kept/part-00000.jsonl.zst" "$tmp/o2/kept/part-00000.jsonl.zst"
expect "accounting holds in stats.json" grep -q '"holds": true' "$tmp/o1/stats.json"
expect "clean wrote report.html" test -s "$tmp/o1/report.html"
rm "$tmp/o1/report.html"
check "report rewrites the page" 0 "$winnow" report "$tmp/o1"
expect "report.html is back" test -s "$tmp/o1/report.html"
check "report of a directory without a run" 2 "$winnow" report "$tmp/nothing-here"

# dedup: every mode, side files, identical output for any thread count.
check "dedup --mode exact" 0 "$winnow" dedup "$tmp/c.jsonl.zst" -o "$tmp/d1" --mode exact
expect "exact names its reason" grep -q 'exact:duplicate' "$tmp/stdout"
for t in 1 2; do
  check "dedup minhash, $t thread(s)" 0 "$winnow" dedup "$tmp/c.jsonl.zst" -o "$tmp/dm$t" --threads $t \
    --threshold 0.8 --clusters "$tmp/clusters$t.jsonl" --signatures "$tmp/sigs$t.jsonl"
done
expect "minhash names its reason" grep -q 'minhash:duplicate' "$tmp/stdout"
expect "minhash identical for 1 and 2 threads" cmp -s "$tmp/dm1/removed/part-00000.jsonl.zst" "$tmp/dm2/removed/part-00000.jsonl.zst"
expect "clusters identical for 1 and 2 threads" cmp -s "$tmp/clusters1.jsonl" "$tmp/clusters2.jsonl"
expect "a clusters line per document" test "$(wc -l <"$tmp/clusters1.jsonl")" -eq 3000
expect "a signatures line per document" test "$(wc -l <"$tmp/sigs1.jsonl")" -eq 3000
expect "clusters lines have the contract's keys" grep -q '"kept":false,"cluster_id":[0-9]*,"cluster_size":[0-9]*}' "$tmp/clusters1.jsonl"
expect "threshold 0.8 derives 16 bands of 7" python3 -c "import json,sys; d=json.loads(open(sys.argv[1]).readline()); assert len(d['sig'])==16 and all(len(b)==7 for b in d['sig'])" "$tmp/sigs1.jsonl"
check "dedup minhash, datatrove's shape" 0 "$winnow" dedup "$tmp/c.jsonl.zst" -o "$tmp/dm3" --signatures "$tmp/sigs3.jsonl" -q
expect "by default 14 bands of 8" python3 -c "import json,sys; d=json.loads(open(sys.argv[1]).readline()); assert len(d['sig'])==14 and all(len(b)==8 for b in d['sig'])" "$tmp/sigs3.jsonl"
expect "no work files left" test ! -e "$tmp/dm1/.winnow-work"
check "dedup --mode bloom" 0 "$winnow" dedup "$tmp/c.jsonl.zst" -o "$tmp/db" --mode bloom
expect "bloom names its reason" grep -q 'bloom:duplicate' "$tmp/stdout"
check "dedup bad mode" 2 "$winnow" dedup "$tmp/c.jsonl.zst" -o "$tmp/dx" --mode fuzzy
check "dedup --clusters needs minhash" 2 "$winnow" dedup "$tmp/c.jsonl.zst" -o "$tmp/dy" --mode exact --clusters "$tmp/x"
check "dedup bad --memory-budget" 2 "$winnow" dedup "$tmp/c.jsonl.zst" -o "$tmp/dz" --memory-budget lots

# The defaults printed by `config --defaults` run as a pipeline.
sed -e "s|^inputs: \[\]|inputs: [$tmp/c.jsonl.zst]|" -e "s|^output: \"\"|output: $tmp/o3|" \
  "$tmp/defaults.yaml" >"$tmp/run.yaml"
check "run the printed defaults" 0 "$winnow" run "$tmp/run.yaml" -q
expect "run == clean" cmp -s "$tmp/o1/kept/part-00000.jsonl.zst" "$tmp/o3/kept/part-00000.jsonl.zst"

# Standard input.
zstd -dc "$tmp/c.jsonl.zst" | head -100 >"$tmp/head.jsonl"
check "clean from stdin" 0 bash -c "'$winnow' clean - -o '$tmp/o4' -q <'$tmp/head.jsonl'"

# Errors: one line naming the file, right exit code.
printf '{"text":"fine words here"}\n{"text": oops}\n' >"$tmp/bad.jsonl"
check "bad line is skipped by default" 0 "$winnow" clean "$tmp/bad.jsonl" -o "$tmp/o5" -q
expect "rejected part written" test -s "$tmp/o5/rejected/part-00000.jsonl.zst"
check "bad line fails with --on-error=fail" 1 "$winnow" clean "$tmp/bad.jsonl" -o "$tmp/o6" --on-error fail -q
expect "one line on stderr" test "$(wc -l <"$tmp/stderr")" -eq 1
expect "error names file and line" grep -q 'bad.jsonl:2@' "$tmp/stderr"
check "missing input" 2 "$winnow" clean "$tmp/nope.jsonl" -o "$tmp/o7" -q
check "bad config" 2 "$winnow" run "$tmp/bad.jsonl"
printf 'stages:\n  - lenght\n' >"$tmp/typo.yaml"
check "unknown stage" 2 "$winnow" clean "$tmp/head.jsonl" --config "$tmp/typo.yaml" -o "$tmp/o8" -q
expect "unknown stage lists the known ones" grep -q "unknown stage 'lenght' (known:" "$tmp/stderr"
# --resume: a fresh run when there is nothing to resume, a no-op on a finished run, refused
# when the configuration changed or together with --overwrite.
check "resume starts a fresh run" 0 "$winnow" clean "$tmp/head.jsonl" -o "$tmp/o9" --resume -q
check "resume of a finished run" 0 "$winnow" clean "$tmp/head.jsonl" -o "$tmp/o9" --resume
expect "resume of a finished run keeps its outputs" test -s "$tmp/o9/stats.json"
# A kill after the run's complete checkpoint and before its scratch was removed.
mkdir -p "$tmp/o9/.winnow-work/pass-2"
check "resume of a finished run with scratch left" 0 "$winnow" clean "$tmp/head.jsonl" -o "$tmp/o9" --resume -q
expect "resume of a finished run removes the scratch a kill left" test ! -e "$tmp/o9/.winnow-work"
check "a second run without --resume" 2 "$winnow" clean "$tmp/head.jsonl" -o "$tmp/o9" -q
expect "the refusal mentions --resume" grep -q -- "--resume" "$tmp/stderr"
printf 'stages:\n  - length: {min_words: 3}\n' >"$tmp/short.yaml"
check "resume with another configuration" 2 "$winnow" clean "$tmp/head.jsonl" -o "$tmp/o9" --resume --config "$tmp/short.yaml" -q
expect "the refusal names the configuration" grep -q "configuration" "$tmp/stderr"
check "resume with overwrite" 2 "$winnow" clean "$tmp/head.jsonl" -o "$tmp/o9" --resume --overwrite -q

# annotate: one line per document with every filter's verdict; nothing dropped.
check "annotate to a file" 0 "$winnow" annotate "$tmp/head.jsonl" -o "$tmp/ann.jsonl" -q
expect "annotate writes every document" test "$(wc -l <"$tmp/ann.jsonl")" -eq 100
expect "annotate names the filters" grep -q '"gopher_repetition":{"keep":' "$tmp/ann.jsonl"
expect "annotate writes the language label, as clean does" python3 -c "
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert all(len(l['winnow']['language']) >= 2 and 'language_score' in l['winnow']['signals'] for l in lines), lines[0]
" "$tmp/ann.jsonl"
check "annotate to stdout" 0 bash -c "'$winnow' annotate '$tmp/head.jsonl' -q | head -1 | grep -q '\"filters\"'"

if [[ -n $shared && -f $shared/seed/000_a9cbf47f8b5096a3.txt ]]; then
  check "a .txt page is one document" 0 "$winnow" clean "$shared/seed/000_a9cbf47f8b5096a3.txt" -o "$tmp/o10" -q
  # datatrove keeps the seed page whole, bot comments and all; winnow's anatomy keeps the
  # article (lines 1-5) and nothing else, and the filters then keep it.
  expect "the seed page is kept" test "$(zstd -dc "$tmp/o10/kept/part-00000.jsonl.zst" | wc -l)" -eq 1
  head -5 "$shared/seed/000_a9cbf47f8b5096a3.txt" >"$tmp/seed-article.txt"
  zstd -dc "$tmp/o10/kept/part-00000.jsonl.zst" | python3 -c "import json,sys; sys.stdout.write(json.loads(sys.stdin.readline())['text'] + '\n')" >"$tmp/seed-kept.txt"
  expect "clean keeps lines 1-5 of the seed page and nothing else" cmp -s "$tmp/seed-article.txt" "$tmp/seed-kept.txt"
  check "explain the seed page" 0 "$winnow" explain "$shared/seed/000_a9cbf47f8b5096a3.txt"
  expect "explain names the segments" grep -q "lines 9-30   comment" "$tmp/stdout"
  expect "explain gives the decision" grep -q "decision: keep" "$tmp/stdout"
  check "explain --json" 0 "$winnow" explain "$shared/seed/000_a9cbf47f8b5096a3.txt" --json
  expect "explain --json segments equal the truth" python3 -c "
import json, sys
e = json.loads(open(sys.argv[1]).read())
t = json.load(open(sys.argv[2]))
names = {'comments': 'comment'}
want = [{'label': names.get(s['label'], s['label']), 'start_line': s['lines'][0], 'end_line': s['lines'][1]} for s in t['segments']]
assert e['segments'] == want, e['segments']
strong = [sorted(c) for c in t['templated_clusters']['strong']]
assert all(c in e['templates'] for c in strong)
assert e['decision'] == {'keep': True, 'reason': None}
" "$tmp/stdout" "$shared/seed/truth.json"
else
  echo "skip seed page: ../shared/data is absent"
fi

# Language, PII and per-language options through a pipeline file.
printf '%s\n' \
  '{"id":"en","text":"Write to jane.doe@example.net or call the office; the server at 93.184.216.34 answered and the committee will meet again next week to discuss the budget."}' \
  '{"id":"de","text":"Die Bundesregierung hat am Mittwoch beschlossen, die Förderung für erneuerbare Energien im kommenden Jahr deutlich zu erhöhen."}' \
  >"$tmp/langs.jsonl"
printf 'inputs: [%s]\noutput: %s\nstages:\n  - language: {languages: [en]}\n  - pii\n' "$tmp/langs.jsonl" "$tmp/lo" >"$tmp/lang.yaml"
check "run language + pii" 0 "$winnow" run "$tmp/lang.yaml" -q
expect "German removed as other_language" bash -c "zstd -dc '$tmp/lo/removed/part-00000.jsonl.zst' | grep -q '\"reason\":\"language:other_language\"'"
expect "kept English has its language and no e-mail address" bash -c "zstd -dc '$tmp/lo/kept/part-00000.jsonl.zst' | grep '\"language\":\"en\"' | grep -vq 'jane.doe'"
printf 'inputs: [%s]\noutput: %s\nstages:\n  - language\n  - language\n' "$tmp/langs.jsonl" "$tmp/lo2" >"$tmp/twice.yaml"
check "two stages with one name" 2 "$winnow" run "$tmp/twice.yaml" -q
expect "says the names must differ" grep -q "two stages are named 'language'" "$tmp/stderr"
printf 'inputs: [%s]\noutput: %s\nstages:\n  - gopher_quality:\n      per_language:\n        zh: {min_doc_word: 5}\n' "$tmp/langs.jsonl" "$tmp/lo3" >"$tmp/perlang.yaml"
check "unknown per-language option" 2 "$winnow" run "$tmp/perlang.yaml" -q
expect "names the option and the language" grep -q "min_doc_word' in per_language.zh" "$tmp/stderr"
printf 'inputs: [%s]\noutput: %s\nstages:\n  - language: {backend: fasttext, model: %s}\n' "$tmp/langs.jsonl" "$tmp/lo4" "$tmp/no-model.bin" >"$tmp/ft.yaml"
check "missing fastText model" 2 "$winnow" run "$tmp/ft.yaml" -q
expect "names the model path" grep -q "no-model.bin" "$tmp/stderr"

# Pages and web archives.
page='<html><head><title>Flood</title></head><body><nav><a href="/">Home</a> <a href="/w">World</a></nav><article><p>The river rose by two metres overnight, flooding the lower town, and the council opened the school as a shelter.</p><p>Engineers will inspect the dam on Friday, the council said, and a report is due next month.</p></article><div id="comments"><div class="comment"><p>Stay safe everyone, the bridge road is closed as well tonight.</p></div></div></body></html>'
printf '%s' "$page" >"$tmp/page.html"
check "extract a page" 0 "$winnow" extract "$tmp/page.html" -q
expect "extract prints the article" grep -q "river rose by two metres" "$tmp/stdout"
expect "extract leaves the menu out" bash -c "! grep -q 'World' '$tmp/stdout'"
check "extract --format jsonl --comments" 0 "$winnow" extract "$tmp/page.html" --format jsonl --comments -q
expect "jsonl has title, text and comments" python3 -c "
import json, sys
d = json.loads(open(sys.argv[1]).read())
assert d['title'] == 'Flood' and 'dam on Friday' in d['text'] and 'bridge road' in d['comments'], d
assert 'bridge road' not in d['text']
" "$tmp/stdout"
check "extract bad format" 2 "$winnow" extract "$tmp/page.html" --format xml
if [[ -n $shared && -d $shared/warc ]]; then
  check "clean a WARC (extraction first)" 0 "$winnow" clean "$shared/warc/commoncrawl-whirlwind/whirlwind.warc.gz" -o "$tmp/wo" -q
  expect "the page keeps its URL and title" bash -c "zstd -dc '$tmp'/wo/*/part-00000.jsonl.zst | grep -q '\"url\":\"https://an.wikipedia.org/wiki/Escopete\".*\"title\":\"Escopete'"
  expect "stats count the skipped records" python3 -c "
import json, sys
s = json.load(open(sys.argv[1]))
assert s['input']['skipped_records'] == {'metadata': 1, 'request': 1, 'warcinfo': 1}, s['input']
assert s['stages'][2]['name'] == 'extract', [x['name'] for x in s['stages']]
" "$tmp/wo/stats.json"
  check "extract from a WET file" 0 "$winnow" extract "$shared/warc/commoncrawl-whirlwind/whirlwind.warc.wet.gz" -q
  expect "WET text passes through" grep -q "Escopete" "$tmp/stdout"
  # FastWARC's .warc.lz4 (one LZ4 frame per record): the same documents as the .warc.gz.
  check "clean a .warc.lz4" 0 "$winnow" clean "$shared/warc/commoncrawl-whirlwind/whirlwind.warc.lz4" -o "$tmp/wl" -q
  expect "the .warc.lz4 keeps what the .warc.gz keeps" bash -c "cmp <(zstd -dc '$tmp'/wo/kept/*.zst) <(zstd -dc '$tmp'/wl/kept/*.zst) && cmp <(zstd -dc '$tmp'/wo/removed/*.zst) <(zstd -dc '$tmp'/wl/removed/*.zst)"
  # ClueWeb09 says Content-Encoding: gzip over decoded bodies: the pages are read and counted.
  check "clean ClueWeb09 responses" 0 "$winnow" clean "$shared/warc/clueweb09/clueweb-quirk-sample.warc.gz" -o "$tmp/cw" -q
  expect "no ClueWeb09 page is rejected, each lie is counted" python3 -c "
import json, sys
s = json.load(open(sys.argv[1]))
assert s['rejected'] == 0, s['rejected_by_kind']
assert s['counters']['input.content_encoding_ignored'] >= 6, s['counters']
" "$tmp/cw/stats.json"
  # extract runs on every core and writes the same bytes for any --threads.
  if [[ -d $shared/extraction ]]; then
    check "extract --threads 1" 0 "$winnow" extract "$shared/extraction" --format jsonl --comments --threads 1 -o "$tmp/x1.jsonl" -q
    check "extract --threads 2" 0 "$winnow" extract "$shared/extraction" --format jsonl --comments --threads 2 -o "$tmp/x2.jsonl" -q
    expect "extract writes the same for any --threads" cmp -s "$tmp/x1.jsonl" "$tmp/x2.jsonl"
    expect "extract read every page" test "$(wc -l <"$tmp/x1.jsonl")" -ge 200
  fi
  check "broken archives are reported, not fatal" 0 "$winnow" extract "$shared/warc/warcio-testdata/example-trunc.warc" "$shared/warc/warcio-testdata/bad.arc"
  expect "damage named with its offset" grep -q "example-trunc.warc@" "$tmp/stderr"
fi

# -q prints nothing on success, whatever the command (errors still go to stderr).
# url_filter runs before extraction on WARC input (no page it drops is parsed); extract may
# follow url_filter stages only.
if [[ -n $shared && -f $shared/warc/commoncrawl-whirlwind/whirlwind.warc.gz ]]; then
  printf 'stages:\n  - url_filter: {domains: [wikipedia.org]}\n  - length\n' >"$tmp/url.yaml"
  check "url_filter on WARC" 0 "$winnow" clean "$shared/warc/commoncrawl-whirlwind/whirlwind.warc.gz" \
    -o "$tmp/url" --config "$tmp/url.yaml" -q
  expect "url_filter drops by the record's URL, before extract" /usr/bin/python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
names = [x["name"] for x in s["stages"]]
assert names.index("url_filter") < names.index("extract") < names.index("length"), names
assert s["removed_by_reason"]["url_filter:domain"]["documents"] >= 1, s["removed_by_reason"]
' "$tmp/url/stats.json"
  printf 'stages:\n  - length\n  - extract\n' >"$tmp/late.yaml"
  check "extract after another stage is refused" 2 "$winnow" clean \
    "$shared/warc/commoncrawl-whirlwind/whirlwind.warc.gz" -o "$tmp/late" --config "$tmp/late.yaml" -q
fi

# The shipped recipes load and run (configs/: FineWeb's and C4's orders).
configs=$(cd "$(dirname "$0")/../../configs" && pwd)
for recipe in fineweb c4 datatrove_defaults; do
  check "configs/$recipe.yaml runs" 0 "$winnow" clean "$tmp/head.jsonl" -o "$tmp/recipe-$recipe" \
    --config "$configs/$recipe.yaml" -q
done

quiet() {  # quiet NAME COMMAND...
  check "$1 -q" 0 "${@:2}"
  expect "$1 -q prints nothing" test ! -s "$tmp/stdout" -a ! -s "$tmp/stderr"
}
quiet "clean" "$winnow" clean "$tmp/head.jsonl" -o "$tmp/q1" -q
quiet "dedup" "$winnow" dedup "$tmp/head.jsonl" -o "$tmp/q2" --mode exact -q
printf 'inputs: [%s]\noutput: %s\n' "$tmp/head.jsonl" "$tmp/q3" >"$tmp/q.yaml"
quiet "run" "$winnow" run "$tmp/q.yaml" -q
quiet "annotate" "$winnow" annotate "$tmp/head.jsonl" -o "$tmp/qa.jsonl" -q
quiet "gen" "$winnow" gen --docs 50 --seed 2 -o "$tmp/qg.jsonl" -q
quiet "extract" "$winnow" extract "$tmp/page.html" -o "$tmp/qx.txt" -q
quiet "report" "$winnow" report "$tmp/q1" -q
check "a failing command under -q still says why" 2 "$winnow" clean "$tmp/nope.jsonl" -o "$tmp/q4" -q
expect "the error is on stderr" grep -q "nope.jsonl" "$tmp/stderr"

if [[ $failures -gt 0 ]]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "all passed"
