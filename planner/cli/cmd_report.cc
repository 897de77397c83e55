// memwall report: the HTML page of a report saved as JSON earlier, either
// memwall-run's `--json` sweep or replay report (--runtime) or `memwall plan
// --format=json` (--plan). A file that is not the expected report (not JSON,
// truncated, or another command's) is bad input naming what was expected.
#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "common/textproto.h"
#include "google/protobuf/util/json_util.h"
#include "planner/cli/commands.h"
#include "planner/cli/output.h"
#include "planner/report/html/pages.h"
#include "planner/report/html/plan_page.h"
#include "proto/collective.pb.h"
#include "proto/comm.pb.h"
#include "proto/memory.pb.h"
#include "proto/plan.pb.h"
#include "proto/replay.pb.h"

namespace memwall {
namespace {

bool Parses(const std::string& json, google::protobuf::Message* message) {
  google::protobuf::util::JsonParseOptions strict;
  strict.ignore_unknown_fields = false;
  return google::protobuf::util::JsonStringToMessage(json, message, strict)
      .ok();
}

// Which memwall JSON `json` is, for the error message ("" when none).
std::string Kind(const std::string& json) {
  struct KnownReport {
    const char* what;
    std::unique_ptr<google::protobuf::Message> message;
    const char* required;  // a field every such report has
  };
  KnownReport kinds[] = {
      {"a memwall-run --json sweep report", std::make_unique<SweepReport>(),
       "\"backend\""},
      {"a memwall-run --json replay report", std::make_unique<ReplayReport>(),
       "\"classes\""},
      {"a memwall plan report", std::make_unique<PlanReport>(), "\"search\""},
      {"a memwall fit report", std::make_unique<FitReport>(), "\"min_gpus\""},
      {"a memwall memory report", std::make_unique<MemoryReport>(),
       "\"stages\""},
      {"a memwall comm report", std::make_unique<CommReport>(), "\"rows\""},
      {"a memwall validate report", std::make_unique<ValidationReport>(),
       "\"cases\""},
  };
  for (KnownReport& k : kinds) {
    if (json.find(k.required) != std::string::npos &&
        Parses(json, k.message.get())) {
      return k.what;
    }
  }
  return "";
}

template <typename Report>
absl::StatusOr<Report> Load(const std::string& flag, const std::string& path,
                            const std::string& json,
                            const std::string& expected,
                            bool (*complete)(const Report&)) {
  Report report;
  google::protobuf::util::JsonParseOptions strict;
  strict.ignore_unknown_fields = false;
  const auto st =
      google::protobuf::util::JsonStringToMessage(json, &report, strict);
  if (st.ok() && complete(report)) return report;
  const std::string kind = Kind(json);
  return absl::InvalidArgumentError(absl::StrCat(
      "--", flag, "=", path, ": expected ", expected,
      kind.empty() ? (st.ok() ? std::string(", but required fields are missing")
                              : absl::StrCat(", but it is not one (",
                                             std::string(st.message()), ")"))
                   : absl::StrCat(", but it is ", kind)));
}

}  // namespace

absl::Status RunReport(const Flags& flags) {
  MEMWALL_ASSIGN_OR_RETURN(const std::string runtime,
                           flags.GetString("runtime", ""));
  MEMWALL_ASSIGN_OR_RETURN(const std::string plan, flags.GetString("plan", ""));
  MEMWALL_ASSIGN_OR_RETURN(const std::string format,
                           flags.GetString("format", "html"));
  MEMWALL_RETURN_IF_ERROR(flags.CheckNoUnknown("report"));
  if (format != "html") {
    return absl::InvalidArgumentError(
        absl::StrCat("--format=", format,
                     " is not html (the only format of "
                     "memwall report)"));
  }
  if (runtime.empty() == plan.empty()) {
    return absl::InvalidArgumentError(
        "memwall report needs exactly one of --runtime=FILE.json (memwall-run "
        "--json output) and --plan=FILE.json (memwall plan --format=json)");
  }
  std::string json;
  MEMWALL_RETURN_IF_ERROR(ReadFile(runtime.empty() ? plan : runtime, &json));
  if (!runtime.empty()) {
    // A replay report has classes, a sweep report rows; neither has both.
    if (json.find("\"classes\"") != std::string::npos) {
      MEMWALL_ASSIGN_OR_RETURN(
          const ReplayReport report,
          Load<ReplayReport>("runtime", runtime, json,
                             "memwall-run's --json replay report (a "
                             "ReplayReport with backend and classes)",
                             [](const ReplayReport& r) {
                               return !r.backend().empty() &&
                                      r.classes_size() > 0 && r.has_total();
                             }));
      std::cout << html::ReplayPage(report);
      return absl::OkStatus();
    }
    MEMWALL_ASSIGN_OR_RETURN(
        const SweepReport report,
        Load<SweepReport>(
            "runtime", runtime, json,
            "memwall-run's --json sweep or replay report (a SweepReport with "
            "backend and rows, or a ReplayReport with backend and classes)",
            [](const SweepReport& r) {
              return !r.backend().empty() && r.rows_size() > 0;
            }));
    std::cout << html::SweepPage(report);
    return absl::OkStatus();
  }
  MEMWALL_ASSIGN_OR_RETURN(
      const PlanReport report,
      Load<PlanReport>(
          "plan", plan, json,
          "memwall plan --format=json output (a PlanReport with model and "
          "search)",
          [](const PlanReport& r) {
            return !r.model().empty() && r.has_search();
          }));
  std::cout << html::PlanPage(report);
  return absl::OkStatus();
}

}  // namespace memwall
