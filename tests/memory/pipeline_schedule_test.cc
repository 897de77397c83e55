#include "planner/memory/pipeline_schedule.h"

#include "gtest/gtest.h"

namespace memwall {
namespace {

// Llama 3 405B (arXiv 2407.21783 §3.3.2): 126 layers on 16 stages, one layer
// fewer on the first and the last stage: 7, 8 x 14, 7.
TEST(PipelineSchedule, Llama3StageSplit) {
  int64_t next = 0;
  for (int64_t stage = 0; stage < 16; ++stage) {
    const LayerRange r = StageLayers(126, 16, stage);
    EXPECT_EQ(r.first, next) << stage;
    EXPECT_EQ(r.count, (stage == 0 || stage == 15) ? 7 : 8) << stage;
    next = r.first + r.count;
  }
  EXPECT_EQ(next, 126);
}

TEST(PipelineSchedule, EvenAndUnevenSplitsCoverEveryLayer) {
  for (int64_t layers : {1, 5, 24, 96, 127}) {
    for (int64_t pp = 1; pp <= layers && pp <= 40; ++pp) {
      int64_t next = 0;
      for (int64_t stage = 0; stage < pp; ++stage) {
        const LayerRange r = StageLayers(layers, pp, stage);
        ASSERT_EQ(r.first, next) << layers << " " << pp << " " << stage;
        ASSERT_GE(r.count, layers / pp);
        ASSERT_LE(r.count, layers / pp + 1);
        next += r.count;
      }
      ASSERT_EQ(next, layers);
    }
  }
}

// 1F1B: rank r holds min(p - r, m) micro-batches (Megatron schedules.py warm-up
// p - r - 1). Interleaved at rank 0: p (1 + (p - 1)/(p v)) (Korthikanti
// §4.2.3).
TEST(PipelineSchedule, InFlight) {
  EXPECT_EQ(InFlightMicroBatches(8, 1, 0, 64), 8);
  EXPECT_EQ(InFlightMicroBatches(8, 1, 7, 64), 1);
  EXPECT_EQ(InFlightMicroBatches(8, 1, 0, 3), 3);
  EXPECT_DOUBLE_EQ(InFlightMicroBatches(8, 4, 0, 64), 8 * (1 + 7.0 / 32));
  EXPECT_EQ(InFlightMicroBatches(1, 1, 0, 64), 1);
}

}  // namespace
}  // namespace memwall
