#!/usr/bin/env bash
# Prints a directory whose node_modules hold DuckDB's Node.js package (@duckdb/node-api), a test
# oracle for Parquet, installing it there once (npm, offline-capable mirrors). Exits 1 with the
# reason on standard output when node or npm is absent or the install fails: the caller skips.
set -uo pipefail
dir=${WINNOW_DUCKDB_NODE:-${XDG_CACHE_HOME:-$HOME/.cache}/winnow-test-duckdb}
command -v node >/dev/null || { echo "node not found (apt-get install nodejs npm)"; exit 1; }
if [[ ! -d $dir/node_modules/@duckdb/node-api ]]; then
  command -v npm >/dev/null || { echo "npm not found"; exit 1; }
  mkdir -p "$dir"
  # A lock: parallel tests install once.
  exec 9>"$dir/.lock"
  flock 9
  if [[ ! -d $dir/node_modules/@duckdb/node-api ]]; then
    npm install --prefix "$dir" --no-audit --no-fund @duckdb/node-api >"$dir/npm.log" 2>&1 ||
      { echo "npm install @duckdb/node-api failed: $(tail -1 "$dir/npm.log")"; exit 1; }
  fi
fi
echo "$dir"
