#!/usr/bin/env bash
# The tree is formatted as .clang-format says (Google style, 100 columns): `make format` fixes
# it. Skips (exit 0, with a message) without clang-format.
#   format_test.sh SOURCE_DIR
set -uo pipefail
top=${1:?usage: format_test.sh SOURCE_DIR}
cd "$top" || exit 1
command -v clang-format >/dev/null || { echo "SKIP: clang-format not found"; exit 0; }
files=$(find src tests bench fuzz python -name '*.h' -o -name '*.cc' | sort)
bad=()
for f in $files; do
  clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if ((${#bad[@]})); then
  echo "format: ${#bad[@]} file(s) differ from .clang-format (run make format): ${bad[*]:0:10}"
  exit 1
fi
echo "format: $(wc -w <<<"$files") files formatted"
