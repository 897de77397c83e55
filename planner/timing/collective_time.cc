#include "planner/timing/collective_time.h"

namespace memwall {
namespace {

double IntraBw(const ClusterParams& c) {
  return c.intra_bandwidth_bytes_per_s * c.network_efficiency;
}
double InterBw(const ClusterParams& c) {
  return c.inter_bandwidth_bytes_per_s * c.network_efficiency;
}

// One ring phase (reduce-scatter or all-gather) over `p` ranks: (p-1) steps of
// S/p.
double RingPhase(double p, double bytes, double bw, double latency) {
  if (p <= 1) return 0.0;
  return (p - 1) * latency + (p - 1) / p * bytes / bw;
}

// A reduce-scatter or all-gather: flat ring, or two-level (intra-node phase on
// S, then inter-node phase on S/q over the q NICs of the node's ranks),
// whichever is faster.
double OnePhase(const ClusterParams& c, const GroupPlacement& g, double bytes) {
  const double p = static_cast<double>(g.size);
  const double q = static_cast<double>(g.per_node);
  const double n = static_cast<double>(g.nodes());
  if (n <= 1) return RingPhase(p, bytes, IntraBw(c), c.intra_latency_s);
  // Flat ring, one ring per NIC: the inter-node links carry (p-1)/p S shared
  // over q rings.
  const double flat =
      (p - 1) * c.inter_latency_s + (p - 1) / p * bytes / (q * InterBw(c));
  const double hier = RingPhase(q, bytes, IntraBw(c), c.intra_latency_s) +
                      RingPhase(n, bytes / q, InterBw(c), c.inter_latency_s);
  return std::min(flat, hier);
}

}  // namespace

double AllReduceTime(const ClusterParams& c, const GroupPlacement& g,
                     double bytes) {
  return 2.0 * OnePhase(c, g, bytes);
}

double AllGatherTime(const ClusterParams& c, const GroupPlacement& g,
                     double bytes) {
  return OnePhase(c, g, bytes);
}

double ReduceScatterTime(const ClusterParams& c, const GroupPlacement& g,
                         double bytes) {
  return OnePhase(c, g, bytes);
}

double AllToAllTime(const ClusterParams& c, const GroupPlacement& g,
                    double bytes) {
  const double p = static_cast<double>(g.size);
  if (p <= 1) return 0.0;
  const double n = static_cast<double>(g.nodes());
  if (n <= 1)
    return (p - 1) * c.intra_latency_s + (p - 1) / p * bytes / IntraBw(c);
  // A fraction (N-1)/N of the data crosses nodes, each rank on its own NIC
  // (collectives.md 2.3: all-to-all gains nothing from hierarchy).
  return (p - 1) * c.inter_latency_s + (n - 1) / n * bytes / InterBw(c);
}

double SendRecvTime(const ClusterParams& c, bool across_nodes, double bytes) {
  return across_nodes ? c.inter_latency_s + bytes / InterBw(c)
                      : c.intra_latency_s + bytes / IntraBw(c);
}

}  // namespace memwall
