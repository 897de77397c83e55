// A parallel layout as plain values: what the memory, timing and search code
// evaluate millions of times, and the same layout with some fields fixed (a
// LayoutChoice: what a user's flags say). The integer fields are listed once,
// in kLayoutInts: proto conversion, flag parsing, FixAll, CompleteLayout and
// the range rule all read that table. The rules that make a layout valid are
// in validate_layout.h; the pipeline split in stage_split.h; the communication
// groups in layout_groups.h.
#ifndef MEMWALL_PLANNER_LAYOUT_PARALLEL_LAYOUT_H_
#define MEMWALL_PLANNER_LAYOUT_PARALLEL_LAYOUT_H_

#include <cstdint>
#include <optional>

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
  int64_t zero_stage = 0;
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

// A layout with some of its fields fixed. The layout search treats unset
// fields as free; commands that evaluate one layout complete it with the
// defaults (CompleteLayout), which live here and nowhere else.
struct LayoutChoice {
  std::optional<int64_t> dp, tp, pp, vpp, cp, ep, etp, micro_batch;
  std::optional<int64_t> zero_stage;
  std::optional<Recompute> recompute;
  std::optional<Offload> offload;
  std::optional<bool> sequence_parallel, flash_attention;
  std::optional<bool> tp_overlap, dp_overlap, pp_inside_dp;  // schedule
  std::optional<int64_t> first_stage_layers, last_stage_layers;
  std::optional<bool> account_embedding, account_loss;

  // Some field is fixed.
  bool any() const;
};

// One integer field of a layout: its flag (and Layout proto field, unless
// `proto_field` says otherwise), where it sits in both structs, its default
// and the least value it may take.
struct LayoutInt {
  const char* flag;
  int64_t ParallelLayout::*value;
  std::optional<int64_t> LayoutChoice::*choice;
  int64_t fallback;  // CompleteLayout's default (dp: from the GPU count)
  int64_t min;       // the range rule: min <= value <= kMaxDegree
  const char* proto_field = nullptr;  // nullptr: the same as `flag`
};
inline constexpr LayoutInt kLayoutInts[] = {
    {"dp", &ParallelLayout::dp, &LayoutChoice::dp, 1, 1},
    {"tp", &ParallelLayout::tp, &LayoutChoice::tp, 1, 1},
    {"pp", &ParallelLayout::pp, &LayoutChoice::pp, 1, 1},
    {"vpp", &ParallelLayout::vpp, &LayoutChoice::vpp, 1, 1},
    {"cp", &ParallelLayout::cp, &LayoutChoice::cp, 1, 1},
    {"ep", &ParallelLayout::ep, &LayoutChoice::ep, 1, 1},
    {"etp", &ParallelLayout::etp, &LayoutChoice::etp, 0, 1},
    {"micro_batch", &ParallelLayout::micro_batch, &LayoutChoice::micro_batch, 1,
     1},
    {"zero", &ParallelLayout::zero_stage, &LayoutChoice::zero_stage, 0, 0,
     "zero_stage"},
    {"first_stage_layers", &ParallelLayout::first_stage_layers,
     &LayoutChoice::first_stage_layers, 0, 0},
    {"last_stage_layers", &ParallelLayout::last_stage_layers,
     &LayoutChoice::last_stage_layers, 0, 0},
};

// Copies the proto, mapping unset (zero) degrees to their defaults and unset
// enums to their "none".
ParallelLayout FromProto(const Layout& layout);
Layout ToProto(const ParallelLayout& layout);

// Every field of a layout and its schedule, fixed.
LayoutChoice FixAll(const ParallelLayout& layout,
                    const ScheduleOptions& schedule = {});

// The layout with every unset field at its default: the table's fallbacks
// (dp = gpus / (tp pp cp) when `gpus` > 0), no recomputation, offload, SP or
// flash attention, the edges split. The result still needs ValidateLayout.
ParallelLayout CompleteLayout(const LayoutChoice& choice, int64_t gpus);
ScheduleOptions CompleteSchedule(const LayoutChoice& choice);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_LAYOUT_PARALLEL_LAYOUT_H_
