// The text table keeps nccl-tests' column order (src/common.cu): 13
// whitespace-separated fields per row, time in us and bandwidth in GB/s (1e9
// B/s). Values worked by hand.
#include "runtime/table.h"

#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace memwall::runtime {
namespace {

std::vector<std::string> Fields(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string word; in >> word;) out.push_back(word);
  return out;
}

SweepRow Row() {
  SweepRow row;
  row.op = "all_reduce";
  row.size_bytes = 1 << 20;
  row.count = 1 << 18;
  row.type = "float";
  row.redop = "sum";
  row.root = -1;
  // 1 MiB in 1 ms: algbw 1.048576 GB/s; 4 ranks: busbw x 1.5 = 1.572864 GB/s.
  row.out_of_place = {1e-3, 1e-3, 1e-3, 1e-3, 1.048576e9, 1.572864e9, 0};
  row.in_place = {2e-3, 2e-3, 2e-3, 2e-3, 0.524288e9, 0.786432e9, 3};
  return row;
}

TEST(TableTest, RowHasNcclTestsColumns) {
  const std::vector<std::string> f = Fields(TableRow(Row(), false));
  ASSERT_EQ(f.size(), 13u);
  EXPECT_EQ(f[0], "1048576");
  EXPECT_EQ(f[1], "262144");
  EXPECT_EQ(f[2], "float");
  EXPECT_EQ(f[3], "sum");
  EXPECT_EQ(f[4], "-1");
  EXPECT_EQ(f[5], "1000.00");
  EXPECT_EQ(f[6], "1.049");
  EXPECT_EQ(f[7], "1.573");
  EXPECT_EQ(f[8], "0");
  EXPECT_EQ(f[12], "3");
}

TEST(TableTest, PredictionColumnsAndRatio) {
  SweepRow row = Row();
  row.predicted_time_s = 0.5e-3;
  row.predicted_busbw_bytes_per_s = 3.145728e9;
  const std::vector<std::string> f = Fields(TableRow(row, true));
  ASSERT_EQ(f.size(), 16u);
  EXPECT_EQ(f[13], "500.00");
  EXPECT_EQ(f[14], "3.146");
  EXPECT_EQ(f[15], "0.500");
}

TEST(TableTest, FooterCountsWrongAndAveragesBusBandwidth) {
  const std::string footer = TableFooter({Row()});
  EXPECT_NE(footer.find("# Out of bounds values : 3 FAILED"),
            std::string::npos);
  // (1.572864 + 0.786432) / 2 = 1.179648 GB/s.
  EXPECT_NE(footer.find("# Avg bus bandwidth    : 1.17965"), std::string::npos);
}

TEST(TableTest, SweepSizesByFactorAndByStep) {
  SweepOptions o;
  o.min_bytes = 8;
  o.max_bytes = int64_t{1} << 30;
  o.step_factor = 2;
  EXPECT_EQ(SweepSizes(o).size(), 28u);  // 2^3 .. 2^30
  o.min_bytes = 1000;
  o.max_bytes = 4000;
  o.step_bytes = 1500;
  EXPECT_EQ(SweepSizes(o), (std::vector<int64_t>{1000, 2500, 4000}));
}

}  // namespace
}  // namespace memwall::runtime
