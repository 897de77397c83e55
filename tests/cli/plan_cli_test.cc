// `memwall plan`, `fit` and `validate` end to end: formats, results and exit
// status 2 on bad input.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "tests/testing/run_command.h"

namespace memwall {
namespace {

using ::memwall::testing::RunCommand;
using ::testing::HasSubstr;
using ::testing::Not;

std::string Memwall(const std::string& args) {
  return std::string(MEMWALL_BIN) + " " + args;
}

TEST(PlanCliTest, SearchJsonHasCandidatesAndSearch) {
  const auto r =
      RunCommand(Memwall("plan --model=gpt3-175b --cluster=dgx-a100-80g "
                         "--gpus=1024 --global_batch=1536 "
                         "--seq_len=2048 --top=3 --format=json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* field :
       {"\"candidates\"", "\"layout\"", "\"memory\"", "\"step_time_s\"",
        "\"mfu\"", "\"time\"", "\"forward_s\"", "\"search\"", "\"space_size\"",
        "\"evaluated\"", "\"seconds\"", "\"rejected\"", "\"peak_bytes\"",
        "\"rank\": \"3\""}) {
    EXPECT_THAT(r.output, HasSubstr(field));
  }
}

TEST(PlanCliTest, FixedLayoutIsOneEvaluation) {
  const auto r = RunCommand(Memwall(
      "plan --model=gpt3-175b --cluster=dgx-a100-80g --gpus=64 --tp=8 --pp=8 "
      "--micro_batch=1 --global_batch=64 --recompute=selective "
      "--sequence_parallel"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("t8 p8 d1 mb1 z0 selective sp"));
  EXPECT_THAT(r.output,
              HasSubstr("search: 1 layouts in the space, 1 evaluated, 1 fit"));
}

TEST(PlanCliTest, LayoutThatDoesNotFitIsReported) {
  const auto r = RunCommand(Memwall(
      "plan --model=gpt3-175b --cluster=dgx-a100-80g --gpus=64 --tp=4 --pp=4 "
      "--global_batch=64"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("the given layout does not fit"));
}

TEST(PlanCliTest, ModelThatFitsNowhereIsAClearResult) {
  const auto r =
      RunCommand(Memwall("plan --model=gpt3-175b --cluster=dgx-a100-80g "
                         "--gpus=8 --global_batch=64 "
                         "--offload=none"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("no layout of gpt3-175b fits 8 GPUs"));
  EXPECT_THAT(r.output, HasSubstr("model states exceed memory"));
}

// 2^40 GPUs: every dp = 2^40 / (tp cp pp) exceeds the batch of 2048, so no
// degree tuple divides; a clear result, not an error.
TEST(PlanCliTest, NoDegreeSplitIsAClearResult) {
  const auto r = RunCommand(
      Memwall("plan --model=llama3-405b --cluster=dgx-h100 --global_batch=2048 "
              "--seq_len=8192 --gpus=1099511627776"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("dp must divide --global_batch=2048"));
}

TEST(PlanCliTest, BadInputExitsTwo) {
  struct Case {
    const char* args;
    const char* message;
  };
  const Case cases[] = {
      {"plan --model=gpt3-175b --cluster=dgx-a100-80g --gpus=80 --tp=5",
       "--tp=5 must divide num_heads=96"},
      {"plan --model=gpt3-175b --cluster=dgx-a100-80g --gpus=64 --tp=3",
       "--tp=3 must divide --gpus=64"},
      {"plan --model=gpt3-175b --cluster=dgx-a100-80g --gpus=64 --tp=8 --pp=16",
       "must divide --gpus=64"},
      {"plan --model=gpt3-175b --cluster=dgx-a100-80g --gpus=64 --nodes=4",
       "gpus=64 disagrees with nodes=4"},
      {"plan --model=gpt3-175b --cluster=dgx-a100-80g --gpus=12",
       "gpus=12 is neither part of one node nor whole nodes"},
      {"plan --model=gpt3-175b --cluster=dgx-a100-80g --gpus=64 "
       "--cluster_set='num_nodes: 4'",
       "exceeds cluster.num_nodes=4"},
      {"plan --model=gpt3-175b --cluster=dgx-a100-80g --gpus=64 --zero=5",
       "--zero=5 must be 0, 1, 2 or 3"},
      {"plan --model=gpt3-175b --cluster=dgx-a100-80g --gpus=64 --tp=1 "
       "--sequence_parallel",
       "--sequence_parallel needs --tp > 1"},
      {"plan --model=gpt3-175b --cluster=dgx-a100-80g",
       "--gpus (or --nodes) is required"},
      {"plan --model=gpt3-175b --cluster=dgx-a100-80g --gpus=64 "
       "--recompute=some",
       "--recompute=some is not one of none, selective, full"},
      {"plan --model=gpt3-175b --cluster=dgx-a100-80g --gpus=64 --tpp=8",
       "unknown flag --tpp"},
      {"fit --model=gpt3-175b --cluster=dgx-a100-80g --gpus=64 --tp=4 --pp=4 "
       "--vpp=25",
       "--pp=4 x --vpp=25 = 100 exceeds num_layers=96"},
      {"plan --model=gpt3-175b --cluster=dgx-a100-80g --gpus=64 "
       "--offload=optimizer "
       "--cluster_set='host_memory_bandwidth_bytes_per_s: 0'",
       "--offload needs the cluster's host link and host memory bandwidth"},
      {"plan --model=llama2-7b --cluster=dgx-h100 --gpus=8 --global_batch=8 "
       "--kernels=eager --dtype=fp32 --tp=2",
       "--tp=2 needs --kernels=fused"},
      {"plan --model=resnet152 --cluster=dgx-a100-80g --gpus=8",
       "--model=resnet152 is a layer-graph model"},
      {"fit --model=alexnet --cluster=dgx-a100-80g",
       "--model=alexnet is a layer-graph model"},
      {"plan --model=gpt3-175b --cluster=dgx-a100-80g --gpus=64 "
       "--cluster_set='efficiency { overlap_slowdown: 1.5 }'",
       "efficiency.overlap_slowdown=1.5 must be in [0, 1]"},
      {"plan --model=gpt3-175b --cluster=dgx-a100-80g --gpus=64 "
       "--cluster_set='efficiency { overlap: nan }'",
       "efficiency.overlap=nan must be in [0, 1]"},
  };
  for (const Case& c : cases) {
    const auto r = RunCommand(Memwall(c.args));
    EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.output;
    EXPECT_THAT(r.output, HasSubstr(c.message)) << c.args;
  }
}

// A plan's memory is planner/memory's report of its layout: the best
// candidate's peak equals what `memwall memory` prints for the same layout.
TEST(PlanCliTest, CandidateMemoryIsTheMemoryReport) {
  const std::string common =
      "--model=gpt3-175b --cluster=dgx-a100-80g --gpus=64 --global_batch=64 "
      "--tp=8 --pp=8 --micro_batch=1 --recompute=selective "
      "--sequence_parallel --format=json";
  const auto plan = RunCommand(Memwall("plan " + common));
  const auto memory = RunCommand(Memwall("memory " + common));
  ASSERT_EQ(plan.exit_code, 0) << plan.output;
  ASSERT_EQ(memory.exit_code, 0) << memory.output;
  const auto peak = [](const std::string& json) {
    const size_t at = json.find("\"peak_bytes\": \"");
    return at == std::string::npos
               ? std::string()
               : json.substr(at, json.find('"', at + 15) - at);
  };
  ASSERT_FALSE(peak(memory.output).empty()) << memory.output;
  EXPECT_EQ(peak(plan.output), peak(memory.output));
  // Every pipeline stage is reported, as `memwall memory` does.
  size_t stages = 0;
  for (size_t at = plan.output.find("\"num_layers\""); at != std::string::npos;
       at = plan.output.find("\"num_layers\"", at + 1)) {
    ++stages;
  }
  EXPECT_EQ(stages, 8u);
}

TEST(PlanCliTest, ZeroBandwidthClusterIsRejected) {
  const std::string path = ::testing::TempDir() + "/plan_zero_bw.textproto";
  std::ofstream(path)
      << "name: \"zero\" gpus_per_node: 8\n"
         "gpu { hbm_bytes: 85899345920 hbm_bandwidth_bytes_per_s: 2e12 "
         "peak_flops_bf16: 312e12 }\n"
         "levels { kind: NVLINK domain_size: 8 bandwidth_bytes_per_s: 0 }\n"
         "levels { kind: NETWORK bandwidth_bytes_per_s: 24e9 }\n";
  const auto r = RunCommand(Memwall("plan --model=gpt3-175b --cluster=" + path +
                                    " --gpus=64 --global_batch=64"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_THAT(r.output, HasSubstr("levels[0].bandwidth_bytes_per_s=0"));
  std::remove(path.c_str());
}

TEST(FitCliTest, FewestGpus) {
  const auto r = RunCommand(
      Memwall("fit --model=gpt3-175b --cluster=dgx-a100-80g --offload=none"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("fits on"));
  const auto j =
      RunCommand(Memwall("fit --model=gpt3-175b --cluster=dgx-a100-80g "
                         "--offload=none --format=json"));
  EXPECT_THAT(j.output, HasSubstr("\"min_gpus\""));
}

TEST(FitCliTest, GivenLayoutExcessAndFixes) {
  const auto r = RunCommand(Memwall(
      "fit --model=gpt3-175b --cluster=dgx-a100-80g --gpus=64 --tp=4 --pp=4"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("does not fit: exceeds memory by"));
  EXPECT_THAT(r.output,
              HasSubstr("fewest changes that fit, keeping the given flags"));
  const auto single = RunCommand(Memwall(
      "fit --model=gpt3-175b --cluster=dgx-a100-80g --gpus=256 --tp=8 --pp=8"));
  ASSERT_EQ(single.exit_code, 0) << single.output;
  EXPECT_THAT(single.output, HasSubstr("single changes that fit"));
}

TEST(FitCliTest, FitsNowhereIsAnAnswer) {
  // A 100x wider GPT-3 (about 17 quadrillion parameters) on a 4-node cluster.
  const auto r = RunCommand(Memwall(
      "fit --model=gpt3-175b --cluster=dgx-a100-80g --cluster_set='num_nodes: "
      "4' "
      "--set='transformer { hidden_size: 1228800 ffn_hidden_size: 4915200 }'"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output,
              HasSubstr("no layout of gpt3-175b fits on up to 32 GPUs"));
}

// Each candidate lists the mechanisms no validation row exercises: flash
// attention under Megatron on A100s has no row; NeMo's Llama 3 70B layout on
// DGX H100 in FP8 is a row.
TEST(PlanCliTest, CandidatesListUnvalidatedMechanisms) {
  const auto a100 = RunCommand(
      Memwall("plan --model=gpt3-175b --cluster=dgx-a100-80g --gpus=64 --tp=8 "
              "--pp=8 --micro_batch=1 --global_batch=64 --flash_attention "
              "--sequence_parallel --recompute=none --format=json"));
  ASSERT_EQ(a100.exit_code, 0) << a100.output;
  EXPECT_THAT(a100.output, HasSubstr("\"unvalidated\""));
  EXPECT_THAT(a100.output,
              HasSubstr("flash attention (megatron on dgx-a100-80g)"));
  const auto h100 = RunCommand(Memwall(
      "plan --model=llama3-70b --cluster=dgx-h100 --gpus=64 --tp=4 --pp=4 "
      "--cp=2 --vpp=5 --micro_batch=1 --global_batch=128 --seq_len=8192 "
      "--dtype=fp8 --zero=1 --recompute=none --flash_attention "
      "--sequence_parallel --tp_overlap"));
  ASSERT_EQ(h100.exit_code, 0) << h100.output;
  EXPECT_THAT(h100.output, Not(HasSubstr("unvalidated")));
  const auto b200 = RunCommand(Memwall(
      "plan --model=llama3-70b --cluster=dgx-b200 --gpus=64 --tp=4 --pp=4 "
      "--micro_batch=1 --global_batch=128 --seq_len=8192"));
  ASSERT_EQ(b200.exit_code, 0) << b200.output;
  EXPECT_THAT(b200.output,
              HasSubstr("rank 1 unvalidated: tensor parallelism (megatron on "
                        "dgx-b200)"));
}

TEST(ValidateCliTest, TableAndJson) {
  const auto r = RunCommand(Memwall("validate --all"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("korthikanti-175b-sp-selective"));
  EXPECT_THAT(r.output, HasSubstr("narayanan-145.6b"));
  EXPECT_THAT(r.output, HasSubstr("nemo-2407-llama3-70b-g64"));
  EXPECT_THAT(r.output, HasSubstr("mean |error|"));
  const auto j = RunCommand(Memwall("validate --format=json"));
  EXPECT_THAT(j.output, HasSubstr("\"mean_abs_error\""));
  EXPECT_THAT(j.output,
              HasSubstr("\"source_key\": \"llm-foundry-h100-80gb-bf16\""));
}

TEST(ValidateCliTest, SourceFilter) {
  const auto r =
      RunCommand(Memwall("validate --source=korthikanti-2022-table5"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("korthikanti-1t-full"));
  EXPECT_THAT(r.output, Not(HasSubstr("narayanan")));
  const auto bad = RunCommand(Memwall("validate --source=no-such-source"));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.output, HasSubstr("--source=no-such-source"));
}

}  // namespace
}  // namespace memwall

namespace memwall {
namespace {

// One layout mistake reads the same from memory, plan and fit: every command
// runs the rules of planner/layout/validate_layout.
TEST(LayoutErrorsCliTest, SameMessageFromEveryCommand) {
  struct Mistake {
    const char* flags;
    const char* message;
  };
  const Mistake mistakes[] = {
      {"--gpus=64 --tp=5", "--tp=5 must divide num_heads=96"},
      {"--gpus=64 --tp=8 --pp=97", "--pp=97 exceeds num_layers=96"},
      {"--gpus=64 --tp=8 --pp=3", "--tp=8 x --pp=3 = 24 must divide --gpus=64"},
      {"--gpus=64 --tp=8 --pp=4 --vpp=25",
       "--pp=4 x --vpp=25 = 100 exceeds num_layers=96"},
      {"--gpus=64 --tp=8 --pp=4 --first_stage_layers=10",
       "num_layers=96 - --first_stage_layers=10 - --last_stage_layers=0 = 86 "
       "must split evenly"},
      {"--gpus=64 --zero=4", "--zero=4 must be 0, 1, 2 or 3"},
      {"--gpus=64 --tp=1 --sequence_parallel",
       "--sequence_parallel needs --tp > 1"},
  };
  for (const Mistake& m : mistakes) {
    for (const char* command : {"memory", "plan", "fit"}) {
      const std::string args =
          absl::StrCat(command,
                       " --model=gpt3-175b --cluster=dgx-a100-80g "
                       "--global_batch=1536 --seq_len=2048 ",
                       m.flags);
      const auto r = RunCommand(Memwall(args));
      EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.output;
      EXPECT_THAT(r.output, HasSubstr(m.message)) << args;
    }
  }
}

// Llama 3 405B on 16 interleaved stages (126 layers): memory and plan with
// fixed flags evaluate the uneven chunks (7 layers on the first and last
// ranks, 8 elsewhere).
TEST(LayoutErrorsCliTest, Llama3UnevenInterleavedStages) {
  const std::string flags =
      " --model=llama3-405b --cluster=dgx-h100 --gpus=16384 --tp=8 --pp=16 "
      "--vpp=2 --zero=1 --micro_batch=1 --global_batch=2048 --seq_len=8192 "
      "--flash_attention --sequence_parallel --format=json";
  const auto memory = RunCommand(Memwall("memory" + flags));
  ASSERT_EQ(memory.exit_code, 0) << memory.output;
  const auto plan = RunCommand(Memwall("plan" + flags));
  ASSERT_EQ(plan.exit_code, 0) << plan.output;
  for (const auto* r : {&memory, &plan}) {
    EXPECT_THAT(r->output, HasSubstr("\"num_layers\": \"7\""));
    EXPECT_THAT(r->output, HasSubstr("\"num_layers\": \"8\""));
  }
}

}  // namespace
}  // namespace memwall
