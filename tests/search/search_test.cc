// The layout search: space size, determinism, constraints, pruning and "no
// layout".
#include "planner/search/search.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/search/gpt3_setup.h"

namespace memwall {
namespace {

using ::testing::HasSubstr;

// Calculon's `loe -d` enumerates 7,474,752 configurations for GPT-3 175B on
// 4096 A100s at batch 1536 (peers reference Sec. 2.6); our space must be at
// least as large.
TEST(SearchTest, Gpt3On4096SpaceAtLeastCalculons) {
  const Gpt3Setup g = MakeGpt3Setup(1536);
  auto r = SearchLayouts(g.ctx, 4096, {}, g.Options(5, 2));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_GE(r->space_size, 7474752);
  ASSERT_FALSE(r->best.empty());
  int64_t rejected = 0;
  for (int64_t n : r->rejected) rejected += n;
  // Every layout of the space is either timed (fits) or rejected for a reason.
  EXPECT_EQ(r->feasible + rejected, r->space_size);
  EXPECT_GT(r->rejected[kRejectModelStates], 0);
  for (size_t i = 1; i < r->best.size(); ++i) {
    EXPECT_LE(r->best[i - 1].time.step_time_s, r->best[i].time.step_time_s);
  }
  for (const ScoredLayout& s : r->best) {
    EXPECT_EQ(s.layout.gpus(), 4096);
    EXPECT_TRUE(s.memory.fits);
    EXPECT_LE(s.memory.peak_bytes, g.memory->capacity_bytes());
  }
}

TEST(SearchTest, DeterministicAcrossThreadCounts) {
  const Gpt3Setup g = MakeGpt3Setup(512);
  auto a = SearchLayouts(g.ctx, 256, {}, g.Options(10, 1));
  auto b = SearchLayouts(g.ctx, 256, {}, g.Options(10, 3));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->space_size, b->space_size);
  EXPECT_EQ(a->feasible, b->feasible);
  EXPECT_EQ(a->rejected, b->rejected);
  ASSERT_EQ(a->best.size(), b->best.size());
  for (size_t i = 0; i < a->best.size(); ++i) {
    EXPECT_EQ(a->best[i].index, b->best[i].index);
    EXPECT_EQ(a->best[i].time.step_time_s, b->best[i].time.step_time_s);
  }
}

// The landscape is a bottom-k sample by hash: the same layouts for any thread
// count, all of them fitted, as many as asked, and reported progress reaches
// the number of degree tuples.
TEST(SearchTest, LandscapeSampleIsDeterministicAndFits) {
  const Gpt3Setup g = MakeGpt3Setup(512);
  SearchOptions one = g.Options(3, 1);
  SearchOptions three = g.Options(3, 3);
  one.landscape_points = three.landscape_points = 500;
  int64_t last_done = 0, last_total = -1;
  one.on_progress = [&](int64_t done, int64_t total) {
    EXPECT_GT(done, last_done);
    last_done = done;
    last_total = total;
  };
  auto a = SearchLayouts(g.ctx, 256, {}, one);
  auto b = SearchLayouts(g.ctx, 256, {}, three);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(last_done, last_total);
  ASSERT_GT(a->feasible, 500);
  ASSERT_EQ(a->landscape.size(), 500u);
  ASSERT_EQ(b->landscape.size(), 500u);
  for (size_t i = 0; i < a->landscape.size(); ++i) {
    EXPECT_EQ(a->landscape[i].hash, b->landscape[i].hash);
    EXPECT_EQ(a->landscape[i].step_time_s, b->landscape[i].step_time_s);
    EXPECT_LE(a->landscape[i].peak_bytes, g.memory->capacity_bytes());
    if (i > 0) {
      EXPECT_LT(a->landscape[i - 1].hash, a->landscape[i].hash);
    }
  }
  // No landscape unless asked.
  auto none = SearchLayouts(g.ctx, 256, {}, g.Options(3, 1));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->landscape.empty());
}

TEST(SearchTest, FixedFlagsAreConstraints) {
  const Gpt3Setup g = MakeGpt3Setup(64);
  SearchConstraints c;
  c.tp = 8;
  c.pp = 8;
  auto r = SearchLayouts(g.ctx, 64, c, g.Options(3));
  ASSERT_TRUE(r.ok());
  for (const ScoredLayout& s : r->best) {
    EXPECT_EQ(s.layout.tp, 8);
    EXPECT_EQ(s.layout.pp, 8);
    EXPECT_EQ(s.layout.dp, 1);
  }
  // Everything fixed: one layout.
  c.dp = 1;
  c.cp = 1;
  c.vpp = 1;
  c.micro_batch = 1;
  c.zero_stage = 0;
  c.recompute = RECOMPUTE_SELECTIVE;
  c.offload = OFFLOAD_NONE;
  c.sequence_parallel = true;
  c.flash_attention = false;
  c.tp_overlap = false;
  c.dp_overlap = true;
  c.pp_inside_dp = false;
  r = SearchLayouts(g.ctx, 64, c, g.Options(3));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->space_size, 1);
  ASSERT_EQ(r->best.size(), 1u);
}

