// --megatron_args="...": the model, parallelism and batch arguments of a
// Megatron-LM (core) launch line, turned into memwall's model and flags
// (docs/cli.md, "Megatron-LM arguments"). Arguments memwall does not read are
// listed on stderr, not fatal; memwall flags given explicitly override the
// line's.
#ifndef MEMWALL_PLANNER_CLI_MEGATRON_ARGS_H_
#define MEMWALL_PLANNER_CLI_MEGATRON_ARGS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/flags.h"
#include "proto/model.pb.h"

namespace memwall {

struct MegatronArgs {
  ModelSpec model;
  // memwall flags (name, value) equivalent to the line's layout, batch and
  // precision arguments.
  std::vector<std::pair<std::string, std::string>> flags;
  // Arguments memwall does not read, in order of appearance.
  std::vector<std::string> unknown;
};

// Parses a launch line (a launcher and script before the first --argument are
// skipped). InvalidArgument naming the argument for a bad or missing value.
absl::StatusOr<MegatronArgs> ParseMegatronArgs(const std::string& line);

// Flags::Parse, plus: with --megatron_args the line's equivalent flags are
// added, except those the command line gives itself (the explicit value wins),
// and the unknown arguments are printed to stderr.
absl::StatusOr<Flags> ParseFlagsWithMegatronArgs(int argc,
                                                 const char* const* argv,
                                                 int first);

// --model when given, else the model of --megatron_args; then --set overrides.
absl::StatusOr<ModelSpec> LoadModelFromFlags(const Flags& flags,
                                             std::string* model_name);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_CLI_MEGATRON_ARGS_H_
