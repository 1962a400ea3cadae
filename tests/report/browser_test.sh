#!/usr/bin/env bash
# report.html in a real browser: headless Chromium renders the report of a generated run;
# the rendered DOM must hold every section and the mark the page's script sets when it ran
# (so no script error stopped it), and the screenshot must be a real image.
# Skips (exit 0 with a message) only when Chromium is not installed.
set -uo pipefail
winnow=${1:?usage: browser_test.sh WINNOW}
chromium=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $chromium ]]; then
  echo "SKIP report browser test: chromium is not installed (scripts/setup installs it)"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$winnow" gen --docs 3000 --seed 4 -o "$tmp/c.jsonl.zst" -q || exit 1
"$winnow" clean "$tmp/c.jsonl.zst" -o "$tmp/out" -q >/dev/null || exit 1
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$tmp/profile")
timeout 120 "$chromium" "${flags[@]}" --dump-dom "file://$tmp/out/report.html" >"$tmp/dom.html" 2>"$tmp/err.txt"
timeout 120 "$chromium" "${flags[@]}" --window-size=1280,2400 --screenshot="$tmp/shot.png" \
  "file://$tmp/out/report.html" >/dev/null 2>>"$tmp/err.txt"
failures=0
check() { if "$@"; then echo "ok   ${desc}"; else echo "FAIL ${desc}"; failures=$((failures + 1)); fi; }
desc="the page's script ran to its end" check grep -q 'data-ready="1"' "$tmp/dom.html"
desc="all seven sections rendered" check grep -q 'data-sections="7"' "$tmp/dom.html"
for s in funnel signals examples dedup languages throughput config; do
  desc="section $s" check grep -q "<section id=\"$s\">" "$tmp/dom.html"
done
ms=$(grep -o 'data-render-ms="[0-9]*"' "$tmp/dom.html" | grep -o '[0-9]*' || echo 99999)
desc="rendered in under 2 seconds (${ms} ms)" check test "$ms" -lt 2000
desc="histograms are drawn" check test "$(grep -o '<svg' "$tmp/dom.html" | wc -l)" -ge 20
desc="no JavaScript error in the console" check bash -c "! grep -qiE 'Uncaught|SyntaxError|TypeError' '$tmp/err.txt'"
desc="a screenshot of the page" check test "$(stat -c %s "$tmp/shot.png" 2>/dev/null || echo 0)" -gt 50000
desc="report.html is small" check test "$(stat -c %s "$tmp/out/report.html")" -lt 5000000
if ((failures)); then
  echo "chromium stderr:"; head -20 "$tmp/err.txt"
  exit 1
fi
