#include "planner/cli/commands.h"

namespace memwall {

const std::vector<Command>& Commands() {
  static const auto* commands = new std::vector<Command>{
      {"models", "[--format=F]", "list the model zoo", RunModels},
      {"clusters", "[--format=F]", "list the cluster zoo", RunClusters},
      {"describe", "--model=M [--seq_len=S] [--layers] [--format=F]",
       "parameters, FLOPs, features and per-component counts of a model",
       RunDescribe},
      {"memory",
       "--model=M [--cluster=C] [--gpus=N] [--dp= --tp= --pp= --vpp= --cp= "
       "--ep=] [--zero=0-3] "
       "[--micro_batch= --global_batch= --seq_len=] "
       "[--recompute=none|selective|full] "
       "[--sequence_parallel] [--flash_attention] [--dtype=] [--optimizer=] "
       "[--offload=] "
       "[--profile=memwall|megatron|deepspeed|zero|seed] [--set=] [--format=F]",
       "memory per GPU for each pipeline stage of a layout", RunMemory},
      {"table", "[--format=table|json|textproto|markdown]",
       "the founding tables: seed value, memwall value, difference, errata", RunTable},
  };
  return *commands;
}

}  // namespace memwall
