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
  int64_t m0;     // members inside one node
  int64_t nodes;  // level-0 domains the group spans
  double log_nodes;
  // Ring (and tree) bandwidth: min over used levels l of m[l-1] x B_l (m[-1] =
  // 1).
  double ring_bw;
  int ring_bottleneck;
  int used_levels;
  // Per-step latency of each protocol inside a node (level 0) and across the
  // top level.
  double alpha_intra[kNumProtocols];
  double alpha_top[kNumProtocols];
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

// An algorithm's cost, split so that the protocols are cheap to compare:
// time[p] = latency_s[p] + bandwidth_s / factor[p]; factor 0 = protocol not
// used.
struct Shape {
  double latency_s[kNumProtocols] = {0, 0, 0};
  double bandwidth_s = kInf;  // the bandwidth term at the Simple protocol
  double factor[kNumProtocols] = {0, 0, 0};
  int bottleneck = -1;
};

void SetFactors(Shape* s, double ll, double ll128, double simple) {
  s->factor[0] = ll;
  s->factor[1] = ll128;
  s->factor[2] = simple;
}

bool Ring(const Context& c, Shape* s) {
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
      return false;
  }
  if (c.m0 == 1) inter = static_cast<int64_t>(nsteps);
  for (int p = 0; p < kNumProtocols; ++p) {
    s->latency_s[p] = kBaseRingUs[p] * 1e-6 +
                      (nsteps - inter) * c.alpha_intra[p] +
                      inter * c.alpha_top[p];
  }
  s->bandwidth_s = c.bytes * factor / c.ring_bw;
  SetFactors(s, kRingProtocolFactor[0], kRingProtocolFactor[1],
             kRingProtocolFactor[2]);
  s->bottleneck = c.ring_bottleneck;
  return true;
}

// tuning.cc: Tree AllReduce x0.92 (Simple), LL x1/3.8, LL128 x7/9 on one node
// and 120/128 on several; then algbw = busBw x 0.5.
bool Tree(const Context& c, Shape* s) {
  if (c.op != Collective::kAllReduce) return false;
  for (int p = 0; p < kNumProtocols; ++p) {
    s->latency_s[p] =
        kBaseTreeUs[p] * 1e-6 +
        2.0 * ((c.m0 - 1) * c.alpha_intra[p] + c.log_nodes * c.alpha_top[p]);
  }
  s->bandwidth_s = c.bytes / (0.5 * c.ring_bw);
  SetFactors(s, 1.0 / 3.8, c.nodes > 1 ? 120.0 / 128.0 : 7.0 / 9.0, 0.92);
  s->bottleneck = c.ring_bottleneck;
  return true;
}

// Phase by phase over the used levels, each a ring among the level's
// k = m[l] / m[l-1] domains on the shard S / m[l-1], one after the other.
bool Hierarchical(const Context& c, Shape* s) {
  double phase_factor;  // bytes per rank per level, in (k-1)/k x shard
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
      return false;
  }
  if (c.used_levels < 2) return false;  // on one level it is the ring
  for (int p = 0; p < kNumProtocols; ++p)
    s->latency_s[p] = kBaseRingUs[p] * 1e-6;
  s->bandwidth_s = 0;
  double worst = -1;
  for (int l = 0; l <= c.span.top_level; ++l) {
    if (!LevelUsed(c.span, l)) continue;
    const LevelModel& level = c.net->levels[l];
    const double below = static_cast<double>(MembersBelow(c.span, l));
    const double k = c.span.members_per_domain[l] / below;
    const double moved = phase_factor > 0
                             ? phase_factor * (k - 1) / k * c.bytes / below
                             : c.bytes / below;
    const double t_bw = moved / level.bandwidth_bytes_per_s;
    s->bandwidth_s += t_bw;
    for (int p = 0; p < kNumProtocols; ++p) {
      s->latency_s[p] +=
          step_factor * (k - 1) * level.latency_s * LatencyRatio(level.kind, p);
    }
    if (t_bw > worst) {
      worst = t_bw;
      s->bottleneck = l;
    }
  }
  SetFactors(s, kRingProtocolFactor[0], kRingProtocolFactor[1],
             kRingProtocolFactor[2]);
  return true;
}

bool Nvls(const Context& c, Shape* s) {
  const LevelModel& l0 = c.net->levels[0];
  if (c.op != Collective::kAllReduce || !l0.in_network_reduction ||
      c.span.top_level != 0) {
    return false;
  }
  s->latency_s[2] = kNvlsLatencyUs * 1e-6;
  s->bandwidth_s =
      c.bytes * 2.0 * (c.n - 1) / c.n / l0.in_network_busbw_bytes_per_s;
  SetFactors(s, 0, 0, 1);
  s->bottleneck = 0;
  return true;
}

