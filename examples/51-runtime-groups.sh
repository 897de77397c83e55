# Concurrent groups as a layout makes them: 4 ranks as two TP-like pairs {0,1} {2,3}, then as
# two DP-like pairs {0,2} {1,3}; bfloat16 all_reduce and all_gather, checked exactly.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
memwall_run=${MEMWALL_RUN:-$(dirname "$(command -v "$MEMWALL")")/../../runtime/memwall-run}
mpirun_run() { echo "\$ mpirun ${*//$memwall_run/memwall-run}"; mpirun --oversubscribe "$@"; echo; }
mpirun_run -np 4 "$memwall_run" sweep --op=all_reduce,all_gather --dtype=bfloat16 \
  --min_bytes=64K --max_bytes=256K --iters=5 --group_size=2
mpirun_run -np 4 "$memwall_run" sweep --op=all_reduce,all_gather --dtype=bfloat16 \
  --min_bytes=64K --max_bytes=256K --iters=5 --group_size=2 --group_stride=2
