// The replay's text table, in the nccl-tests manner: '#' comment lines, one
// row per communication class and a total, times in microseconds per step.
#ifndef MEMWALL_RUNTIME_REPLAY_TABLE_H_
#define MEMWALL_RUNTIME_REPLAY_TABLE_H_

#include <string>

#include "proto/replay.pb.h"

namespace memwall::runtime {

// Header, class rows, the total and the step-wall-time footer.
std::string ReplayTable(const ReplayReport& report);

}  // namespace memwall::runtime

#endif  // MEMWALL_RUNTIME_REPLAY_TABLE_H_
