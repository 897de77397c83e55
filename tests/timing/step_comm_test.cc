// The step's communication list against the step-time breakdown it must add
// up to, over a grid of layouts, and one list checked against sizes computed
// here from the model's shape.
#include "planner/timing/step_comm.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>

#include "planner/model/zoo.h"
#include "planner/timing/collective_time.h"

namespace memwall {
namespace {

StepContext Context(const std::string& model, int64_t global_batch) {
  TrainingSpec training;
  training.set_global_batch(global_batch);
  training.set_dtype(BF16);
  training.set_optimizer(ADAM);
  return MakeStepContext(
             ShapeFromModel(LoadModel(model).value(), 0).value(),
             ClusterParamsFromSpec(LoadCluster("dgx-h100").value(), BF16)
                 .value(),
             training)
      .value();
}

std::map<std::string, double> LinkTimeByClass(
    const std::vector<StepCommOpValue>& ops) {
  std::map<std::string, double> by_class;
  for (const StepCommOpValue& op : ops)
    by_class[op.comm_class] += op.calls_per_step * op.time_s;
  return by_class;
}

struct GridCase {
  const char* model;
  int64_t tp, pp, vpp, cp, dp, ep;
  bool sp;
  Recompute recompute;
};

class StepCommGridTest : public ::testing::TestWithParam<GridCase> {};

TEST_P(StepCommGridTest, ClassesAddUpToTheBreakdown) {
  const GridCase g = GetParam();
  const StepContext ctx = Context(g.model, 64);
  for (int zero = 0; zero <= 3; ++zero) {
    for (bool pp_inside_dp : {false, true}) {
      ParallelLayout l;
      l.tp = g.tp;
      l.pp = g.pp;
      l.vpp = g.vpp;
      l.cp = g.cp;
      l.dp = g.dp;
      l.ep = g.ep;
      l.sequence_parallel = g.sp;
      l.recompute = g.recompute;
      l.zero_stage = zero;
      ScheduleOptions o;
      o.pp_inside_dp = pp_inside_dp;
      const MicroBatchCosts costs =
          ComputeMicroBatchCosts(ctx.shape, ctx.cluster, KeyOf(l));
      const StepTime t = EvaluateStepTime(ctx, costs, l, o);
      const std::vector<StepCommOpValue> ops = StepCommOps(ctx, costs, l, o);
      std::map<std::string, double> got = LinkTimeByClass(ops);
      EXPECT_EQ(got.count("cp") > 0, g.cp > 1);
      SCOPED_TRACE(::testing::Message() << g.model << " zero " << zero
                                        << " pp_inside_dp " << pp_inside_dp);
      const double tol = 1e-9 * (1 + t.step_time_s);
      EXPECT_NEAR(got["tp"], t.tp_comm_s, tol);
      EXPECT_NEAR(got["ep"], t.ep_comm_s, tol);
      EXPECT_NEAR(got["pp"], t.pp_comm_s, tol);
      EXPECT_NEAR(got["dp"], t.dp_comm_s, tol);
      EXPECT_NEAR(got["zero3"], t.zero3_gather_s, tol);
      // The breakdown keeps the ring's exposed part only.
      EXPECT_GE(got["cp"] + tol, t.cp_comm_s);
      for (const StepCommOpValue& op : ops) {
        EXPECT_GT(op.bytes, 0) << op.comm_class;
        EXPECT_GT(op.time_s, 0) << op.comm_class;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Layouts, StepCommGridTest,
    ::testing::Values(
        GridCase{"llama3-8b", 1, 1, 1, 1, 8, 1, false, RECOMPUTE_NONE},
        GridCase{"llama3-8b", 2, 2, 1, 1, 2, 1, false, RECOMPUTE_NONE},
        GridCase{"llama3-8b", 4, 2, 2, 1, 4, 1, true, RECOMPUTE_FULL},
        GridCase{"llama3-8b", 2, 1, 1, 2, 2, 1, true, RECOMPUTE_SELECTIVE},
        GridCase{"llama3-8b", 8, 4, 1, 2, 2, 1, false, RECOMPUTE_FULL},
        GridCase{"mixtral-8x7b", 2, 2, 1, 1, 4, 2, true, RECOMPUTE_NONE},
        GridCase{"mixtral-8x7b", 1, 4, 1, 1, 8, 8, false, RECOMPUTE_FULL},
        GridCase{"mixtral-8x7b", 4, 1, 1, 2, 4, 4, true, RECOMPUTE_NONE}));

// llama3-8b (h = 4096, s = 8192, 32 layers, bf16) at t2 p2 d2, micro-batch 1,
// B = 64: m = 32 micro-batches, 16 layers a stage. Sizes from the shape alone:
// a TP all-reduce carries b s h 2 bytes; a pipeline message b s h 2 / t
// (Narayanan 2021 Sec. 4.1 scatter/gather). The gradient all-reduce runs per
// Megatron bucket of max(40M, 1M x 2) = 40M parameters over the most loaded
// stage's parameters per TP rank, the last stage: 16 layers of
// (2 h^2 + 2 h 1024 + 3 h 14336) / 2 + 2 h (norms, replicated) =
// 109,060,096, plus the output layer 128256 h / 2 = 262,668,288 and the
// final norm h: 2,007,633,920 parameters = 50 buckets of 40M and one of
// 7,633,920 (2 bytes each).
TEST(StepCommTest, Llama8bSizesAndCounts) {
  const StepContext ctx = Context("llama3-8b", 64);
  ASSERT_EQ(ctx.shape.hidden, 4096);
  ASSERT_EQ(ctx.shape.seq, 8192);
  ParallelLayout l;
  l.tp = 2;
  l.pp = 2;
  l.dp = 2;
  const MicroBatchCosts costs =
      ComputeMicroBatchCosts(ctx.shape, ctx.cluster, KeyOf(l));
  const std::vector<StepCommOpValue> ops = StepCommOps(ctx, costs, l, {});
  EXPECT_DOUBLE_EQ(MicroBatches(ctx, l), 32);
  int tp_ops = 0;
  int dp_ops = 0;
  std::map<double, double> dp_calls_bytes;  // bytes -> calls per step
  for (const StepCommOpValue& op : ops) {
    const std::string cls = op.comm_class;
    if (cls == "tp") {
      ++tp_ops;
      EXPECT_EQ(op.op, Collective::kAllReduce);
      EXPECT_DOUBLE_EQ(op.bytes, 8192.0 * 4096 * 2);
      EXPECT_DOUBLE_EQ(op.calls_per_step, 2 * 16 * 32);  // 2 per layer a pass
      EXPECT_EQ(op.shape.size, 2);
      EXPECT_EQ(op.shape.stride, 1);
    } else if (cls == "pp") {
      EXPECT_DOUBLE_EQ(op.bytes, 8192.0 * 4096 * 2 / 2);
      EXPECT_DOUBLE_EQ(op.calls_per_step, 32 + 2 - 1);  // m v + p - 1 a way
      EXPECT_EQ(op.shape.stride, 4);                    // t x d
    } else if (cls == "dp") {
      ++dp_ops;
      EXPECT_EQ(op.op, Collective::kAllReduce);
      EXPECT_STREQ(op.phase, "step");
      EXPECT_EQ(op.shape.size, 2);
      EXPECT_EQ(op.shape.stride, 2);
      dp_calls_bytes[op.bytes] += op.calls_per_step;
      EXPECT_DOUBLE_EQ(op.time_s,
                       CommTime(ctx.cluster, op.op, op.shape, op.bytes));
    } else {
      ADD_FAILURE() << "unexpected class " << cls;
    }
  }
  EXPECT_EQ(tp_ops, 2);  // forward and backward
  EXPECT_EQ(dp_ops, 2);  // the full buckets and the remainder's
  const std::map<double, double> want = {{40e6 * 2, 50}, {7633920.0 * 2, 1}};
  EXPECT_EQ(dp_calls_bytes, want);
}

// ZeRO-2 at p4 d8 e2 on mixtral-8x7b: every micro-batch reduce-scatters
// and all-gathers each bucket, dense and expert buckets apart; the calls are
// m x buckets, the bytes those of each bucket (hand: the stage's parameters
// split by max(40M, 1M x 8) = 40M).
TEST(StepCommTest, ZeroTwoListsEveryBucketEveryMicroBatch) {
  const StepContext ctx = Context("mixtral-8x7b", 64);
  ParallelLayout l;
  l.tp = 1;
  l.pp = 4;
  l.dp = 8;
  l.ep = 2;  // expert data parallelism 8 / 2 = 4
  l.zero_stage = 2;
  const MicroBatchCosts costs =
      ComputeMicroBatchCosts(ctx.shape, ctx.cluster, KeyOf(l));
  const StageLoad load = StageLoadOf(ctx.shape, l);
  const double m = MicroBatches(ctx, l);
  ASSERT_DOUBLE_EQ(m, 8);
  std::map<std::string, std::map<double, double>> got;  // group.op -> calls
  for (const StepCommOpValue& op : StepCommOps(ctx, costs, l, {})) {
    if (std::string(op.comm_class) != "dp") continue;
    EXPECT_STREQ(op.phase, "backward");
    got[std::string(op.group) + "." + CollectiveName(op.op)][op.bytes] +=
        op.calls_per_step;
  }
  for (const auto& [group, params] :
       {std::pair<std::string, double>{"dp_cp", load.params.dense},
        {"expert_dp", load.params.expert}}) {
    ASSERT_GT(params, 40e6) << group;
    const double full = std::floor(params / 40e6);
    std::map<double, double> want = {{40e6 * 2, m * full}};
    const double last = params - full * 40e6;
    if (last > 0) want[last * 2] += m;
    EXPECT_EQ(got[group + ".reduce_scatter"], want) << group;
    EXPECT_EQ(got[group + ".all_gather"], want) << group;
  }
}

}  // namespace
}  // namespace memwall
