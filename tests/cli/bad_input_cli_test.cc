// Inputs that once produced an answer that looked right but was not (or a
// hang): each now exits 2 naming the field and value, in every command.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/testing/run_command.h"

namespace memwall {
namespace {

using ::memwall::testing::RunCommand;
using ::testing::HasSubstr;
using ::testing::Not;

std::string Memwall(const std::string& args) {
  return std::string(MEMWALL_BIN) + " " + args;
}

struct BadInput {
  const char* args;
  const char* message;
};

TEST(BadInputCliTest, ExitsTwoNamingTheFieldAndValue) {
  const BadInput cases[] = {
      // The allocator headroom became -2^63 and everything "fit".
      {"memory --model=gpt3-175b --cluster=dgx-a100-80g --tp=8 --pp=8 "
       "--cluster_set='gpu { usable_fraction: 1e-9 }'",
       "cluster.gpu.usable_fraction=1e-09 must be in [0.1, 1]"},
      {"plan --model=gpt3-175b --cluster=dgx-a100-80g --gpus=64 "
       "--cluster_set='gpu { usable_fraction: nan }'",
       "cluster.gpu.usable_fraction=nan must be in [0.1, 1]"},
      // Signed overflow of the stage total.
      {"memory --model=gpt3-175b --cluster=dgx-a100-80g --tp=8 --pp=8 "
       "--cluster_set='gpu { reserved_bytes: 9000000000000000000 }'",
       "cluster.gpu.reserved_bytes=9e+18 must be below "
       "gpu.hbm_bytes=85899345920"},
      // memory never validated the cluster.
      {"memory --model=gpt3-175b --cluster=dgx-a100-80g --tp=8 --pp=8 "
       "--cluster_set='gpu { hbm_bytes: -1 }'",
       "cluster.gpu.hbm_bytes=-1 must be > 0"},
      {"memory --model=resnet152 --cluster=dgx-a100-80g --dp=8 "
       "--cluster_set='gpu { hbm_bytes: -1 }'",
       "cluster.gpu.hbm_bytes=-1 must be > 0"},
      {"comm --cluster=dgx-h100 --op=all_reduce --group_size=8 --bytes=1G "
       "--set='levels { bandwidth_bytes_per_s: 1e-320 }'",
       "bandwidth_bytes_per_s=9.99989e-321 must be in [1000, 1e+18]"},
      // NaN/Inf step time, MFU and days.
      {"plan --model=gpt3-175b --cluster=dgx-a100-80g --gpus=64 "
       "--cluster_set='efficiency { gemm: 1e-320 }'",
       "cluster.efficiency.gemm=9.99989e-321 must be in [0.01, 1]"},
      {"fit --model=gpt3-175b --cluster=dgx-a100-80g "
       "--cluster_set='gpu { peak_flops_bf16: 1e-300 }'",
       "cluster.gpu.peak_flops_bf16=1e-300 must be in [1e+06, 1e+21]"},
      {"plan --model=gpt3-175b --cluster=dgx-a100-80g --gpus=64 "
       "--cluster_set='levels { bandwidth_bytes_per_s: 1e-320 }'",
       "bandwidth_bytes_per_s=9.99989e-321 must be in [1000, 1e+18]"},
      {"plan --model=gpt3-175b --cluster=dgx-a100-80g --gpus=64 "
       "--cluster_set='gpu { hbm_bandwidth_bytes_per_s: inf }'",
       "cluster.gpu.hbm_bandwidth_bytes_per_s=inf must be in [1000, 1e+18]"},
      // int64 overflow of nodes x GPUs per node (wrapped to 8 GPUs).
      {"memory --model=gpt3-175b --cluster=dgx-a100-80g "
       "--nodes=2305843009213693953",
       "nodes=2305843009213693953 is too large"},
      {"plan --model=gpt3-175b --cluster=dgx-a100-80g "
       "--nodes=2305843009213693953",
       "nodes=2305843009213693953 is too large"},
      {"fit --model=gpt3-175b --cluster=dgx-a100-80g --gpus=64 --tp=8 "
       "--pp=9e18",
       "--pp=9000000000000000000 exceeds 16777216"},
      {"fit --model=gpt3-175b --cluster=dgx-a100-80g --gpus=64 --tp=8 "
       "--dp=9e18 --pp=2",
       "--dp=9000000000000000000 exceeds 16777216"},
      // A billion layers were allocated one by one (found by fuzzing).
      {"memory --model=gpt1 --set='transformer { num_layers: 1000000000 }'",
       "model.transformer.num_layers=1000000000 exceeds 65536 layers"},
      // Pipeline depth beyond what the memory model holds.
      {"plan --model=gpt3-175b --cluster=dgx-a100-80g --gpus=512 "
       "--set='transformer { num_layers: 512 }' --pp=512",
       "--pp=512 exceeds 256 pipeline stages"},
      // Words without -- were dropped (tp=8 planned tp=1); repeats kept the
      // last value.
      {"memory --model=gpt3-175b tp=8",
       "unexpected argument 'tp=8': flags start with -- (did you mean "
       "--tp=8?)"},
      {"plan --model=gpt3-175b --cluster=dgx-a100-80g --gpus=64 64",
       "unexpected argument '64'"},
      {"memory --model=gpt3-175b --tp=8 --tp=4",
       "--tp is given 2 times; give it once"},
      {"plan --model=gpt3-175b --cluster=dgx-a100-80g --cluster=dgx-h100 "
       "--gpus=64",
       "--cluster is given 2 times"},
      // Unbounded or blocking reads; directories parsed as empty models.
      {"memory --model=/dev/zero",
       "'/dev/zero' is not a regular file (a character device)"},
      {"describe --model=/dev/urandom",
       "'/dev/urandom' is not a regular file (a character device)"},
      {"memory --model=gpt3-175b --cluster=/tmp/",
       "'/tmp/' is not a regular file (a directory)"},
      {"memory --model=/dev/null",
       "'/dev/null' is not a regular file (a character device)"},
  };
  for (const BadInput& c : cases) {
    const auto r = RunCommand(Memwall(c.args));
    EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.output;
    EXPECT_THAT(r.output, HasSubstr(c.message)) << c.args;
  }
}

// The search once picked pipelines deeper than the memory model holds (256
// stages) and reported the first 256 stages' memory. 1024 layers on 1024 GPUs
// with tp = cp = 1: dp = 2 leaves only pp = 512 (refused), dp = 4 gives 256.
TEST(BadInputCliTest, PlanNeverPicksMoreThan256Stages) {
  const std::string base =
      "plan --model=gpt1 --cluster=dgx-a100-80g --gpus=1024 "
      "--set='transformer { num_layers: 1024 }' --global_batch=1024 --tp=1 "
      "--cp=1 --top=1 --format=json ";
  const auto deep = RunCommand(Memwall(base + "--dp=2"));
  ASSERT_EQ(deep.exit_code, 0) << deep.output;
  EXPECT_THAT(deep.output, Not(HasSubstr("\"pp\": \"512\"")));
  EXPECT_THAT(deep.output, HasSubstr("pp at most the layers and at most 256"));
  const auto ok = RunCommand(Memwall(base + "--dp=4"));
  ASSERT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_THAT(ok.output, HasSubstr("\"pp\": \"256\""));
}

}  // namespace
}  // namespace memwall
