// Calibration arithmetic, without MPI: latency and bandwidth of one network
// level fitted to measured point-to-point times, and the cluster text proto
// that carries them. The model is Hockney's t(S) = alpha + S / beta, the form
// the planner's Open MPI model prices a send with (latency_s + S /
// bandwidth_bytes_per_s, docs/communication.md). Real paths are not one line
// (eager and rendezvous protocols, a token bucket's burst, copies that fit in
// a cache or not), and a training step sends messages of every size, so the
// fit weighs the sizes alike: the bandwidth regime is every size from the
// first in the upper half of the sizes (log scale) taking at least
// kBandwidthRegime x the latency floor (the median time of the three smallest
// sizes); alpha and 1 / beta minimize the sum over the regime of the squared
// relative misses ((alpha + S / beta) / t - 1)^2, so alpha is the latency of
// the protocol large messages travel by. It is never less than the small
// sizes' own latency (the median, over the three smallest sizes below the
// regime, of their time beyond their transfer); where it would be, that
// latency is taken and 1 / beta refitted for it. The largest relative miss
// over the regime is reported beside them. The file keeps the base cluster's
// GPU, node and efficiency fields, sets efficiency.network to 1 (measured
// figures are achieved ones), and replaces the levels it measured, each value
// preceded by a comment and carrying a `source` that says when and how it was
// measured.
#ifndef MEMWALL_RUNTIME_CALIBRATE_H_
#define MEMWALL_RUNTIME_CALIBRATE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "proto/cluster.pb.h"

namespace memwall::runtime {

inline constexpr double kBandwidthRegime = 4.0;

struct SizeTime {
  double bytes = 0;
  double time_s = 0;
};

struct AlphaBeta {
  double latency_s = 0;
  double bandwidth_bytes_per_s = 0;
  // Smallest size of the bandwidth regime, and max |fit / measured - 1| over
  // the sizes from there up.
  double regime_bytes = 0;
  double max_relative_error = 0;
  // The smallest sizes' own latency (0 when none is below the regime); at
  // most latency_s.
  double small_latency_s = 0;
};

// FailedPrecondition when fewer than two distinct sizes, a time that is not
// positive, or no positive bandwidth fits (the times do not grow with size).
absl::StatusOr<AlphaBeta> FitAlphaBeta(const std::vector<SizeTime>& points);

struct MeasuredLevel {
  int level = 0;  // 0 inside a node, 1 between nodes
  AlphaBeta fit;
  // How it was measured, for the source comment ("sendrecv ring of 2 ranks
  // at stride 2, all nodes at once, 8 B..16 MiB, 10 iterations").
  std::string how;
};

struct Calibration {
  std::string name;     // the new cluster's name
  std::string when;     // UTC time of the measurement
  std::string backend;  // mpi or nccl
  int64_t nodes = 1;
  int64_t ranks_per_node = 1;
  // Ranks whose simultaneous flows share one NIC (single-flow bandwidth over
  // the all-ranks one, rounded); 0 = not measured.
  int64_t ranks_per_nic = 0;
  std::vector<MeasuredLevel> levels;
};

// The calibrated cluster as text proto, checked by planner/comm's cluster
// validation before it is returned. InvalidArgument naming the field when the
// result would not validate.
absl::StatusOr<std::string> CalibratedClusterText(const ClusterSpec& base,
                                                  const Calibration& c);

}  // namespace memwall::runtime

#endif  // MEMWALL_RUNTIME_CALIBRATE_H_
