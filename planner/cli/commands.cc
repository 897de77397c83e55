#include "planner/cli/commands.h"

namespace memwall {

const std::vector<Command>& Commands() {
  static const auto* commands = new std::vector<Command>{
      {"models", "[--format=F]", "list the model zoo", RunModels},
      {"clusters", "[--format=F]", "list the cluster zoo", RunClusters},
      {"table", "[--format=table|json|textproto|markdown]",
       "the founding tables: seed value, memwall value, difference, errata", RunTable},
  };
  return *commands;
}

}  // namespace memwall
