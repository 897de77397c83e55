// Small clusters for formula tests: every number in them is chosen so the
// expected results can be worked out by hand.
#ifndef MEMWALL_TESTS_COMM_TEST_CLUSTERS_H_
#define MEMWALL_TESTS_COMM_TEST_CLUSTERS_H_

#include <cstdint>

#include "proto/cluster.pb.h"

namespace memwall::testing {

// gpus_per_node GPUs on one level of `intra_bytes_per_s` (NVLink kind), and a
// network level of `inter_bytes_per_s` per GPU between nodes.
inline ClusterSpec TwoLevelCluster(int64_t gpus_per_node,
                                   double intra_bytes_per_s,
                                   double intra_latency_s,
                                   double inter_bytes_per_s,
                                   double inter_latency_s) {
  ClusterSpec c;
  c.set_name("test");
  c.set_gpus_per_node(gpus_per_node);
  c.mutable_gpu()->set_hbm_bytes(int64_t{80} << 30);
  NetworkLevel* in = c.add_levels();
  in->set_name("intra");
  in->set_kind(NVLINK);
  in->set_domain_size(gpus_per_node);
  in->set_bandwidth_bytes_per_s(intra_bytes_per_s);
  in->set_latency_s(intra_latency_s);
  NetworkLevel* out = c.add_levels();
  out->set_name("inter");
  out->set_kind(NETWORK);
  out->set_bandwidth_bytes_per_s(inter_bytes_per_s);
  out->set_latency_s(inter_latency_s);
  return c;
}

}  // namespace memwall::testing

#endif  // MEMWALL_TESTS_COMM_TEST_CLUSTERS_H_
