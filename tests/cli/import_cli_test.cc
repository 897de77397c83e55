// `memwall describe|models|memory --model=config.json` end to end: a real
// configuration is described and planned; bad files exit 2 naming the field.
#include <cstdio>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/run_command.h"

namespace memwall {
namespace {

using ::memwall::testing::CommandResult;
using ::memwall::testing::RunCommand;
using ::testing::HasSubstr;

CommandResult Memwall(const std::string& args) {
  return RunCommand(std::string(MEMWALL_BINARY) + " " + args);
}

std::string Data(const std::string& file) {
  return std::string(MEMWALL_HF_DATA) + "/" + file;
}

TEST(ImportCli, DescribeModelsAndMemoryReadAConfig) {
  const CommandResult d =
      Memwall("describe --verbose --model=" + Data("deepseek-v3.json"));
  ASSERT_EQ(d.exit_code, 0) << d.output;
  EXPECT_THAT(d.output,
              HasSubstr("params                684.49B (684489845504)"));
  EXPECT_THAT(d.output, HasSubstr("mtp modules"));
  EXPECT_THAT(d.output, HasSubstr("change no count: architectures"));
  const CommandResult m = Memwall("models --file=" + Data("qwen3-8b.json"));
  ASSERT_EQ(m.exit_code, 0) << m.output;
  EXPECT_THAT(m.output, HasSubstr("Hugging Face config.json (qwen3)"));
  const CommandResult mem =
      Memwall("memory --model=" + Data("deepseek-v3.json") +
              " --gpus=256 --tp=2 --pp=16 --ep=16 --etp=1 --cluster=dgx-h100 "
              "--global_batch=1024 --seq_len=4096 --sequence_parallel "
              "--flash_attention --recompute=full --zero=1");
  ASSERT_EQ(mem.exit_code, 0) << mem.output;
  EXPECT_THAT(mem.output, HasSubstr("dp 8 x tp 2 x pp 16"));
}

TEST(ImportCli, BadFilesExitTwoNamingTheField) {
  const std::string path = ::testing::TempDir() + "bad_config.json";
  const struct {
    const char* json;
    const char* message;
  } cases[] = {
      {"{\"model_type\": \"llama\", \"num_hidden_layers\": \"32\"}",
       "bad_config.json: num_hidden_layers=\"32\" must be a whole number"},
      {"not json at all", "bad_config.json is not valid JSON"},
      {"[]", "must hold a JSON object"},
  };
  for (const auto& c : cases) {
    std::ofstream(path) << c.json;
    const CommandResult r = Memwall("describe --model=" + path);
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_THAT(r.output, HasSubstr(c.message));
  }
  std::remove(path.c_str());
  const CommandResult missing =
      Memwall("describe --model=/no/such/config.json");
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
}

}  // namespace
}  // namespace memwall
