#!/usr/bin/env bash
# Measured vs predicted on an emulated cluster (scripts/emulated-cluster): 4 nodes x 1 rank
# and 2 nodes x 2 ranks at 1 Gbit/s, each collective with its Open MPI algorithm pinned and
# the planner's model of that algorithm. Tolerances are those the emulation's reference
# measurements support (docs/runtime.md): |ratio - 1| <= 10% for sendrecv, pipelined
# broadcast and 2-node/hierarchical all-reduce; <= 20% for ring all-reduce and all-gather on
# 4 nodes; only ratio <= 1.05 for pairwise alltoall and recursive-halving reduce-scatter.
# A case may take up to 3 attempts to reach its lower bound (CPU contention only slows runs
# down) but may never exceed its upper one. The emulation is CPU-bound on a small machine
# (4 ranks and the kernel's TCP work on 2 cores), so before each attempt the script measures
# the CPUs' idle share over one second; a case that stays below its lower bound although no
# attempt started with at least MEMWALL_NETNS_MIN_IDLE (default 0.8) of the CPUs idle is
# skipped with the measured figures, not failed. Exit 77 (skip) when any case was skipped
# for that reason, or without root or network namespaces. The namespaces are removed on
# every exit path.
# usage: netns_model_test.sh MEMWALL_RUN_BINARY SOURCE_DIR
set -uo pipefail
binary=$1
source_dir=$2
emu="$source_dir/scripts/emulated-cluster"
prefix="mwt$(($$ % 100000))"
work=$(mktemp -d)

if [ "$(id -u)" -ne 0 ]; then echo "SKIP: needs root for network namespaces"; exit 77; fi
if ! command -v python3 >/dev/null; then echo "SKIP: needs python3 to read the JSON"; exit 77; fi
cleanup() {
  "$emu" down --prefix="$prefix" >/dev/null 2>&1
  rm -rf "$work"
  if ip netns list | grep -q "^$prefix-"; then echo "FAIL: namespaces $prefix-* left behind"; fi
}
trap cleanup EXIT
if ! ip netns add "$prefix-probe" 2>/dev/null; then
  echo "SKIP: cannot create network namespaces here"; exit 77
fi
ip netns del "$prefix-probe"
if ! "$emu" up --nodes=4 --rate=1gbit --prefix="$prefix" >/dev/null; then
  echo "FAIL: emulated-cluster up"; exit 1
fi
"$emu" cluster --nodes=4 --ranks_per_node=1 --rate=1gbit >"$work/4x1.textproto"
"$emu" cluster --nodes=2 --ranks_per_node=2 --rate=1gbit >"$work/2x2.textproto"

failures=0
busy_skips=0
min_idle=${MEMWALL_NETNS_MIN_IDLE:-0.8}
# Idle share of all CPUs over one second, from /proc/stat (idle + iowait over all ticks).
idle_share() {
  local a b
  a=$(head -1 /proc/stat)
  sleep 1
  b=$(head -1 /proc/stat)
  awk -v a="$a" -v b="$b" 'BEGIN {
    split(a, x); split(b, y); total = 0
    for (i = 2; i <= 9; i++) total += y[i] - x[i]
    idle = (y[5] - x[5]) + (y[6] - x[6])
    printf "%.2f", (total > 0 ? idle / total : 0) }'
}
# check NAME NODES RANKS_PER_NODE OP BYTES MPI_ALGORITHM LOW HIGH [--mca K V]... [-- SWEEP_FLAG...]
# (forcing a coll/tuned algorithm needs --mca coll_tuned_use_dynamic_rules 1 as well)
# Other jobs on a shared 2-core machine can starve the ranks of CPU, which only ever slows a
# run down: up to 3 attempts may reach LOW, but every attempt must stay at or below HIGH.
check() {
  local name=$1 nodes=$2 q=$3 op=$4 bytes=$5 algorithm=$6 low=$7 high=$8
  shift 8
  local attempt verdict idle best_idle=0 idles=""
  for attempt in 1 2 3; do
    idle=$(idle_share)
    idles="$idles $idle"
    best_idle=$(awk -v a="$best_idle" -v b="$idle" 'BEGIN { print (b > a ? b : a) }')
    verdict=$(attempt "$name-$attempt" "$nodes" "$q" "$op" "$bytes" "$algorithm" "$low" "$high" "$@")
    echo "$verdict (CPUs idle $idle before it)"
    case "$verdict" in
      PASS*) return ;;
      HIGH* | ERROR*) failures=$((failures + 1)); return ;;
    esac
  done
  # Below the band every time: a failure only if some attempt had the CPUs to itself.
  if awk -v a="$best_idle" -v m="$min_idle" 'BEGIN { exit !(a < m) }'; then
    echo "SKIP $name: below $low each time, but the CPUs were only$idles idle before the" \
      "attempts (at least $min_idle needed to judge a CPU-bound emulation)"
    busy_skips=$((busy_skips + 1))
  else
    failures=$((failures + 1))
  fi
}

