// `memwall describe` end to end; expected values computed in the test from the
// published closed forms.
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

// Reads `"name": value` (value possibly quoted) from the JSON output.
double JsonNumber(const std::string& json, const std::string& name) {
  const size_t at = json.find("\"" + name + "\": ");
  if (at == std::string::npos) return -1;
  size_t start = at + name.size() + 4;
  if (json[start] == '"') ++start;
  return std::stod(json.substr(start));
}

// AI and Memory Wall README, #Features = L (a s^2 + 6 s h + f s): BERT-Large
// @512 -> 226.5M, GPT-2 XL @1024 -> 2044.7M; inference FLOPs = 2 L (s (4h^2 +
// 2hf) + 2 s^2 h) plus the logits 2 s h V (the seed's convention leaves the
// logits out).
TEST(DescribeCli, SeedClosedForms) {
  struct Row {
    const char* model;
    double L, h, a, f, s, V;
  } rows[] = {{"bert-large", 24, 1024, 16, 4096, 512, 30522},
              {"gpt2-xl", 48, 1600, 25, 6400, 1024, 50257}};
  for (const Row& r : rows) {
    const CommandResult out =
        Memwall(std::string("describe --format=json --model=") + r.model);
    ASSERT_EQ(out.exit_code, 0) << out.output;
    const double features = r.L * (r.a * r.s * r.s + 6 * r.s * r.h + r.f * r.s);
    EXPECT_NEAR(JsonNumber(out.output, "features") / features, 1, 1e-9)
        << r.model;
    const double flops =
        2 * r.L *
            (r.s * (4 * r.h * r.h + 2 * r.h * r.f) + 2 * r.s * r.s * r.h) +
        2 * r.s * r.h * r.V;
    EXPECT_NEAR(JsonNumber(out.output, "inference_flops") / flops, 1, 1e-9)
        << r.model;
  }
  // The published rounding: 226.5M and 2044.7M (the README prints 230M and
  // 2,000M at 2 significant figures).
  EXPECT_NEAR(24 * (16 * 512.0 * 512 + 10 * 512.0 * 1024) / 1e6, 226.5, 0.05);
}

TEST(DescribeCli, TableAndLayers) {
  const CommandResult out = Memwall("describe --model=llama3-70b");
  ASSERT_EQ(out.exit_code, 0) << out.output;
  EXPECT_THAT(out.output, HasSubstr("70553706496"));
  const CommandResult layers =
      Memwall("describe --model=llama2-7b --layers --seq_len=1024");
  ASSERT_EQ(layers.exit_code, 0) << layers.output;
  EXPECT_THAT(layers.output, HasSubstr("layer 31"));
  EXPECT_THAT(layers.output, HasSubstr("sequence length       1024"));
}

TEST(DescribeCli, UnknownModelSuggestsNearest) {
  const CommandResult out = Memwall("describe --model=llama3-7b");
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_THAT(out.output, HasSubstr("llama3-70b"));
}

}  // namespace
}  // namespace memwall
