#!/usr/bin/env bash
# MPI ranks (issue 9): the pipeline with filters and every global dedup stage (exact, minhash,
# repeated_lines, sentence_dedup) under `mpirun -np 1, 2 and 3` must write the same bytes as one process, with
# the same accounting; a run with more ranks than shards too. Then one rank is SIGKILLed in
# the middle of runs: the job must fail with a clear message, and --resume (same rank count)
# must finish with identical output. Resuming with another rank count is refused.
#
#   mpi_test.sh WINNOW [SEED]
set -uo pipefail
winnow=${1:?usage: mpi_test.sh WINNOW [SEED]}
seed=${2:-$$}
command -v mpirun >/dev/null || { echo "SKIP: mpirun not found (apt-get install openmpi-bin)"; exit 0; }
tmp=$(mktemp -d)
[[ -n ${KEEP:-} ]] || trap 'rm -rf "$tmp"' EXIT
RANDOM=$seed
echo "seed $seed"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# One machine, 2 cores: more ranks than cores need --oversubscribe; no network probing.
export OMPI_MCA_btl=self,vader OMPI_MCA_rmaps_base_oversubscribe=1
# Ranks waiting in a collective yield the core instead of spinning (other tests share it).
export OMPI_MCA_mpi_yield_when_idle=1
mpi() { mpirun -np "$1" --oversubscribe "${@:2}"; }

"$winnow" gen --docs 12000 --seed 11 -o "$tmp/corpus.jsonl" -q || exit 1
mkdir "$tmp/in" "$tmp/small"
split -n l/12 -d -a 2 --additional-suffix=.jsonl "$tmp/corpus.jsonl" "$tmp/in/part-"
# Exact copies across shards, so that exact dedup has work whose first copy is on another rank.
head -n 300 "$tmp/in/part-01.jsonl" >"$tmp/in/part-12.jsonl"
head -n 500 "$tmp/corpus.jsonl" >"$tmp/small/a.jsonl"
head -n 200 "$tmp/corpus.jsonl" >"$tmp/small/b.jsonl"
rm "$tmp/corpus.jsonl"
cat >"$tmp/clean.yaml" <<'EOF'
stages:
  - anatomy
  - language
  - gopher_repetition
  - gopher_quality
  - c4_quality: {filter_no_terminal_punct: false}
  - fineweb_quality
  - pii
  - exact
  - minhash
  - repeated_lines
  - sentence_dedup
EOF

failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
section() {  # the top-level key $2 of $1/stats.json, one line or a whole block
  awk -v key="  \"$2\":" 'index($0, key) == 1 { p = 1; print; if ($0 !~ /[{[]$/) exit; next }
                          p { print; if ($0 ~ /^  [}\]]/) exit }' "$1/stats.json"
}
compare() {  # compare REFERENCE OUT WHAT
  diff -r -q -x stats.json -x report.html -x '.winnow-checkpoint*' "$1" "$2" >"$tmp/diff" ||
    { fail "$3: outputs differ from one process"; head -5 "$tmp/diff"; }
  local s
  for s in input kept removed rejected removed_by_reason rejected_by_kind counters report accounting; do
    [[ -n "$(section "$1" "$s")" ]] || fail "stats.json has no $s"
    # Ranks also count the bytes they exchanged (exchange.*), which one process does not.
    [[ "$(section "$1" "$s" | grep -v '"exchange\.')" == "$(section "$2" "$s" | grep -v '"exchange\.')" ]] ||
      fail "$3: stats.json $s differs"
  done
}

run1() { "$winnow" clean "$1" --config "$tmp/clean.yaml" -o "$2" --threads 2 -q >/dev/null; }
runN() {  # runN RANKS IN OUT [args]
  mpi "$1" "$winnow" clean "$2" --config "$tmp/clean.yaml" -o "$3" --threads 1 "${@:4}"
}

t0=$(date +%s%N)
run1 "$tmp/in" "$tmp/reference" || { echo "FAIL the single-process run"; exit 1; }
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "one process: ${ms} ms"
for reason in exact:duplicate minhash:duplicate; do
  grep -q "\"$reason" "$tmp/reference/stats.json" || fail "the corpus gives no $reason removal"
done
grep -Eq '"repeated_lines.removed_units": [1-9]' "$tmp/reference/stats.json" || fail "no repeated line removed"
for n in 1 2 3; do
  t0=$(date +%s%N)
  runN "$n" "$tmp/in" "$tmp/np$n" >"$tmp/np$n.log" 2>&1 || { fail "mpirun -np $n exited $?"; cat "$tmp/np$n.log"; continue; }
  np_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  echo "mpirun -np $n: ${np_ms} ms"
  (( n == 2 )) && ms2=$np_ms
  compare "$tmp/reference" "$tmp/np$n" "mpirun -np $n"
  grep -q "\"ranks\": $n" "$tmp/np$n/stats.json" || fail "stats.json of -np $n does not say $n ranks"
  (( n == 1 )) || grep -Eq '"exchange.minhash.bytes_sent": [1-9]' "$tmp/np$n/stats.json" ||
    fail "-np $n: stats.json does not count the bytes minhash exchanged"
done
grep -q 'ranks x 1 threads' "$tmp/np3.log" || fail "the summary of -np 3 does not name the ranks"
(( $(grep -c '^winnow clean' "$tmp/np3.log") == 1 )) || fail "-np 3 printed more than one summary"

# MinHash verified against a threshold (`winnow dedup --threshold`): candidates are checked
# at their documents' owners with signatures asked of other ranks.
"$winnow" dedup "$tmp/in" -o "$tmp/dedup-one" --threshold 0.75 --threads 2 -q >/dev/null ||
  fail "dedup --threshold, one process"
