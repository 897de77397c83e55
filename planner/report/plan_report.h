// Builds the plan report (proto) from a search result, once, for the top K
// only; and its table rendering.
#ifndef MEMWALL_PLANNER_REPORT_PLAN_REPORT_H_
#define MEMWALL_PLANNER_REPORT_PLAN_REPORT_H_

#include <string>

#include "planner/search/search.h"
#include "proto/plan.pb.h"

namespace memwall {

// `memory` is the evaluator the search decided fit with: the candidate's
// memory section is its full per-stage report of the layout.
Candidate ToCandidate(const StepContext& ctx, const MemoryEvaluator& memory,
                      const std::string& cluster_name,
                      const ScoredLayout& scored, int rank);

PlanReport BuildPlanReport(const StepContext& ctx,
                           const MemoryEvaluator& memory,
                           const std::string& model, const std::string& cluster,
                           int64_t gpus, const TrainingSpec& training,
                           const SearchResult& result);

// "weights 0.32 GiB + ... = 62.39 GiB" for the report's peak stage.
std::string PeakStageLine(const MemoryReport& memory);

// "t8 p16 v2 d32 mb1 z1 sel sp" style one-line layout.
std::string LayoutSummary(const Candidate& candidate);

// "none", "selective", "full"; "none", "optimizer", "params" (the CLI's flag
// values).

std::string PlanTable(const PlanReport& report);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_REPORT_PLAN_REPORT_H_
