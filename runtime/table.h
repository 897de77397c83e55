// The nccl-tests text table (NVIDIA/nccl-tests src/common.cu): '#' comment
// lines, one row per size with out-of-place then in-place time (us), algbw and
// busbw (GB/s = 1e9 B/s) and #wrong, and the "Out of bounds values" / "Avg bus
// bandwidth" footer, so parsers of nccl-tests logs read it. With a cluster,
// three columns follow on the right: the planner's predicted time and busbw and
// the measured/predicted busbw ratio.
#ifndef MEMWALL_RUNTIME_TABLE_H_
#define MEMWALL_RUNTIME_TABLE_H_

#include <string>
#include <vector>

#include "runtime/sweep.h"

namespace memwall::runtime {

std::string TableHeader(bool with_prediction);
std::string TableRow(const SweepRow& row, bool with_prediction);
// Mean busbw over both columns of every row (bytes/s).
double AverageBusBandwidth(const std::vector<SweepRow>& rows);
int64_t TotalWrong(const std::vector<SweepRow>& rows);
std::string TableFooter(const std::vector<SweepRow>& rows);

}  // namespace memwall::runtime

#endif  // MEMWALL_RUNTIME_TABLE_H_
