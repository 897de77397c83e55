#include "planner/memory/overheads.h"

namespace memwall {

MemwallOverheads MemwallOverheads::Of(const ClusterSpec* cluster) {
  MemwallOverheads o;
  if (cluster == nullptr) return o;
  if (cluster->gpu().reserved_bytes() > 0) {
    o.cuda_context_bytes = cluster->gpu().reserved_bytes();
  }
  const double usable = cluster->gpu().usable_fraction();
  if (usable > 0 && usable <= 1) o.usable_fraction = usable;
  return o;
}

double MemwallOverheads::CommunicatorBytes(const ParallelLayout& l) {
  int communicators = 0;
  for (int64_t degree : {l.tp, l.cp, l.dp, l.pp, l.ep}) {
    communicators += degree > 1 ? 1 : 0;
  }
  return communicators * kNcclBytesPerCommunicator;
}

double MemwallOverheads::Zero3GatheredBytes(double layer_params,
                                            double compute_bytes,
                                            const StateBytes& full) {
  return layer_params * (2 * compute_bytes + full.gradients);
}

}  // namespace memwall