// NVLS reduce-scatter/all-gather inside each node, pipelined with a
// hierarchical all-reduce of the node's shards between nodes: the slower of
// the two phases.
bool NvlsTree(const Context& c, Shape* s) {
  const LevelModel& l0 = c.net->levels[0];
  if (c.op != Collective::kAllReduce || !l0.in_network_reduction ||
      c.span.top_level < 1 || c.m0 < 2) {
    return false;
  }
  s->bottleneck = 0;
  double slowest =
      c.bytes * 2.0 * (c.m0 - 1) / c.m0 / l0.in_network_busbw_bytes_per_s;
  for (int l = 1; l <= c.span.top_level; ++l) {
    if (!LevelUsed(c.span, l)) continue;
    const double below = static_cast<double>(MembersBelow(c.span, l));
    const double k = c.span.members_per_domain[l] / below;
    const double t = 2.0 * (k - 1) / k * c.bytes / below /
                     c.net->levels[l].bandwidth_bytes_per_s;
    if (t > slowest) {
      slowest = t;
      s->bottleneck = l;
    }
  }
  s->latency_s[2] = kNvlsLatencyUs * 1e-6 + 2.0 * c.log_nodes * c.alpha_top[2];
  s->bandwidth_s = slowest;
  SetFactors(s, 0, 0, 1);
  return true;
}

// Point-to-point (LL or Simple): send_recv, and all_to_all as one message per
// peer, (n - 1) steps.
bool Direct(const Context& c, Shape* s) {
  if (c.op == Collective::kSendRecv) {
    double bw = kInf;
    for (int l = 0; l <= c.span.top_level; ++l) {
      if (LevelUsed(c.span, l) && c.net->levels[l].bandwidth_bytes_per_s < bw) {
        bw = c.net->levels[l].bandwidth_bytes_per_s;
        s->bottleneck = l;
      }
    }
    for (int p = 0; p < kNumProtocols; ++p) {
      s->latency_s[p] = kBaseRingUs[p] * 1e-6 + c.alpha_top[p];
    }
    s->bandwidth_s = c.bytes / bw;
  } else if (c.op == Collective::kAllToAll) {
    // Bytes each rank sends over level l: to peers in its node over level 0
    // ((m0 - 1)/n of S), to peers outside its level-(l-1) domain over level
    // l >= 1 ((n - m[l-1])/n of S).
    double slowest = 0;
    for (int l = 0; l <= c.span.top_level; ++l) {
      if (!LevelUsed(c.span, l)) continue;
      const double peers =
          l == 0 ? static_cast<double>(c.m0 - 1)
                 : static_cast<double>(c.n - MembersBelow(c.span, l));
      const double t =
          peers / c.n * c.bytes / c.net->levels[l].bandwidth_bytes_per_s;
      if (t >= slowest) {
        slowest = t;
        s->bottleneck = l;
      }
    }
    for (int p = 0; p < kNumProtocols; ++p) {
      s->latency_s[p] = kBaseRingUs[p] * 1e-6 + (c.m0 - 1) * c.alpha_intra[p] +
                        (c.n - c.m0) * c.alpha_top[p];
    }
    s->bandwidth_s = slowest;
  } else {
    return false;
  }
  SetFactors(s, kRingProtocolFactor[0], 0, kRingProtocolFactor[2]);
  return true;
}

bool ShapeOf(const Context& c, Algorithm algorithm, Shape* s) {
  switch (algorithm) {
    case Algorithm::kRing:
      return Ring(c, s);
    case Algorithm::kTree:
      return Tree(c, s);
    case Algorithm::kHierarchical:
      return Hierarchical(c, s);
    case Algorithm::kNvls:
      return Nvls(c, s);
    case Algorithm::kNvlsTree:
      return NvlsTree(c, s);
    case Algorithm::kDirect:
      return Direct(c, s);
    default:
      return false;
  }
}

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
  Context c;
  c.net = &net;
  c.op = op;
  c.bytes = bytes;
  c.n = group.size;
  c.span = SpanOf(net, group);
  c.m0 = c.span.members_per_domain[0];
  c.nodes = (c.n + c.m0 - 1) / c.m0;
  c.log_nodes =
      c.nodes > 1 ? std::ceil(std::log2(static_cast<double>(c.nodes))) : 0;
  c.ring_bw = kInf;
  c.ring_bottleneck = 0;
  c.used_levels = 0;
  c.ll128_ok = true;
  for (int l = 0; l <= c.span.top_level; ++l) {
    if (!LevelUsed(c.span, l)) continue;
    ++c.used_levels;
    const double bw =
        MembersBelow(c.span, l) * net.levels[l].bandwidth_bytes_per_s;
    if (bw < c.ring_bw) {
      c.ring_bw = bw;
      c.ring_bottleneck = l;
    }
    const LinkKind kind = net.levels[l].kind;
    if (kind != NVLINK && kind != NETWORK) c.ll128_ok = false;
  }
  const LevelModel& intra = net.levels[0];
  const LevelModel& top = net.levels[c.span.top_level];
  for (int p = 0; p < kNumProtocols; ++p) {
    c.alpha_intra[p] = intra.latency_s * LatencyRatio(intra.kind, p);
    c.alpha_top[p] = top.latency_s * LatencyRatio(top.kind, p);
  }

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
    if (!ShapeOf(c, *a, &s)) continue;
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
