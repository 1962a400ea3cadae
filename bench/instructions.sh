#!/usr/bin/env bash
# Instructions per warm pass of a benchmark, from callgrind (deterministic, unlike wall time
# on a shared VM): runs BENCH's "<NAME>/1" and "<NAME>/3" fixed-iteration variants and prints
# (I3 - I1) / 2, plus per-function differences.
#   bench/instructions.sh build-prof/bench/filter_bench BM_RealChainFixed [top]
set -euo pipefail
bin=$1 name=$2 top=${3:-0}
tmp=$(mktemp -d)
for n in 1 3; do
  valgrind --tool=callgrind --callgrind-out-file="$tmp/$n.out" "$bin" "--benchmark_filter=$name/$n/" \
    >/dev/null 2>&1
done
python3 - "$tmp" "$top" <<'PY'
import re, subprocess, sys
def load(f):
    out = subprocess.run(['callgrind_annotate', '--auto=no', f], capture_output=True, text=True).stdout
    d = {}
    for line in out.splitlines():
        m = re.match(r'\s*([\d,]+) \([ \d.]+%\)\s+(.*)', line)
        if m: d[m.group(2)[:110]] = int(m.group(1).replace(',', ''))
    return d
a, b = load(sys.argv[1] + '/1.out'), load(sys.argv[1] + '/3.out')
total = (b['PROGRAM TOTALS'] - a['PROGRAM TOTALS']) / 2
print(f'{total/1e6:.1f} M instructions per warm pass')
diff = sorted(((b.get(k, 0) - a.get(k, 0)) / 2, k) for k in set(a) | set(b) if 'TOTALS' not in k and 'annotated' not in k)
for v, k in reversed(diff[-int(sys.argv[2]):] if int(sys.argv[2]) else []):
    print(f'{v/1e6:10.1f}M  {k}')
PY
rm -rf "$tmp"
