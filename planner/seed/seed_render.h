// Renders the seed tables for a terminal (aligned columns, notes numbered below
// each table,
// "!" on every seed erratum) and as Markdown (docs/seed-tables.md is this
// output).
#ifndef MEMWALL_PLANNER_SEED_SEED_RENDER_H_
#define MEMWALL_PLANNER_SEED_SEED_RENDER_H_

#include <string>

#include "proto/seed_table.pb.h"

namespace memwall {

std::string RenderSeedTablesText(const SeedTables& tables);
std::string RenderSeedTablesMarkdown(const SeedTables& tables);

// A value in the seed table's style: thousands separators above 1000, 3
// significant figures below.
std::string FormatSeedValue(double value, const std::string& unit);

// A cell's three printed values: the seed's text ("(blank)" when empty),
// memwall's value ("-" when none) and the difference ("+1.2%", "" when none).
std::string SeedCellSeed(const SeedCell& cell);
std::string SeedCellMemwall(const SeedCell& cell);
std::string SeedCellDifference(const SeedCell& cell);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_SEED_SEED_RENDER_H_
