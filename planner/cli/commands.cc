#include "planner/cli/commands.h"

namespace memwall {

const std::vector<Command>& Commands() {
  static const auto* commands = new std::vector<Command>{
      {"models", "[--file=PATH] [--format=F]", "list the model zoo", RunModels},
      {"clusters", "[--format=F]", "list the cluster zoo", RunClusters},
      {"describe",
       "--model=M|config.json | --megatron_args=LINE [--seq_len=S] [--layers] "
       "[--verbose] "
       "[--format=F]",
       "parameters, FLOPs, features and per-component counts of a model",
       RunDescribe},
      {"memory",
       "--model=M|config.json | --megatron_args=LINE [--cluster=C] [--gpus=N] "
       "[--dp= --tp= --pp= --vpp= --cp= "
       "--ep=] [--zero=0-3] "
       "[--micro_batch= --global_batch= --seq_len=] "
       "[--recompute=none|selective|full] "
       "[--sequence_parallel] [--flash_attention] [--dtype=] [--optimizer=] "
       "[--offload=] "
       "[--profile=memwall|megatron|deepspeed|zero|seed] [--set=] [--format=F]",
       "memory per GPU for each pipeline stage of a layout", RunMemory},
      {"comm",
       "--cluster=C [--op=all_reduce] [--bytes=1G | --min_bytes= --max_bytes=] "
       "[--gpus=N | --nodes=N] [--group_size=N] [--group_stride=S] "
       "[--algorithm=auto|ring|tree|"
       "hierarchical|nvls|nvls_tree|direct | --mpi_algorithm=A "
       "[--segment_bytes=128K]] [--set=...]",
       "predicted collective time, algbw and busbw (nccl-tests sizes)",
       RunComm},
      {"plan",
       "--model=M --cluster=C --gpus=N --global_batch=B [--seq_len --tp --pp "
       "--dp --vpp --cp "
       "--ep --micro_batch --zero --recompute --sequence_parallel "
       "--flash_attention --offload "
       "--top=K --threads=T]",
       "fastest layouts that fit, with memory and step-time breakdown",
       RunPlan},
      {"fit", "--model=M --cluster=C [--gpus=N --tp --pp ... --global_batch=B]",
       "fewest GPUs on which the model trains; or why a layout does not fit",
       RunFit},
      {"validate", "[--runs=FILE|DIR] [--source=S] [--cluster=C] [--all]",
       "predicted vs measured step times of published runs (validation/)",
       RunValidate},
      {"calibrate",
       "--runs=FILE|DIR --cluster=C [--stack=S] [--params=a,b] --out=FILE",
       "fit a cluster's efficiency factors to measured runs; writes a cluster",
       RunCalibrate},
      {"table", "[--format=table|json|textproto|markdown]",
       "the founding tables: seed value, memwall value, difference, errata",
       RunTable},
      {"report", "--runtime=SWEEP_OR_REPLAY.json | --plan=PLAN.json",
       "the HTML page of memwall-run's --json report or of a saved plan",
       RunReport},
  };
  return *commands;
}

}  // namespace memwall
