# The prediction check: the same all_reduce held against the planner's model of two
# clusters. On a CPU machine the DGX H100 ratio is tiny (the plan assumes NVLink); with
# --expect_ratio the job would exit 3. The emulated 1 Gbit cluster's prediction only
# applies inside scripts/emulated-cluster (docs/runtime.md).
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
memwall_run=${MEMWALL_RUN:-$(dirname "$(command -v "$MEMWALL")")/../../runtime/memwall-run}
mpirun_run() { echo "\$ mpirun ${*//$memwall_run/memwall-run}"; mpirun --oversubscribe "$@"; echo; }
mpirun_run -np 2 "$memwall_run" sweep --op=all_reduce --min_bytes=1M --max_bytes=4M \
  --iters=5 --cluster=dgx-h100
mpirun_run -np 2 "$memwall_run" sweep --op=sendrecv --min_bytes=1M --max_bytes=4M \
  --iters=5 --cluster=netns-tcp-1g --mpi_algorithm=ring
