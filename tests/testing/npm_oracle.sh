#!/usr/bin/env bash
# Prints a directory whose node_modules hold the npm PACKAGE (a test oracle: never a runtime
# dependency), installing it there once. Exits 1 with the reason on standard output when node
# or npm is absent or the install fails: the caller skips.
#   npm_oracle.sh PACKAGE
set -uo pipefail
package=${1:?usage: npm_oracle.sh PACKAGE}
dir=${WINNOW_NPM_ORACLES:-${XDG_CACHE_HOME:-$HOME/.cache}/winnow-test-npm}/${package//\//_}
command -v node >/dev/null || { echo "node not found (apt-get install nodejs npm)"; exit 1; }
if [[ ! -d $dir/node_modules/$package ]]; then
  command -v npm >/dev/null || { echo "npm not found"; exit 1; }
  mkdir -p "$dir"
  exec 9>"$dir/.lock"  # parallel tests install once
  flock 9
  if [[ ! -d $dir/node_modules/$package ]]; then
    npm install --prefix "$dir" --no-audit --no-fund "$package" >"$dir/npm.log" 2>&1 ||
      { echo "npm install $package failed: $(tail -1 "$dir/npm.log")"; exit 1; }
  fi
fi
echo "$dir"
