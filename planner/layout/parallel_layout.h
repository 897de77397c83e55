// A parallel layout as plain values: what the memory, timing and search code
// evaluate millions of times. Converted once from the Layout proto (or built by
// the search). The rules that make a layout valid are in validate_layout.h;
// the pipeline split in stage_split.h; the communication groups in
// layout_groups.h.
#ifndef MEMWALL_PLANNER_LAYOUT_PARALLEL_LAYOUT_H_
#define MEMWALL_PLANNER_LAYOUT_PARALLEL_LAYOUT_H_

#include <cstdint>

#include "proto/training.pb.h"

namespace memwall {

struct ParallelLayout {
  int64_t dp = 1;
  int64_t tp = 1;
  int64_t pp = 1;
  int64_t vpp = 1;  // model chunks per pipeline rank (1 = plain 1F1B)
  int64_t cp = 1;
  int64_t ep = 1;
  int64_t etp = 0;  // expert tensor parallelism; 0 = the same as tp
  int64_t micro_batch = 1;
  int zero_stage = 0;
  bool sequence_parallel = false;
  bool flash_attention = false;
  Recompute recompute = RECOMPUTE_NONE;
  Offload offload = OFFLOAD_NONE;
  // Pipeline split (stage_split.h): 0 = not given.
  int64_t first_stage_layers = 0;
  int64_t last_stage_layers = 0;
  bool account_embedding = false;
  bool account_loss = false;

  int64_t gpus() const { return dp * tp * pp * cp; }
  // The one place the expert-TP default lives (Megatron-LM: ETP = TP unless
  // --expert-tensor-parallel-size says otherwise).
  int64_t expert_tp() const { return etp > 0 ? etp : tp; }
  // Ranks that share one expert shard's gradients: DP x TP x CP / (EP x ETP).
  int64_t expert_dp() const { return dp * tp * cp / (ep * expert_tp()); }
};

// How a layout's communication is scheduled: choices beside the degrees that
// change step time but not memory.
struct ScheduleOptions {
  bool tp_overlap = false;    // TP collectives pipelined with GEMMs (needs SP)
  bool dp_overlap = true;     // gradient buckets reduced during backward
  bool pp_inside_dp = false;  // rank order tp-cp-ep-pp-dp (layout_groups.h)
};

// Copies the proto, mapping unset (zero) degrees to 1 and unset enums to their
// "none".
ParallelLayout FromProto(const Layout& layout);
Layout ToProto(const ParallelLayout& layout);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_LAYOUT_PARALLEL_LAYOUT_H_
