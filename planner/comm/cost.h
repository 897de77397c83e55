// Time of one collective on a group placed on the cluster, as NCCL would run
// it: alpha-beta costs (Hockney; Thakur, Rabenseifner & Gropp 2005) per
// algorithm and protocol, on the network levels the group crosses, and the
// fastest (algorithm, protocol) pair chosen the way NCCL's tuner does (nccl
// src/graph/tuning.cc, src/enqueue.cc). Bytes follow nccl-tests
// (planner/comm/collective.h), so busbw compares directly with nccl-tests and
// memwall-run. Formulas and sources: docs/communication.md.
//
// Hot path: plain values in, a plain struct out, no allocation.
#ifndef MEMWALL_PLANNER_COMM_COST_H_
#define MEMWALL_PLANNER_COMM_COST_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "planner/comm/collective.h"
#include "planner/comm/network_model.h"
#include "planner/comm/placement.h"

namespace memwall {

enum class Algorithm : uint8_t {
  kAuto,  // the fastest of NCCL's algorithms (not kHierarchical), as its tuner
          // picks
  kRing,
  kTree,          // NCCL double binary tree (all_reduce only)
  kHierarchical,  // phases level by level, one after the other; only when asked
  kNvls,  // NVLink SHARP in-network reduction inside one node (all_reduce only)
  kNvlsTree,  // NVLS inside nodes, tree between them (all_reduce only)
  kDirect,    // one message per peer (all_to_all, send_recv)
};

enum class Protocol : uint8_t { kLL, kLL128, kSimple };

const char* AlgorithmName(Algorithm algorithm);
const char* ProtocolName(Protocol protocol);
absl::StatusOr<Algorithm> ParseAlgorithm(
    const std::string& name, const std::string& field = "algorithm");

struct CollectiveCost {
  double time_s = 0;
  double algbw_bytes_per_s = 0;  // S / time_s
  double busbw_bytes_per_s = 0;  // algbw x BusBwFactor(op, n)
  Algorithm algorithm = Algorithm::kRing;
  Protocol protocol = Protocol::kSimple;
  // Network level whose bandwidth term dominates; -1 for a group of one (time
  // 0).
  int bottleneck_level = -1;
};

// The fastest applicable algorithm (kAuto) or the one asked for. An algorithm
// that does not apply (NVLS without in-network reduction, tree for all_gather,
// ...) returns time_s = +inf. Inputs are assumed valid: bytes >= 0, group.size
// >= 1, group.stride >= 1.
CollectiveCost CollectiveTime(const NetworkModel& net, Collective op,
                              double bytes, GroupShape group,
                              Algorithm algorithm = Algorithm::kAuto);

// Validates a collective request from untrusted input: bytes finite and >= 0,
// group size and stride >= 1, a network with levels, and a group that fits in
// the top level's domain. InvalidArgument naming the field and value.
absl::Status CheckCollectiveRequest(const NetworkModel& net, double bytes,
                                    GroupShape group);

// The same with validation (for the CLI and callers with untrusted input):
// InvalidArgument naming the field and value, or when the algorithm does not
// apply.
absl::StatusOr<CollectiveCost> CheckedCollectiveTime(
    const NetworkModel& net, Collective op, double bytes, GroupShape group,
    Algorithm algorithm = Algorithm::kAuto);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_COMM_COST_H_
