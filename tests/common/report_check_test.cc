#include "common/report_check.h"

#include <cmath>
#include <limits>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/memory.pb.h"
#include "proto/plan.pb.h"
#include "tests/testing/status_matchers.h"

namespace memwall {
namespace {

using ::memwall::testing::IsOk;
using ::memwall::testing::StatusIs;
using ::testing::HasSubstr;

TEST(ReportCheckTest, FiniteNonNegativeReportPasses) {
  PlanReport report;
  Candidate* c = report.add_candidates();
  c->set_step_time_s(1.5);
  c->set_mfu(0.4);
  c->mutable_memory()->set_peak_bytes(80);
  (*c->mutable_memory()->add_stages()->mutable_other_items())["headroom"] = 4;
  EXPECT_THAT(CheckReportValues(report), IsOk());
}

// NaN step times and MFU once ranked plan candidates; negative totals fit.
TEST(ReportCheckTest, NamesTheFirstNonFiniteOrNegativeQuantity) {
  PlanReport nan_time;
  nan_time.add_candidates()->set_step_time_s(std::nan(""));
  EXPECT_THAT(CheckReportValues(nan_time),
              StatusIs(absl::StatusCode::kInternal,
                       HasSubstr("candidates[0].step_time_s=nan is not "
                                 "finite")));
  PlanReport infinite_mfu;
  infinite_mfu.add_candidates()->set_mfu(
      std::numeric_limits<double>::infinity());
  EXPECT_THAT(CheckReportValues(infinite_mfu),
              StatusIs(absl::StatusCode::kInternal,
                       HasSubstr("candidates[0].mfu=inf is not finite")));
  MemoryReport negative;
  negative.add_stages()->set_total_bytes(-9223372036854775807);
  EXPECT_THAT(CheckReportValues(negative),
              StatusIs(absl::StatusCode::kInternal,
                       HasSubstr("stages[0].total_bytes=-9.22337e+18 is "
                                 "negative")));
}

}  // namespace
}  // namespace memwall
