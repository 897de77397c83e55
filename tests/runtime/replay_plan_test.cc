// Reading a plan for replay without MPI: calls spread over micro-batches, the
// checks on each field, and the layout for a smaller world (--slice).
#include "runtime/replay_plan.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/textproto.h"

namespace memwall::runtime {
namespace {

using ::testing::HasSubstr;

TEST(CallsInMicroBatchTest, SpreadsEvenlyAndSumsToTheTotal) {
  for (int64_t calls : {0, 1, 5, 7, 64, 1000}) {
    for (int64_t m : {1, 3, 4, 8}) {
      int64_t sum = 0;
      for (int64_t k = 0; k < m; ++k) {
        const int64_t here = CallsInMicroBatch(calls, m, k);
        EXPECT_GE(here, calls / m);
        EXPECT_LE(here, calls / m + 1);
        sum += here;
      }
      EXPECT_EQ(sum, calls) << calls << " over " << m;
    }
  }
}

// A t2 d2 plan with one TP all-reduce, as `memwall plan` writes it.
PlanReport Plan() {
  PlanReport r;
  r.set_model("tiny");
  r.set_cluster("dgx-h100");
  r.set_gpus(4);
  Candidate* c = r.add_candidates();
  c->mutable_layout()->set_tp(2);
  c->mutable_layout()->set_dp(2);
  c->mutable_layout()->set_order("tp-cp-ep-dp-pp");
  c->set_micro_batches(4);
  c->mutable_time()->set_forward_s(0.4);
  StepCommOp* op = c->add_comm_ops();
  op->set_comm_class("tp");
  op->set_op("all_reduce");
  op->set_group("tp");
  op->set_group_size(2);
  op->set_group_stride(1);
  op->set_bytes(1024);
  op->set_calls_per_step(32);
  op->set_phase("forward");
  op->set_time_s(1e-5);
  return r;
}

TEST(ParseReplayPlanTest, ReadsTheCandidate) {
  const auto plan = ParseReplayPlan(ToJson(Plan()), "p.json", 0);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->micro_batches, 4);
  ASSERT_EQ(plan->ops.size(), 1u);
  EXPECT_EQ(plan->ops[0].collective, &AllReduceCollective());
  EXPECT_EQ(plan->ops[0].calls_per_step, 32);
  EXPECT_EQ(plan->ops[0].bytes, 1024);
  EXPECT_DOUBLE_EQ(plan->forward_s, 0.4);
  EXPECT_FALSE(plan->dp_overlap);
  PlanReport overlapped = Plan();
  overlapped.mutable_candidates(0)->set_dp_overlap(true);
  const auto with = ParseReplayPlan(ToJson(overlapped), "p.json", 0);
  ASSERT_TRUE(with.ok()) << with.status();
  EXPECT_TRUE(with->dp_overlap);
}

TEST(ParseReplayPlanTest, BadFieldsAreNamed) {
  struct Case {
    void (*edit)(PlanReport&);
    const char* message;
  };
  const Case cases[] = {
      {[](PlanReport& r) { r.clear_candidates(); }, "has no candidates"},
      {[](PlanReport& r) { r.mutable_candidates(0)->set_micro_batches(0); },
       "candidates[0].micro_batches=0"},
      {[](PlanReport& r) {
         r.mutable_candidates(0)->mutable_comm_ops(0)->set_op("gossip");
       },
       "candidates[0].comm_ops[0].op=gossip"},
      {[](PlanReport& r) {
         r.mutable_candidates(0)->mutable_comm_ops(0)->set_group("xp");
       },
       "comm_ops[0].group=xp is not a layout group"},
      {[](PlanReport& r) {
         r.mutable_candidates(0)->mutable_comm_ops(0)->set_comm_class("io");
       },
       "comm_ops[0].comm_class=io"},
      {[](PlanReport& r) {
         r.mutable_candidates(0)->mutable_comm_ops(0)->set_phase("later");
       },
       "comm_ops[0].phase=later"},
      {[](PlanReport& r) {
         r.mutable_candidates(0)->mutable_comm_ops(0)->set_calls_per_step(
             1e300);
       },
       "calls_per_step=1e+300 must be 0..1e8"},
      {[](PlanReport& r) {
         r.mutable_candidates(0)->mutable_comm_ops(0)->set_bytes(1e300);
       },
       "bytes=1e+300 must be 1..2^40"},
      {[](PlanReport& r) {
         r.mutable_candidates(0)->mutable_time()->set_forward_s(-1);
       },
       "candidates[0].time.forward_s=-1"},
      {[](PlanReport& r) { r.mutable_candidates(0)->clear_comm_ops(); },
       "comm_ops is empty"},
      {[](PlanReport& r) {
         r.mutable_candidates(0)->mutable_layout()->set_tp(-2);
       },
       "the plan's layout: --tp=-2 must be positive"},
  };
  for (const Case& c : cases) {
    PlanReport r = Plan();
    c.edit(r);
    const auto plan = ParseReplayPlan(ToJson(r), "p.json", 0);
    EXPECT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument)
        << c.message;
    EXPECT_THAT(std::string(plan.status().message()), HasSubstr(c.message));
  }
  EXPECT_THAT(std::string(ParseReplayPlan("{\"candidates\": [", "p.json", 0)
                              .status()
                              .message()),
              HasSubstr("p.json is not a plan report"));
}

