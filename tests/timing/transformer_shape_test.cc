// Parameter counts and model FLOPs against published numbers.
#include "planner/timing/transformer_shape.h"

#include <gtest/gtest.h>

#include "tests/testing/published_runs.h"

namespace memwall {
namespace {

struct ParamCase {
  int run;             // index into PublishedRuns()
  double published_b;  // billions
};

// Narayanan et al. 2021, Table 1, parameter column (Eq. 2 counts biases and
// positions).
TEST(TransformerShapeTest, NarayananTable1Parameters) {
  for (const ParamCase& c :
       {ParamCase{0, 1.7}, ParamCase{1, 18.4}, ParamCase{2, 145.6}}) {
    const PublishedRun& run = PublishedRuns()[c.run];
    auto shape = ShapeFromModel(PublishedRunModel(run), 2048);
    ASSERT_TRUE(shape.ok()) << shape.status();
    EXPECT_NEAR(shape->total_params / 1e9, c.published_b, 0.05) << run.name;
  }
}

// Korthikanti et al. 2022, Table 5: model FLOPs / (GPUs x s/iter x 312 TFLOP/s)
// is the MFU column (41.5% for 22B, 51.4% for 175B).
TEST(TransformerShapeTest, KorthikantiTable5Mfu) {
  struct MfuCase {
    int run;
    double mfu;
  };
  for (const MfuCase& c : {MfuCase{4, 0.415}, MfuCase{6, 0.514}}) {
    const PublishedRun& run = PublishedRuns()[c.run];
    auto shape = ShapeFromModel(PublishedRunModel(run), 2048);
    ASSERT_TRUE(shape.ok());
    const double flops =
        ModelFlopsPerStep(*shape, static_cast<double>(run.global_batch));
    EXPECT_NEAR(flops / (run.gpus * run.step_time_s * 312e12), c.mfu, 0.002)
        << run.name;
  }
}

// Dense GPT per-token forward FLOPs: 24h^2 GEMMs + 4sh attention per layer +
// 2hV logits (Narayanan App. A), times 3 passes; hand value for l = 96,
// h = 12288, s = 2048, V = 51200 (a multiple of 128, so unpadded).
TEST(TransformerShapeTest, Gpt3ModelFlopsPerSequence) {
  auto shape = ShapeFromModel(PublishedRunModel(PublishedRuns()[5]), 2048);
  ASSERT_TRUE(shape.ok());
  EXPECT_EQ(shape->vocab, 51200);
  const double h = 12288, s = 2048;
  const double per_token = 96 * (24 * h * h + 4 * s * h) + 2 * h * 51200;
  EXPECT_NEAR(ModelFlopsPerStep(*shape, 1), 3 * s * per_token,
              1e-12 * 3 * s * per_token);
}

TEST(TransformerShapeTest, RejectsLayerGraphAndBadSizes) {
  ModelSpec graph;
  graph.set_name("cnn");
  graph.mutable_graph();
  EXPECT_EQ(ShapeFromModel(graph, 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  ModelSpec bad = PublishedRunModel(PublishedRuns()[0]);
  bad.mutable_transformer()->set_hidden_size(0);
  const absl::Status s = ShapeFromModel(bad, 2048).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("hidden_size=0"), std::string::npos)
      << s.message();
}

// A 1e13-parameter shape stays finite (doubles, no int64 products).
TEST(TransformerShapeTest, HugeModelDoesNotOverflow) {
  ModelSpec huge = PublishedRunModel(PublishedRuns()[0]);
  huge.mutable_transformer()->set_hidden_size(262144);
  huge.mutable_transformer()->set_num_heads(1024);
  huge.mutable_transformer()->set_ffn_hidden_size(4 * 262144);
  huge.mutable_transformer()->set_num_layers(12000);
  auto shape = ShapeFromModel(huge, 2048);
  ASSERT_TRUE(shape.ok());
  EXPECT_GT(shape->total_params, 9e15);
  EXPECT_GT(ModelFlopsPerStep(*shape, 1e6), 1e25);
}

}  // namespace
}  // namespace memwall
