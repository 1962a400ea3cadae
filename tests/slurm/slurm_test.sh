#!/usr/bin/env bash
# The Slurm test (issue 9): starts a one-node Slurm cluster on this machine (slurm1.sh), runs
# `srun -n 2 winnow run` and an sbatch job (docs/slurm.md's job script) on a generated corpus,
# and compares both outputs with a single process's, byte for byte. Needs root (it installs
# and starts munge and Slurm). Stops the cluster at the end.
#
#   slurm_test.sh WINNOW
set -uo pipefail
winnow=$(realpath "${1:?usage: slurm_test.sh WINNOW}")
here=$(cd "$(dirname "$0")" && pwd)
[[ $(id -u) -eq 0 ]] || { echo "SKIP: the Slurm test needs root (it starts munge and Slurm)"; exit 0; }
tmp=$(mktemp -d)
trap '"$here/slurm1.sh" down >/dev/null 2>&1; rm -rf "$tmp"' EXIT
"$here/slurm1.sh" up || exit 1
export SLURM_CONF=${SLURM1_ROOT:-/tmp/slurm1}/slurm.conf

"$winnow" gen --docs 6000 --seed 21 -o "$tmp/corpus.jsonl" -q || exit 1
mkdir "$tmp/in"
split -n l/6 -d -a 2 --additional-suffix=.jsonl "$tmp/corpus.jsonl" "$tmp/in/part-"
rm "$tmp/corpus.jsonl"
cat >"$tmp/pipeline.yaml" <<EOF
inputs: [$tmp/in]
stages:
  - gopher_repetition
  - gopher_quality
  - exact
  - minhash
  - repeated_lines
EOF
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
same() {  # same OUT WHAT
  diff -r -q -x stats.json -x report.html -x '.winnow-checkpoint*' "$tmp/one" "$1" ||
    fail "$2: outputs differ from one process"
  for key in '"input_records"' '"kept"' '"removed"' '"rejected"'; do
    [[ "$(grep -m1 "$key" "$tmp/one/stats.json")" == "$(grep -m1 "$key" "$1/stats.json")" ]] ||
      fail "$2: stats.json $key differs"
  done
}

"$winnow" run "$tmp/pipeline.yaml" -o "$tmp/one" --threads 2 -q >/dev/null || { echo "FAIL one process"; exit 1; }

# srun: two tasks, one rank each, PMIx (MpiDefault=pmix in slurm1.sh).
t0=$(date +%s%N)
srun -n 2 "$winnow" run "$tmp/pipeline.yaml" -o "$tmp/srun" --threads 1 >"$tmp/srun.log" 2>&1 ||
  { fail "srun -n 2 exited $?"; cat "$tmp/srun.log"; }
echo "srun -n 2: $(( ($(date +%s%N) - t0) / 1000000 )) ms"
grep -q '2 ranks x 1 threads' "$tmp/srun.log" || fail "srun: the summary does not name 2 ranks"
same "$tmp/srun" "srun -n 2"

# sbatch: the job script of docs/slurm.md, with its placeholders filled in.
sed -e "s|^WINNOW=.*|WINNOW=$winnow|" -e "s|^PIPELINE=.*|PIPELINE=$tmp/pipeline.yaml|" \
    -e "s|^OUT=.*|OUT=$tmp/sbatch|" -e 's|^#SBATCH --ntasks-per-node=.*|#SBATCH --ntasks-per-node=2|' \
    -e 's|^#SBATCH --nodes=.*|#SBATCH --nodes=1|' -e 's|^#SBATCH --cpus-per-task=.*|#SBATCH --cpus-per-task=1|' \
    -e 's|^#SBATCH --time=.*|#SBATCH --time=00:10:00|' -e '/^#SBATCH --mem-per-cpu/d' \
    "$here/../../docs/slurm-job.sh" >"$tmp/job.sh"
id=$(sbatch --parsable --chdir="$tmp" --output="$tmp/job.out" "$tmp/job.sh") || { fail "sbatch"; exit 1; }
for _ in $(seq 600); do [[ -z "$(squeue -h -j "$id" 2>/dev/null)" ]] && break; sleep 0.2; done
[[ -z "$(squeue -h -j "$id" 2>/dev/null)" ]] || fail "sbatch job $id still queued or running after 120 s"
[[ -f $tmp/sbatch/stats.json ]] || { fail "the sbatch job wrote no stats.json"; sed 's/^/  /' "$tmp/job.out"; }
[[ -f $tmp/sbatch/stats.json ]] && same "$tmp/sbatch" "sbatch job"

if (( failures > 0 )); then exit 1; fi
echo "PASS: srun -n 2 and an sbatch job write what one process writes"
