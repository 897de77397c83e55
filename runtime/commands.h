// The memwall-run commands. Each runs on every rank, prints on rank 0 and
// returns the process exit status (0 ok, 1 runtime failure or wrong results, 2
// bad input, 3 below the expected ratio of the prediction).
#ifndef MEMWALL_RUNTIME_COMMANDS_H_
#define MEMWALL_RUNTIME_COMMANDS_H_

#include "absl/status/status.h"

namespace memwall::runtime {

int RunSweepCommand(int argc, char** argv);
int RunBaselineCommand(int argc, char** argv);
int RunReplayCommand(int argc, char** argv);
int RunCalibrateCommand(int argc, char** argv);

// Prints `status` (rank 0 only when every rank agrees on it, as bad input does)
// and returns the exit status; aborts the job for errors that only some ranks
// may have hit.
int ReportError(const char* command, const absl::Status& status);

}  // namespace memwall::runtime

#endif  // MEMWALL_RUNTIME_COMMANDS_H_
