// The pipeline's layer split: the three rules, checked against published
// layouts and against brute force.
#include "planner/layout/stage_split.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "planner/layout/validate_layout.h"

namespace memwall {
namespace {

// The edges rule puts the short stages at the ends: 126 layers over 16 stages
// are 7, 8 x 14, 7; over 32 stages 3, 4 x 30, 3.
TEST(StageSplitTest, PacingStagesFollowTheSplit) {
  const PipelineStages a = PacingStages(126, 16);
  EXPECT_EQ(a.first, 7);
  EXPECT_EQ(a.last, 7);
  EXPECT_EQ(a.longest, 8);
  const PipelineStages b = PacingStages(126, 32);
  EXPECT_EQ(b.first, 3);
  EXPECT_EQ(b.last, 3);
  EXPECT_EQ(b.longest, 4);
  const PipelineStages c = PacingStages(96, 8);
  EXPECT_EQ(c.first, 12);
  EXPECT_EQ(c.last, 12);
  EXPECT_EQ(c.longest, 12);
}

// Llama 3 405B (arXiv 2407.21783 §3.3.2): 126 layers on 16 pipeline stages
// with interleaving, "one Transformer layer each" removed from the first and
// the last stage. With two chunks per rank (32 virtual stages of 4 layers)
// the model's first and last chunks hold 3: ranks 0 and 15 hold 7 layers,
// the others 8. Megatron-LM's embedding/loss accounting gives the same split.
TEST(StageSplitTest, Llama3Interleaved) {
  for (bool accounted : {false, true}) {
    ParallelLayout l;
    l.pp = 16;
    l.vpp = 2;
    l.account_embedding = accounted;
    l.account_loss = accounted;
    const PipelineSplit split(126, l);
    int64_t next = 0;
    for (int64_t j = 0; j < 2; ++j) {
      for (int64_t stage = 0; stage < 16; ++stage) {
        const LayerRange r = split.Chunk(stage, j);
        EXPECT_EQ(r.first, next) << stage << "/" << j;
        const bool edge = (stage == 0 && j == 0) || (stage == 15 && j == 1);
        EXPECT_EQ(r.count, edge ? 3 : 4) << stage << "/" << j;
        next += r.count;
      }
    }
    EXPECT_EQ(next, 126);
    EXPECT_EQ(split.StageLayerCount(0), 7);
    EXPECT_EQ(split.StageLayerCount(15), 7);
    for (int64_t stage = 1; stage < 15; ++stage) {
      EXPECT_EQ(split.StageLayerCount(stage), 8);
    }
  }
}

// Megatron-LM's --decoder-first/last-pipeline-num-layers: 30 layers, 4 ranks,
// 6 on the first and the last, 9 on each of the two others.
TEST(StageSplitTest, GivenFirstAndLast) {
  ParallelLayout l;
  l.pp = 4;
  l.first_stage_layers = 6;
  l.last_stage_layers = 6;
  const PipelineSplit split(30, l);
  EXPECT_EQ(split.StageLayerCount(0), 6);
  EXPECT_EQ(split.StageLayerCount(1), 9);
  EXPECT_EQ(split.StageLayerCount(2), 9);
  EXPECT_EQ(split.StageLayerCount(3), 6);
  EXPECT_EQ(split.Stage(2).first, 15);
  EXPECT_EQ(split.Pacing().longest, 9);
  EXPECT_EQ(split.LongestStage(), 1);
}

// Every rule on many shapes: the chunks tile the layers in model order
// (c = j p + s), and the closed forms (stage counts, pacing stages, longest
// and interior candidates) agree with counting.
TEST(StageSplitTest, ClosedFormsAgreeWithCounting) {
  int checked = 0;
  for (int64_t layers = 1; layers <= 70; ++layers) {
    for (int64_t pp = 1; pp <= std::min<int64_t>(layers, 12); ++pp) {
      for (int64_t vpp = 1; vpp <= 4; ++vpp) {
        for (int rule = 0; rule < 5; ++rule) {
          ParallelLayout l;
          l.pp = pp;
          l.vpp = vpp;
          if (rule == 1) l.account_embedding = true;
          if (rule == 2) l.account_embedding = l.account_loss = true;
          if (rule == 3) l.first_stage_layers = vpp;
          if (rule == 4) l.last_stage_layers = 2 * vpp;
          LayoutLimits limits;
          limits.layers = layers;
          if (!ValidateLayout(limits, l).ok()) continue;
          ++checked;
          const PipelineSplit split(layers, l);
          int64_t next = 0;
          std::vector<int64_t> counts(pp, 0);
          for (int64_t j = 0; j < vpp; ++j) {
            for (int64_t s = 0; s < pp; ++s) {
              const LayerRange r = split.Chunk(s, j);
              ASSERT_EQ(r.first, next)
                  << layers << " " << pp << " " << vpp << " rule " << rule;
              ASSERT_GE(r.count, 0);
              next += r.count;
              counts[s] += r.count;
            }
          }
          ASSERT_EQ(next, layers) << layers << " " << pp << " " << vpp;
          for (int64_t s = 0; s < pp; ++s) {
            ASSERT_EQ(split.StageLayerCount(s), counts[s]);
          }
          const PipelineStages n = split.Pacing();
          const int64_t longest =
              *std::max_element(counts.begin(), counts.end());
          ASSERT_EQ(n.first, counts[0]);
          ASSERT_EQ(n.last, counts[pp - 1]);
          ASSERT_EQ(n.longest, longest)
              << layers << " " << pp << " " << vpp << " rule " << rule;
          ASSERT_EQ(counts[split.LongestStage()], longest);
          int64_t candidates[3];
          const int found = split.InteriorCandidates(candidates);
          std::set<int64_t> seen;
          for (int64_t s = 1; s < pp - 1; ++s) {
            if (seen.insert(counts[s]).second) {
              ASSERT_NE(std::find(candidates, candidates + found, s),
                        candidates + found)
                  << "first interior rank " << s << " of its length";
            }
          }
        }
      }
    }
  }
  EXPECT_GT(checked, 3000);
}

}  // namespace
}  // namespace memwall
