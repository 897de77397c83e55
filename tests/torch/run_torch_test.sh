#!/usr/bin/env bash
# ctest driver for the torch suite: finds a Python that imports torch and
# torchvision (Debian's python3-torch lives under /usr/bin/python3, which a
# pyenv or virtualenv python3 earlier on PATH may hide), then runs
# check_torch.py against the memwall binary. Exit 77 (skip) without torch.
set -u
memwall="$1"
here="$(cd "$(dirname "$0")" && pwd)"
for py in ${MEMWALL_TORCH_PYTHON:-} python3 /usr/bin/python3; do
  if command -v "$py" >/dev/null 2>&1 &&
     "$py" -c 'import torch, torchvision' >/dev/null 2>&1; then
    # Two threads: the suite must finish in minutes on a 2-core machine.
    export OMP_NUM_THREADS=2
    exec "$py" "$here/check_torch.py" "$memwall"
  fi
done
echo "SKIP: no python3 with torch and torchvision (scripts/setup installs python3-torch, python3-torchvision)"
exit 77
