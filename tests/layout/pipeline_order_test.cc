// The pipeline orders against Narayanan et al. 2021 ("Efficient Large-Scale
// Language Model Training on GPU Clusters Using Megatron-LM"), Fig. 4: 4
// devices, 8 micro-batches, 1F1B (top) and interleaved with 2 chunks
// (bottom), written out by hand from the figure.
#include "planner/layout/pipeline_order.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <tuple>

#include "absl/strings/str_cat.h"

namespace memwall {
namespace {

// "F1" / "B1" (micro-batch from 1), with ".c" (chunk from 1) when v > 1.
std::string Text(const std::vector<PipelinePass>& order, bool chunks) {
  std::string out;
  for (const PipelinePass& p : order) {
    absl::StrAppend(&out, out.empty() ? "" : " ", p.forward ? "F" : "B",
                    p.micro_batch + 1,
                    chunks ? absl::StrCat(".", p.chunk + 1) : "");
  }
  return out;
}

TEST(PipelineOrderTest, OneForwardOneBackwardAsFigure4) {
  EXPECT_EQ(Text(PipelineRankOrder(4, 1, 8, 0), false),
            "F1 F2 F3 F4 B1 F5 B2 F6 B3 F7 B4 F8 B5 B6 B7 B8");
  EXPECT_EQ(Text(PipelineRankOrder(4, 1, 8, 1), false),
            "F1 F2 F3 B1 F4 B2 F5 B3 F6 B4 F7 B5 F8 B6 B7 B8");
  EXPECT_EQ(Text(PipelineRankOrder(4, 1, 8, 3), false),
            "F1 B1 F2 B2 F3 B3 F4 B4 F5 B5 F6 B6 F7 B7 F8 B8");
}

TEST(PipelineOrderTest, InterleavedAsFigure4) {
  // Device 1: micro-batches 1-4 through chunk 1, then through chunk 2, then
  // 5 and 6 through chunk 1 (warm-up 2 (p - 1) + (v - 1) p = 10), then the
  // steady state alternates, backwards starting with the last chunk.
  const std::string order = Text(PipelineRankOrder(4, 2, 8, 0), true);
  EXPECT_EQ(order.substr(0, 84),
            "F1.1 F2.1 F3.1 F4.1 F1.2 F2.2 F3.2 F4.2 F5.1 F6.1 F7.1 B1.2 "
            "F8.1 B2.2 F5.2 B3.2 F6.2");
}

TEST(PipelineOrderTest, EveryPassOnceForwardBeforeBackward) {
  for (int64_t p : {1, 2, 3, 4}) {
    for (int64_t v : {1, 2, 3}) {
      for (int64_t m : {p, 2 * p, 5 * p}) {
        if (v > 1 && m % p != 0) continue;
        for (int64_t r = 0; r < p; ++r) {
          SCOPED_TRACE(absl::StrCat("p", p, " v", v, " m", m, " r", r));
          const std::vector<PipelinePass> order = PipelineRankOrder(p, v, m, r);
          ASSERT_EQ(order.size(), static_cast<size_t>(2 * m * v));
          std::set<std::tuple<bool, int64_t, int64_t>> seen;
          for (const PipelinePass& pass : order) {
            EXPECT_TRUE(
                seen.insert({pass.forward, pass.chunk, pass.micro_batch})
                    .second);
            if (!pass.forward) {
              EXPECT_EQ(seen.count({true, pass.chunk, pass.micro_batch}), 1u);
            }
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace memwall
