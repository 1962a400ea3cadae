#!/usr/bin/env bash
# Writes DIR/NAME.tiktoken for each encoding NAME from the npm tiktoken package's encoder data
# ("! 0 <base64> <base64> ...": ranks from 0), as OpenAI publishes the files. Prints nothing;
# exits 1 with the reason when node/npm or the package is missing (the caller skips).
#   tiktoken_ranks.sh DIR NAME...
set -uo pipefail
dir=${1:?usage: tiktoken_ranks.sh DIR NAME...}
shift
here=$(cd "$(dirname "$0")" && pwd)
node_dir=$("$here/npm_oracle.sh" tiktoken) || { echo "$node_dir"; exit 1; }
NODE_PATH=$node_dir/node_modules node -e '
const fs = require("fs");
const [dir, ...names] = process.argv.slice(1);
for (const name of names) {
  const t = require("tiktoken/encoders/" + name + ".json").bpe_ranks.split(" ");
  if (t[0] !== "!" || t[1] !== "0") throw new Error(name + ": unexpected rank data");
  const lines = [];
  for (let i = 2; i < t.length; i++) lines.push(t[i] + " " + (i - 2) + "\n");
  fs.writeFileSync(dir + "/" + name + ".tiktoken", lines.join(""));
}' "$dir" "$@" || { echo "cannot write the rank files from the npm tiktoken package"; exit 1; }
