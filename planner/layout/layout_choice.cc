#include "planner/layout/layout_choice.h"

namespace memwall {

bool LayoutChoice::any() const {
  return dp || tp || pp || vpp || cp || ep || etp || micro_batch ||
         zero_stage || recompute || offload || sequence_parallel ||
         flash_attention || tp_overlap || dp_overlap || pp_inside_dp ||
         first_stage_layers || last_stage_layers || account_embedding ||
         account_loss;
}

LayoutChoice FixAll(const ParallelLayout& l, const ScheduleOptions& o) {
  LayoutChoice c;
  c.dp = l.dp;
  c.tp = l.tp;
  c.pp = l.pp;
  c.vpp = l.vpp;
  c.cp = l.cp;
  c.ep = l.ep;
  c.etp = l.expert_tp();
  c.micro_batch = l.micro_batch;
  c.zero_stage = l.zero_stage;
  c.recompute = l.recompute;
  c.offload = l.offload;
  c.sequence_parallel = l.sequence_parallel;
  c.flash_attention = l.flash_attention;
  c.tp_overlap = o.tp_overlap;
  c.dp_overlap = o.dp_overlap;
  c.pp_inside_dp = o.pp_inside_dp;
  c.first_stage_layers = l.first_stage_layers;
  c.last_stage_layers = l.last_stage_layers;
  c.account_embedding = l.account_embedding;
  c.account_loss = l.account_loss;
  return c;
}

ParallelLayout CompleteLayout(const LayoutChoice& c, int64_t gpus) {
  ParallelLayout l;
  l.tp = c.tp.value_or(1);
  l.pp = c.pp.value_or(1);
  l.vpp = c.vpp.value_or(1);
  l.cp = c.cp.value_or(1);
  l.ep = c.ep.value_or(1);
  l.etp = c.etp.value_or(0);
  l.micro_batch = c.micro_batch.value_or(1);
  l.zero_stage = c.zero_stage.value_or(0);
  l.recompute = c.recompute.value_or(RECOMPUTE_NONE);
  l.offload = c.offload.value_or(OFFLOAD_NONE);
  l.sequence_parallel = c.sequence_parallel.value_or(false);
  l.flash_attention = c.flash_attention.value_or(false);
  l.first_stage_layers = c.first_stage_layers.value_or(0);
  l.last_stage_layers = c.last_stage_layers.value_or(0);
  l.account_embedding = c.account_embedding.value_or(false);
  l.account_loss = c.account_loss.value_or(false);
  if (c.dp) {
    l.dp = *c.dp;
  } else if (gpus > 0 && l.tp > 0 && l.pp > 0 && l.cp > 0) {
    // 128-bit: the degrees are not validated yet.
    const __int128 inner = static_cast<__int128>(l.tp) * l.pp * l.cp;
    l.dp = inner <= gpus && gpus % static_cast<int64_t>(inner) == 0
               ? gpus / static_cast<int64_t>(inner)
               : 1;
  }
  return l;
}

ScheduleOptions CompleteSchedule(const LayoutChoice& c) {
  ScheduleOptions o;
  o.tp_overlap = c.tp_overlap.value_or(false);
  o.dp_overlap = c.dp_overlap.value_or(true);
  o.pp_inside_dp = c.pp_inside_dp.value_or(false);
  return o;
}

}  // namespace memwall
