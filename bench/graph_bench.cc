// Layer-graph counting speed: shape inference and per-layer costs of the zoo's
// largest graphs (DenseNet-201 has 707 layers, many of them wide concats).
// Target: under 5 ms.
#include "benchmark/benchmark.h"
#include "planner/model/graph.h"
#include "planner/model/zoo.h"
#include "planner/seed/seed_table.h"

namespace memwall {
namespace {

void BM_GraphLayerCosts(benchmark::State& state, const char* name) {
  const ModelSpec model = LoadModel(name).value();
  for (auto _ : state) {
    auto costs = GraphLayerCosts(model, 0);
    benchmark::DoNotOptimize(costs);
  }
}
BENCHMARK_CAPTURE(BM_GraphLayerCosts, densenet201, "densenet201")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_GraphLayerCosts, resnet152, "resnet152")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_GraphLayerCosts, inception_v4, "inception-v4")
    ->Unit(benchmark::kMicrosecond);

// Building the graph from the C++ zoo plus counting: what `memwall describe`
// does.
void BM_LoadAndCount(benchmark::State& state) {
  for (auto _ : state) {
    auto costs = GraphLayerCosts(LoadModel("densenet201").value(), 0);
    benchmark::DoNotOptimize(costs);
  }
}
BENCHMARK(BM_LoadAndCount)->Unit(benchmark::kMicrosecond);

// All of `memwall table`: every zoo model of the founding tables, counted and
// compared.
void BM_SeedTables(benchmark::State& state) {
  for (auto _ : state) {
    auto tables = BuildSeedTables();
    benchmark::DoNotOptimize(tables);
  }
}
BENCHMARK(BM_SeedTables)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace memwall

BENCHMARK_MAIN();
