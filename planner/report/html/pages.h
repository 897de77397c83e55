// The HTML pages of `memwall fit`, `comm`, `validate`, `table` and of
// memwall-run's sweep and replay reports (`memwall report --runtime`). Each
// shows the numbers of the command's text table in HTML tables (formatted the
// same way) and draws them: fit's why-not bars, bus bandwidth against size,
// predicted against published step time with the +-10% band, and the seed
// rows with their errata marked.
#ifndef MEMWALL_PLANNER_REPORT_HTML_PAGES_H_
#define MEMWALL_PLANNER_REPORT_HTML_PAGES_H_

#include <string>

#include "proto/collective.pb.h"
#include "proto/comm.pb.h"
#include "proto/plan.pb.h"
#include "proto/replay.pb.h"
#include "proto/seed_table.pb.h"

namespace memwall {
namespace html {

// `text` is the command's text output (its summary lines head the page).
std::string FitPage(const FitReport& report, const std::string& text);
std::string CommPage(const CommReport& report);
std::string SweepPage(const SweepReport& report);
std::string ReplayPage(const ReplayReport& report);
std::string ValidatePage(const ValidationReport& report);
std::string SeedTablesPage(const SeedTables& tables);

}  // namespace html
}  // namespace memwall

#endif  // MEMWALL_PLANNER_REPORT_HTML_PAGES_H_
