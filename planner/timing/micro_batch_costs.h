// Time of one micro-batch through one transformer layer on one rank: GEMMs at
// an efficiency that depends on their shape, memory-bound kernels at HBM
// bandwidth, and the TP/SP, CP and EP collectives of the layer. Depends only on
// (tp, cp, ep, micro-batch, sequence parallel, flash attention), so the search
// computes it once per such key. Operation list: Narayanan 2021 App. A (GEMMs),
// Korthikanti 2022 Sec. 4 (saved tensors, kernels), Megatron-LM SP and CP;
// formulas in docs/timing.md.
#ifndef MEMWALL_PLANNER_TIMING_MICRO_BATCH_COSTS_H_
#define MEMWALL_PLANNER_TIMING_MICRO_BATCH_COSTS_H_

#include <cstdint>

#include "planner/timing/cluster_params.h"
#include "planner/timing/transformer_shape.h"

namespace memwall {

struct MicroBatchKey {
  int64_t tp = 1;
  int64_t cp = 1;
  int64_t ep = 1;
  int64_t etp = 1;
  int64_t micro_batch = 1;
  bool sequence_parallel = false;
  bool flash_attention = false;
};

// Seconds per layer per micro-batch on one rank.
struct MicroBatchCosts {
  double dense_forward_s = 0;  // GEMMs + memory-bound kernels of a dense layer
  double dense_backward_s = 0;
  double moe_forward_s = 0;  // same for a MoE layer (attention + local experts)
  double moe_backward_s = 0;
  // QK^T, softmax, dropout and AV forward: what selective recomputation redoes
  // (0 with flash attention, which saves no score tensors).
  double attention_core_forward_s = 0;
  double tp_forward_s = 0;  // TP/SP collectives of one layer
  double tp_backward_s = 0;
  // What Transformer Engine's userbuffers TP overlap (--tp_overlap, SP) adds
  // to one dense layer: its GEMMs split into chunks (ring exchange: TP chunks,
  // pipelined reduce-scatter: kTpOverlapSplits) fill the tensor cores less
  // and launch more kernels (`*_split_s`); the last chunk's reduce-scatter
  // has no GEMM left to hide behind (`tp_overlap_tail_s`, forward).
  double tp_overlap_forward_split_s = 0;
  double tp_overlap_backward_split_s = 0;
  // A MoE layer's: the attention's split GEMMs only (its experts' GEMMs run
  // on the expert group, not under the TP overlap).
  double tp_overlap_moe_forward_split_s = 0;
  double tp_overlap_moe_backward_split_s = 0;
  double tp_overlap_tail_s = 0;
  double cp_forward_s = 0;  // exposed part of the CP ring exchange
  double cp_backward_s = 0;
  double ep_forward_s = 0;  // all-to-all of one MoE layer
  double ep_backward_s = 0;
  double logits_forward_s = 0;  // output layer and loss (last stage)
  double logits_backward_s = 0;
  double pp_message_bytes = 0;  // activation sent across a stage boundary
  // Message sizes (nccl-tests S) of the collectives above, for the step's
  // communication list (planner/timing/step_comm.h): one TP/SP collective,
  // one EP all-to-all, one CP ring hop and the rank distance it crosses.
  double tp_message_bytes = 0;
  double ep_message_bytes = 0;
  double cp_chunk_bytes = 0;
  int64_t cp_hop_stride = 1;
  // Forward FLOPs on this rank of one dense layer's attention core (for HFU).
  double attention_core_flops = 0;
};

// Efficiency of a GEMM (M x K) * (K x N): the cluster's large-GEMM efficiency
// times a tile-fill factor x / (x + kGemmTileDim) per dimension (kGemmTileDim
// in cluster_params.h).
double GemmEfficiency(const ClusterParams& c, double m, double n, double k);
// Seconds of `batch` 16-bit GEMMs of shape (m, n, k).
double GemmTime(const ClusterParams& c, double m, double n, double k,
                double batch = 1.0);
// Seconds of a linear layer's GEMM: FP8 at the FP8 peak times the cluster's
// fp8_gemm efficiency when the training dtype is FP8 (Transformer Engine),
// else GemmTime.
double LinearTime(const ClusterParams& c, double m, double n, double k);
// Chunks of the GEMMs whose output a pipelined reduce-scatter consumes under
// TP overlap (NeMo's userbuffers configs: `method: pipeline`, `num_splits: 4`).
inline constexpr double kTpOverlapSplits = 4.0;

// Seconds of fused attention's QK^T and AV for `batch` heads of sq queries and
// sk keys (all pairs; the caller halves for a causal mask), at the cluster's
// attention efficiency of the 16-bit peak.
double FlashAttentionTime(const ClusterParams& c, double sq, double sk,
                          double head_dim, double batch);

MicroBatchCosts ComputeMicroBatchCosts(const TransformerShape& shape,
                                       const ClusterParams& cluster,
                                       const MicroBatchKey& key);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_TIMING_MICRO_BATCH_COSTS_H_
