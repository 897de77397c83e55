// Layout-search speed for GPT-3 175B on DGX A100 (80 GB), global batch 1536:
//   build/bench/search_bench --benchmark_filter=.
//   --benchmark_counters_tabular=true
// BM_EvaluateLayout: one memory + step-time evaluation with precomputed
// micro-batch costs and stage load (as the search reuses them).
// BM_FullSearch/<gpus>: the whole space on one thread; counters give the space
// size and evaluations per second (docs/search.md records the measured
// figures).
#include <benchmark/benchmark.h>

#include <memory>

#include "planner/model/zoo.h"
#include "planner/search/search.h"

namespace memwall {
namespace {

struct Gpt3 {
  StepContext ctx;
  SearchOptions options;
};

Gpt3 Gpt3Setup() {
  const ModelSpec model = LoadModel("gpt3-175b").value();
  const ClusterSpec cluster = LoadCluster("dgx-a100-80g").value();
  TrainingSpec training;
  training.set_global_batch(1536);
  training.set_seq_len(2048);
  training.set_dtype(BF16);
  training.set_optimizer(ADAM);
  const TransformerShape shape = ShapeFromModel(model, 2048).value();
  Gpt3 g;
  g.ctx = MakeStepContext(shape, ClusterParamsFromSpec(cluster, BF16).value(),
                          training)
              .value();
  g.options.threads = 1;
  g.options.top_k = 5;
  g.options.memory = std::make_shared<const MemoryEvaluator>(
      MemoryEvaluator::Create(model, training, PROFILE_MEMWALL, &cluster)
          .value());
  return g;
}

void BM_EvaluateLayout(benchmark::State& state) {
  const Gpt3 g = Gpt3Setup();
  const StepContext& ctx = g.ctx;
  ParallelLayout l;
  l.tp = 8;
  l.pp = 16;
  l.dp = 32;
  l.vpp = 2;
  l.micro_batch = 1;
  l.sequence_parallel = true;
  l.recompute = RECOMPUTE_SELECTIVE;
  l.zero_stage = 1;
  const MicroBatchCosts costs =
      ComputeMicroBatchCosts(ctx.shape, ctx.cluster, KeyOf(l));
  const StageLoad load = StageLoadOf(ctx.shape, l);
  for (auto _ : state) {
    benchmark::DoNotOptimize(l);
    const PeakMemory mem = g.options.memory->EvaluatePeak(l);
    const StepTime t = EvaluateStepTime(ctx, costs, l, {}, load);
    benchmark::DoNotOptimize(mem);
    benchmark::DoNotOptimize(t);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EvaluateLayout);

void BM_FullSearch(benchmark::State& state) {
  const Gpt3 g = Gpt3Setup();
  SearchResult r;
  for (auto _ : state) {
    r = SearchLayouts(g.ctx, state.range(0), SearchConstraints{}, g.options)
            .value();
    benchmark::DoNotOptimize(r);
  }
  state.counters["space_size"] = static_cast<double>(r.space_size);
  state.counters["evaluated"] = static_cast<double>(r.evaluated);
  state.counters["feasible"] = static_cast<double>(r.feasible);
  state.counters["evals_per_s"] =
      benchmark::Counter(static_cast<double>(r.evaluated) * state.iterations(),
                         benchmark::Counter::kIsRate);
  state.counters["layouts_per_s"] =
      benchmark::Counter(static_cast<double>(r.space_size) * state.iterations(),
                         benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FullSearch)->Arg(4096)->Arg(1024)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace memwall

BENCHMARK_MAIN();
