// `memwall memory` end to end: exit codes, error messages naming field and
// value, JSON.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/run_command.h"

namespace memwall {
namespace {

using ::memwall::testing::CommandResult;
using ::memwall::testing::RunCommand;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;

CommandResult Memwall(const std::string& args) {
  return RunCommand(std::string(MEMWALL_BINARY) + " " + args);
}

struct BadInput {
  const char* args;
  const char* message;
};

// --layers prints each layer's saved bytes; eager + autocast at bf16 (values
// from the eager table in docs/memory.md, checked against torch by
// tests/torch).
TEST(MemoryCli, LayersListEveryLayer) {
  const CommandResult r = Memwall(
      "memory --model=llama2-7b --kernels=eager --dtype=bf16 "
      "--mixed_precision=autocast --seq_len=128 --layers");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("saved activations of one micro-batch"));
  EXPECT_THAT(r.output, ContainsRegex("layer 31 +[0-9]+"));
  EXPECT_THAT(r.output, HasSubstr("\nhead "));
  EXPECT_THAT(r.output, HasSubstr("kernels eager"));
}

// Layer graphs already count PyTorch eager kernels: --kernels changes nothing
// for them (a documented no-op).
TEST(MemoryCli, KernelsIsANoOpForLayerGraphs) {
  const CommandResult plain = Memwall("memory --model=resnet152 --dp=8");
  const CommandResult eager =
      Memwall("memory --model=resnet152 --dp=8 --kernels=eager");
  const CommandResult fused =
      Memwall("memory --model=resnet152 --dp=8 --kernels=fused");
  ASSERT_EQ(plain.exit_code, 0) << plain.output;
  EXPECT_EQ(eager.output, plain.output);
  EXPECT_EQ(fused.output, plain.output);
}

// Bad input exits 2 and names the field and its value.
TEST(MemoryCli, BadInputExitsTwoNamingFieldAndValue) {
  const BadInput cases[] = {
      {"memory --model=llama2-7b --tp=3", "--tp=3 must divide num_heads=32"},
      {"memory --model=llama2-7b --gpus=16 --dp=2 --tp=4",
       "--dp=2 x --tp=4 x --pp=1 x --cp=1 = 8 must equal --gpus=16"},
      {"memory --model=llama2-7b --gpus=12 --tp=8",
       "--tp=8 must divide --gpus=12"},
      {"memory --model=llama2-7b --dp=4 --micro_batch=2 --global_batch=12",
       "--global_batch=12 must be a multiple of --micro_batch=2 x --dp=4 = 8"},
      {"memory --model=llama2-7b --zero=5", "--zero=5 must be 0, 1, 2 or 3"},
      {"memory --model=llama2-7b --micro_batch=-1",
       "--micro_batch=-1 must be positive"},
      {"memory --model=llama2-7b --seq_len=0", "--seq_len=0 must be positive"},
      {"memory --model=llama2-7b --global_batch=-8",
       "--global_batch=-8 must be positive"},
      {"memory --model=llama2-7b --set='transformer { hidden_size: -1 }'",
       "model.transformer.hidden_size=-1 must be positive"},
      {"memory --model=llama2-7b --pp=64", "--pp=64 exceeds num_layers=32"},
      {"memory --model=mixtral-8x7b --ep=3 --dp=3 --global_batch=3",
       "--ep=3 must divide moe.num_experts=8"},
      {"memory --model=llama2-7b --cp=3", "--cp=3 must divide --seq_len=4096"},
      {"memory --model=llama2-7b --recompute=some",
       "--recompute=some is not one of none"},
      {"memory --model=llama2-7b --profile=foo",
       "--profile=foo is not one of memwall"},
      {"memory --model=llama2-7b --tpp=2",
       "unknown flag --tpp for 'memory' (did you mean --tp?)"},
      {"memory --model=lama2-7b",
       "llama2-7b"},  // unknown model: the nearest name
      {"memory", "--model is required"},
      {"memory --model=llama2-7b --kernels=cudnn",
       "--kernels=cudnn is not one of fused"},
      {"memory --model=llama2-7b --kernels=eager",
       "needs training.mixed_precision=autocast"},
      {"memory --model=llama2-7b --kernels=eager --dtype=fp32 --tp=2",
       "--tp=2 needs --kernels=fused: --kernels=eager describes modules on one "
       "device"},
      {"memory --model=llama2-7b --kernels=eager --dtype=fp32 "
       "--flash_attention",
       "--flash_attention needs --kernels=fused"},
      {"memory --model=llama2-7b --kernel_device=cpu",
       "needs training.kernels=eager"},
      {"memory --model=llama2-7b --mixed_precision=autocast --profile=megatron",
       "training.mixed_precision=autocast applies to the memwall profile"},
      {"memory --model=llama2-7b --mixed_precision=param_remainders "
       "--dtype=fp32",
       "training.mixed_precision=param_remainders needs BF16 or FP8"},
      {"memory --model=llama2-7b --mixed_precision=param_remainders "
       "--profile=deepspeed",
       "param_remainders applies to the memwall profile only"},
      {"memory --model=llama2-7b --main_grad_dtype=fp16",
       "training.main_grad_dtype=FP16 must be FP32 or BF16"},
      {"memory --model=llama2-7b --main_grad_dtype=bf16 --stack=fsdp --zero=3 "
       "--gpus=8",
       "training.main_grad_dtype=BF16 needs BF16 or FP8 training with master"},
      {"memory --model=llama2-7b --main_grad_dtype=bf17",
       "--main_grad_dtype=bf17 is not one of"},
      {"memory --model=resnet152 --mixed_precision=autocast",
       "is a layer graph"},
      {"memory --model=resnet152 --layers",
       "`memwall describe --layers` prints its saved bytes per layer"},
      // Absurd sizes are refused before any int64 product could overflow.
      {"memory --model=llama2-7b --gpus=64 --tp=99999999999 --pp=99999999999",
       "--tp=99999999999 exceeds 16777216"},
      {"memory --model=llama2-7b --tp=16777216 --pp=16777216 --dp=16777216 "
       "--cp=16777216",
       "--pp=16777216 exceeds 256 pipeline stages"},
      {"memory --model=llama2-7b --set='transformer { hidden_size: "
       "1099511627776 }'",
       "parameters, more than"},
      {"memory --model=llama2-7b --seq_len=1099511627776",
       "bytes of activations per GPU"},
      {"memory --model=llama2-7b --global_batch=9000000000000000000",
       "training.global_batch=9000000000000000000 exceeds"},
  };
  for (const BadInput& c : cases) {
    const CommandResult r = Memwall(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.output;
    EXPECT_THAT(r.output, HasSubstr(c.message)) << c.args;
  }
}

// A malformed --set text proto is reported with its line and column.
TEST(MemoryCli, MalformedSetNamesLineAndColumn) {
  const CommandResult r =
      Memwall("memory --model=llama2-7b --set='transformer { num_layerz: 2 }'");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_THAT(r.output, ContainsRegex("--set:1:[0-9]+: "));
  EXPECT_THAT(r.output, HasSubstr("num_layerz"));
}

// 1e13 parameters evaluate (no overflow, no crash).
TEST(MemoryCli, TenTrillionParametersWork) {
  const CommandResult r = Memwall(
      "memory --model=megatron-1t --set='transformer { num_layers: 1280 }' "
      "--tp=8 --pp=64 "
      "--dp=2 --global_batch=512 --format=json");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("\"params\": \"10"));
}

// JSON carries the report fields with proto names; int64 are strings
// (protobuf 3.21).
TEST(MemoryCli, JsonFields) {
  const CommandResult r = Memwall(
      "memory --model=gpt3-175b --tp=8 --pp=8 --dp=1 --micro_batch=1 "
      "--global_batch=64 "
      "--seq_len=2048 --sequence_parallel --recompute=selective "
      "--profile=megatron "
      "--cluster=dgx-a100-80g --format=json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* field :
       {"\"stages\"", "\"weights_bytes\"", "\"gradients_bytes\"",
        "\"optimizer_bytes\"", "\"activations_bytes\"", "\"other_bytes\"",
        "\"total_bytes\"", "\"peak_bytes\"", "\"peak_stage\"",
        "\"capacity_bytes\"", "\"fits\""}) {
    EXPECT_THAT(r.output, HasSubstr(field)) << field;
  }
  // Megatron-LM theoretical_memory_usage.py vector: 57832.19 MiB = 60641449984
  // bytes (to the byte: 57832.193359375 MiB).
  EXPECT_THAT(r.output, HasSubstr("\"peak_bytes\": \"60641449984\""));
  EXPECT_THAT(r.output, HasSubstr("\"fits\": true"));
  EXPECT_THAT(r.output, HasSubstr("\"peak_stage\": \"0\""));
  EXPECT_THAT(r.output, HasSubstr("\"other_bytes\": \"0\""));
}

// The table marks the peak stage and says whether it fits; "does not fit" exits
// 0.
TEST(MemoryCli, TableDoesNotFitIsSuccess) {
  const CommandResult r =
      Memwall("memory --model=gpt3-175b --cluster=dgx-a100-80g");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("0*"));
  EXPECT_THAT(r.output, HasSubstr("does not fit"));
}

// Degrees derived from --gpus: dp = gpus / (tp pp cp).
TEST(MemoryCli, DerivesDataParallelDegree) {
  const CommandResult r = Memwall(
      "memory --model=llama2-7b --gpus=64 --tp=2 --pp=4 --format=textproto");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("dp: 8"));
  EXPECT_THAT(r.output, HasSubstr("gpus: 64"));
}

}  // namespace
}  // namespace memwall
