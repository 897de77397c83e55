#!/usr/bin/env bash
# The NCCL backend on real GPUs: one rank per GPU, every collective and dtype checked with
# exact integer data (#wrong must be 0), in place and out of place, over sizes not divisible
# by the rank count. Skips (exit 77) with memwall-run's own "no usable GPU: <reason>" when
# the machine has none.
# usage: gpu_nccl_test.sh MEMWALL_RUN_BINARY
set -u
binary=$1
out=$(mktemp)
trap 'rm -f "$out"' EXIT
probe() {
  mpirun --oversubscribe -np 1 "$binary" sweep --backend=nccl --op=all_reduce \
    --min_bytes=8 --max_bytes=8 --iters=1 --timeout_s=120 >"$out" 2>&1
}
probe
rc=$?
if [ $rc -ne 0 ]; then
  if grep -q "no usable GPU" "$out"; then
    echo "SKIP: $(grep -o 'no usable GPU.*' "$out" | head -1)"; exit 77
  fi
  echo "FAIL: NCCL probe exited $rc"; cat "$out"; exit 1
fi
gpus=1
if command -v nvidia-smi >/dev/null; then
  gpus=$(nvidia-smi -L 2>/dev/null | grep -c '^GPU') || gpus=1
  [ "$gpus" -ge 1 ] || gpus=1
fi
failures=0
for dtype in float32 float16 bfloat16 int32; do
  mpirun --oversubscribe -np "$gpus" "$binary" sweep --backend=nccl --op=all --dtype=$dtype \
    --min_bytes=12 --max_bytes=96M --step_factor=8 --iters=5 --timeout_s=300 >"$out" 2>&1
  rc=$?
  echo "== $gpus GPU(s), $dtype: exit $rc"
  cat "$out"
  [ $rc -eq 0 ] || failures=$((failures + 1))
done
if [ $failures -ne 0 ]; then echo "$failures dtype run(s) failed"; exit 1; fi
echo "NCCL backend exact on $gpus GPU(s)"
