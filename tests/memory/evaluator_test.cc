// The memwall (default) profile and the evaluator's invariants.
#include "planner/memory/evaluator.h"

#include "common/units.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "planner/memory/deepspeed_estimator.h"
#include "planner/memory/memory_report.h"
#include "planner/model/zoo.h"
#include "tests/testing/status_matchers.h"

namespace memwall {
namespace {

using ::memwall::testing::StatusIs;
using ::testing::HasSubstr;

TrainingSpec Training(int64_t global_batch, int64_t seq_len) {
  TrainingSpec t;
  t.set_global_batch(global_batch);
  t.set_seq_len(seq_len);
  t.set_dtype(BF16);
  t.set_optimizer(ADAM);
  return t;
}

ClusterSpec Cluster80GiB() {
  ClusterSpec c;
  c.set_name("test-80g");
  c.set_gpus_per_node(8);
  c.mutable_gpu()->set_hbm_bytes(80 * kGiB);
  return c;
}

MemoryEvaluator Make(const char* name, const TrainingSpec& t, Profile profile,
                     const ClusterSpec* cluster = nullptr) {
  auto model = LoadModel(name);
  EXPECT_TRUE(model.ok()) << model.status();
  auto e = MemoryEvaluator::Create(*model, t, profile, cluster);
  EXPECT_TRUE(e.ok()) << e.status();
  return *std::move(e);
}

// Every stage is reported; the parts add up; 1F1B puts the peak on the first
// stage.
TEST(MemoryEvaluator, StagesAddUpAndPeakIsFirstStage) {
  const ClusterSpec cluster = Cluster80GiB();
  const MemoryEvaluator e =
      Make("gpt3-175b", Training(64, 2048), PROFILE_MEMWALL, &cluster);
  ParallelLayout l;
  l.tp = 8;
  l.pp = 8;
  l.sequence_parallel = true;
  l.recompute = RECOMPUTE_SELECTIVE;
  const MemoryBreakdown m = e.Evaluate(l);
  ASSERT_EQ(m.num_stages, 8);
  int64_t layers = 0;
  for (int i = 0; i < m.num_stages; ++i) {
    const StageBreakdown& s = m.stages[i];
    layers += s.num_layers;
    EXPECT_EQ(s.total_bytes, s.weights_bytes + s.gradients_bytes +
                                 s.optimizer_bytes + s.activations_bytes +
                                 s.other_bytes);
    EXPECT_EQ(s.other_bytes, s.cuda_context_bytes + s.comm_buffer_bytes +
                                 s.zero3_gathered_bytes + s.transient_bytes +
                                 s.allocator_headroom_bytes);
    EXPECT_EQ(s.cuda_context_bytes,
              kGiB);  // default when the cluster does not say
    EXPECT_EQ(s.in_flight_micro_batches, 8 - i);
  }
  EXPECT_EQ(layers, 96);
  EXPECT_EQ(m.peak_stage, 0);
  const PeakMemory peak = e.EvaluatePeak(l);
  EXPECT_EQ(peak.peak_bytes, m.peak_bytes);
  EXPECT_EQ(peak.peak_stage, m.peak_stage);
  EXPECT_EQ(m.capacity_bytes, 80 * kGiB);
  EXPECT_EQ(m.fits, m.peak_bytes <= 80 * kGiB);
}

// "Does not fit" is a result: GPT-3 on one 80 GiB GPU.
TEST(MemoryEvaluator, DoesNotFitIsAResult) {
  const ClusterSpec cluster = Cluster80GiB();
  auto model = LoadModel("gpt3-175b");
  ASSERT_TRUE(model.ok());
  auto report = BuildMemoryReport(*model, Training(8, 2048), PROFILE_MEMWALL,
                                  ParallelLayout{}, &cluster);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_FALSE(report->fits());
  EXPECT_GT(report->peak_bytes(), 16 * report->params());
}

// ZeRO stages only ever shrink per-rank memory, and ZeRO-3 adds the gathered
// layers.
TEST(MemoryEvaluator, ZeroStagesShrinkStates) {
  const MemoryEvaluator e =
      Make("llama2-7b", Training(64, 4096), PROFILE_MEMWALL);
  ParallelLayout l;
  l.dp = 8;
  int64_t previous = INT64_MAX;
  for (int stage = 0; stage <= 3; ++stage) {
    l.zero_stage = stage;
    const StageBreakdown s = e.EvaluateStage(l, 0);
    const int64_t states =
        s.weights_bytes + s.gradients_bytes + s.optimizer_bytes;
    EXPECT_LT(states, previous) << stage;
    previous = states;
    EXPECT_EQ(s.zero3_gathered_bytes > 0, stage == 3);
  }
  // Adam, bf16, ZeRO-0: 2 + 4 + 12 = 18 bytes per parameter.
  l.zero_stage = 0;
  const StageBreakdown s = e.EvaluateStage(l, 0);
  EXPECT_EQ(s.weights_bytes + s.gradients_bytes + s.optimizer_bytes,
            18 * 6738415616);
}

// Expert parallelism divides the routed experts; expert data parallelism shards
// their optimizer states over dp x tp x cp / (ep x etp).
TEST(MemoryEvaluator, ExpertParallelism) {
  const MemoryEvaluator e =
      Make("mixtral-8x7b", Training(64, 4096), PROFILE_MEMWALL);
  ParallelLayout l;
  l.dp = 8;
  const int64_t replicated = e.EvaluateStage(l, 0).params;
  l.ep = 8;
  const int64_t sharded = e.EvaluateStage(l, 0).params;
  const int64_t experts = 32 * e.param_counts().layer[1].experts;
  EXPECT_EQ(replicated - sharded, experts - experts / 8);
}

// The DeepSpeed profile reproduces the estimator for the zoo's t5-3b.
TEST(MemoryEvaluator, DeepSpeedProfileMatchesEstimator) {
  const MemoryEvaluator e = Make("t5-3b", Training(8, 512), PROFILE_DEEPSPEED);
  ParallelLayout l;
  l.dp = 8;
  l.zero_stage = 3;
  DeepSpeedInput in;
  in.params = static_cast<double>(e.params());
  in.largest_layer = static_cast<double>(e.param_counts().largest_module);
  in.gpus_per_node = 8;
  const double expected = DeepSpeedZero3(in, false, false, true).gpu_bytes;
  EXPECT_NEAR(static_cast<double>(e.EvaluateStage(l, 0).total_bytes), expected,
              2);
  l.zero_stage = 2;
  EXPECT_NEAR(static_cast<double>(e.EvaluateStage(l, 0).total_bytes),
              DeepSpeedZero2(in, false).gpu_bytes, 2);
}

// 1e13 parameters: no overflow, a finite answer.
TEST(MemoryEvaluator, TenTrillionParameters) {
  auto model = LoadModel(
      "megatron-1t", {"transformer { num_layers: 1280 hidden_size: 25600 }"});
  ASSERT_TRUE(model.ok());
  const MemoryEvaluator e =
      Make("megatron-1t", Training(1024, 2048), PROFILE_MEMWALL);
  auto big = MemoryEvaluator::Create(*model, Training(1024, 2048),
                                     PROFILE_MEMWALL, nullptr);
  ASSERT_TRUE(big.ok());
  EXPECT_GT(big->params(), int64_t{10000} * 1000000000);
  ParallelLayout l;
  const PeakMemory p = big->EvaluatePeak(l);
  EXPECT_GT(p.peak_bytes, 18 * big->params());
}

TEST(MemoryEvaluator, RejectsBadInput) {
  auto model = LoadModel("llama2-7b");
  ASSERT_TRUE(model.ok());
  EXPECT_THAT(MemoryEvaluator::Create(*model, Training(-1, 4096),
                                      PROFILE_MEMWALL, nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("training.global_batch=-1")));
}

}  // namespace
}  // namespace memwall

