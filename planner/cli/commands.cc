#include "planner/cli/commands.h"

namespace memwall {

const std::vector<Command>& Commands() {
  static const auto* commands = new std::vector<Command>{
      {"models", "[--format=F]", "list the model zoo", RunModels},
      {"clusters", "[--format=F]", "list the cluster zoo", RunClusters},
  };
  return *commands;
}

}  // namespace memwall
