// A parallel layout as plain values: what the memory, timing and search code
// evaluate millions of times. Converted once from the Layout proto (or built by
// the search).
#ifndef MEMWALL_PLANNER_MODEL_LAYOUT_H_
#define MEMWALL_PLANNER_MODEL_LAYOUT_H_

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
  int64_t etp = 1;  // expert tensor parallelism
  int64_t micro_batch = 1;
  int zero_stage = 0;
  bool sequence_parallel = false;
  bool flash_attention = false;
  Recompute recompute = RECOMPUTE_NONE;
  Offload offload = OFFLOAD_NONE;

  int64_t gpus() const { return dp * tp * pp * cp; }
};

// Copies the proto, mapping unset (zero) degrees to 1 and unset enums to their
// "none".
ParallelLayout FromProto(const Layout& layout);
Layout ToProto(const ParallelLayout& layout);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_MODEL_LAYOUT_H_
