#include "planner/layout/parallel_layout.h"

#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace memwall {
namespace {

const google::protobuf::FieldDescriptor* ProtoField(const LayoutInt& f) {
  return Layout::descriptor()->FindFieldByName(
      f.proto_field != nullptr ? f.proto_field : f.flag);
}

}  // namespace

ParallelLayout FromProto(const Layout& layout) {
  ParallelLayout p;
  const google::protobuf::Reflection* r = layout.GetReflection();
  for (const LayoutInt& f : kLayoutInts) {
    const int64_t v = r->GetInt64(layout, ProtoField(f));
    p.*f.value = v == 0 ? f.fallback : v;
  }
  p.sequence_parallel = layout.sequence_parallel();
  p.flash_attention = layout.flash_attention();
  p.recompute = layout.recompute() == RECOMPUTE_UNSPECIFIED
                    ? RECOMPUTE_NONE
                    : layout.recompute();
  p.offload =
      layout.offload() == OFFLOAD_UNSPECIFIED ? OFFLOAD_NONE : layout.offload();
  p.account_embedding = layout.account_embedding_in_split();
  p.account_loss = layout.account_loss_in_split();
  return p;
}

Layout ToProto(const ParallelLayout& p) {
  Layout layout;
  const google::protobuf::Reflection* r = layout.GetReflection();
  for (const LayoutInt& f : kLayoutInts) {
    r->SetInt64(&layout, ProtoField(f), p.*f.value);
  }
  layout.set_etp(p.expert_tp());
  layout.set_sequence_parallel(p.sequence_parallel);
  layout.set_flash_attention(p.flash_attention);
  layout.set_recompute(p.recompute);
  layout.set_offload(p.offload);
  layout.set_account_embedding_in_split(p.account_embedding);
  layout.set_account_loss_in_split(p.account_loss);
  return layout;
}

bool LayoutChoice::any() const {
  for (const LayoutInt& f : kLayoutInts) {
    if ((this->*f.choice).has_value()) return true;
  }
  return recompute || offload || sequence_parallel || flash_attention ||
         tp_overlap || dp_overlap || pp_inside_dp || account_embedding ||
         account_loss;
}

LayoutChoice FixAll(const ParallelLayout& l, const ScheduleOptions& o) {
  LayoutChoice c;
  for (const LayoutInt& f : kLayoutInts) c.*f.choice = l.*f.value;
  c.etp = l.expert_tp();
  c.recompute = l.recompute;
  c.offload = l.offload;
  c.sequence_parallel = l.sequence_parallel;
  c.flash_attention = l.flash_attention;
  c.tp_overlap = o.tp_overlap;
  c.dp_overlap = o.dp_overlap;
  c.pp_inside_dp = o.pp_inside_dp;
  c.account_embedding = l.account_embedding;
  c.account_loss = l.account_loss;
  return c;
}

ParallelLayout CompleteLayout(const LayoutChoice& c, int64_t gpus) {
  ParallelLayout l;
  for (const LayoutInt& f : kLayoutInts) {
    l.*f.value = (c.*f.choice).value_or(f.fallback);
  }
  l.recompute = c.recompute.value_or(RECOMPUTE_NONE);
  l.offload = c.offload.value_or(OFFLOAD_NONE);
  l.sequence_parallel = c.sequence_parallel.value_or(false);
  l.flash_attention = c.flash_attention.value_or(false);
  l.account_embedding = c.account_embedding.value_or(false);
  l.account_loss = c.account_loss.value_or(false);
  if (!c.dp && gpus > 0 && l.tp > 0 && l.pp > 0 && l.cp > 0) {
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