# One run; prints PASS, LOW (below the band), HIGH (above it) or ERROR, then the numbers.
attempt() {
  local name=$1 nodes=$2 q=$3 op=$4 bytes=$5 algorithm=$6 low=$7 high=$8
  shift 8
  local json="$work/$name.json"
  local mca=() extra=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do mca+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  extra=("$@")
  # In place is left out: the ratio is out of place, and Open MPI 4.1.4's coll/han crashes
  # on an in-place all-reduce across nodes.
  "$emu" mpirun --prefix="$prefix" --nodes="$nodes" --ranks_per_node="$q" "${mca[@]}" -- \
    "$binary" sweep --op="$op" --min_bytes="$bytes" --max_bytes="$bytes" --iters=8 \
    --warmup_iters=1 --in_place=false --cluster="$work/${nodes}x$q.textproto" \
    --mpi_algorithm="$algorithm" --json="$json" --timeout_s=120 "${extra[@]}" \
    >"$work/$name.out" 2>&1
  local rc=$?
  if [ $rc -ne 0 ]; then
    echo "ERROR $name: memwall-run exit status $rc"; cat "$work/$name.out"; return
  fi
  python3 - "$json" "$name" "$low" "$high" <<'PY'
import json, sys
path, name, low, high = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
row = json.load(open(path))["rows"][-1]
ratio = row["ratio"]
verdict = "PASS" if low <= ratio <= high else ("LOW" if ratio < low else "HIGH")
print("%-4s %-36s size %9s busbw %.4f GB/s predicted %.4f ratio %.3f (allowed %.2f-%.2f)"
      % (verdict, name, row["size_bytes"], row["out_of_place"]["busbw_bytes_per_s"] / 1e9,
         row["predicted_busbw_bytes_per_s"] / 1e9, ratio, low, high))
PY
}

check sendrecv-4x1 4 1 sendrecv 32M ring 0.90 1.10
# 1 MiB segments: with 128 KiB ones every segment's per-message software cost (TCP, ob1
# rendezvous, 4 ranks sharing 2 cores) is a fifth of its wire time on a loaded 2-core
# machine (ratios 0.77-0.86), which is the emulation, not the pipeline (docs/runtime.md).
check broadcast-pipeline-4x1 4 1 broadcast 32M pipeline 0.90 1.10 \
  --mca coll_tuned_use_dynamic_rules 1 --mca coll_tuned_bcast_algorithm 3 \
  --mca coll_tuned_bcast_algorithm_segmentsize 1048576 -- --segment_bytes=1M
check all_reduce-ring-4x1 4 1 all_reduce 32M ring 0.80 1.20 \
  --mca coll_tuned_use_dynamic_rules 1 --mca coll_tuned_allreduce_algorithm 4
check all_gather-ring-4x1 4 1 all_gather 32M ring 0.80 1.20 \
  --mca coll_tuned_use_dynamic_rules 1 --mca coll_tuned_allgather_algorithm 4
check alltoall-pairwise-4x1 4 1 alltoall 32M pairwise 0 1.05 \
  --mca coll_tuned_use_dynamic_rules 1 --mca coll_tuned_alltoall_algorithm 2
check reduce_scatter-halving-4x1 4 1 reduce_scatter 32M recursive_halving 0 1.05 \
  --mca coll_tuned_use_dynamic_rules 1 --mca coll_tuned_reduce_scatter_block_algorithm 3
check all_reduce-ring-2x2 2 2 all_reduce 32M ring 0.90 1.10 \
  --mca coll_tuned_use_dynamic_rules 1 --mca coll_tuned_allreduce_algorithm 4
check all_reduce-han-2x2 2 2 all_reduce 32M hierarchical 0.90 1.10 \
  --mca coll_han_priority 100

if [ $failures -ne 0 ]; then echo "$failures case(s) failed"; exit 1; fi
if [ $busy_skips -ne 0 ]; then
  echo "SKIP: $busy_skips case(s) could not be judged on a busy machine; the others passed"
  exit 77
fi
echo "all cases within tolerance"
