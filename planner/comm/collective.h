// The collectives memwall models and their nccl-tests size and bus-bandwidth
// conventions (nccl-tests src/<coll>.cu and doc/PERFORMANCE.md): algbw = S/t
// with S as nccl-tests defines it per collective, busbw = algbw x factor(n).
//   all_reduce                      S = buffer per rank            factor
//   2(n-1)/n all_gather                      S = whole gathered buffer factor
//   (n-1)/n reduce_scatter                  S = whole input buffer factor
//   (n-1)/n all_to_all                      S = send buffer per rank factor
//   (n-1)/n broadcast, reduce, send_recv    S = buffer per rank factor 1
#ifndef MEMWALL_PLANNER_COMM_COLLECTIVE_H_
#define MEMWALL_PLANNER_COMM_COLLECTIVE_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace memwall {

enum class Collective : uint8_t {
  kAllReduce,
  kAllGather,
  kReduceScatter,
  kAllToAll,
  kBroadcast,
  kReduce,
  kSendRecv,  // nccl-tests sendrecv: each rank sends S to rank+1 and receives
              // from rank-1
};

inline constexpr int kNumCollectives = 7;

// "all_reduce", "all_gather", ... (nccl-tests program names without "_perf").
const char* CollectiveName(Collective op);
// Accepts the names above; InvalidArgument naming `field` and the value
// otherwise.
absl::StatusOr<Collective> ParseCollective(const std::string& name,
                                           const std::string& field = "op");

// nccl-tests busbw factor for a group of n ranks (1 for n = 1 rootless
// collectives: 0).
inline double BusBwFactor(Collective op, int64_t n) {
  if (n <= 1)
    return op == Collective::kAllReduce || op == Collective::kAllGather ||
                   op == Collective::kReduceScatter ||
                   op == Collective::kAllToAll
               ? 0.0
               : 1.0;
  const double dn = static_cast<double>(n);
  switch (op) {
    case Collective::kAllReduce:
      return 2.0 * (dn - 1.0) / dn;
    case Collective::kAllGather:
    case Collective::kReduceScatter:
    case Collective::kAllToAll:
      return (dn - 1.0) / dn;
    default:
      return 1.0;
  }
}

}  // namespace memwall

#endif  // MEMWALL_PLANNER_COMM_COLLECTIVE_H_
