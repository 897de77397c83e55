// `memwall table`: the founding document's tables, each cell with the seed's
// value, memwall's and their difference; errata marked in the table and in
// a chart of memwall / seed per cell.
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "planner/report/html/page.h"
#include "planner/report/html/pages.h"
#include "planner/report/svg/charts.h"
#include "planner/seed/seed_render.h"

namespace memwall {
namespace html {

std::string SeedTablesPage(const SeedTables& tables) {
  Page page("memwall table: the founding tables, recomputed",
            absl::StrCat("Seed values from ", tables.source(),
                         "; errata (the seed is wrong, not merely rounded) "
                         "are marked."));
  int index = 0;
  for (const SeedTable& st : tables.tables()) {
    ++index;
    page.Heading(st.title());
    page.List({st.notes().begin(), st.notes().end()});
    svg::Bars bars;
    bars.title = absl::StrCat(st.title(), ": memwall / seed per cell");
    bars.x_label = "memwall value / seed value (log scale)";
    bars.log_x = true;
    bars.reference = 1.0;
    bars.reference_label = "equal";
    int errata = 0;
    Table t;
    t.id = absl::StrCat("seed-", index);
    t.header = {"model", "quantity", "seed", "memwall", "diff", "note"};
    t.text_columns = {0, 5};
    for (const SeedRow& row : st.rows()) {
      bool first = true;
      for (const SeedCell& c : row.cells()) {
        t.rows.push_back(
            {first ? row.label() : "", c.column(), SeedCellSeed(c),
             SeedCellMemwall(c), SeedCellDifference(c),
             c.erratum() ? absl::StrCat("Erratum: ", c.note()) : c.note()});
        t.row_classes.push_back(c.erratum() ? "erratum" : "");
        first = false;
        if (c.has_memwall_value() && c.has_seed_value() && c.seed_value() > 0 &&
            c.memwall_value() > 0) {
          errata += c.erratum();
          bars.items.push_back(
              {absl::StrCat(row.label(), " ", c.column(),
                            c.erratum() ? " (erratum)" : ""),
               c.memwall_value() / c.seed_value(), c.erratum() ? 4 : 1,
               absl::StrFormat("%.3g%s", c.memwall_value() / c.seed_value(),
                               c.erratum() ? " erratum" : "")});
        }
      }
    }
    bars.desc = absl::StrFormat("%d cells with both values; %d errata.",
                                bars.items.size(), errata);
    if (!bars.items.empty()) {
      page.Figure(svg::BarChart(bars),
                  "Bars at 1 agree; errata are vermillion and labelled.");
    }
    page.AddTable(t);
  }
  return page.Render();
}

}  // namespace html
}  // namespace memwall
