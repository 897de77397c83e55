// `memwall describe` on layer graphs: per-layer shapes, and the text proto it
// prints loads back as the same model.
#include <cstdio>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/run_command.h"

namespace memwall {
namespace {

using ::memwall::testing::RunCommand;
using ::testing::HasSubstr;

std::string Memwall(const std::string& args) {
  return std::string(MEMWALL_BINARY) + " " + args;
}

TEST(DescribeGraphCli, LayersShowShapes) {
  const auto r = RunCommand(Memwall("describe --model=resnet152 --layers"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("60.19M (60192808)"));
  // The last bottleneck's output at 224x224: 2048 channels of 7x7 (He et al.
  // 2016 Table 1).
  EXPECT_THAT(r.output, HasSubstr("-> [2048, 7, 7]"));
}

TEST(DescribeGraphCli, TextprotoRoundTrip) {
  const auto printed =
      RunCommand(Memwall("describe --model=densenet201 --format=textproto"));
  ASSERT_EQ(printed.exit_code, 0);
  const std::string path = ::testing::TempDir() + "/densenet201.textproto";
  std::ofstream(path) << printed.output;
  const auto r = RunCommand(Memwall("describe --model=" + path));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("(20013928)"));
  std::remove(path.c_str());
}

TEST(DescribeGraphCli, TableMarksErrataAndFormats) {
  const auto r = RunCommand(Memwall("table"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("RoBERTa row repeats GPT-2's numbers"));
  EXPECT_THAT(r.output, HasSubstr("! ["));
  const auto json = RunCommand(Memwall("table --format=json"));
  EXPECT_THAT(json.output, HasSubstr("\"memwall_value\""));
  EXPECT_EQ(RunCommand(Memwall("table --format=svg")).exit_code, 2);
}

TEST(MemoryGraphCli, TensorParallelRefusedAndSeedRow) {
  const auto tp = RunCommand(Memwall("memory --model=resnet152 --tp=2"));
  EXPECT_EQ(tp.exit_code, 2);
  EXPECT_THAT(tp.output,
              HasSubstr("--tp=2 is not available for a layer-graph"));
  const auto seed = RunCommand(
      Memwall("memory --model=densenet201 --profile=seed --micro_batch=32"));
  ASSERT_EQ(seed.exit_code, 0) << seed.output;
  // "AI and Memory Wall" DenseNet201 row: total 6.18 GiB.
  EXPECT_THAT(seed.output, HasSubstr("6.18"));
}

}  // namespace
}  // namespace memwall
