#!/usr/bin/env bash
# Fails naming every tracked .cc/.h file that clang-format would change. Skips (77) outside
# a git checkout or without clang-format.
set -uo pipefail
cd "$1" || exit 1
command -v clang-format >/dev/null || { echo "SKIP: clang-format not installed"; exit 77; }
files=$(git ls-files '*.cc' '*.h' 2>/dev/null) || { echo "SKIP: not a git checkout"; exit 77; }
bad=0
for f in $files; do
  if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "not clang-format clean: $f"
    bad=$((bad + 1))
  fi
done
echo "$bad file(s) not clean of $(echo "$files" | wc -w)"
[ "$bad" -eq 0 ]
