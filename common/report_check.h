// The last check before a report is printed: every floating-point field of
// the message (recursively, maps and repeated fields included) is finite, and
// every quantity field (a name ending in _bytes, _s or _flops, or named mfu,
// hfu or params) is non-negative. Validation keeps bad input from getting this
// far; this makes sure an arithmetic fault can never print as an answer.
#ifndef MEMWALL_COMMON_REPORT_CHECK_H_
#define MEMWALL_COMMON_REPORT_CHECK_H_

#include "absl/status/status.h"
#include "google/protobuf/message.h"

namespace memwall {

// OK, or Internal naming the first bad field by its path and value
// ("candidates[0].time.step_time_s=nan is not finite").
absl::Status CheckReportValues(const google::protobuf::Message& report);

}  // namespace memwall

#endif  // MEMWALL_COMMON_REPORT_CHECK_H_
