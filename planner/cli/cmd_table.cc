// memwall table: the founding document's tables, each cell with the seed's
// value, memwall's recomputation, the difference and the cause of every
// erratum.
#include <iostream>

#include "common/status.h"
#include "planner/cli/commands.h"
#include "planner/cli/output.h"
#include "planner/report/html/pages.h"
#include "planner/seed/seed_render.h"
#include "planner/seed/seed_table.h"

namespace memwall {

absl::Status RunTable(const Flags& flags) {
  MEMWALL_ASSIGN_OR_RETURN(const Format format, GetFormat(flags, true, true));
  MEMWALL_RETURN_IF_ERROR(flags.CheckNoUnknown("table"));
  MEMWALL_ASSIGN_OR_RETURN(const SeedTables tables, BuildSeedTables());
  if (format == Format::kMarkdown) {
    std::cout << RenderSeedTablesMarkdown(tables);
  } else {
    MEMWALL_RETURN_IF_ERROR(
        PrintReport(format, tables, RenderSeedTablesText(tables),
                    [&] { return html::SeedTablesPage(tables); }));
  }
  return absl::OkStatus();
}

}  // namespace memwall