TEST(SearchTest, ContradictoryFlagsAreInvalidArgument) {
  const Gpt3Setup g = MakeGpt3Setup(64);
  struct Case {
    SearchConstraints c;
    const char* message;
  };
  std::vector<Case> cases(5);
  cases[0].c.tp = 5;
  cases[0].message = "--tp=5 must divide num_heads=96";
  cases[1].c.pp = 97;
  cases[1].message = "--pp=97 exceeds num_layers=96";
  cases[2].c.tp = 8;
  cases[2].c.pp = 16;
  cases[2].message = "must divide --gpus=64";
  cases[3].c.zero_stage = 5;
  cases[3].message = "--zero=5 must be 0, 1, 2 or 3";
  cases[4].c.dp = 3;
  cases[4].message = "must divide --gpus=64";
  for (const Case& c : cases) {
    const absl::Status s = SearchLayouts(g.ctx, 64, c.c, g.Options()).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.message;
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.message));
  }
}

// GPT-3 175B on one 8-GPU node without offload: nothing fits, a result, not an
// error.
TEST(SearchTest, NothingFitsIsAResult) {
  const Gpt3Setup g = MakeGpt3Setup(64);
  SearchConstraints c;
  c.offload = OFFLOAD_NONE;
  auto r = SearchLayouts(g.ctx, 8, c, g.Options());
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->best.empty());
  EXPECT_EQ(r->feasible, 0);
  EXPECT_GT(r->space_size, 0);
  EXPECT_GT(r->rejected[kRejectModelStates], 0);
}

// Without a memory evaluator there is nothing to decide fit with: an error, not
// a search against some other memory model.
TEST(SearchTest, NeedsMemoryEvaluator) {
  const Gpt3Setup g = MakeGpt3Setup(64);
  SearchOptions options = g.Options();
  options.memory = nullptr;
  EXPECT_EQ(SearchLayouts(g.ctx, 64, {}, options).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// The evaluator decides fit: every layout the search keeps fits by it, and
// counting the (tp 8, pp 8) space by hand with EvaluatePeak gives the same
// number of layouts that fit and that do not.
TEST(SearchTest, MemoryEvaluatorDecidesFit) {
  const Gpt3Setup g = MakeGpt3Setup(64);
  SearchConstraints c;
  c.tp = 8;
  c.pp = 8;
  c.tp_overlap = false;
  c.dp_overlap = true;
  c.pp_inside_dp = false;
  c.offload = OFFLOAD_NONE;
  auto r = SearchLayouts(g.ctx, 64, c, g.Options(1000));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_FALSE(r->best.empty());
  for (const ScoredLayout& s : r->best) {
    EXPECT_TRUE(g.memory->EvaluatePeak(s.layout).fits);
  }
  // dp = 1: ZeRO 0 only; micro-batches dividing 64; vpp dividing 12 with
  // 64 / mb micro-batches divisible by 8 when vpp > 1.
  int64_t fits = 0, does_not = 0;
  ParallelLayout l;
  l.tp = 8;
  l.etp = 8;
  l.pp = 8;
  for (int64_t mb : {1, 2, 4, 8, 16, 32, 64}) {
    for (int64_t vpp : {1, 2, 3, 4, 6, 12}) {
      if (vpp > 1 && (64 / mb) % 8 != 0) continue;
      for (Recompute rec :
           {RECOMPUTE_NONE, RECOMPUTE_SELECTIVE, RECOMPUTE_FULL}) {
        for (bool sp : {false, true}) {
          for (bool flash : {false, true}) {
            l.micro_batch = mb;
            l.vpp = vpp;
            l.recompute = rec;
            l.sequence_parallel = sp;
            l.flash_attention = flash;
            (g.memory->EvaluatePeak(l).fits ? fits : does_not) += 1;
          }
        }
      }
    }
  }
  EXPECT_EQ(r->feasible, fits);
  EXPECT_EQ(r->rejected[kRejectActivations], does_not);
  EXPECT_GT(fits, 0);
  EXPECT_GT(does_not, 0);
}

}  // namespace
}  // namespace memwall
