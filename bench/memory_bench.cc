// Cost of one memory evaluation: what the layout search pays per candidate.
//   build/bench/memory_bench --benchmark_filter=Gpt3
#include "benchmark/benchmark.h"
#include "planner/memory/evaluator.h"
#include "planner/model/zoo.h"

namespace memwall {
namespace {

MemoryEvaluator Gpt3(Profile profile) {
  TrainingSpec t;
  t.set_global_batch(1536);
  t.set_seq_len(2048);
  t.set_dtype(BF16);
  t.set_optimizer(ADAM);
  ClusterSpec cluster;
  cluster.mutable_gpu()->set_hbm_bytes(int64_t{80} << 30);
  cluster.set_gpus_per_node(8);
  return *MemoryEvaluator::Create(*LoadModel("gpt3-175b"), t, profile,
                                  &cluster);
}

ParallelLayout Layout() {
  ParallelLayout l;
  l.dp = 16;
  l.tp = 8;
  l.pp = 8;
  l.zero_stage = 1;
  l.sequence_parallel = true;
  l.recompute = RECOMPUTE_SELECTIVE;
  return l;
}

void BM_Gpt3EvaluatePeak(benchmark::State& state) {
  const MemoryEvaluator e = Gpt3(static_cast<Profile>(state.range(0)));
  ParallelLayout l = Layout();
  for (auto _ : state) {
    l.micro_batch = 1 + (l.micro_batch & 1);  // defeat hoisting
    benchmark::DoNotOptimize(e.EvaluatePeak(l));
  }
}
BENCHMARK(BM_Gpt3EvaluatePeak)->Arg(PROFILE_MEMWALL)->Arg(PROFILE_MEGATRON);

void BM_Gpt3Evaluate(benchmark::State& state) {
  const MemoryEvaluator e = Gpt3(PROFILE_MEMWALL);
  ParallelLayout l = Layout();
  for (auto _ : state) {
    l.micro_batch = 1 + (l.micro_batch & 1);
    benchmark::DoNotOptimize(e.Evaluate(l));
  }
}
BENCHMARK(BM_Gpt3Evaluate);

void BM_Gpt3EvaluateStage(benchmark::State& state) {
  const MemoryEvaluator e = Gpt3(PROFILE_MEMWALL);
  ParallelLayout l = Layout();
  for (auto _ : state) {
    l.micro_batch = 1 + (l.micro_batch & 1);
    benchmark::DoNotOptimize(e.EvaluateStage(l, 0));
  }
}
BENCHMARK(BM_Gpt3EvaluateStage);

}  // namespace
}  // namespace memwall

BENCHMARK_MAIN();
