// `memwall table`: the founding document's three tables (NLP models, CV models,
// training memory breakdown) with every cell recomputed from the zoo:
// transformer counts from planner/model/transformer.h under the seed's
// conventions (seed_convention.h), layer-graph counts from
// planner/model/graph.h, memory under the seed profile (fp32 weights, no
// gradient term, SGD momentum for CV, Adam for NLP). Seed values are data
// (seed_data.h).
#ifndef MEMWALL_PLANNER_SEED_SEED_TABLE_H_
#define MEMWALL_PLANNER_SEED_SEED_TABLE_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "proto/seed_table.pb.h"

namespace memwall {

absl::StatusOr<SeedTables> BuildSeedTables();

// The number in a seed cell ("1,500M" -> 1500, "0.23 GB" -> 0.23, "227 x 227"
// -> 227); nullopt for blanks, "N/A" and "~O(0.1)".
std::optional<double> ParseSeedNumber(const std::string& text);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_SEED_SEED_TABLE_H_
