// The `memwall` subcommands. Each returns a status; main() prints errors and
// maps codes to exit status (0 success, 1 runtime failure, 2 bad input or
// usage).
#ifndef MEMWALL_PLANNER_CLI_COMMANDS_H_
#define MEMWALL_PLANNER_CLI_COMMANDS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/flags.h"

namespace memwall {

struct Command {
  const char* name;
  const char* usage;  // one line: flags
  const char* summary;
  absl::Status (*run)(const Flags& flags);
};

// Every subcommand, in the order `memwall help` lists them.
const std::vector<Command>& Commands();

absl::Status RunModels(const Flags& flags);
absl::Status RunClusters(const Flags& flags);
absl::Status RunComm(const Flags& flags);
absl::Status RunPlan(const Flags& flags);
absl::Status RunFit(const Flags& flags);
absl::Status RunValidate(const Flags& flags);
absl::Status RunCalibrate(const Flags& flags);
absl::Status RunMemory(const Flags& flags);
absl::Status RunDescribe(const Flags& flags);
absl::Status RunTable(const Flags& flags);
absl::Status RunReport(const Flags& flags);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_CLI_COMMANDS_H_
