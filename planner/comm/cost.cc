// Collective cost on a placed group; see cost.h and docs/communication.md for
// the formulas.
#include "planner/comm/cost.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"

namespace memwall {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr int kNumProtocols = 3;

// nccl src/graph/tuning.cc baseLat[algo][proto], microseconds: LL, LL128,
// Simple.
constexpr double kBaseRingUs[kNumProtocols] = {6.6, 14.0, 8.4};
constexpr double kBaseTreeUs[kNumProtocols] = {6.8, 14.0, 8.4};
// tuning.cc hwLat for NVLS (Simple only), NVLink.
constexpr double kNvlsLatencyUs = 25.0;

// A level's latency_s is the Simple protocol's per-step latency; LL and LL128
// scale it by the ratio of tuning.cc's Ring hwLat entries for the link kind
// (NVLink .6/1.9/3.4, PCI 1.0/2.5/5.7, NET 2.7/4.0/14.0 us).
double LatencyRatio(LinkKind kind, int protocol) {
  static constexpr double kNvlink[kNumProtocols] = {0.6 / 3.4, 1.9 / 3.4, 1.0};
  static constexpr double kPci[kNumProtocols] = {1.0 / 5.7, 2.5 / 5.7, 1.0};
  static constexpr double kNet[kNumProtocols] = {2.7 / 14.0, 4.0 / 14.0, 1.0};
  switch (kind) {
    case NVLINK:
      return kNvlink[protocol];
    case PCIE:
      return kPci[protocol];
    case NETWORK:
      return kNet[protocol];
    default:
      return 1.0;
  }
}

// Bandwidth of each protocol relative to Simple (tuning.cc): Ring LL x0.5,
// LL128 x0.92.
constexpr double kRingProtocolFactor[kNumProtocols] = {0.5, 0.92, 1.0};

struct Context {
  const NetworkModel* net;
  Collective op;
  double bytes;
  int64_t n;
  GroupSpan span;
  int64_t nodes;  // level-0 domains the group spans
  // Ring (and tree) bandwidth: min over used levels l of m[l-1] x B_l (m[-1] =
  // 1).
  double ring_bw;
  int ring_bottleneck;
  bool ll128_ok;  // LL128 only where every used level is NVLink or a network
                  // (tuning.cc)
};

int64_t MembersBelow(const GroupSpan& span, int level) {
  return level == 0 ? 1 : span.members_per_domain[level - 1];
}

bool LevelUsed(const GroupSpan& span, int level) {
  return level <= span.top_level &&
         span.members_per_domain[level] > MembersBelow(span, level);
}

double Alpha(const Context& c, int level, int protocol) {
  const LevelModel& l = c.net->levels[level];
  return l.latency_s * LatencyRatio(l.kind, protocol);
}

// Level whose latency a step inside a node pays (0), and one that crosses nodes
// (top).
int IntraLevel() { return 0; }

struct Candidate {
  double time_s = kInf;
  int bottleneck = -1;
};

Candidate Ring(const Context& c, int p) {
  double nsteps, factor;
  int64_t inter;
  switch (c.op) {
    case Collective::kAllReduce:
      nsteps = 2.0 * (c.n - 1);
      factor = 2.0 * (c.n - 1) / c.n;
      inter = 2 * (c.nodes - 1);
      break;
    case Collective::kAllGather:
    case Collective::kReduceScatter:
      nsteps = c.n - 1;
      factor = static_cast<double>(c.n - 1) / c.n;
      inter = c.nodes - 1;
      break;
    case Collective::kBroadcast:
    case Collective::kReduce:
      nsteps = c.n - 1;
      factor = 1.0;
      inter = c.nodes - 1;
      break;
    default:
      return {};
  }
  if (c.span.members_per_domain[0] == 1) inter = static_cast<int64_t>(nsteps);
  const double latency = kBaseRingUs[p] * 1e-6 +
                         (nsteps - inter) * Alpha(c, IntraLevel(), p) +
                         inter * Alpha(c, c.span.top_level, p);
  return {latency + c.bytes * factor / (c.ring_bw * kRingProtocolFactor[p]),
          c.ring_bottleneck};
}

Candidate Tree(const Context& c, int p) {
  if (c.op != Collective::kAllReduce) return {};
  // tuning.cc: Tree AllReduce x0.92 (Simple); LL x1/3.8; LL128 x7/9 on one
  // node, 120/128 on several; then algbw = busBw x 0.5.
  static constexpr double kTreeFactor[kNumProtocols] = {1.0 / 3.8, 0.0, 0.92};
  const double ll128 = c.nodes > 1 ? 120.0 / 128.0 : 7.0 / 9.0;
  const double factor = p == 1 ? ll128 : kTreeFactor[p];
  const double log_nodes = std::ceil(std::log2(static_cast<double>(c.nodes)));
  const double latency =
      kBaseTreeUs[p] * 1e-6 +
      2.0 * ((c.span.members_per_domain[0] - 1) * Alpha(c, IntraLevel(), p) +
             log_nodes * Alpha(c, c.span.top_level, p));
  return {latency + c.bytes / (0.5 * factor * c.ring_bw), c.ring_bottleneck};
}

// Phase by phase over the used levels, each a ring among the level's k = m[l] /
// m[l-1] domains on the shard S / m[l-1], one after the other.
Candidate Hierarchical(const Context& c, int p) {
  double phase_factor;  // bytes moved per rank per level, in units of (k-1)/k x
                        // shard
  double step_factor;   // latency steps per level, in units of (k-1)
  switch (c.op) {
    case Collective::kAllReduce:
      phase_factor = 2.0;
      step_factor = 2.0;
      break;
    case Collective::kAllGather:
    case Collective::kReduceScatter:
      phase_factor = 1.0;
      step_factor = 1.0;
      break;
    case Collective::kBroadcast:
    case Collective::kReduce:
      phase_factor = -1.0;  // pipelined chain: S / (m[l-1] B_l) per level
      step_factor = 1.0;
      break;
    default:
      return {};
  }
  int used = 0;
  for (int l = 0; l <= c.span.top_level; ++l) used += LevelUsed(c.span, l) ? 1 : 0;
  if (used < 2) return {};  // on one level it is the ring
  Candidate out;
  double total = kBaseRingUs[p] * 1e-6;
  double worst = -1;
  for (int l = 0; l <= c.span.top_level; ++l) {
    if (!LevelUsed(c.span, l)) continue;
    const double below = static_cast<double>(MembersBelow(c.span, l));
    const double k = c.span.members_per_domain[l] / below;
    const double bw =
        c.net->levels[l].bandwidth_bytes_per_s * kRingProtocolFactor[p];
    const double moved = phase_factor > 0
                             ? phase_factor * (k - 1) / k * c.bytes / below
                             : c.bytes / below;
    const double t_bw = moved / bw;
    total += t_bw + step_factor * (k - 1) * Alpha(c, l, p);
    if (t_bw > worst) {
      worst = t_bw;
      out.bottleneck = l;
    }
  }
  out.time_s = total;
  return out;
}

Candidate Nvls(const Context& c, int p) {
  const LevelModel& l0 = c.net->levels[0];
  if (c.op != Collective::kAllReduce || p != 2 || !l0.in_network_reduction ||
      c.span.top_level != 0) {
    return {};
  }
  const double factor = 2.0 * (c.n - 1) / c.n;
  return {kNvlsLatencyUs * 1e-6 +
              c.bytes * factor / l0.in_network_busbw_bytes_per_s,
          0};
}

// NVLS reduce-scatter/all-gather inside each node, pipelined with a
// hierarchical all-reduce of the node's shards between nodes: the slower of the
// two phases.
Candidate NvlsTree(const Context& c, int p) {
  const LevelModel& l0 = c.net->levels[0];
  const int64_t q = c.span.members_per_domain[0];
  if (c.op != Collective::kAllReduce || p != 2 || !l0.in_network_reduction ||
      c.span.top_level < 1 || q < 2) {
    return {};
  }
  Candidate out{0, 0};
  double slowest =
      c.bytes * 2.0 * (q - 1) / q / l0.in_network_busbw_bytes_per_s;
  for (int l = 1; l <= c.span.top_level; ++l) {
    if (!LevelUsed(c.span, l)) continue;
    const double below = static_cast<double>(MembersBelow(c.span, l));
    const double k = c.span.members_per_domain[l] / below;
    const double t = 2.0 * (k - 1) / k * c.bytes / below /
                     c.net->levels[l].bandwidth_bytes_per_s;
    if (t > slowest) {
      slowest = t;
      out.bottleneck = l;
    }
  }
  const double log_nodes = std::ceil(std::log2(static_cast<double>(c.nodes)));
  out.time_s = kNvlsLatencyUs * 1e-6 +
               2.0 * log_nodes * Alpha(c, c.span.top_level, p) + slowest;
  return out;
}

Candidate Direct(const Context& c, int p) {
  if (p == 1) return {};  // point-to-point uses LL or Simple
  const double bw_factor = kRingProtocolFactor[p];
  const int64_t m0 = c.span.members_per_domain[0];
  Candidate out;
  if (c.op == Collective::kSendRecv) {
    double bw = kInf;
    for (int l = 0; l <= c.span.top_level; ++l) {
      if (!LevelUsed(c.span, l)) continue;
      if (c.net->levels[l].bandwidth_bytes_per_s < bw) {
        bw = c.net->levels[l].bandwidth_bytes_per_s;
        out.bottleneck = l;
      }
    }
    out.time_s = kBaseRingUs[p] * 1e-6 + Alpha(c, c.span.top_level, p) +
                 c.bytes / (bw * bw_factor);
    return out;
  }
  if (c.op != Collective::kAllToAll) return {};
  // Bytes each rank sends over level l: to peers in its node over level 0 ((m0
  // - 1)/n of S), to peers outside its level-(l-1) domain over level l >= 1 ((n
  // - m[l-1])/n of S).
  double slowest = 0;
  for (int l = 0; l <= c.span.top_level; ++l) {
    if (!LevelUsed(c.span, l)) continue;
    const double peers =
        l == 0 ? static_cast<double>(m0 - 1)
               : static_cast<double>(c.n - MembersBelow(c.span, l));
    const double t = peers / c.n * c.bytes /
                     (c.net->levels[l].bandwidth_bytes_per_s * bw_factor);
    if (t >= slowest) {
      slowest = t;
      out.bottleneck = l;
    }
  }
  out.time_s = kBaseRingUs[p] * 1e-6 + (m0 - 1) * Alpha(c, IntraLevel(), p) +
               (c.n - m0) * Alpha(c, c.span.top_level, p) + slowest;
  return out;
}

Candidate Evaluate(const Context& c, Algorithm algorithm, int p) {
  switch (algorithm) {
    case Algorithm::kRing:
      return Ring(c, p);
    case Algorithm::kTree:
      return Tree(c, p);
    case Algorithm::kHierarchical:
      return Hierarchical(c, p);
    case Algorithm::kNvls:
      return Nvls(c, p);
    case Algorithm::kNvlsTree:
      return NvlsTree(c, p);
    case Algorithm::kDirect:
      return Direct(c, p);
    default:
      return {};
  }
}

constexpr Algorithm kAutoCandidates[] = {
    Algorithm::kRing, Algorithm::kTree,     Algorithm::kHierarchical,
    Algorithm::kNvls, Algorithm::kNvlsTree, Algorithm::kDirect};

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
  Context c;
  c.net = &net;
  c.op = op;
  c.bytes = bytes;
  c.n = group.size;
  c.span = SpanOf(net, group);
  const int64_t m0 = c.span.members_per_domain[0];
  c.nodes = (c.n + m0 - 1) / m0;
  c.ring_bw = kInf;
  c.ring_bottleneck = 0;
  c.ll128_ok = true;
  for (int l = 0; l <= c.span.top_level; ++l) {
    if (!LevelUsed(c.span, l)) continue;
    const double bw =
        MembersBelow(c.span, l) * net.levels[l].bandwidth_bytes_per_s;
    if (bw < c.ring_bw) {
      c.ring_bw = bw;
      c.ring_bottleneck = l;
    }
    const LinkKind kind = net.levels[l].kind;
    if (kind != NVLINK && kind != NETWORK) c.ll128_ok = false;
  }
  Candidate best;
  Algorithm best_algorithm = algorithm;
  int best_protocol = 2;
  const bool automatic = algorithm == Algorithm::kAuto;
  const Algorithm* first = automatic ? std::begin(kAutoCandidates) : &algorithm;
  const Algorithm* last =
      automatic ? std::end(kAutoCandidates) : &algorithm + 1;
  for (const Algorithm* a = first; a != last; ++a) {
    for (int p = 0; p < kNumProtocols; ++p) {
      if (p == 1 && !c.ll128_ok) continue;
      const Candidate candidate = Evaluate(c, *a, p);
      if (candidate.time_s < best.time_s) {
        best = candidate;
        best_algorithm = *a;
        best_protocol = p;
      }
    }
  }
  cost.algorithm =
      best_algorithm == Algorithm::kAuto ? Algorithm::kRing : best_algorithm;
  cost.protocol = static_cast<Protocol>(best_protocol);
  cost.time_s = best.time_s;
  cost.bottleneck_level = best.bottleneck;
  if (best.time_s > 0 && best.time_s < kInf) {
    cost.algbw_bytes_per_s = bytes / best.time_s;
    cost.busbw_bytes_per_s = cost.algbw_bytes_per_s * BusBwFactor(op, c.n);
  }
  return cost;
}

absl::StatusOr<CollectiveCost> CheckedCollectiveTime(const NetworkModel& net,
                                                     Collective op,
                                                     double bytes,
                                                     GroupShape group,
                                                     Algorithm algorithm) {
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
  CollectiveCost cost = CollectiveTime(net, op, bytes, group, algorithm);
  if (!(cost.time_s < kInf)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "algorithm=", AlgorithmName(algorithm), " does not apply to ",
        CollectiveName(op), " on this group and cluster"));
  }
  return cost;
}

}  // namespace memwall
