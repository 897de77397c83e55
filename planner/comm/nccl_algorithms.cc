#include "planner/comm/nccl_algorithms.h"

#include <cmath>

namespace memwall::nccl_model {
namespace {

// nccl src/graph/tuning.cc baseLat[algo][proto], microseconds: LL, LL128,
// Simple.
constexpr double kBaseRingUs[kNumProtocols] = {6.6, 14.0, 8.4};
constexpr double kBaseTreeUs[kNumProtocols] = {6.8, 14.0, 8.4};
constexpr double kRingSimpleMultiNodeFactor = 1.4;
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

int64_t MembersBelow(const GroupSpan& span, int level) {
  return level == 0 ? 1 : span.members_per_domain[level - 1];
}

bool LevelUsed(const GroupSpan& span, int level) {
  return level <= span.top_level &&
         span.members_per_domain[level] > MembersBelow(span, level);
}

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
  // tuning.cc: Ring/Simple latency x1.4 on several nodes (the "plateau"
  // effect; 1.9 before SM80, not modelled).
  if (c.nodes > 1) s->latency_s[2] *= kRingSimpleMultiNodeFactor;
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

}  // namespace

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

Context MakeContext(const NetworkModel& net, Collective op, double bytes,
                    GroupShape group) {
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

  return c;
}

}  // namespace memwall::nccl_model
