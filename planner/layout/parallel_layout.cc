#include "planner/layout/parallel_layout.h"

namespace memwall {
namespace {

int64_t OneIfUnset(int64_t v) { return v == 0 ? 1 : v; }

}  // namespace

ParallelLayout FromProto(const Layout& layout) {
  ParallelLayout p;
  p.dp = OneIfUnset(layout.dp());
  p.tp = OneIfUnset(layout.tp());
  p.pp = OneIfUnset(layout.pp());
  p.vpp = OneIfUnset(layout.vpp());
  p.cp = OneIfUnset(layout.cp());
  p.ep = OneIfUnset(layout.ep());
  p.etp = layout.etp();
  p.micro_batch = OneIfUnset(layout.micro_batch());
  p.zero_stage = static_cast<int>(layout.zero_stage());
  p.sequence_parallel = layout.sequence_parallel();
  p.flash_attention = layout.flash_attention();
  p.recompute = layout.recompute() == RECOMPUTE_UNSPECIFIED
                    ? RECOMPUTE_NONE
                    : layout.recompute();
  p.offload =
      layout.offload() == OFFLOAD_UNSPECIFIED ? OFFLOAD_NONE : layout.offload();
  p.first_stage_layers = layout.first_stage_layers();
  p.last_stage_layers = layout.last_stage_layers();
  p.account_embedding = layout.account_embedding_in_split();
  p.account_loss = layout.account_loss_in_split();
  return p;
}

Layout ToProto(const ParallelLayout& p) {
  Layout layout;
  layout.set_dp(p.dp);
  layout.set_tp(p.tp);
  layout.set_pp(p.pp);
  layout.set_vpp(p.vpp);
  layout.set_cp(p.cp);
  layout.set_ep(p.ep);
  layout.set_etp(p.expert_tp());
  layout.set_micro_batch(p.micro_batch);
  layout.set_zero_stage(p.zero_stage);
  layout.set_sequence_parallel(p.sequence_parallel);
  layout.set_flash_attention(p.flash_attention);
  layout.set_recompute(p.recompute);
  layout.set_offload(p.offload);
  layout.set_first_stage_layers(p.first_stage_layers);
  layout.set_last_stage_layers(p.last_stage_layers);
  layout.set_account_embedding_in_split(p.account_embedding);
  layout.set_account_loss_in_split(p.account_loss);
  return layout;
}

}  // namespace memwall
