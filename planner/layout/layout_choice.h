// A layout with some of its fields fixed: what a user's flags say. The layout
// search treats unset fields as free; commands that evaluate one layout
// complete it with the defaults, which live here and nowhere else.
#ifndef MEMWALL_PLANNER_LAYOUT_LAYOUT_CHOICE_H_
#define MEMWALL_PLANNER_LAYOUT_LAYOUT_CHOICE_H_

#include <cstdint>
#include <optional>

#include "absl/status/statusor.h"
#include "planner/layout/parallel_layout.h"

namespace memwall {

struct LayoutChoice {
  std::optional<int64_t> dp, tp, pp, vpp, cp, ep, etp, micro_batch;
  std::optional<int> zero_stage;
  std::optional<Recompute> recompute;
  std::optional<Offload> offload;
  std::optional<bool> sequence_parallel, flash_attention;
  std::optional<bool> tp_overlap, dp_overlap, pp_inside_dp;  // schedule
  std::optional<int64_t> first_stage_layers, last_stage_layers;
  std::optional<bool> account_embedding, account_loss;

  // Some field is fixed.
  bool any() const;
};

// Every field of a layout and its schedule, fixed.
LayoutChoice FixAll(const ParallelLayout& layout,
                    const ScheduleOptions& schedule = {});

// The layout with every unset field at its default: degrees 1 (dp = gpus /
// (tp pp cp) when `gpus` > 0), etp = tp, micro-batch 1, ZeRO 0, no
// recomputation, offload, SP or flash attention, the edges split. The result
// still needs ValidateLayout.
ParallelLayout CompleteLayout(const LayoutChoice& choice, int64_t gpus);
ScheduleOptions CompleteSchedule(const LayoutChoice& choice);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_LAYOUT_LAYOUT_CHOICE_H_
