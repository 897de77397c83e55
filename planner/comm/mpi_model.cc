// Open MPI collective predictions; see mpi_model.h and docs/communication.md.
#include "planner/comm/mpi_model.h"

#include <algorithm>
#include <cmath>
#include <iterator>

#include "absl/strings/str_cat.h"

namespace memwall {
namespace {

constexpr const char* kNames[] = {
    "tuned_default",     "linear",      "ring",  "recursive_doubling",
    "recursive_halving", "pairwise",    "bruck", "binomial",
    "pipeline",          "hierarchical"};

struct Net {
  const NetworkModel* net;
  GroupSpan span;
  int64_t n;
  double gamma_s_per_byte;
};

int64_t Below(const GroupSpan& span, int l) {
  return l == 0 ? 1 : span.members_per_domain[l - 1];
}

bool Used(const GroupSpan& span, int l) {
  return l <= span.top_level && span.members_per_domain[l] > Below(span, l);
}

// Level that carries traffic between group members `distance` apart (aligned
// blocks).
int LevelOf(const Net& c, int64_t distance) {
  for (int l = 0; l < c.span.top_level; ++l) {
    if (distance < c.span.members_per_domain[l]) return l;
  }
  return std::max(0, c.span.top_level);
}

double Alpha(const Net& c, int l) { return c.net->levels[l].latency_s; }

// Per-rank share when every rank of the node talks over the level at once.
double Shared(const Net& c, int l) {
  return c.net->levels[l].bandwidth_bytes_per_s;
}

// One flow: on levels >= 1 it may use the NIC of every group member that shares
// it.
double Flow(const Net& c, int l) {
  const double bw = c.net->levels[l].bandwidth_bytes_per_s;
  if (l == 0) return bw;
  return bw * static_cast<double>(std::min<int64_t>(
                  c.net->gpus_per_nic, c.span.members_per_domain[0]));
}

// Slowest single flow of a ring or chain through all members.
double ChainBw(const Net& c) {
  double bw = 1e300;
  for (int l = 0; l <= c.span.top_level; ++l) {
    if (Used(c.span, l)) bw = std::min(bw, Flow(c, l));
  }
  return bw;
}

double Top(const Net& c) { return Alpha(c, std::max(0, c.span.top_level)); }

int Log2Ceil(int64_t n) {
  int k = 0;
  while ((int64_t{1} << k) < n) ++k;
  return k;
}

int64_t Pow2Floor(int64_t n) {
  int64_t p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}

// Recursive doubling of a message growing from S/p (all_gather) or of S
// (all_reduce).
double RecursiveDoubling(const Net& c, double bytes, bool grow, double gamma) {
  const int64_t p = Pow2Floor(c.n);
  double t = 0;
  for (int64_t d = 1; d < p; d *= 2) {
    const int l = LevelOf(c, d);
    const double m = grow ? bytes * static_cast<double>(d) / c.n : bytes;
    t += Alpha(c, l) + m / Shared(c, l) + m * gamma;
  }
  if (p != c.n) {  // the extra ranks fold in before and out after: two more
                   // full steps
    const int l = c.span.top_level;
    t += 2 * (Alpha(c, l) + bytes / Flow(c, l)) + bytes * gamma;
  }
  return t;
}

// Recursive halving reduce-scatter: distance p/2, p/4, ...; message S/2, S/4,
// ...
double RecursiveHalving(const Net& c, double bytes, double gamma) {
  const int64_t p = Pow2Floor(c.n);
  double t = 0;
  double m = bytes;
  for (int64_t d = p / 2; d >= 1; d /= 2) {
    m /= 2;
    const int l = LevelOf(c, d);
    t += Alpha(c, l) + m / Shared(c, l) + m * gamma;
  }
  if (p != c.n) {
    const int l = c.span.top_level;
    t += Alpha(c, l) + bytes / Flow(c, l) + bytes * gamma;
  }
  return t;
}

double Binomial(const Net& c, double bytes, double gamma) {
  double t = 0;
  for (int64_t d = Pow2Floor(c.n); d >= 1; d /= 2) {
    if (d >= c.n) continue;
    const int l = LevelOf(c, d);
    t += Alpha(c, l) + bytes / Flow(c, l) + bytes * gamma;
  }
  return t;
}

double Pipeline(const Net& c, double bytes, double segment, double gamma) {
  const double seg = std::max(1.0, std::min(segment, bytes));
  const double segments = std::ceil(bytes / seg);
  return (c.n - 2 + segments) * (Top(c) + seg / ChainBw(c) + seg * gamma);
}

double Linear(const Net& c, double per_peer_bytes, double gamma) {
  const int l = std::max(0, c.span.top_level);
  return (c.n - 1) *
         (Alpha(c, l) + per_peer_bytes / Flow(c, l) + per_peer_bytes * gamma);
}

// Time each member spends sending its 1/n pieces over each level (all_to_all).
double AllToAllBandwidthTerm(const Net& c, double bytes) {
  double slowest = 0;
  for (int l = 0; l <= c.span.top_level; ++l) {
    if (!Used(c.span, l)) continue;
    const double peers =
        l == 0 ? static_cast<double>(c.span.members_per_domain[0] - 1)
               : static_cast<double>(c.n - Below(c.span, l));
    slowest = std::max(slowest, peers / c.n * bytes / Shared(c, l));
  }
  return slowest;
}

// coll/han: intra-node phase, inter-node phase between one leader per node,
// intra-node phase, pipelined by segments: the slowest phase dominates.
double Han(const Net& c, Collective op, double bytes) {
  const int64_t q = c.span.members_per_domain[0];
  const int64_t nodes = (c.n + q - 1) / q;
  const double intra = q > 1 ? bytes / Shared(c, 0) : 0;
  const int top = std::max(0, c.span.top_level);
  const double leader = top >= 1 ? Flow(c, top) : Shared(c, 0);
  const double nn = static_cast<double>(nodes);
  double inter = 0;
  double alpha = 2 * Log2Ceil(q) * Alpha(c, 0);
  switch (op) {
    case Collective::kAllReduce:
      inter = 2 * (nn - 1) / nn * bytes / leader + bytes * c.gamma_s_per_byte;
      alpha += 2 * (nodes - 1) * Top(c);
      break;
    case Collective::kAllGather:
      inter = (nn - 1) / nn * bytes / leader;
      alpha += (nodes - 1) * Top(c);
      break;
    default:  // broadcast, reduce: a pipelined chain between leaders
      inter = nodes > 1 ? bytes / leader : 0;
      alpha += (nodes - 1) * Top(c);
      break;
  }
  return alpha + std::max(intra, inter);
}

absl::Status NotFor(MpiAlgorithm a, Collective op) {
  return absl::InvalidArgumentError(
      absl::StrCat("algorithm=", MpiAlgorithmName(a), " does not implement ",
                   CollectiveName(op), " in the Open MPI model"));
}

absl::StatusOr<double> Time(const Net& c, Collective op, double s,
                            MpiAlgorithm a, const MpiOptions& o) {
  const double n = static_cast<double>(c.n);
  const double g = c.gamma_s_per_byte;
  const double top = Top(c);
  switch (op) {
    case Collective::kAllReduce:
      switch (a) {
        case MpiAlgorithm::kRing:
          return 2 * (n - 1) * top + 2 * (n - 1) / n * s / ChainBw(c) +
                 (n - 1) / n * s * g;
        case MpiAlgorithm::kRecursiveDoubling:
          return RecursiveDoubling(c, s, false, g);
        case MpiAlgorithm::kRecursiveHalving:  // Rabenseifner: RS by halving,
                                               // AG by doubling
          return RecursiveHalving(c, s, g) + RecursiveHalving(c, s, 0);
        case MpiAlgorithm::kLinear:  // reduce to the root, then broadcast from
                                     // it
          return 2 * Linear(c, s, 0) + (n - 1) * s * g;
        case MpiAlgorithm::kHierarchical:
          return Han(c, op, s);
        default:
          return NotFor(a, op);
      }
    case Collective::kAllGather:
      switch (a) {
        case MpiAlgorithm::kRing:
          return (n - 1) * top + (n - 1) / n * s / ChainBw(c);
        case MpiAlgorithm::kRecursiveDoubling:
        case MpiAlgorithm::kBruck:
        case MpiAlgorithm::kPairwise:  // two_proc: one exchange
          return RecursiveDoubling(c, s, true, 0);
        case MpiAlgorithm::kLinear:  // gather to the root, then broadcast
          return Linear(c, s / n, 0) + Linear(c, s, 0);
        case MpiAlgorithm::kHierarchical:
          return Han(c, op, s);
        default:
          return NotFor(a, op);
      }
    case Collective::kReduceScatter:
      switch (a) {
        case MpiAlgorithm::kRing:
          return (n - 1) * top + (n - 1) / n * s * (1 / ChainBw(c) + g);
        case MpiAlgorithm::kRecursiveHalving:
          return RecursiveHalving(c, s, g);
        case MpiAlgorithm::kLinear:  // reduce the whole buffer to the root,
                                     // then scatter
          return Linear(c, s, g) + Linear(c, s / n, 0);
        default:
          return NotFor(a, op);
      }
    case Collective::kAllToAll:
      switch (a) {
        case MpiAlgorithm::kPairwise:
          return (n - 1) * top + AllToAllBandwidthTerm(c, s);
        case MpiAlgorithm::kLinear:
          return top + AllToAllBandwidthTerm(c, s);
        case MpiAlgorithm::kBruck: {
          double t = 0;
          for (int64_t d = 1; d < c.n; d *= 2) {
            const int l = LevelOf(c, d);
            t += Alpha(c, l) + s / 2 / Shared(c, l);
          }
          return t;
        }
        default:
          return NotFor(a, op);
      }
    case Collective::kBroadcast:
    case Collective::kReduce: {
      const double rg = op == Collective::kReduce ? g : 0;
      switch (a) {
        case MpiAlgorithm::kBinomial:
          return Binomial(c, s, rg);
        case MpiAlgorithm::kPipeline:
          return Pipeline(c, s, o.segment_bytes, rg);
        case MpiAlgorithm::kLinear:
          return Linear(c, s, rg);
        case MpiAlgorithm::kHierarchical:
          return Han(c, op, s) + s * rg;
        default:
          return NotFor(a, op);
      }
    }
    case Collective::kSendRecv:
      if (a != MpiAlgorithm::kRing && a != MpiAlgorithm::kPairwise)
        return NotFor(a, op);
      return top + s / ChainBw(c);
  }
  return NotFor(a, op);
}

}  // namespace

const char* MpiAlgorithmName(MpiAlgorithm algorithm) {
  return kNames[static_cast<int>(algorithm)];
}

absl::StatusOr<MpiAlgorithm> ParseMpiAlgorithm(const std::string& name,
                                               const std::string& field) {
  for (int i = 0; i < static_cast<int>(std::size(kNames)); ++i) {
    if (name == kNames[i]) return static_cast<MpiAlgorithm>(i);
  }
  return absl::InvalidArgumentError(absl::StrCat(
      field, "=", name,
      " is not an Open MPI algorithm (tuned_default, linear, ring, "
      "recursive_doubling, "
      "recursive_halving, pairwise, bruck, binomial, pipeline, hierarchical)"));
}

absl::StatusOr<MpiCost> PredictOpenMpi(const NetworkModel& net, Collective op,
                                       double bytes, GroupShape group,
                                       MpiAlgorithm algorithm,
                                       const MpiOptions& options) {
  if (absl::Status s = CheckCollectiveRequest(net, bytes, group); !s.ok()) {
    return s;
  }
  if (!(options.segment_bytes > 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("segment_bytes=", options.segment_bytes, " must be > 0"));
  }
  if (options.reduce_bytes_per_s < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("reduce_bytes_per_s=", options.reduce_bytes_per_s,
                     " must be >= 0 (0 = free)"));
  }
  MpiCost result;
  result.mpi_algorithm = algorithm;
  if (algorithm == MpiAlgorithm::kTunedDefault) {
    result.mpi_algorithm = OpenMpiTunedChoice(op, bytes, group.size);
    if (result.mpi_algorithm == MpiAlgorithm::kTunedDefault) {
      return absl::InvalidArgumentError(
          absl::StrCat("algorithm=tuned_default is modelled for communicators "
                       "of 2 to 7 ranks; group_size=",
                       group.size, ": name the algorithm"));
    }
  }
  if (group.size == 1) return result;
  Net c{
      &net, SpanOf(net, group), group.size,
      options.reduce_bytes_per_s > 0 ? 1.0 / options.reduce_bytes_per_s : 0.0};
  absl::StatusOr<double> t = Time(c, op, bytes, result.mpi_algorithm, options);
  if (!t.ok()) return t.status();
  result.cost.time_s = *t;
  result.cost.bottleneck_level = c.span.top_level;
  if (*t > 0) {
    result.cost.algbw_bytes_per_s = bytes / *t;
    result.cost.busbw_bytes_per_s =
        result.cost.algbw_bytes_per_s * BusBwFactor(op, group.size);
  }
  return result;
}

