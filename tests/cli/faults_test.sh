#!/usr/bin/env bash
# Faults (issue 8): an output directory that cannot be written, a full disk (a file size limit),
# an input file that vanishes mid-run, two runs on one output directory. Each gives a clear
# one-line error and exit 1, leaves nothing half-written that looks complete, and the run
# resumes afterwards to exactly the output of an undisturbed run. (A stage that throws is
# tests/pipeline/resume_test.cc.)
#
#   faults_test.sh WINNOW
set -uo pipefail
winnow=${1:?usage: faults_test.sh WINNOW}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
ok() { echo "ok   $*"; }

"$winnow" gen --docs 12000 --seed 9 -o "$tmp/corpus.jsonl" -q || exit 1
mkdir "$tmp/in"
split -n l/12 -d -a 2 --additional-suffix=.jsonl "$tmp/corpus.jsonl" "$tmp/in/part-"
rm "$tmp/corpus.jsonl"
"$winnow" clean "$tmp/in" -o "$tmp/reference" -q >/dev/null || { echo "FAIL the undisturbed run"; exit 1; }

# expect_failure NAME OUT_PATTERN: the last command's exit code (in $rc) is 1 and its stderr
# is one line matching the pattern.
expect_failure() {
  local name=$1 pattern=$2
  if [[ $rc -ne 1 ]]; then fail "$name: exit $rc, want 1"; sed 's/^/  /' "$tmp/stderr" | head -3; return; fi
  if [[ $(wc -l <"$tmp/stderr") -ne 1 ]]; then fail "$name: stderr is not one line"; sed 's/^/  /' "$tmp/stderr" | head -5; return; fi
  if ! grep -q "$pattern" "$tmp/stderr"; then fail "$name: stderr lacks '$pattern': $(cat "$tmp/stderr")"; return; fi
  ok "$name: $(cat "$tmp/stderr")"
}
# nothing_looks_complete OUT: no stats.json, no temporary files, every part decodes.
nothing_looks_complete() {
  local out=$1 name=$2
  [[ -e $out/stats.json ]] && fail "$name: stats.json written by a failed run"
  [[ -n "$(find "$out" -name '*.tmp' 2>/dev/null)" ]] && fail "$name: temporary files left: $(find "$out" -name '*.tmp')"
  local part
  for part in "$out"/kept/* "$out"/removed/* "$out"/rejected/*; do
    [[ -e $part ]] || continue
    zstd -q -t "$part" 2>/dev/null || fail "$name: $part is committed but does not decode"
  done
}
# resumes_to_reference OUT NAME
resumes_to_reference() {
  local out=$1 name=$2
  "$winnow" clean "$tmp/in" -o "$out" --resume -q >/dev/null 2>"$tmp/stderr"
  rc=$?
  if [[ $rc -ne 0 ]]; then fail "$name: resume exit $rc: $(cat "$tmp/stderr")"; return; fi
  if diff -r -q -x stats.json -x report.html -x .winnow-checkpoint "$tmp/reference" "$out" >/dev/null; then
    ok "$name: resumed to the undisturbed output"
  else
    fail "$name: resumed output differs"
  fi
}

# 1. An output directory that cannot be created or written.
"$winnow" clean "$tmp/in" -o /dev/null/out -q 2>"$tmp/stderr"
rc=$?
expect_failure "output under a file" "cannot create output directory"
if [[ $(id -u) -ne 0 ]]; then  # root writes anywhere: permissions cannot be tested as root
  mkdir "$tmp/readonly" && chmod 555 "$tmp/readonly"
  "$winnow" clean "$tmp/in" -o "$tmp/readonly/out" -q 2>"$tmp/stderr"
  rc=$?
  expect_failure "read-only parent" "cannot create"
fi

# 2. A full disk, as a file size limit: writes fail with EFBIG (SIGXFSZ ignored, as a
# process limit would be set by a batch system).
(ulimit -f 400; trap '' XFSZ; exec "$winnow" clean "$tmp/in" -o "$tmp/full" -q) 2>"$tmp/stderr"
rc=$?
expect_failure "disk full" "File too large"
nothing_looks_complete "$tmp/full" "disk full"
resumes_to_reference "$tmp/full" "disk full"

# 3. An input file vanishing mid-run: moved away once the run has finished its first shard,
# moved back (same bytes, same modification time) before resuming.
"$winnow" clean "$tmp/in" -o "$tmp/vanish" -q >/dev/null 2>"$tmp/stderr" &
pid=$!
for _ in $(seq 1 1000); do
  [[ -e $tmp/vanish/.winnow-checkpoint ]] && break
  sleep 0.005
done
mv "$tmp/in/part-11.jsonl" "$tmp/part-11.jsonl"
wait "$pid"
rc=$?
mv "$tmp/part-11.jsonl" "$tmp/in/part-11.jsonl"
expect_failure "input vanished" "cannot read input"
nothing_looks_complete "$tmp/vanish" "input vanished"
resumes_to_reference "$tmp/vanish" "input vanished"

# 4. Two runs on one output directory: the second is refused while the first runs.
"$winnow" clean "$tmp/in" -o "$tmp/busy" -q >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 1000); do
  [[ -d $tmp/busy/kept ]] && break
  sleep 0.005
done
"$winnow" clean "$tmp/in" -o "$tmp/busy" --resume -q 2>"$tmp/stderr"
rc=$?
wait "$pid" || fail "the first run on busy/ failed"
if [[ $rc -eq 2 ]] && grep -q "another winnow run is writing" "$tmp/stderr"; then
  ok "a second run on a busy directory is refused: $(cat "$tmp/stderr")"
else
  fail "a second run on a busy directory: exit $rc: $(cat "$tmp/stderr")"
fi

if (( failures > 0 )); then echo "$failures failure(s)"; exit 1; fi
echo "PASS"
