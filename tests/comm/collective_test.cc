// busbw factors of nccl-tests (src/<coll>.cu GetBw, doc/PERFORMANCE.md).
#include "planner/comm/collective.h"

#include "common/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace memwall {
namespace {

using ::memwall::testing::StatusIs;
using ::testing::HasSubstr;

struct FactorCase {
  Collective op;
  int64_t n;
  double factor;
};

TEST(BusBwFactorTest, MatchesNcclTests) {
  const FactorCase cases[] = {
      {Collective::kAllReduce, 8, 2.0 * 7 / 8},     // 2(n-1)/n
      {Collective::kAllReduce, 2, 1.0},             //
      {Collective::kAllGather, 8, 7.0 / 8},         // (n-1)/n
      {Collective::kReduceScatter, 16, 15.0 / 16},  // (n-1)/n
      {Collective::kAllToAll, 4, 3.0 / 4},          // (n-1)/n
      {Collective::kBroadcast, 8, 1.0},             // 1
      {Collective::kReduce, 8, 1.0},                // 1
      {Collective::kSendRecv, 8, 1.0},              // 1
  };
  for (const FactorCase& c : cases) {
    EXPECT_DOUBLE_EQ(BusBwFactor(c.op, c.n), c.factor)
        << CollectiveName(c.op) << " n=" << c.n;
  }
}

TEST(CollectiveNameTest, RoundTrips) {
  for (int i = 0; i < kNumCollectives; ++i) {
    const Collective op = static_cast<Collective>(i);
    MEMWALL_ASSERT_OK_AND_ASSIGN(const Collective parsed,
                                 ParseCollective(CollectiveName(op)));
    EXPECT_EQ(parsed, op);
  }
  EXPECT_THAT(
      ParseCollective("allreduce"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("op=allreduce")));
}

}  // namespace
}  // namespace memwall
