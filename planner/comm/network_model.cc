#include "planner/comm/network_model.h"

#include <algorithm>
#include <limits>

#include "planner/comm/cluster_validate.h"
#include "planner/comm/efficiency.h"

namespace memwall {

absl::StatusOr<NetworkModel> BuildNetworkModel(const ClusterSpec& cluster) {
  if (absl::Status s = ValidateCluster(cluster); !s.ok()) return s;
  const double efficiency = EfficiencyOf(cluster).network;
  NetworkModel net;
  net.gpus_per_node = cluster.gpus_per_node();
  net.gpus_per_nic = cluster.nics_per_node() > 0
                         ? std::max<int64_t>(1, cluster.gpus_per_node() /
                                                    cluster.nics_per_node())
                         : 1;
  net.num_levels = cluster.levels_size();
  for (int i = 0; i < net.num_levels; ++i) {
    const NetworkLevel& in = cluster.levels(i);
    LevelModel& out = net.levels[i];
    if (i == 0) {
      out.domain_size = cluster.gpus_per_node();
    } else {
      out.domain_size = in.domain_size() == 0
                            ? std::numeric_limits<int64_t>::max()
                            : in.domain_size();
    }
    const double oversubscription = std::max(1.0, in.oversubscription());
    out.bandwidth_bytes_per_s =
        in.bandwidth_bytes_per_s() / oversubscription * efficiency;
    out.latency_s = in.latency_s();
    out.in_network_reduction = in.in_network_reduction();
    out.in_network_busbw_bytes_per_s =
        in.in_network_reduction() ? (in.in_network_busbw_bytes_per_s() > 0
                                         ? in.in_network_busbw_bytes_per_s()
                                         : in.bandwidth_bytes_per_s()) *
                                        efficiency
                                  : 0.0;
    out.kind = in.kind();
  }
  return net;
}

}  // namespace memwall
