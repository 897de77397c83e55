#include "planner/comm/efficiency.h"

namespace memwall {
namespace {

double Or(double value, double fallback) {
  return value > 0 ? value : fallback;
}

}  // namespace

EfficiencyFactors EfficiencyOf(const ClusterSpec& cluster) {
  const Efficiency& e = cluster.efficiency();
  EfficiencyFactors f;
  f.gemm = Or(e.gemm(), 0.9);
  f.hbm = Or(e.hbm(), 0.9);
  f.network = Or(e.network(), 1.0);
  f.overlap = e.overlap();
  f.overlap_slowdown =
      e.has_overlap_slowdown() ? e.overlap_slowdown() : kDefaultOverlapSlowdown;
  return f;
}

}  // namespace memwall
