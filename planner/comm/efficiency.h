// The achievable-efficiency factors a cluster carries for the timing model,
// with the documented defaults for any left unset (zero): see docs/clusters.md
// for their sources.
#ifndef MEMWALL_PLANNER_COMM_EFFICIENCY_H_
#define MEMWALL_PLANNER_COMM_EFFICIENCY_H_

#include "proto/cluster.pb.h"

namespace memwall {

struct EfficiencyFactors {
  double gemm = 0;  // fraction of dense peak FLOP/s a large GEMM reaches
  double hbm = 0;   // fraction of HBM bandwidth memory-bound kernels reach
  double network =
      0;  // multiplies the levels' achievable bandwidths (1 = as measured)
  double overlap =
      0;  // fraction of overlappable communication hidden behind compute
  // Fraction by which compute slows while communication runs beside it.
  double overlap_slowdown = 0;
};

// Lee et al. 2025 ("Characterizing Compute-Communication Overlap in
// GPU-Accelerated Distributed Deep Learning", arXiv 2507.03114): compute
// overlapped with communication ran 18.9% slower on average (A100, H100,
// MI250, MI210; GPT and LLaMA layers), 40% at most.
inline constexpr double kDefaultOverlapSlowdown = 0.189;

// Defaults: gemm 0.9 and hbm 0.9 (calculon's A100 efficiency tables for large
// operations), network 1.0 (level bandwidths are already measured nccl-tests
// figures), overlap 0 (none assumed unless the cluster says so),
// overlap_slowdown kDefaultOverlapSlowdown unless the cluster sets it (0
// included).
EfficiencyFactors EfficiencyOf(const ClusterSpec& cluster);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_COMM_EFFICIENCY_H_
