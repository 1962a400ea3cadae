#!/usr/bin/env bash
# `pip install --no-build-isolation .` into a fresh venv (Debian's python3 with its system
# site packages: numpy, setuptools), offline, then `import winnow` there and one call.
#   pip_install_test.sh REPO BUILD_DIR
set -euo pipefail
repo=${1:?usage: pip_install_test.sh REPO BUILD_DIR}
build=${2:?usage: pip_install_test.sh REPO BUILD_DIR}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 -m venv --system-site-packages "$work/venv"
# A copy of the sources (pip builds in place: the repository stays clean); the build tree
# is the project's own, so nothing is compiled twice.
cp -r "$repo/python" "$repo/setup.py" "$repo/pyproject.toml" "$repo/README.md" "$work/"
WINNOW_BUILD_DIR="$build" PIP_NO_INDEX=1 "$work/venv/bin/pip" install -q \
  --no-build-isolation --no-index "$work" || { echo "pip install failed"; exit 1; }
cd "$work"
out=$("$work/venv/bin/python" -c "
import winnow, sys
assert winnow.__file__.startswith(sys.prefix), winnow.__file__
print(winnow.words('It works, doesn\'t it?'))
")
echo "$out"
[[ $out == "['It', 'works', ',', 'does', \"n't\", 'it', '?']" ]] || { echo "unexpected: $out"; exit 1; }
echo "pip install into a fresh venv: ok"
