#!/usr/bin/env bash
# A rank stopped with SIGSTOP (or killed with SIGKILL) in the middle of a sweep, at start-up
# (as soon as its process exists, before or inside MPI_Init), or in the middle of a replay of
# a plan's step: the job must end with exit status 1 and an error naming that rank within
# --timeout_s, not hang.
# usage: stop_rank_test.sh MEMWALL_RUN_BINARY [STOP|KILL] [running | startup |
#        replay MEMWALL_BINARY MODEL | replay_pipeline MEMWALL_BINARY MODEL]
set -u
binary=$1
signal=${2:-STOP}
mode=${3:-running}
timeout_s=4
out=$(mktemp)
trap 'rm -f "$out" "$out.json"' EXIT
# Unique to this run, so that only this job's rank 1 is ever signalled.
marker="--json=$out.json"
if [ "$mode" = replay ]; then
  # A t1 p1 d3 plan: three ranks, one data-parallel all-reduce a step, replayed many times.
  trap 'rm -f "$out" "$out.json" "$out.plan"' EXIT
  if ! "$4" plan --model="$5" --cluster=dgx-h100 --gpus=3 --tp=1 --pp=1 --dp=3 --zero=0 \
    --micro_batch=1 --global_batch=3 --format=json >"$out.plan"; then
    echo "FAIL: memwall plan"; exit 1
  fi
  command=(replay --plan="$out.plan" --compute=none --steps=1000 --warmup_steps=0)
elif [ "$mode" = replay_pipeline ]; then
  # A t1 p3 d1 plan of 600 micro-batches a step: three pipeline stages in 1F1B order, rank 1
  # the middle one, which its neighbours wait on in their receives.
  trap 'rm -f "$out" "$out.json" "$out.plan"' EXIT
  if ! "$4" plan --model="$5" --cluster=dgx-h100 --gpus=3 --tp=1 --pp=3 --dp=1 --zero=0 \
    --micro_batch=1 --global_batch=600 --format=json >"$out.plan"; then
    echo "FAIL: memwall plan"; exit 1
  fi
  command=(replay --plan="$out.plan" --compute=none --steps=1000 --warmup_steps=0)
else
  command=(sweep --op=all_reduce --min_bytes=1K --max_bytes=1K --iters=999999 --warmup_iters=0)
fi
# A time bound missed on a machine with more runnable work than CPUs says nothing about
# memwall-run: such a miss skips (exit 77) with the measured load instead of failing.
busy() {
  python3 -c "import os, sys; sys.exit(0 if os.getloadavg()[0] > os.cpu_count() else 1)"
}
load_note() { echo "load average $(cut -d' ' -f1 /proc/loadavg) on $(nproc) CPUs"; }
start=$(date +%s)
mpirun --oversubscribe -np 3 "$binary" "${command[@]}" "$marker" --timeout_s=$timeout_s \
  >"$out" 2>&1 &
launcher=$!
victim=""
for _ in $(seq 1000); do
  sleep 0.01
  for p in $(pgrep -x memwall-run); do
    if tr '\0' '\n' 2>/dev/null </proc/$p/environ | grep -qx OMPI_COMM_WORLD_RANK=1 &&
      tr '\0' ' ' 2>/dev/null </proc/$p/cmdline | grep -q -- "$marker"; then
      victim=$p
    fi
  done
  [ -n "$victim" ] && break
done
if [ -z "$victim" ]; then
  echo "FAIL: rank 1 never started"; kill "$launcher"; cat "$out"; exit 1
fi
if [ "$mode" != startup ]; then sleep 1; fi
kill -"$signal" "$victim"
stopped=$(date +%s)
# Give the job timeout_s plus 20 s of slack on a loaded machine, then call it a hang.
for _ in $(seq $(( (timeout_s + 20) * 10 ))); do
  kill -0 "$launcher" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$launcher" 2>/dev/null; then
  verdict="FAIL"; code=1
  if busy; then verdict="SKIP (too busy to judge: $(load_note))"; code=77; fi
  echo "$verdict: the job still runs $(( $(date +%s) - stopped )) s after rank 1 got SIG$signal"
  kill -KILL "$victim" 2>/dev/null; kill "$launcher"; cat "$out"; exit $code
fi
wait "$launcher"; rc=$?
elapsed=$(( $(date +%s) - stopped ))
kill -KILL "$victim" 2>/dev/null
cat "$out"
echo "exit status $rc, ended $elapsed s after SIG$signal (start $(( stopped - start )) s)"
# Stopped: memwall-run exits 1. Killed: mpirun sees the signal first and exits 128 + 9 (Open
# MPI 4.1 reports "exited on signal 9"), or the watchdog is first and it is 1.
if [ "$rc" -ne 1 ] && ! { [ "$signal" = KILL ] && [ "$rc" -eq 137 ]; }; then
  echo "FAIL: exit status $rc (want 1, or 137 when mpirun reports the kill)"; exit 1
fi
# Stopped: memwall-run's watchdog names it; at start-up its address exchange does ("rank 1
# did not reach start-up"), or, when the rank stopped inside MPI_Init (where Open MPI waits
# for every rank and no rank can tell which is missing), the start-up deadline names the
# phase. Killed: mpirun or the watchdog, whichever is first (Open MPI 4.1 prints "PID 0"
# there, so only the rank is matched).
if ! grep -q "rank 1 (.*pid $victim) stopped responding" "$out" &&
  ! grep -q "rank 1 did not reach start-up within --timeout_s" "$out" &&
  ! { [ "$mode" = startup ] && grep -q "MPI_Init did not complete within --timeout_s" "$out"; } &&
  ! { [ "$signal" = KILL ] && grep -q "process rank 1 with PID .*signal 9" "$out"; }; then
  echo "FAIL: no error naming rank 1 (pid $victim)"; exit 1
fi
if [ "$elapsed" -gt $(( timeout_s + 5 )) ]; then
  if busy; then
    echo "SKIP: took $elapsed s, more than --timeout_s=$timeout_s + 5, on a busy machine ($(load_note))"
    exit 77
  fi
  echo "FAIL: took $elapsed s, more than --timeout_s=$timeout_s + 5"; exit 1
fi
echo PASS
