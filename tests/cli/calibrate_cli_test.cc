// `memwall calibrate` end to end: writes a cluster that --cluster= accepts and
// that predicts the runs better; bad runs files exit 2 naming row and field.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "tests/testing/run_command.h"

namespace memwall {
namespace {

using ::memwall::testing::RunCommand;
using ::testing::HasSubstr;

std::string Memwall(const std::string& args) {
  return std::string(MEMWALL_BIN) + " " + args;
}

std::string SourceDir() {
  const char* dir = std::getenv("MEMWALL_SOURCE_DIR");
  return dir != nullptr ? dir : ".";
}

std::string WriteTemp(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

TEST(CalibrateCliTest, WritesAClusterValidateAccepts) {
  const std::string runs =
      SourceDir() + "/validation/nemo-2407-pretraining.textproto";
  const std::string out = ::testing::TempDir() + "h100-fitted.textproto";
  const auto r = RunCommand(Memwall(
      "calibrate --runs=" + runs + " --cluster=dgx-h100 --stack=megatron " +
      "--params=fp8_gemm,attention --out=" + out));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("fp8_gemm"));
  EXPECT_THAT(r.output, HasSubstr("leave-one-out"));
  EXPECT_THAT(r.output, HasSubstr("nemo-2407-llama3-70b-g64"));
  const auto v =
      RunCommand(Memwall("validate --runs=" + runs + " --cluster=" + out));
  ASSERT_EQ(v.exit_code, 0) << v.output;
  EXPECT_THAT(v.output, HasSubstr("nemo-2407-pretraining"));
}

TEST(CalibrateCliTest, BadRunsExitTwoNamingRowAndField) {
  const std::string row =
      "runs { name: \"r\" source: \"s\" cluster: \"dgx-a100-80g\" gpus: 8 "
      "model: \"llama2-7b\" training { global_batch: 8 seq_len: 4096 dtype: "
      "BF16 } layout { dp: 8 micro_batch: 1 } stack: STACK_FSDP measured { "
      "step_time_s: 2 } }\n";
  struct Case {
    std::string file;
    std::string expect;
  };
  for (const Case& c : {
           Case{"runs { name: \"r\" gpus: x }", "bad.txtpb:1"},
           Case{"", "bad.txtpb' is empty"},
           Case{row + "runs { name: \"q\" source: \"s\" cluster: "
                      "\"dgx-a100-80g\" gpus: 8 model: \"llama2-7b\" training "
                      "{ global_batch: 8 seq_len: 4096 dtype: BF16 } layout { "
                      "dp: 8 micro_batch: 1 } stack: STACK_FSDP measured { "
                      "step_time_s: 4 } }\n",
                "runs[1] (q): measured contradicts"},
           Case{row +
                    "runs { name: \"q\" source: \"s\" cluster: "
                    "\"dgx-a100-80g\" gpus: 8 model: \"llama2-7b\" training "
                    "{ global_batch: 8 seq_len: 4096 dtype: BF16 } layout { "
                    "dp: 8 micro_batch: 1 } stack: STACK_FSDP measured { } }\n",
                "runs[1] (q): measured must give exactly one"},
       }) {
    const std::string path = WriteTemp("bad.txtpb", c.file);
    const auto r = RunCommand(
        Memwall("calibrate --runs=" + path +
                " --cluster=dgx-a100-80g --out=" + ::testing::TempDir() + "x"));
    EXPECT_EQ(r.exit_code, 2) << c.file << "\n" << r.output;
    EXPECT_THAT(r.output, HasSubstr(c.expect)) << c.file;
  }
  const auto missing = RunCommand(Memwall("calibrate --cluster=dgx-a100-80g"));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.output, HasSubstr("--runs is required"));
  const auto stack = RunCommand(
      Memwall("calibrate --runs=x --cluster=dgx-a100-80g --out=y --stack=jax"));
  EXPECT_EQ(stack.exit_code, 2);
  EXPECT_THAT(stack.output, HasSubstr("--stack=jax"));
}

}  // namespace
}  // namespace memwall
