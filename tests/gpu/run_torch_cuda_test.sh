#!/usr/bin/env bash
# gpu suite: tests/gpu/torch_cuda_memory.py with a python3 that imports torch
# (see tests/torch/run_torch_test.sh); the script itself skips (77) without a
# CUDA device.
set -u
memwall="$1"
here="$(cd "$(dirname "$0")" && pwd)"
for py in ${MEMWALL_TORCH_PYTHON:-} python3 /usr/bin/python3; do
  if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import torch' >/dev/null 2>&1; then
    exec "$py" "$here/torch_cuda_memory.py" "$memwall"
  fi
done
echo "SKIP: no python3 with torch (scripts/setup installs python3-torch)"
exit 77
