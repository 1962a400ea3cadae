#!/usr/bin/env bash
# Fails when a module includes a header from a module above it. Layers, lowest first:
#   core <- {io, text, lang} <- {anatomy, extract, filter, dedup, gen} <- pipeline <- cli
#   core <- dist (MPI, the only includer of mpi.h) <- cli
set -euo pipefail
src=${1:?usage: layering_test.sh SRC_DIR}
declare -A allowed=(
  [core]="core"
  [io]="core io"
  [text]="core text"
  [lang]="core lang"
  [anatomy]="core text anatomy"
  [extract]="core text anatomy extract"
  [filter]="core text lang anatomy extract filter"
  [dedup]="core text dedup"
  [gen]="core io gen"
  [pipeline]="core io text lang anatomy extract filter dedup pipeline"
  [dist]="core dist"
  [cli]="core io text lang anatomy extract filter dedup gen pipeline dist cli"
)
status=0
for module in "${!allowed[@]}"; do
  [[ -d $src/$module ]] || continue
  while IFS= read -r hit; do
    file=${hit%%:*}
    dep=$(sed -E 's|.*#include "winnow/([a-z_]+)/.*|\1|' <<<"$hit")
    if [[ " ${allowed[$module]} " != *" $dep "* ]]; then
      echo "layering: $file includes winnow/$dep/ but $module may only use: ${allowed[$module]}"
      status=1
    fi
  done < <(grep -rn '#include "winnow/' "$src/$module" || true)
done
[[ $status -eq 0 ]] && echo "layering: ok"
exit $status