double TcpGoodputBytesPerS(double rate_bits_per_s) {
  return rate_bits_per_s / 8.0 * 1448.0 / 1514.0;
}

ClusterSpec EmulatedTcpCluster(int64_t nodes, int64_t ranks_per_node,
                               double rate_bits_per_s,
                               double shared_memory_bytes_per_s) {
  ClusterSpec c;
  c.set_name(absl::StrCat("netns-", nodes, "x", ranks_per_node, "-tcp"));
  c.set_source(
      "emulated: network namespaces, veth + bridge, tbf on both directions; "
      "TCP goodput = "
      "rate/8 x 1448/1514");
  c.set_gpus_per_node(ranks_per_node);
  c.set_num_nodes(nodes);
  c.set_nics_per_node(1);
  c.set_nic_line_rate_bytes_per_s(rate_bits_per_s / 8.0);
  c.mutable_gpu()->set_name("cpu-rank");
  c.mutable_gpu()->set_hbm_bytes(int64_t{1} << 30);
  NetworkLevel* shm = c.add_levels();
  shm->set_name("shared-memory");
  shm->set_kind(SHARED_MEMORY);
  shm->set_domain_size(ranks_per_node);
  shm->set_bandwidth_bytes_per_s(shared_memory_bytes_per_s);
  NetworkLevel* tcp = c.add_levels();
  tcp->set_name("tcp");
  tcp->set_kind(NETWORK);
  tcp->set_domain_size(0);
  tcp->set_bandwidth_bytes_per_s(TcpGoodputBytesPerS(rate_bits_per_s) /
                                 static_cast<double>(ranks_per_node));
  tcp->set_line_rate_bytes_per_s(rate_bits_per_s / 8.0 /
                                 static_cast<double>(ranks_per_node));
  return c;
}

}  // namespace memwall
