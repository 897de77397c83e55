// Fits a small, named set of a cluster's efficiency factors to measured runs
// (the rows of proto/validation.proto): minimizes the sum of a robust loss of
// log(predicted / measured), each factor kept inside documented bounds, by
// coordinate search (golden section per factor, repeated sweeps). Rows are
// priced with the same step-time model as `memwall validate`; only the factors
// change. The result is written as a cluster text proto that --cluster=
// accepts (the cluster-wide efficiency, or one `stacks` entry when a stack is
// given).
#ifndef MEMWALL_PLANNER_VALIDATION_CALIBRATE_H_
#define MEMWALL_PLANNER_VALIDATION_CALIBRATE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "planner/validation/runs.h"
#include "proto/cluster.pb.h"

namespace memwall {

// The factors calibrate may fit (at most 8), with their bounds.
struct CalibrationParam {
  const char* name;  // "gemm", "attention", "hbm", "fp8_gemm", "kernel_s",
                     // "overlap"
  double lo;
  double hi;
};
const std::vector<CalibrationParam>& CalibrationParams();

// Loss of one row's log ratio r: soft L1 with a 5% scale,
// 2 (sqrt(1 + (r / 0.05)^2) - 1): quadratic for small errors, linear for
// outliers (Huber-like, smooth).
double RobustLoss(double log_ratio);

struct CalibratedRow {
  std::string name;
  double measured_s = 0;
  double before_s = 0;
  double after_s = 0;
  double leave_one_out_s = 0;  // fitted without this row
};

struct CalibrationResult {
  ClusterSpec cluster;              // the input cluster with the fitted factors
  std::vector<std::string> fitted;  // names of the factors fitted
  std::vector<double> before;       // their values before and after
  std::vector<double> after;
  std::vector<CalibratedRow> rows;
  double mean_abs_error_before = 0;
  double mean_abs_error_after = 0;
  double mean_abs_error_leave_one_out = 0;
};

// Fits on `runs`. Each row is priced on its own cluster's hardware (peaks,
// HBM, network) when its `cluster` loads, else on `cluster`; the fitted
// factors are shared by all rows (one set per GPU generation and stack) and
// written into `cluster`. `stack` STACK_UNSPECIFIED fits the cluster-wide
// factors and needs every row on one stack; otherwise only rows of `stack`
// are used and the factors go into its `stacks` entry. `only` names the
// factors to fit (empty: every one the rows exercise; attention needs flash
// attention rows, fp8_gemm FP8 rows). InvalidArgument naming the row and
// field for rows that cannot be priced, or an unknown factor name.
absl::StatusOr<CalibrationResult> Calibrate(
    const std::vector<LoadedRun>& runs, const ClusterSpec& cluster, Stack stack,
    const std::vector<std::string>& only = {});

}  // namespace memwall

#endif  // MEMWALL_PLANNER_VALIDATION_CALIBRATE_H_
