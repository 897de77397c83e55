#!/usr/bin/env bash
# ctest label `browser`: renders every example HTML page in headless Chromium
# (scripts/render-pages) and fails on console errors, outside resources, and
# blank or clipped renders. Skips (77, with the reason) without Chromium or a
# Python that has the imaging library (Debian's python3 with python3-pil).
# Usage: browser_test.sh MEMWALL_BINARY SOURCE_DIR OUT_DIR
set -uo pipefail
memwall=$1 source=$2 out=$3
python=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null 2>&1 &&
     "$candidate" -c "import PIL" >/dev/null 2>&1; then
    python=$candidate
    break
  fi
done
if [ -z "$python" ]; then
  echo "SKIP: no python3 with the imaging library (python3-pil; scripts/setup installs it)"
  exit 77
fi
exec "$python" "$source/scripts/render-pages" --memwall "$memwall" \
  --source "$source" --out "$out"
