// The replay table: one row per class and a total, the columns the docs
// describe, values worked by hand.
#include "runtime/replay_table.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace memwall::runtime {
namespace {

using ::testing::HasSubstr;

TEST(ReplayTableTest, ClassRowsTotalAndFooter) {
  ReplayReport r;
  r.set_compute("none");
  r.set_step_wall_s(0.0125);
  ReplayClass* tp = r.add_classes();
  tp->set_comm_class("tp");
  tp->set_calls(64);
  tp->set_bytes(8388608);
  tp->set_group_size(2);
  tp->set_group_stride(1);
  tp->set_measured_s(0.004);
  tp->set_measured_max_s(0.005);
  tp->set_predicted_s(0.003);
  tp->set_ratio(0.75);
  tp->set_plan_s(0.002);
  *r.mutable_total() = *tp;
  r.mutable_total()->set_comm_class("total");
  const std::string table = ReplayTable(r);
  EXPECT_THAT(table, HasSubstr("  tp               64        8388608      2/1 "
                               "       4000.0        5000.0        3000.0   "
                               "0.750        2000.0      0\n"));
  EXPECT_THAT(table,
              HasSubstr("  total            64        8388608        - "));
  EXPECT_THAT(table, HasSubstr("# step wall time 12500.0 us (communication "
                               "only), per step\n"));
}

}  // namespace
}  // namespace memwall::runtime
