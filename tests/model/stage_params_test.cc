// Where parameters sit: the stages of a pipeline hold the whole model once
// (plus the last stage's copy of a tied embedding), TP and EP divide what
// they shard.
#include "planner/model/stage_params.h"

#include "gtest/gtest.h"
#include "planner/model/zoo.h"

namespace memwall {
namespace {

double SumOverStages(const StageParamModel& m, const ParallelLayout& l,
                     int64_t layers) {
  const PipelineSplit split(layers, l);
  double sum = 0;
  for (int64_t s = 0; s < l.pp; ++s) sum += m.Count(split, l, s).total();
  return sum;
}

TEST(StageParams, StagesHoldTheModelOnce) {
  for (const char* name : {"llama3-405b", "gpt3-175b", "mixtral-8x7b"}) {
    auto model = LoadModel(name);
    ASSERT_TRUE(model.ok()) << name;
    const TransformerSpec& spec = model->transformer();
    const TransformerParams params = CountParams(spec);
    const StageParamModel m(spec, params);
    const int64_t layers = spec.num_layers() + spec.num_decoder_layers();
    for (int64_t pp : {1, 2, 7, 16}) {
      for (int64_t vpp : {1, 2}) {
        if (pp == 1 && vpp > 1) continue;
        ParallelLayout l;
        l.pp = pp;
        l.vpp = vpp;
        const double copy = spec.tied_embeddings() && pp > 1
                                ? static_cast<double>(params.word_embedding)
                                : 0.0;
        EXPECT_DOUBLE_EQ(SumOverStages(m, l, layers),
                         static_cast<double>(params.total) + copy)
            << name << " pp " << pp << " vpp " << vpp;
      }
    }
  }
}

TEST(StageParams, ExpertsDivideByEpTimesEtp) {
  auto model = LoadModel("mixtral-8x7b");
  ASSERT_TRUE(model.ok());
  const TransformerSpec& spec = model->transformer();
  const TransformerParams params = CountParams(spec);
  const StageParamModel m(spec, params);
  ParallelLayout l;
  const PipelineSplit split(spec.num_layers(), l);
  const double experts_whole = m.Count(split, l, 0).expert;
  l.ep = 8;
  l.tp = 2;  // etp = tp by default
  EXPECT_DOUBLE_EQ(m.Count(split, l, 0).expert, experts_whole / 16);
  l.etp = 1;
  EXPECT_DOUBLE_EQ(m.Count(split, l, 0).expert, experts_whole / 8);
}

// Llama 3 405B on 16 interleaved stages (126 layers): the first and last
// ranks hold one layer fewer; the last also holds the output layer.
TEST(StageParams, Llama3UnevenStages) {
  auto model = LoadModel("llama3-405b");
  ASSERT_TRUE(model.ok());
  const TransformerSpec& spec = model->transformer();
  const StageParamModel m(spec, CountParams(spec));
  ParallelLayout l;
  l.pp = 16;
  l.vpp = 2;
  l.tp = 8;
  const PipelineSplit split(126, l);
  EXPECT_EQ(m.Count(split, l, 0).num_layers, 7);
  EXPECT_EQ(m.Count(split, l, 1).num_layers, 8);
  EXPECT_EQ(m.Count(split, l, 15).num_layers, 7);
  const double layer = m.DensePerLayer(0, l);
  EXPECT_NEAR(m.Count(split, l, 1).total(), 8 * layer, 1e-6);
}

}  // namespace
}  // namespace memwall
