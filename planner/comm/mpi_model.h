// Predictions for collectives run by Open MPI (the mpi backend of memwall-run),
// per algorithm of Open MPI 4.1's `tuned` component and `han` (hierarchical)
// component, with the alpha-beta costs of Thakur, Rabenseifner & Gropp (IJHPCA
// 2005) and Chan et al. (CCPE 2007). Sizes and busbw follow nccl-tests
// (planner/comm/collective.h). Also the emulated cluster of network namespaces
// with tbf-shaped veth links, where TCP goodput is rate x 1448/1514 (1500-byte
// MTU, TCP timestamps). Formulas and sources: docs/communication.md.
#ifndef MEMWALL_PLANNER_COMM_MPI_MODEL_H_
#define MEMWALL_PLANNER_COMM_MPI_MODEL_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "planner/comm/collective.h"
#include "planner/comm/cost.h"
#include "planner/comm/network_model.h"
#include "planner/comm/placement.h"
#include "proto/cluster.pb.h"

namespace memwall {

enum class MpiAlgorithm : uint8_t {
  kTunedDefault,  // what coll/tuned's fixed decision rules pick
                  // (OpenMpiTunedChoice)
  kLinear,        // basic linear (root or all pairs, no pipelining)
  kRing,  // all_reduce, all_gather, reduce_scatter (as RS + AG), send_recv ring
  kRecursiveDoubling,  // all_reduce, all_gather
  kRecursiveHalving,   // reduce_scatter; all_reduce as Rabenseifner (RS halving
                       // + AG doubling)
  kPairwise,           // all_to_all, send_recv
  kBruck,              // all_to_all, all_gather
  kBinomial,           // broadcast, reduce
  kPipeline,      // broadcast, reduce: chain with segments of segment_bytes
  kHierarchical,  // coll/han: intra-node reduce-scatter/gather, inter-node,
                  // intra bcast
};

const char* MpiAlgorithmName(MpiAlgorithm algorithm);
absl::StatusOr<MpiAlgorithm> ParseMpiAlgorithm(
    const std::string& name, const std::string& field = "algorithm");

struct MpiOptions {
  // Segment of pipelined broadcast/reduce (memwall-run and the reference runs
  // used 128 KiB).
  double segment_bytes = 131072;
  // Local reduction speed (gamma = 1 / this); 0 = free.
  double reduce_bytes_per_s = 0;
};

// The algorithm Open MPI 4.1's coll/tuned fixed decision
// (coll_tuned_decision_fixed.c) picks for this collective, total bytes
// (nccl-tests S) and communicator size.
MpiAlgorithm OpenMpiTunedChoice(Collective op, double bytes, int64_t n);

// Predicted cost; `algorithm` in CollectiveCost is left at kRing (see
// `mpi_algorithm`).
struct MpiCost {
  CollectiveCost cost;
  MpiAlgorithm mpi_algorithm = MpiAlgorithm::kRing;
};

// InvalidArgument when the algorithm does not implement the collective, or the
// inputs are bad (bytes < 0, size < 1, stride < 1).
absl::StatusOr<MpiCost> PredictOpenMpi(const NetworkModel& net, Collective op,
                                       double bytes, GroupShape group,
                                       MpiAlgorithm algorithm,
                                       const MpiOptions& options = {});

// TCP payload bytes per second over an Ethernet link of `rate_bits_per_s`:
// rate/8 x 1448/1514.
double TcpGoodputBytesPerS(double rate_bits_per_s);

// The emulated cluster: `nodes` network namespaces of `ranks_per_node` ranks
// each, one NIC per node shaped to `rate_bits_per_s` in each direction;
// intra-node traffic over shared memory at `shared_memory_bytes_per_s`.
// Inter-node bandwidth per rank is the node's TCP goodput divided by
// ranks_per_node (they share the NIC).
ClusterSpec EmulatedTcpCluster(int64_t nodes, int64_t ranks_per_node,
                               double rate_bits_per_s,
                               double shared_memory_bytes_per_s = 2e9);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_COMM_MPI_MODEL_H_
