// The `memwall plan` page: the ranked layouts (the text table's numbers), the
// best layout's step-time waterfall, its pipeline timeline and per-stage
// memory, the search landscape (step time against peak memory of a uniform
// sample of the fitted layouts, with the Pareto front and the top K), and
// the rejections per reason.
#ifndef MEMWALL_PLANNER_REPORT_HTML_PLAN_PAGE_H_
#define MEMWALL_PLANNER_REPORT_HTML_PLAN_PAGE_H_

#include <string>
#include <utility>
#include <vector>

#include "planner/report/html/page.h"
#include "planner/report/svg/canvas.h"
#include "proto/plan.pb.h"

namespace memwall {
namespace html {

// The best candidate's exposed step-time terms, in the order the text table
// prints them, zero terms left out; they sum to step_time_s.
std::vector<std::pair<std::string, double>> StepTerms(const TimeBreakdown& t);
svg::Canvas StepWaterfall(const Candidate& candidate);

// Points of `landscape` not beaten in both step time and peak memory by
// another, by ascending peak memory.
std::vector<std::pair<double, double>> ParetoFront(
    const std::vector<std::pair<double, double>>& memory_time);

// Columns: rank, layout, step, mfu, hfu, tokens/s, peak mem, days.
Table CandidateTable(const PlanReport& report);

std::string PlanPage(const PlanReport& report);

}  // namespace html
}  // namespace memwall

#endif  // MEMWALL_PLANNER_REPORT_HTML_PLAN_PAGE_H_
