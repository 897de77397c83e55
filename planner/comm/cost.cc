// Collective cost on a placed group; see cost.h and docs/communication.md for
// the formulas.
#include "planner/comm/cost.h"

#include <cmath>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "planner/comm/nccl_algorithms.h"

namespace memwall {
namespace {

using nccl_model::Context;
using nccl_model::kInf;
using nccl_model::kNumProtocols;
using nccl_model::Shape;

// The algorithms NCCL runs for each collective. The plain (sequential)
// hierarchical algorithm is not one of NCCL's: it is evaluated only when asked
// for, and NCCL's own two-level algorithms are Tree and NVLS-Tree.
constexpr Algorithm kAllReduceCandidates[] = {
    Algorithm::kRing, Algorithm::kTree, Algorithm::kNvls, Algorithm::kNvlsTree};
constexpr Algorithm kRingCandidates[] = {Algorithm::kRing};
constexpr Algorithm kDirectCandidates[] = {Algorithm::kDirect};

constexpr const char* kAlgorithmNames[] = {
    "auto", "ring", "tree", "hierarchical", "nvls", "nvls_tree", "direct"};

}  // namespace

const char* AlgorithmName(Algorithm algorithm) {
  return kAlgorithmNames[static_cast<int>(algorithm)];
}

const char* ProtocolName(Protocol protocol) {
  static constexpr const char* kNames[] = {"LL", "LL128", "Simple"};
  return kNames[static_cast<int>(protocol)];
}

absl::StatusOr<Algorithm> ParseAlgorithm(const std::string& name,
                                         const std::string& field) {
  for (int i = 0; i < static_cast<int>(std::size(kAlgorithmNames)); ++i) {
    if (name == kAlgorithmNames[i]) return static_cast<Algorithm>(i);
  }
  return absl::InvalidArgumentError(absl::StrCat(
      field, "=", name,
      " is not an algorithm (auto, ring, tree, hierarchical, nvls, "
      "nvls_tree, direct)"));
}

CollectiveCost CollectiveTime(const NetworkModel& net, Collective op,
                              double bytes, GroupShape group,
                              Algorithm algorithm) {
  CollectiveCost cost;
  if (group.size <= 1) {
    cost.algorithm =
        algorithm == Algorithm::kAuto ? Algorithm::kRing : algorithm;
    return cost;
  }
  const Context c = nccl_model::MakeContext(net, op, bytes, group);
  const Algorithm* first = &algorithm;
  const Algorithm* last = &algorithm + 1;
  if (algorithm == Algorithm::kAuto) {
    switch (op) {
      case Collective::kAllReduce:
        first = std::begin(kAllReduceCandidates);
        last = std::end(kAllReduceCandidates);
        break;
      case Collective::kAllToAll:
      case Collective::kSendRecv:
        first = std::begin(kDirectCandidates);
        last = std::end(kDirectCandidates);
        break;
      default:
        first = std::begin(kRingCandidates);
        last = std::end(kRingCandidates);
    }
  }
  double best = kInf;
  int best_protocol = 2;
  int best_bottleneck = -1;
  Algorithm best_algorithm = algorithm;
  for (const Algorithm* a = first; a != last; ++a) {
    Shape s;
    if (!nccl_model::ShapeOf(c, *a, &s)) continue;
    for (int p = 0; p < kNumProtocols; ++p) {
      if (s.factor[p] <= 0 || (p == 1 && !c.ll128_ok)) continue;
      const double t = s.latency_s[p] + s.bandwidth_s / s.factor[p];
      if (t < best) {
        best = t;
        best_protocol = p;
        best_algorithm = *a;
        best_bottleneck = s.bottleneck;
      }
    }
  }
  cost.algorithm =
      best_algorithm == Algorithm::kAuto ? Algorithm::kRing : best_algorithm;
  cost.protocol = static_cast<Protocol>(best_protocol);
  cost.time_s = best;
  cost.bottleneck_level = best_bottleneck;
  if (best > 0 && best < kInf) {
    cost.algbw_bytes_per_s = bytes / best;
    cost.busbw_bytes_per_s = cost.algbw_bytes_per_s * BusBwFactor(op, c.n);
  }
  return cost;
}

absl::Status CheckCollectiveRequest(const NetworkModel& net, double bytes,
                                    GroupShape group) {
  if (!(bytes >= 0) || !std::isfinite(bytes)) {
    return absl::InvalidArgumentError(
        absl::StrCat("bytes=", bytes, " must be >= 0"));
  }
  if (group.size < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("group_size=", group.size, " must be >= 1"));
  }
  if (group.stride < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("group_stride=", group.stride, " must be >= 1"));
  }
  if (net.num_levels < 1) {
    return absl::InvalidArgumentError(
        "network model has no levels (build it from a cluster)");
  }
  const int64_t top_domain = net.levels[net.num_levels - 1].domain_size;
  if (group.size > 1 && (group.size - 1) > (top_domain - 1) / group.stride) {
    return absl::InvalidArgumentError(absl::StrCat(
        "group_size=", group.size, " x group_stride=", group.stride,
        " spans more GPUs than the cluster's top network level connects (",
        top_domain, ")"));
  }
  return absl::OkStatus();
}

absl::StatusOr<CollectiveCost> CheckedCollectiveTime(const NetworkModel& net,
                                                     Collective op,
                                                     double bytes,
                                                     GroupShape group,
                                                     Algorithm algorithm) {
  if (absl::Status s = CheckCollectiveRequest(net, bytes, group); !s.ok()) {
    return s;
  }
  CollectiveCost cost = CollectiveTime(net, op, bytes, group, algorithm);
  if (!(cost.time_s < kInf)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "algorithm=", AlgorithmName(algorithm), " does not apply to ",
        CollectiveName(op), " on this group and cluster"));
  }
  return cost;
}

}  // namespace memwall
