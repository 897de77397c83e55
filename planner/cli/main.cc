// memwall: the planner's command line. See docs/cli.md.
#include <iostream>
#include <string>

#include "absl/strings/str_format.h"
#include "common/flags.h"
#include "common/names.h"
#include "planner/cli/commands.h"
#include "planner/cli/megatron_args.h"

namespace memwall {
namespace {

void PrintUsage(std::ostream& out) {
  out << "usage: memwall <command> [--flags]\n\ncommands:\n";
  for (const Command& c : Commands()) {
    out << absl::StrFormat("  %-10s %s\n  %-10s   %s\n", c.name, c.summary, "",
                           c.usage);
  }
  out << "\nEvery command takes --format=table|json|textproto. Exit status: 0 "
         "success, "
         "1 runtime failure, 2 bad input or usage.\n";
}

int ExitCodeFor(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kOutOfRange:
    case absl::StatusCode::kUnimplemented:
    case absl::StatusCode::kFailedPrecondition:
      return 2;
    default:
      return 1;
  }
}

int Main(int argc, char** argv) {
  if (argc < 2) {
    PrintUsage(std::cerr);
    return 2;
  }
  const std::string name = argv[1];
  if (name == "help" || name == "--help" || name == "-h") {
    PrintUsage(std::cout);
    return 0;
  }
  std::vector<std::string> names;
  for (const Command& c : Commands()) {
    names.push_back(c.name);
    if (name != c.name) continue;
    auto flags = ParseFlagsWithMegatronArgs(argc, argv, 2);
    absl::Status status = flags.ok() ? c.run(*flags) : flags.status();
    if (status.ok()) return 0;
    std::cerr << "memwall " << name << ": " << status.message() << "\n";
    return ExitCodeFor(status);
  }
  std::cerr << "memwall: " << UnknownNameMessage("command", name, names)
            << "\n";
  return 2;
}

}  // namespace
}  // namespace memwall

int main(int argc, char** argv) { return memwall::Main(argc, argv); }
