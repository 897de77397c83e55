// Memory per rank and pipeline stage for layer-graph models (CNNs, LSTMs,
// embedding tables) under data parallelism, ZeRO 1-3 and pipeline stages cut by
// layers. Model-state bytes come from the shared per-profile rules
// (model_states.h); activations are the bytes autograd saves for backward
// (planner/model/graph.h) times the micro-batch and the micro-batches a 1F1B
// stage holds (pp - stage, at most the micro-batches per step). Embedding
// tables marked host_resident live in host memory; tables with shards > 1 are
// split across that many GPUs. Tensor, context and expert parallelism are not
// defined for layer graphs (Unimplemented). Formulas and sources:
// docs/layer-graphs.md.
#ifndef MEMWALL_PLANNER_MEMORY_GRAPH_MEMORY_H_
#define MEMWALL_PLANNER_MEMORY_GRAPH_MEMORY_H_

#include "absl/status/statusor.h"
#include "planner/layout/parallel_layout.h"
#include "proto/cluster.pb.h"
#include "proto/memory.pb.h"
#include "proto/model.pb.h"
#include "proto/training.pb.h"

namespace memwall {

enum class StageBalance { kCompute, kMemory };

absl::StatusOr<MemoryReport> BuildGraphMemoryReport(
    const ModelSpec& model, const TrainingSpec& training, Profile profile,
    const ParallelLayout& layout, const ClusterSpec* cluster /*nullable*/,
    StageBalance balance);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_MEMORY_GRAPH_MEMORY_H_
