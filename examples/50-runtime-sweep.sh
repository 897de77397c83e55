# memwall-run on one machine: every collective on 2 ranks over shared-memory MPI, each
# element checked, the nccl-tests table. Timings on a shared machine are noisy.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
memwall_run=${MEMWALL_RUN:-$(dirname "$(command -v "$MEMWALL")")/../../runtime/memwall-run}
mpirun_run() { echo "\$ mpirun ${*//$memwall_run/memwall-run}"; mpirun --oversubscribe "$@"; echo; }
mpirun_run -np 2 "$memwall_run" sweep --op=all --min_bytes=1K --max_bytes=1M --step_factor=32 \
  --iters=5
