#!/usr/bin/env bash
# The kill test (issue 8): a `clean` run with repeated-line, exact and MinHash dedup (three
# passes) over a generated corpus in 12 shards is killed with SIGKILL at random moments, again
# and again, each time resumed with --resume (alternating 1 and 2 threads), until it finishes.
# Its outputs must equal an uninterrupted run's byte for byte, and its accounting (input,
# kept, removed by reason, rejected, counters, report) must be the same.
#
#   kill_test.sh WINNOW [SEED]
set -uo pipefail
winnow=${1:?usage: kill_test.sh WINNOW [SEED]}
seed=${2:-${KILL_TEST_SEED:-$$}}
tmp=$(mktemp -d)
[[ -n ${KEEP:-} ]] || trap 'rm -rf "$tmp"' EXIT
RANDOM=$seed
echo "seed $seed (rerun: kill_test.sh WINNOW $seed)"

"$winnow" gen --docs 24000 --seed 5 -o "$tmp/corpus.jsonl" -q || exit 1
mkdir "$tmp/in"
split -n l/12 -d -a 2 --additional-suffix=.jsonl "$tmp/corpus.jsonl" "$tmp/in/part-"
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
  - repeated_lines
  - exact
  - minhash
EOF
run() {  # run OUT THREADS [--resume]
  "$winnow" clean "$tmp/in" --config "$tmp/clean.yaml" -o "$1" --threads "$2" "${@:3}"
}

t0=$(date +%s%N)
run "$tmp/reference" 2 -q || { echo "FAIL the uninterrupted run"; exit 1; }
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
grep -q '"passes": 3' "$tmp/reference/stats.json" || { echo "FAIL expected 3 passes"; exit 1; }
echo "uninterrupted run: ${ms} ms"

running() {  # running PID: alive and not a zombie waiting to be reaped
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z ]]
}

failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
section() {  # the top-level key $2 of $1/stats.json, one line or a whole block
  awk -v key="  \"$2\":" 'index($0, key) == 1 { p = 1; print; if ($0 !~ /[{[]$/) exit; next }
                          p { print; if ($0 ~ /^  [}\]]/) exit }' "$1/stats.json"
}
compare() {  # compare OUT: outputs and accounting equal the reference's
  diff -r -q -x stats.json -x report.html -x .winnow-checkpoint "$tmp/reference" "$1" ||
    fail "outputs differ from the uninterrupted run"
  local s
  for s in input kept removed rejected removed_by_reason rejected_by_kind counters report accounting; do
    [[ -n "$(section "$tmp/reference" "$s")" ]] || fail "stats.json has no $s"
    [[ "$(section "$tmp/reference" "$s")" == "$(section "$1" "$s")" ]] || fail "stats.json $s differs"
  done
  grep -Eq '"attempts": ([2-9]|[1-9][0-9])' "$1/stats.json" || fail "stats.json does not count the attempts"
}

# Rounds of kill-and-resume until at least 5 kills have landed; each round ends with a
# finished run that must equal the reference.
kills=0
attempts=0
rounds=0
: >"$tmp/passes"
spanned() { (( $(sort -u "$tmp/passes" | wc -l) >= 2 )); }
# (Another round also when every kill so far landed in one pass: the timing comes from the
# uninterrupted run, which a busy machine may have slowed.)
while (( rounds < 10 )); do
  (( kills >= 5 )) && spanned && break
  rounds=$((rounds + 1))
  rm -rf "$tmp/out"
  round_kills=0
  while (( attempts < 100 )); do
    attempts=$((attempts + 1))
    threads=$(( 1 + attempts % 2 ))
    # Started directly (not through a function, whose subshell would take the signal).
    "$winnow" clean "$tmp/in" --config "$tmp/clean.yaml" -o "$tmp/out" --threads "$threads" \
      --resume >"$tmp/stdout" 2>"$tmp/stderr" &
    pid=$!
    # Each kill aims at a phase in turn: the first pass (reading and filtering), the second
    # (exact and MinHash keys), the last (writing the outputs). It waits until the run is in
    # that phase or past it, then a random while longer. After 6 kills in a round the run
    # may finish.
    # (By attempt, not by kill: a phase that a run finished too fast to hit is not retried
    # forever.)
    phase=$(( (attempts - 1) % 3 ))
    while running "$pid"; do
      case $phase in
        0) break ;;
        1) [[ -d $tmp/out/.winnow-work/pass-2 ]] && break ;;
        2) [[ -n "$(ls -A "$tmp/out/kept" 2>/dev/null)" ]] && break ;;
      esac
      sleep 0.01
    done
    case $phase in
      0) delay_ms=$(( ms * (5 + RANDOM % 20) / 100 )) ;;
      1) delay_ms=$(( ms * (RANDOM % 5) / 100 + 10 )) ;;
      2) delay_ms=$(( ms * (RANDOM % 2) / 100 + 10 )) ;;  # the last pass is short
    esac
    (( round_kills >= 6 )) && delay_ms=$(( ms * 100 ))
    waited=0
    while (( waited < delay_ms )) && running "$pid"; do
      sleep 0.01
      waited=$((waited + 10))
    done
    finished=0
    if running "$pid" && kill -9 "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null
      kills=$((kills + 1))
      round_kills=$((round_kills + 1))
    else
      wait "$pid"
      rc=$?
      if (( rc != 0 )); then
        echo "FAIL attempt $attempts exited $rc"; sed 's/^/  /' "$tmp/stderr" | head; exit 1
      fi
      finished=1
    fi
    # Where this attempt started: where the previous kill left the run.
    where=$(grep -a -o 'at pass [0-9]*/[0-9]* with [0-9]*/[0-9]* shards done' "$tmp/stderr" || true)
    echo "round $rounds attempt $attempts (threads $threads, $( (( finished )) && echo finished || echo "killed after ${waited} ms")): ${where:-started afresh}"
    [[ -n $where ]] && echo "$where" | cut -d' ' -f3 >>"$tmp/passes"
    (( finished )) && break
  done
  [[ -f $tmp/out/stats.json ]] || { fail "round $rounds never finished"; break; }
  (( round_kills > 0 )) && compare "$tmp/out"
done

(( kills >= 5 )) || fail "only $kills kills landed (want >= 5)"
echo "kills: $kills in $rounds round(s); resumed in passes: $(sort -u "$tmp/passes" | tr '\n' ' ')"
spanned || fail "kills did not span two passes"
if (( failures > 0 )); then echo "$failures failure(s) (seed $seed)"; exit 1; fi
echo "PASS: $kills kills, outputs and accounting identical to the uninterrupted run"
