#include "runtime/table.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/units.h"

namespace memwall::runtime {
namespace {

std::string Microseconds(double seconds) {
  return absl::StrFormat("%8s", FormatMicroseconds(seconds));
}

std::string Place(const PlaceResult& r) {
  return absl::StrFormat("  %s  %7.3f  %7.3f  %6d", Microseconds(r.time_s),
                         ToGB(r.algbw_bytes_per_s), ToGB(r.busbw_bytes_per_s),
                         r.wrong);
}

}  // namespace

std::string TableHeader(bool with_prediction) {
  std::string out = absl::StrFormat("#%70s%44s\n", "out-of-place", "in-place");
  const char* cols =
      "#%11s  %12s  %8s  %6s  %6s  %8s  %7s  %7s  %6s  %8s  %7s  %7s  %6s";
  out += absl::StrFormat(cols, "size", "count", "type", "redop", "root", "time",
                         "algbw", "busbw", "#wrong", "time", "algbw", "busbw",
                         "#wrong");
  if (with_prediction)
    out += absl::StrFormat("  %8s  %7s  %6s", "pred", "pbusbw", "ratio");
  out += "\n";
  out +=
      absl::StrFormat(cols, "(B)", "(elements)", "", "", "", "(us)", "(GB/s)",
                      "(GB/s)", "", "(us)", "(GB/s)", "(GB/s)", "");
  if (with_prediction)
    out += absl::StrFormat("  %8s  %7s  %6s", "(us)", "(GB/s)", "");
  return out + "\n";
}

std::string TableRow(const SweepRow& row, bool with_prediction) {
  std::string out = absl::StrFormat("%12d  %12d  %8s  %6s  %6d", row.size_bytes,
                                    row.count, row.type, row.redop, row.root);
  out += Place(row.out_of_place);
  out += row.in_place_ran ? Place(row.in_place)
                          : absl::StrFormat("  %8s  %7s  %7s  %6s", "N/A",
                                            "N/A", "N/A", "N/A");
  if (with_prediction) {
    if (row.predicted_time_s.has_value() &&
        row.predicted_busbw_bytes_per_s.has_value() &&
        *row.predicted_busbw_bytes_per_s > 0) {
      out += absl::StrFormat("  %s  %7.3f  %6.3g",
                             Microseconds(*row.predicted_time_s),
                             ToGB(*row.predicted_busbw_bytes_per_s),
                             row.out_of_place.busbw_bytes_per_s /
                                 *row.predicted_busbw_bytes_per_s);
    } else {
      out += absl::StrFormat("  %8s  %7s  %6s", "-", "-", "-");
    }
  }
  return out + "\n";
}

double AverageBusBandwidth(const std::vector<SweepRow>& rows) {
  if (rows.empty()) return 0;
  double sum = 0;
  int runs = 0;
  for (const SweepRow& row : rows) {
    sum += row.out_of_place.busbw_bytes_per_s + row.in_place.busbw_bytes_per_s;
    runs += row.in_place_ran ? 2 : 1;
  }
  return sum / runs;
}

int64_t TotalWrong(const std::vector<SweepRow>& rows) {
  int64_t wrong = 0;
  for (const SweepRow& row : rows)
    wrong += row.out_of_place.wrong + row.in_place.wrong;
  return wrong;
}

std::string TableFooter(const std::vector<SweepRow>& rows) {
  const int64_t wrong = TotalWrong(rows);
  return absl::StrFormat(
      "# Out of bounds values : %d %s\n# Avg bus bandwidth    : %.6g \n#\n",
      wrong, wrong == 0 ? "OK" : "FAILED", ToGB(AverageBusBandwidth(rows)));
}

}  // namespace memwall::runtime