TEST(LayoutForWorldTest, FullSliceAndMismatch) {
  const ReplayPlan plan = ParseReplayPlan(ToJson(Plan()), "p.json", 0).value();
  EXPECT_EQ(LayoutForWorld(plan, 4, false).value().dp(), 2);
  EXPECT_EQ(LayoutForWorld(plan, 2, true).value().dp(), 1);
  EXPECT_THAT(std::string(LayoutForWorld(plan, 2, false).status().message()),
              HasSubstr("needs 4 ranks, the job has 2"));
  EXPECT_THAT(std::string(LayoutForWorld(plan, 3, true).status().message()),
              HasSubstr("does not match the job's 3 ranks"));
  EXPECT_FALSE(LayoutForWorld(plan, 8, true).ok());
}

// t1 d8 on 8 GPUs: --slice keeps as many whole replicas as the job holds, a
// divisor of dp that keeps expert groups whole.
TEST(LayoutForWorldTest, SliceKeepsWholeReplicas) {
  PlanReport r = Plan();
  r.set_gpus(8);
  Layout& l = *r.mutable_candidates(0)->mutable_layout();
  l.set_tp(1);
  l.set_dp(8);
  r.mutable_candidates(0)->mutable_comm_ops(0)->set_group_size(1);
  const ReplayPlan plan = ParseReplayPlan(ToJson(r), "p.json", 0).value();
  EXPECT_EQ(LayoutForWorld(plan, 4, true).value().dp(), 4);
  EXPECT_EQ(LayoutForWorld(plan, 2, true).value().dp(), 2);
  EXPECT_EQ(LayoutForWorld(plan, 1, true).value().dp(), 1);
  // 3 does not divide dp = 8.
  EXPECT_THAT(std::string(LayoutForWorld(plan, 3, true).status().message()),
              HasSubstr("does not match the job's 3 ranks"));
  // With ep = 4, a slice must hold whole expert groups: 4 ranks, not 2.
  l.set_ep(4);
  const ReplayPlan moe = ParseReplayPlan(ToJson(r), "p.json", 0).value();
  EXPECT_EQ(LayoutForWorld(moe, 4, true).value().dp(), 4);
  EXPECT_THAT(std::string(LayoutForWorld(moe, 2, true).status().message()),
              HasSubstr("dp a multiple of ep=4"));
}

}  // namespace
}  // namespace memwall::runtime
