// memwall calibrate: fits a cluster's named efficiency factors to a user's
// measured runs (planner/validation/calibrate.h) and writes the cluster text
// proto that --cluster= accepts.
#include <cmath>
#include <fstream>

#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "common/status.h"
#include "common/textproto.h"
#include "planner/cli/commands.h"
#include "planner/cli/output.h"
#include "planner/model/zoo.h"
#include "planner/timing/compute_efficiency.h"
#include "planner/validation/calibrate.h"
#include "planner/validation/runs.h"
#include "proto/cluster.pb.h"

namespace memwall {

absl::Status RunCalibrate(const Flags& flags) {
  MEMWALL_ASSIGN_OR_RETURN(const Format format, GetFormat(flags));
  MEMWALL_ASSIGN_OR_RETURN(const std::string runs_path,
                           flags.GetString("runs", ""));
  MEMWALL_ASSIGN_OR_RETURN(const std::string cluster_name,
                           flags.GetString("cluster", ""));
  MEMWALL_ASSIGN_OR_RETURN(const std::string stack_name,
                           flags.GetString("stack", ""));
  MEMWALL_ASSIGN_OR_RETURN(const std::string out_path,
                           flags.GetString("out", ""));
  MEMWALL_ASSIGN_OR_RETURN(const std::string params_list,
                           flags.GetString("params", ""));
  MEMWALL_RETURN_IF_ERROR(flags.CheckNoUnknown("calibrate"));
  const std::vector<std::string> only =
      params_list.empty()
          ? std::vector<std::string>{}
          : std::vector<std::string>(absl::StrSplit(params_list, ','));
  for (const auto& [flag, value] :
       {std::pair<const char*, const std::string&>{"runs", runs_path},
        {"cluster", cluster_name},
        {"out", out_path}}) {
    if (value.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", flag, " is required"));
    }
  }
  Stack stack = STACK_UNSPECIFIED;
  if (!stack_name.empty()) {
    MEMWALL_ASSIGN_OR_RETURN(stack, ParseStack(stack_name));
  }
  MEMWALL_ASSIGN_OR_RETURN(const ClusterSpec cluster,
                           LoadCluster(cluster_name));
  MEMWALL_ASSIGN_OR_RETURN(const std::vector<LoadedRun> runs,
                           LoadRuns(runs_path));
  MEMWALL_ASSIGN_OR_RETURN(const CalibrationResult result,
                           Calibrate(runs, cluster, stack, only));
  std::ofstream out(out_path);
  out << "# Written by memwall calibrate; use with --cluster=" << out_path
      << "\n"
      << ToTextProto(result.cluster);
  if (!out.good()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--out=", out_path, ": cannot write the file"));
  }
  std::string table =
      absl::StrFormat("# %s calibrated on %d runs -> %s\n", cluster.name(),
                      result.rows.size(), out_path);
  absl::StrAppendFormat(&table, "%-10s %10s %10s\n", "factor", "before",
                        "after");
  for (size_t i = 0; i < result.fitted.size(); ++i) {
    absl::StrAppendFormat(&table, "%-10s %10.4g %10.4g\n", result.fitted[i],
                          result.before[i], result.after[i]);
  }
  absl::StrAppendFormat(&table, "\n%-44s %9s %9s %9s %9s\n", "run", "measured",
                        "before", "after", "left out");
  for (const CalibratedRow& r : result.rows) {
    absl::StrAppendFormat(&table, "%-44s %8.3fs %+8.1f%% %+8.1f%% %+8.1f%%\n",
                          r.name, r.measured_s,
                          100 * (r.before_s / r.measured_s - 1),
                          100 * (r.after_s / r.measured_s - 1),
                          100 * (r.leave_one_out_s / r.measured_s - 1));
  }
  absl::StrAppendFormat(&table,
                        "mean |error|: before %.1f%%, after %.1f%%, "
                        "leave-one-out %.1f%%\n",
                        100 * result.mean_abs_error_before,
                        100 * result.mean_abs_error_after,
                        100 * result.mean_abs_error_leave_one_out);
  return PrintReport(format, result.cluster, table);
}

}  // namespace memwall
