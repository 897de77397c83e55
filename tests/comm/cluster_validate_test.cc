#include "planner/comm/cluster_validate.h"

#include "common/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "planner/comm/network_model.h"
#include "planner/model/zoo.h"
#include "tests/comm/test_clusters.h"
#include "tests/testing/status_matchers.h"

namespace memwall {
namespace {

using ::memwall::testing::IsOk;
using ::memwall::testing::StatusIs;
using ::memwall::testing::TwoLevelCluster;
using ::testing::HasSubstr;

TEST(ValidateClusterTest, EveryZooClusterIsValid) {
  for (const std::string& name : ClusterNames()) {
    MEMWALL_ASSERT_OK_AND_ASSIGN(const ClusterSpec cluster, LoadCluster(name));
    EXPECT_THAT(ValidateCluster(cluster), IsOk()) << name;
    EXPECT_FALSE(cluster.source().empty()) << name;
    for (const NetworkLevel& level : cluster.levels()) {
      EXPECT_FALSE(level.source().empty()) << name << " " << level.name();
    }
  }
}

struct BadCase {
  const char* what;
  void (*mutate)(ClusterSpec*);
  const char* message;
};

TEST(ValidateClusterTest, RejectsBadClustersNamingFieldAndValue) {
  const BadCase cases[] = {
      {"zero bandwidth",
       [](ClusterSpec* c) {
         c->mutable_levels(1)->set_bandwidth_bytes_per_s(0);
       },
       "cluster.levels[1].bandwidth_bytes_per_s=0 must be > 0"},
      {"negative bandwidth",
       [](ClusterSpec* c) {
         c->mutable_levels(0)->set_bandwidth_bytes_per_s(-5);
       },
       "cluster.levels[0].bandwidth_bytes_per_s=-5 must be > 0"},
      {"zero gpus per node", [](ClusterSpec* c) { c->set_gpus_per_node(0); },
       "cluster.gpus_per_node=0 must be > 0"},
      {"no levels", [](ClusterSpec* c) { c->clear_levels(); },
       "cluster.levels is empty"},
      {"missing inter-node level",
       [](ClusterSpec* c) { c->mutable_levels()->RemoveLast(); },
       "cluster.levels has 1 level but cluster.num_nodes=0"},
      {"unset kind",
       [](ClusterSpec* c) {
         c->mutable_levels(1)->set_kind(LINK_KIND_UNSPECIFIED);
       },
       "cluster.levels[1].kind=LINK_KIND_UNSPECIFIED"},
      {"level 0 not the node",
       [](ClusterSpec* c) { c->mutable_levels(0)->set_domain_size(4); },
       "cluster.levels[0].domain_size=4 must equal cluster.gpus_per_node=8"},
      {"oversubscription below 1",
       [](ClusterSpec* c) { c->mutable_levels(1)->set_oversubscription(0.5); },
       "cluster.levels[1].oversubscription=0.5"},
      {"above line rate",
       [](ClusterSpec* c) {
         c->mutable_levels(0)->set_line_rate_bytes_per_s(1e11);
       },
       "exceeds line_rate_bytes_per_s=1e+11"},
      {"efficiency above 1",
       [](ClusterSpec* c) { c->mutable_efficiency()->set_gemm(1.5); },
       "cluster.efficiency.gemm=1.5"},
      {"no memory", [](ClusterSpec* c) { c->mutable_gpu()->set_hbm_bytes(0); },
       "cluster.gpu.hbm_bytes=0 must be > 0"},
  };
  for (const BadCase& c : cases) {
    ClusterSpec cluster =
        ::memwall::testing::TwoLevelCluster(8, 2e11, 1e-6, 2e10, 5e-6);
    c.mutate(&cluster);
    EXPECT_THAT(
        ValidateCluster(cluster),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.message)))
        << c.what;
    EXPECT_THAT(BuildNetworkModel(cluster),
                StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_))
        << c.what;
  }
}

TEST(ValidateClusterTest, SingleNodeClusterNeedsOneLevel) {
  ClusterSpec cluster = TwoLevelCluster(8, 2e11, 1e-6, 2e10, 5e-6);
  cluster.set_num_nodes(1);
  cluster.mutable_levels()->RemoveLast();
  EXPECT_THAT(ValidateCluster(cluster), IsOk());
}

struct CountCase {
  std::optional<int64_t> gpus;
  std::optional<int64_t> nodes;
  int64_t num_nodes;
  int64_t expected;  // -1: error
  const char* message;
};

TEST(ResolveGpuCountTest, WholeNodesOrPartOfOne) {
  const CountCase cases[] = {
      {std::nullopt, std::nullopt, 0, 8, ""},
      {4, std::nullopt, 0, 4, ""},
      {std::nullopt, 3, 0, 24, ""},
      {64, 8, 0, 64, ""},
      {1024, std::nullopt, 0, 1024, ""},
      {12, std::nullopt, 0, -1,
       "gpus=12 is neither part of one node nor whole nodes"},
      {64, 4, 0, -1, "gpus=64 disagrees with nodes=4"},
      {32, std::nullopt, 2, -1,
       "gpus=32 exceeds cluster.num_nodes=2 x cluster.gpus_per_node=8 = 16 "
       "GPUs"},
      {std::nullopt, 3, 2, -1, "nodes=3 exceeds cluster.num_nodes=2"},
      {0, std::nullopt, 0, -1, "gpus=0 must be > 0"},
      {std::nullopt, -1, 0, -1, "nodes=-1 must be > 0"},
  };
  for (const CountCase& c : cases) {
    ClusterSpec cluster = TwoLevelCluster(8, 2e11, 1e-6, 2e10, 5e-6);
    cluster.set_num_nodes(c.num_nodes);
    const absl::StatusOr<int64_t> got =
        ResolveGpuCount(cluster, c.gpus, c.nodes);
    if (c.expected >= 0) {
      ASSERT_THAT(got, IsOk()) << c.message;
      EXPECT_EQ(*got, c.expected);
    } else {
      EXPECT_THAT(got, StatusIs(absl::StatusCode::kInvalidArgument,
                                HasSubstr(c.message)));
    }
  }
}

}  // namespace
}  // namespace memwall
