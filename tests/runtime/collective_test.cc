// Size semantics and bus-bandwidth factors of NVIDIA/nccl-tests (src/<coll>.cu,
// *GetBw and *GetCollByteCount; doc/PERFORMANCE.md), worked by hand for the
// cases below.
#include "runtime/collective.h"

#include <algorithm>

#include "gtest/gtest.h"

namespace memwall::runtime {
namespace {

struct FactorCase {
  const Collective* collective;
  int n;
  double factor;
};

TEST(CollectiveTest, BusBandwidthFactorsAreNcclTests) {
  const FactorCase cases[] = {
      {&AllReduceCollective(), 8, 1.75},  // 2(n-1)/n
      {&AllReduceCollective(), 2, 1.0},
      {&AllGatherCollective(), 8, 0.875},     // (n-1)/n
      {&ReduceScatterCollective(), 4, 0.75},  // (n-1)/n
      {&AllToAllCollective(), 16, 0.9375},    // (n-1)/n
      {&BroadcastCollective(), 8, 1.0},
      {&ReduceCollective(), 8, 1.0},
      {&SendRecvCollective(), 8, 1.0},
  };
  for (const FactorCase& c : cases) {
    EXPECT_DOUBLE_EQ(c.collective->bus_factor(c.n), c.factor)
        << c.collective->name;
  }
}

struct CountCase {
  const Collective* collective;
  int64_t bytes;
  int n;
  int rank;
  CollectiveCounts want;
};

TEST(CollectiveTest, CountsFollowNcclTestsSizeSemantics) {
  // 100 B of float on 3 ranks: count 25, base (25/3) & ~3 = 8 elements (16-byte
  // multiple). 64 B of half on 3 ranks: count 32, base (32/3) & ~7 = 8.
  const CountCase cases[] = {
      {&AllReduceCollective(), 30, 3, 1, {7, 7, 7, 0, 0}},
      {&AllGatherCollective(), 100, 3, 2, {8, 24, 8, 16, 0}},
      {&ReduceScatterCollective(), 100, 3, 2, {24, 8, 8, 0, 16}},
      {&AllToAllCollective(), 100, 3, 1, {24, 24, 8, 0, 0}},
      {&BroadcastCollective(), 100, 3, 0, {25, 25, 25, 0, 0}},
      {&SendRecvCollective(), 10, 4, 3, {2, 2, 2, 0, 0}},
  };
  for (const CountCase& c : cases) {
    const CollectiveCounts got = c.collective->counts(c.bytes, 4, c.n, c.rank);
    EXPECT_EQ(got.send_count, c.want.send_count) << c.collective->name;
    EXPECT_EQ(got.recv_count, c.want.recv_count) << c.collective->name;
    EXPECT_EQ(got.param_count, c.want.param_count) << c.collective->name;
    EXPECT_EQ(got.in_place_send_offset, c.want.in_place_send_offset)
        << c.collective->name;
    EXPECT_EQ(got.in_place_recv_offset, c.want.in_place_recv_offset)
        << c.collective->name;
  }
  EXPECT_EQ(BlockCount(64, 2, 3), 8);
  EXPECT_EQ(BlockCount(40, 4, 3),
            0);  // below 16 bytes per rank nothing is sent
}

TEST(CollectiveTest, ReductionInputsStayExactForAnyRankCount) {
  for (DataType type : {DataType::kFloat32, DataType::kFloat16,
                        DataType::kBFloat16, DataType::kInt32}) {
    for (int n : {1, 2, 3, 4, 7, 8, 64, 255, 256, 257, 1024, 4096}) {
      double largest = 0;
      for (int64_t i = 0; i < 600; ++i)
        largest = std::max(largest, SumOverRanks(type, n, i));
      EXPECT_LE(largest, static_cast<double>(ExactIntegerLimit(type)))
          << TypeName(type) << n;
      EXPECT_GT(largest, 0) << TypeName(type) << n;
    }
  }
}

TEST(CollectiveTest, ExpectedResultsFollowTheDataMovement) {
  ElementContext c{1, 3, 0, DataType::kFloat32,
                   AllToAllCollective().counts(96, 4, 3, 1)};
  // Receive block 2 on rank 1 is block 1 of rank 2's send buffer: base 8, so
  // index 8 + 3.
  EXPECT_EQ(*AllToAllCollective().expected(c, 2 * 8 + 3),
            InputValue(DataType::kFloat32, false, 3, 2, 8 + 3));
  EXPECT_EQ(*SendRecvCollective().expected(c, 5),
            InputValue(DataType::kFloat32, false, 3, 0, 5));
  EXPECT_FALSE(
      ReduceCollective().expected(c, 0).has_value());  // rank 1 is not the root
}

TEST(CollectiveTest, ParseOps) {
  EXPECT_EQ(ParseOps("all")->size(), 7u);
  // One vocabulary with the planner; nccl-tests' spellings are aliases.
  EXPECT_EQ((*ParseOps("sendrecv,alltoall"))[1]->name, "all_to_all");
  EXPECT_EQ((*ParseOps("send_recv,all_to_all"))[0]->name, "send_recv");
  for (const Collective* c : AllCollectives()) {
    EXPECT_EQ(c->name, CollectiveName(c->op));
  }
  const auto bad = ParseOps("all_reduce,allreduce");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("'allreduce'"),
            absl::string_view::npos);
}

}  // namespace
}  // namespace memwall::runtime