namespace memwall {
namespace {

// EvaluatePeak skips stages that cannot hold the peak; it must agree with
// Evaluate.
TEST(MemoryEvaluator, PeakOnlyAgreesWithFullEvaluation) {
  for (const char* name :
       {"gpt3-175b", "llama3-405b", "t5-3b", "mixtral-8x7b"}) {
    for (Profile profile : {PROFILE_MEMWALL, PROFILE_MEGATRON, PROFILE_ZERO}) {
      const MemoryEvaluator e = Make(name, Training(1024, 2048), profile);
      const int64_t layers = e.model().transformer().num_layers() +
                             e.model().transformer().num_decoder_layers();
      for (int64_t pp : {1, 2, 3, 5, 7, 8, 16, 31}) {
        for (int64_t global_batch : {pp * 1, 1024L}) {
          if (pp > layers) continue;
          TrainingSpec t = Training(global_batch, 2048);
          const MemoryEvaluator ev = Make(name, t, profile);
          for (int64_t vpp : {1, 2, 3, 4, 6}) {
            if (vpp > 1 && (pp == 1 || layers % (pp * vpp) != 0)) continue;
            ParallelLayout l;
            l.pp = pp;
            l.vpp = vpp;
            l.zero_stage = static_cast<int>(pp % 4);
            const MemoryBreakdown full = ev.Evaluate(l);
            const PeakMemory peak = ev.EvaluatePeak(l);
            EXPECT_EQ(peak.peak_bytes, full.peak_bytes)
                << name << " pp=" << pp << " vpp=" << vpp;
            EXPECT_EQ(peak.peak_stage, full.peak_stage)
                << name << " pp=" << pp << " vpp=" << vpp;
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace memwall
