// --megatron_args: a Megatron-LM launch line gives the same model and report
// as the equivalent memwall flags; unknown arguments are listed, bad values
// exit 2 naming the argument.
#include "planner/cli/megatron_args.h"

#include <string>

#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "planner/model/zoo.h"
#include "tests/testing/run_command.h"

namespace memwall {
namespace {

using ::memwall::testing::CommandResult;
using ::memwall::testing::RunCommand;
using ::testing::HasSubstr;
using ::testing::Not;

// GPT-3 175B as Megatron-LM's examples/gpt3/train_gpt3_175b_distributed.sh
// launches it (model, parallelism and batch arguments), behind torchrun.
constexpr char kGpt3[] =
    "torchrun --nproc_per_node 8 --nnodes 128 pretrain_gpt.py "
    "--num-layers 96 --hidden-size 12288 --num-attention-heads 96 "
    "--seq-length 2048 --max-position-embeddings 2048 "
    "--micro-batch-size 1 --global-batch-size 1536 "
    "--tensor-model-parallel-size 8 --pipeline-model-parallel-size 16 "
    "--sequence-parallel --recompute-granularity selective "
    "--use-distributed-optimizer --bf16 --lr 6.0e-5 --train-iters 500000 "
    "--tokenizer-type GPT2BPETokenizer --vocab-file gpt2-vocab.json "
    "--data-path 1.0 /data/my_text_document";
constexpr char kGpt3Flags[] =
    "--model=gpt3-175b --tp=8 --pp=16 --micro_batch=1 --global_batch=1536 "
    "--seq_len=2048 --sequence_parallel --recompute=selective "
    "--distributed_optimizer --dtype=bf16";

// Llama 3 70B (arXiv 2407.21783 Table 3) in Megatron-LM's arguments.
constexpr char kLlama3[] =
    "--num-layers 80 --hidden-size 8192 --ffn-hidden-size 28672 "
    "--num-attention-heads 64 --group-query-attention --num-query-groups 8 "
    "--swiglu --normalization RMSNorm --untie-embeddings-and-output-weights "
    "--position-embedding-type rope --disable-bias-linear "
    "--attention-dropout 0.0 --hidden-dropout 0.0 --seq-length 8192 "
    "--max-position-embeddings 8192 --tokenizer-type HuggingFaceTokenizer "
    "--tokenizer-model meta-llama/Meta-Llama-3-70B "
    "--tensor-model-parallel-size 8 --pipeline-model-parallel-size 4 "
    "--num-layers-per-virtual-pipeline-stage 5 --context-parallel-size 2 "
    "--micro-batch-size 1 --global-batch-size 512 --sequence-parallel "
    "--use-distributed-optimizer --bf16 --use-flash-attn";
constexpr char kLlama3Flags[] =
    "--model=llama3-70b --tp=8 --pp=4 --vpp=4 --cp=2 --micro_batch=1 "
    "--global_batch=512 --seq_len=8192 --sequence_parallel "
    "--distributed_optimizer --dtype=bf16 --flash_attention";

// DeepSeek-V3 in Megatron-LM's arguments (MLA, 256 experts with a shared
// one, three dense layers first, expert bias, one MTP layer).
constexpr char kDeepseekV3[] =
    "--num-layers 61 --hidden-size 7168 --ffn-hidden-size 18432 "
    "--num-attention-heads 128 --multi-latent-attention --q-lora-rank 1536 "
    "--kv-lora-rank 512 --qk-head-dim 128 --qk-pos-emb-head-dim 64 "
    "--v-head-dim 128 --num-experts 256 --moe-router-topk 8 "
    "--moe-ffn-hidden-size 2048 --moe-shared-expert-intermediate-size 2048 "
    "--moe-layer-freq '([0]*3+[1]*58)' --moe-router-enable-expert-bias "
    "--mtp-num-layers 1 --swiglu --normalization RMSNorm "
    "--position-embedding-type rope --untie-embeddings-and-output-weights "
    "--disable-bias-linear --vocab-size 129280 --seq-length 4096 "
    "--max-position-embeddings 4096 --hidden-dropout 0 --attention-dropout 0";

TEST(MegatronArgs, ModelsEqualTheZoos) {
  for (const auto& [line, zoo] :
       {std::pair<const char*, const char*>{kGpt3, "gpt3-175b"},
        {kLlama3, "llama3-70b"},
        {kDeepseekV3, "deepseek-v3"}}) {
    auto args = ParseMegatronArgs(line);
    ASSERT_TRUE(args.ok()) << args.status();
    auto model = LoadModel(zoo);
    ASSERT_TRUE(model.ok());
    std::string diff;
    google::protobuf::util::MessageDifferencer differ;
    differ.ReportDifferencesToString(&diff);
    EXPECT_TRUE(differ.Compare(model->transformer(), args->model.transformer()))
        << zoo << ": " << diff;
  }
  auto gpt3 = ParseMegatronArgs(kGpt3);
  ASSERT_TRUE(gpt3.ok());
  EXPECT_THAT(gpt3->unknown,
              ::testing::ElementsAre("--lr", "--train-iters", "--vocab-file",
                                     "--data-path"));
}

CommandResult Memwall(const std::string& args) {
  return RunCommand(std::string(MEMWALL_BINARY) + " " + args);
}

std::string Quoted(const std::string& s) { return "'" + s + "'"; }

// The report from the launch line equals the report from memwall's flags
// (the model's name aside).
TEST(MegatronArgs, ReportsEqualTheEquivalentFlags) {
  const struct {
    const char* line;
    const char* flags;
    const char* zoo;
    const char* rest;
  } cases[] = {
      {kGpt3, kGpt3Flags, "gpt3-175b",
       "memory --gpus=1024 --cluster=dgx-a100-80g"},
      {kLlama3, kLlama3Flags, "llama3-70b",
       "memory --gpus=512 --cluster=dgx-h100"},
  };
  for (const auto& c : cases) {
    CommandResult from_line =
        Memwall(std::string(c.rest) + " --megatron_args=" + Quoted(c.line));
    // The list of arguments not read comes first (stderr); the report follows.
    const std::string listed = "memwall: --megatron_args: not read";
    if (from_line.output.rfind(listed, 0) == 0) {
      from_line.output.erase(0, from_line.output.find('\n') + 1);
    }
    const CommandResult from_flags =
        Memwall(std::string(c.rest) + " " + c.flags);
    ASSERT_EQ(from_line.exit_code, 0) << from_line.output;
    ASSERT_EQ(from_flags.exit_code, 0) << from_flags.output;
    EXPECT_EQ(absl::StrReplaceAll(from_line.output, {{"megatron-args", "M"}}),
              absl::StrReplaceAll(from_flags.output, {{c.zoo, "M"}}))
        << c.zoo;
  }
}

TEST(MegatronArgs, UnknownArgumentsAreListedAndExplicitFlagsWin) {
  const CommandResult r = Memwall(
      "memory --gpus=1024 --cluster=dgx-a100-80g --tp=4 "
      "--megatron_args=" +
      Quoted(kGpt3));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("not read (no effect on the plan): --lr "
                                  "--train-iters --vocab-file --data-path"));
  EXPECT_THAT(r.output, HasSubstr("dp 16 x tp 4 x pp 16"));
}

TEST(MegatronArgs, BadValuesExitTwoNamingTheArgument) {
  const struct {
    const char* line;
    const char* message;
  } cases[] = {
      {"--num-layers abc --hidden-size 64 --num-attention-heads 4",
       "--megatron_args: --num-layers=abc must be a whole number"},
      {"--num-layers 2 --num-attention-heads 4 --seq-length 64 --vocab-size 9",
       "--megatron_args: --hidden-size is required"},
      {"--num-layers 2 --hidden-size 64 --num-attention-heads 4 "
       "--seq-length 64",
       "the vocabulary is unknown: give --vocab-size"},
      {"--num-layers 2 --hidden-size 64 --num-attention-heads 4 "
       "--seq-length 64 --vocab-size 9 --normalization BatchNorm",
       "--normalization=BatchNorm is not LayerNorm or RMSNorm"},
      {"--num-layers 2 --hidden-size 64 --num-attention-heads 5 "
       "--seq-length 64 --vocab-size 9",
       "model.transformer.num_heads=5 must divide"},
      {"--num-layers 4 --hidden-size 64 --num-attention-heads 4 "
       "--seq-length 64 --vocab-size 9 --num-experts 4 --moe-layer-freq 2",
       "--moe-layer-freq=2 is not supported"},
  };
  for (const auto& c : cases) {
    const CommandResult r =
        Memwall(std::string("memory --megatron_args=") + Quoted(c.line));
    EXPECT_EQ(r.exit_code, 2) << c.line << "\n" << r.output;
    EXPECT_THAT(r.output, HasSubstr(c.message)) << c.line;
    EXPECT_THAT(r.output, Not(HasSubstr("Aborted")));
  }
}

}  // namespace
}  // namespace memwall
