// Reading measured runs: a good row loads; bad rows are rejected with the
// file, the row and the field named.
#include "planner/validation/runs.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "absl/strings/str_replace.h"

namespace memwall {
namespace {

using ::testing::HasSubstr;

// One Korthikanti 2022 Table 5 row (22B, SP + selective, 1.10 s), with
// `extra` merged into it.
std::string Row(const std::string& name, const std::string& extra = "",
                const std::string& measured = "step_time_s: 1.10") {
  return "runs { name: \"" + name +
         "\" source: \"test\" cluster: \"dgx-a100-80g\" gpus: 8 "
         "model_spec { transformer { num_layers: 48 hidden_size: 6144 "
         "num_heads: 64 ffn_hidden_size: 24576 activation: GELU norm: "
         "LAYER_NORM vocab_size: 51200 max_seq_len: 2048 causal: true } } "
         "training { global_batch: 4 seq_len: 2048 dtype: FP16 optimizer: "
         "ADAM } layout { tp: 8 dp: 1 pp: 1 micro_batch: 4 recompute: "
         "RECOMPUTE_SELECTIVE sequence_parallel: true } stack: "
         "STACK_MEGATRON measured { " +
         measured + " } " + extra + " }\n";
}

absl::Status ParseAndCheck(const std::string& text) {
  absl::StatusOr<std::vector<LoadedRun>> runs = ParseRuns(text, "mine.txtpb");
  if (!runs.ok()) return runs.status();
  return CheckRuns(*runs);
}

TEST(RunsTest, GoodRowLoads) {
  const auto runs = ParseRuns(Row("a"), "mine.txtpb");
  ASSERT_TRUE(runs.ok()) << runs.status();
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_EQ((*runs)[0].source_key, "mine");
  EXPECT_EQ((*runs)[0].model.transformer().num_layers(), 48);
}

TEST(RunsTest, MalformedTextNamesLineAndField) {
  const absl::Status s = ParseAndCheck("runs { name: \"a\" gpuz: 8 }");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("mine.txtpb:1"));
  EXPECT_THAT(s.message(), HasSubstr("gpuz"));
}

TEST(RunsTest, EmptyFileIsAnError) {
  const absl::Status s = ParseAndCheck("# nothing here\n");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("no runs"));
}

TEST(RunsTest, BadFieldsNameRowAndField) {
  struct Case {
    std::string text;
    std::string expect;
  };
  for (const Case& c : {
           Case{Row("a", "", "step_time_s: 1 tokens_per_s: 5"),
                "runs[0] (a): measured must give exactly one"},
           Case{Row("a", "", "step_time_s: -1"),
                "runs[0] (a): measured.step_time_s=-1"},
           Case{Row("a", "", "tflops_per_gpu: 100"),
                "measured.flop_formula must be set"},
           Case{Row("a", "model: \"gpt3-175b\""), "give exactly one of model"},
           Case{absl::StrReplaceAll(Row("a"), {{"gpus: 8", "gpus: 16"}}), "16"},
           Case{absl::StrReplaceAll(Row("a"), {{"tp: 8", "tp: 3"}}), "tp=3"},
           Case{absl::StrReplaceAll(Row("a"),
                                    {{"global_batch: 4", "global_batch: 6"}}),
                "training.global_batch=6 must be a multiple"},
           Case{absl::StrReplaceAll(Row("a"), {{"stack: STACK_MEGATRON", ""}}),
                "stack must be set"},
       }) {
    const absl::Status s = ParseAndCheck(c.text);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.text;
    EXPECT_THAT(s.message(), HasSubstr(c.expect)) << c.text;
    EXPECT_THAT(s.message(), HasSubstr("mine.txtpb: runs[0]")) << c.text;
  }
}

TEST(RunsTest, DuplicateNamesAndContradictoryRows) {
  const absl::Status dup = ParseAndCheck(Row("a") + Row("a"));
  EXPECT_EQ(dup.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(dup.message(), HasSubstr("runs[1] (a): name=\"a\""));
  // The same configuration measured at 1.10 s and 2.00 s.
  const absl::Status both =
      ParseAndCheck(Row("a") + Row("b", "", "step_time_s: 2.0"));
  EXPECT_EQ(both.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(both.message(),
              HasSubstr("runs[1] (b): measured contradicts mine.txtpb: "
                        "runs[0] (a)"));
  // Within 10% of each other: two measurements of one run, both kept.
  EXPECT_TRUE(ParseAndCheck(Row("a") + Row("b", "", "step_time_s: 1.15")).ok());
}

TEST(RunsTest, EmbeddedRowsLoadAndFilter) {
  const auto all = LoadRuns("");
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_GE(all->size(), 200u);
  const auto nemo = FilterRuns(*all, "nemo-2407-pretraining");
  ASSERT_TRUE(nemo.ok());
  EXPECT_EQ(nemo->size(), 12u);
  const auto none = FilterRuns(*all, "nope");
  EXPECT_EQ(none.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(none.status().message(), HasSubstr("korthikanti-2022-table5"));
}

}  // namespace
}  // namespace memwall
