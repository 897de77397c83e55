#include "planner/cli/commands.h"

namespace memwall {

const std::vector<Command>& Commands() {
  static const auto* commands = new std::vector<Command>{
      {"models", "[--format=F]", "list the model zoo", RunModels},
      {"clusters", "[--format=F]", "list the cluster zoo", RunClusters},
      {"comm",
       "--cluster=C [--op=all_reduce] [--bytes=1G | --min_bytes= --max_bytes=] "
       "[--gpus=N | --nodes=N] [--group_size=N] [--group_stride=S] "
       "[--algorithm=auto|ring|tree|"
       "hierarchical|nvls|nvls_tree|direct | --mpi_algorithm=A] [--set=...]",
       "predicted collective time, algbw and busbw (nccl-tests sizes)",
       RunComm},
  };
  return *commands;
}

}  // namespace memwall
