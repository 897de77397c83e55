// memwall calibrate: fitting on half of a source improves the other half;
// the fitted factors stay in their bounds; errors name what is wrong.
#include "planner/validation/calibrate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "planner/model/zoo.h"
#include "planner/validation/evaluate_run.h"

namespace memwall {
namespace {

using ::testing::HasSubstr;

double MeanAbsError(const std::vector<LoadedRun>& rows,
                    const ClusterSpec& cluster) {
  double sum = 0;
  for (const LoadedRun& r : rows) {
    sum += std::abs(EvaluateRun(r, cluster).value().error());
  }
  return sum / static_cast<double>(rows.size());
}

TEST(CalibrateTest, RobustLossIsQuadraticThenLinear) {
  EXPECT_DOUBLE_EQ(RobustLoss(0), 0);
  // 2 (sqrt(1 + z^2) - 1) with z = r / 0.05: r = 0.05 gives 2 (sqrt 2 - 1).
  EXPECT_NEAR(RobustLoss(0.05), 2 * (std::sqrt(2.0) - 1), 1e-12);
  EXPECT_NEAR(RobustLoss(-0.05), RobustLoss(0.05), 1e-15);
  // Far out it grows like 2|z|: r = 5 is z = 100.
  EXPECT_NEAR(RobustLoss(5.0), 2 * (std::sqrt(1 + 1e4) - 1), 1e-9);
}

// Fitted on the even rows of one source, the error on its odd rows is at most
// the uncalibrated error (the cluster's own factors, no stack entry).
TEST(CalibrateTest, FittedOnHalfImprovesTheOtherHalf) {
  const std::vector<LoadedRun> rows =
      FilterRuns(LoadRuns("").value(), "llm-foundry-a100-80gb-bf16").value();
  std::vector<LoadedRun> even, odd;
  for (size_t i = 0; i < rows.size(); ++i) {
    (i % 2 == 0 ? even : odd).push_back(rows[i]);
  }
  ClusterSpec plain = LoadCluster("dgx-a100-80g").value();
  plain.mutable_efficiency()->clear_stacks();
  const CalibrationResult fit = Calibrate(even, plain, STACK_FSDP).value();
  const double before = MeanAbsError(odd, plain);
  const double after = MeanAbsError(odd, fit.cluster);
  EXPECT_LE(after, before);
  EXPECT_LT(after, 0.10);
  EXPECT_LT(fit.mean_abs_error_after, fit.mean_abs_error_before);
  ASSERT_EQ(fit.cluster.efficiency().stacks_size(), 1);
  EXPECT_EQ(fit.cluster.efficiency().stacks(0).stack(), STACK_FSDP);
  // Every fitted factor within its bounds.
  for (size_t i = 0; i < fit.fitted.size(); ++i) {
    for (const CalibrationParam& p : CalibrationParams()) {
      if (fit.fitted[i] != p.name) continue;
      EXPECT_GE(fit.after[i], p.lo) << p.name;
      EXPECT_LE(fit.after[i], p.hi) << p.name;
    }
  }
  // No FP8 row: fp8_gemm is not fitted.
  for (const std::string& name : fit.fitted) EXPECT_NE(name, "fp8_gemm");
  EXPECT_EQ(fit.rows.size(), even.size());
}

TEST(CalibrateTest, ErrorsNameTheProblem) {
  const std::vector<LoadedRun> rows =
      FilterRuns(LoadRuns("").value(), "korthikanti-2022-table5").value();
  const ClusterSpec cluster = LoadCluster("dgx-a100-80g").value();
  const auto none = Calibrate(rows, cluster, STACK_FSDP);
  EXPECT_EQ(none.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(none.status().message(), HasSubstr("STACK_FSDP"));
  const auto bad = Calibrate(rows, cluster, STACK_MEGATRON, {"gemmm"});
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("gemmm"));
}

}  // namespace
}  // namespace memwall
