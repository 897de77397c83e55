#include "runtime/replay_table.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace memwall::runtime {
namespace {

std::string Us(double seconds) {
  return absl::StrFormat("%.1f", seconds * 1e6);
}

std::string Row(const ReplayClass& rc) {
  const std::string group =
      rc.comm_class() == "total"
          ? "-"
          : absl::StrCat(rc.group_size(), "/", rc.group_stride());
  return absl::StrFormat(
      "  %-6s %12.0f %14.0f %8s %13s %13s %13s %7.3f %13s %6d\n",
      rc.comm_class(), rc.calls(), rc.bytes(), group, Us(rc.measured_s()),
      Us(rc.measured_max_s()), Us(rc.predicted_s()), rc.ratio(),
      Us(rc.plan_s()), rc.wrong());
}

}  // namespace

std::string ReplayTable(const ReplayReport& report) {
  std::string out = absl::StrFormat(
      "#\n# %-6s %12s %14s %8s %13s %13s %13s %7s %13s %6s\n", "class", "calls",
      "bytes", "group", "measured(us)", "max(us)", "predicted(us)", "ratio",
      "plan(us)", "#wrong");
  for (const ReplayClass& rc : report.classes()) absl::StrAppend(&out, Row(rc));
  absl::StrAppend(&out, Row(report.total()));
  absl::StrAppend(&out, "# step wall time ", Us(report.step_wall_s()),
                  " us (communication",
                  report.compute() == "sleep" ? " and compute sleeps" : " only",
                  "), per step\n",
                  "# ratio = predicted / measured (below 1: slower than "
                  "predicted); plan = the plan's own figure on its cluster\n");
  return out;
}

}  // namespace memwall::runtime
