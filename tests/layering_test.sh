#!/usr/bin/env bash
# Modules link only downward, as the table in docs/design.md ("Layering") says: it is read from
# there, the one place the layering is written. Fails when
#   - a folder of src/winnow/ has no row in the table, or a row has no folder;
#   - a module's source includes "winnow/<other>/..." for a module its row does not name;
#   - a module's CMakeLists.txt names winnow_<other> (DEPS, PRIVATE_DEPS, links) likewise.
#   layering_test.sh SRC_DIR DESIGN_MD
set -euo pipefail
src=${1:?usage: layering_test.sh SRC_DIR DESIGN_MD}
design=${2:?usage: layering_test.sh SRC_DIR DESIGN_MD}
declare -A allowed=()
while IFS='|' read -r _ module uses _; do
  module=$(xargs <<<"$module")
  [[ -n $module && $module != module && $module != ---* ]] || continue
  allowed[$module]="$module $(xargs <<<"$uses")"
done < <(sed -n '/<!-- layering/,/<!-- \/layering -->/p' "$design" | grep '^|')
((${#allowed[@]})) || { echo "layering: no table between <!-- layering --> markers in $design"; exit 1; }
status=0
for dir in "$src"/*/; do
  module=$(basename "$dir")
  if [[ -z ${allowed[$module]:-} ]]; then
    echo "layering: src/winnow/$module has no row in $design's layering table"
    status=1
  fi
done
for module in "${!allowed[@]}"; do
  if [[ ! -d $src/$module ]]; then
    echo "layering: $design names module $module, which src/winnow/ does not have"
    status=1
    continue
  fi
  while IFS= read -r hit; do
    file=${hit%%:*}
    dep=$(sed -E 's|.*#include "winnow/([a-z_]+)/.*|\1|' <<<"$hit")
    if [[ " ${allowed[$module]} " != *" $dep "* ]]; then
      echo "layering: $file includes winnow/$dep/ but $module may only use: ${allowed[$module]}"
      status=1
    fi
  done < <(grep -rn '#include "winnow/' "$src/$module" --include='*.h' --include='*.cc' || true)
  if [[ -f $src/$module/CMakeLists.txt ]]; then
    for dep in $(grep -oE '\bwinnow_[a-z]+\b' "$src/$module/CMakeLists.txt" | sed 's/^winnow_//' | sort -u); do
      case $dep in module|embed|warnings|"$module") continue ;; esac
      [[ -n ${allowed[$dep]:-} ]] || continue  # not a module (a CMake helper)
      if [[ " ${allowed[$module]} " != *" $dep "* ]]; then
        echo "layering: $src/$module/CMakeLists.txt links winnow_$dep but $module may only use: ${allowed[$module]}"
        status=1
      fi
    done
  fi
done
[[ $status -eq 0 ]] && echo "layering: ok (${#allowed[@]} modules)"
exit $status
