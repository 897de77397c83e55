// The memwall profile's memory beyond model states and activations, for
// transformers (evaluator.h) and layer graphs (graph_memory.h) alike
// (docs/memory.md):
// - the CUDA context and library workspaces: the cluster's reserved bytes,
//   else 1 GiB (typically 0.3-2 GiB: DeepSpeed issues #4093 and #4527,
//   ROCm/Megatron-LM PR #162);
// - NCCL buffers: NCCL_BUFFSIZE (4 MiB, NCCL docs) x 16 channels (an
//   assumption; NCCL opens up to 32) per communicator of more than one rank;
// - ZeRO-3's working set: the gathered layer, the prefetched next one (both in
//   the compute dtype, whatever dtype the shards keep: FSDP's MixedPrecision
//   gathers 16-bit copies), and the unsharded gradient of the layer being
//   reduced (DeepSpeed stage3.py);
// - allocator headroom: totals are divided by the fraction of HBM the caching
//   allocator can use before fragmentation fails an allocation (the cluster's
//   usable_fraction, else 0.95).
#ifndef MEMWALL_PLANNER_MEMORY_OVERHEADS_H_
#define MEMWALL_PLANNER_MEMORY_OVERHEADS_H_

#include <cstdint>

#include "common/units.h"
#include "planner/layout/parallel_layout.h"
#include "planner/memory/model_states.h"
#include "proto/cluster.pb.h"

namespace memwall {

inline constexpr int64_t kDefaultCudaContextBytes = kGiB;
inline constexpr double kNcclBytesPerCommunicator = 16.0 * 4 * kMiB;
inline constexpr double kDefaultUsableFraction = 0.95;
// FP8 training under Transformer Engine: each FP8 linear layer keeps an FP8
// copy of its weight (1 byte per parameter) and its transpose for the
// backward GEMMs (1 byte), cached across micro-batches (TE `Linear`'s weight
// workspaces with `is_first_microbatch`; fp8_model_params off).
inline constexpr double kFp8WeightCacheBytesPerParam = 2;

struct MemwallOverheads {
  int64_t cuda_context_bytes = kDefaultCudaContextBytes;
  double usable_fraction = kDefaultUsableFraction;

  // The cluster's figures where it gives them (cluster may be null).
  static MemwallOverheads Of(const ClusterSpec* cluster);
  // NCCL buffers of the layout's communicators (TP, CP, DP, PP, EP).
  static double CommunicatorBytes(const ParallelLayout& layout);
  // ZeRO-3's working set for a largest layer of `layer_params` parameters,
  // gathered in `compute_bytes` per parameter.
  static double Zero3GatheredBytes(double layer_params, double compute_bytes,
                                   const StateBytes& full);
  // Headroom that lifts `bytes` to bytes / usable_fraction.
  double Headroom(double bytes) const {
    return bytes / usable_fraction - bytes;
  }
};

}  // namespace memwall

#endif  // MEMWALL_PLANNER_MEMORY_OVERHEADS_H_