mpi 3 "$winnow" dedup "$tmp/in" -o "$tmp/dedup-np3" --threshold 0.75 --threads 1 -q >/dev/null 2>&1 ||
  fail "dedup --threshold under mpirun -np 3"
grep -Eq '"minhash.rejected_pairs": [1-9]' "$tmp/dedup-one/stats.json" || fail "dedup: verification rejected nothing"
compare "$tmp/dedup-one" "$tmp/dedup-np3" "dedup --threshold 0.75 over 3 ranks"

# More ranks than shards: a rank with nothing to read still takes part.
run1 "$tmp/small" "$tmp/small-reference" || fail "single process, small input"
runN 3 "$tmp/small" "$tmp/small-np3" -q >/dev/null 2>&1 || fail "mpirun -np 3 over 2 shards"
compare "$tmp/small-reference" "$tmp/small-np3" "3 ranks over 2 shards"

# An ordered stage cannot run over ranks: refused on every rank alike, exit 2, said once.
printf 'stages:\n  - bloom\n' >"$tmp/bloom.yaml"
mpi 2 "$winnow" clean "$tmp/small" --config "$tmp/bloom.yaml" -o "$tmp/bloom" -q >/dev/null 2>"$tmp/bloom.err"
rc=$?
(( rc == 2 )) || fail "bloom over 2 ranks: exit $rc, want 2"
(( $(grep -c 'cannot run over several ranks' "$tmp/bloom.err") == 1 )) || { fail "bloom over 2 ranks: message"; cat "$tmp/bloom.err"; }

# Kill one rank mid-run, resume, repeat; the finished run equals one process's. Kills wait
# for events, not times (the machine may be busy): odd attempts for a checkpoint saved by
# this attempt (a shard done, or a pass), even ones for the last pass's first kept part;
# then 0-150 ms more. A round whose run finishes before 2 kills landed starts afresh.
running() { local s; s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1; s=${s##*) }; [[ ${s:0:1} != Z ]]; }
out=$tmp/killed
kills=0
rm -rf "$out"
for attempt in $(seq 16); do
  touch "$tmp/attempt-start"
  sleep 0.01
  runN 2 "$tmp/in" "$out" --resume >"$tmp/attempt.log" 2>&1 &
  launcher=$!
  if (( kills < 4 )); then
    while running "$launcher"; do
      if (( attempt % 2 == 1 )); then
        [[ -n "$(find "$out" -maxdepth 1 -name '.winnow-checkpoint.rank-*' -newer "$tmp/attempt-start" 2>/dev/null)" ]] && break
      else
        [[ -n "$(find "$out/kept" -newer "$tmp/attempt-start" -name 'part-*' 2>/dev/null)" ]] && break
      fi
      sleep 0.01
    done
    delay_ms=$(( RANDOM % 150 ))
    sleep "0.$(printf '%03d' "$delay_ms")"
    victim=$(pgrep -f -- "-o $out --threads 1" | while read -r p; do
      [[ $(cat /proc/$p/comm 2>/dev/null) == winnow ]] && echo "$p"; done | shuf -n 1 --random-source=<(yes $RANDOM))
    if [[ -n $victim ]] && running "$launcher" && kill -9 "$victim" 2>/dev/null; then
      wait "$launcher"
      rc=$?
      kills=$((kills + 1))
      where=$(grep -ao 'resuming .* at pass [0-9]*/[0-9]*' "$tmp/attempt.log" | grep -o 'at pass.*' | head -1)
      echo "attempt $attempt: killed rank pid $victim $( ((attempt % 2)) && echo "after a checkpoint" || echo "in the last pass") (mpirun exit $rc; ${where:-started afresh})"
      (( rc != 0 )) || fail "mpirun exited 0 after a rank was killed"
      (( kills == 1 )) && sed 's/^/    | /' "$tmp/attempt.log" | grep -v '^    | *$' | head -12
      grep -q 'exited on signal 9' "$tmp/attempt.log" ||
        { fail "no message naming the killed rank"; sed 's/^/  /' "$tmp/attempt.log" | head -20; }
      continue
    fi
  fi
  wait "$launcher"
  rc=$?
  (( rc == 0 )) || { fail "attempt $attempt exited $rc"; sed 's/^/  /' "$tmp/attempt.log" | head -20; break; }
  echo "attempt $attempt: finished ($(grep -ao 'resuming .* at pass [0-9]*/[0-9]*' "$tmp/attempt.log" | grep -o 'at pass.*' | head -1))"
  compare "$tmp/reference" "$out" "killed and resumed"
  (( kills >= 2 )) && break
  echo "  (fewer than 2 kills landed: another round, from scratch)"
  rm -rf "$out"
done
(( kills >= 2 )) || fail "only $kills kills landed"
[[ -f $out/stats.json ]] || fail "the killed run never finished"

# Resuming with another rank count is refused (the shards' assignment depends on it).
rm -f "$out/stats.json"
runN 3 "$tmp/in" "$out" --resume >"$tmp/other.log" 2>&1
rc=$?
(( rc == 2 )) && grep -q 'resume it with 2' "$tmp/other.log" || { fail "resume with 3 ranks of a 2-rank run: exit $rc"; cat "$tmp/other.log"; }

if (( failures > 0 )); then echo "$failures failure(s) (seed $seed)"; exit 1; fi
echo "PASS: -np 1/2/3 byte-identical to one process; $kills rank kills resumed to identical output"
