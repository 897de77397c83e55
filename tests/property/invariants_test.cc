// Invariants of the memory and step-time models on random valid inputs: zoo
// transformers with perturbed depth, zoo clusters with perturbed memory
// figures, random training settings and layouts. The generator is seeded
// (MEMWALL_PROPERTY_SEED overrides the fixed default) and every failure prints
// the seed and the case, so a failure replays exactly.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "planner/comm/cluster_validate.h"
#include "planner/memory/evaluator.h"
#include "planner/model/validate_transformer.h"
#include "planner/model/zoo.h"
#include "planner/timing/step_time.h"

namespace memwall {
namespace {

constexpr uint64_t kDefaultSeed = 20260115;
// Valid cases checked per run: under a second on one core.
constexpr int kCases = 3000;

uint64_t Seed() {
  const char* env = std::getenv("MEMWALL_PROPERTY_SEED");
  return env != nullptr ? std::strtoull(env, nullptr, 10) : kDefaultSeed;
}

struct Case {
  std::string model_name;
  ModelSpec model;
  ClusterSpec cluster;
  TrainingSpec training;
  Profile profile = PROFILE_MEMWALL;
  ParallelLayout layout;
  std::string text;  // for failure messages
};

class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {
    for (const std::string& name : ModelNames()) {
      absl::StatusOr<ModelSpec> m = LoadModel(name);
      if (m.ok() && m->has_transformer()) models_.push_back({name, *m});
    }
    for (const std::string& name : ClusterNames()) {
      clusters_.push_back(LoadCluster(name).value());
    }
  }

  int64_t Uniform(int64_t low, int64_t high) {
    return std::uniform_int_distribution<int64_t>(low, high)(rng_);
  }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(
        Uniform(0, static_cast<int64_t>(v.size()) - 1))];
  }

  // A random case that passes every validator, or nullopt.
  std::optional<Case> Next() {
    Case c;
    const auto& [name, base] = Pick(models_);
    c.model_name = name;
    c.model = base;
    TransformerSpec& t = *c.model.mutable_transformer();
    if (Uniform(0, 1) == 1) t.set_num_layers(Uniform(1, 2 * t.num_layers()));
    if (!ValidateModel(c.model).ok()) c.model = base;
    c.cluster = Pick(clusters_);
    GpuSpec& gpu = *c.cluster.mutable_gpu();
    if (Uniform(0, 1) == 1) gpu.set_usable_fraction(0.1 + 0.9 * Unit());
    if (Uniform(0, 1) == 1)
      gpu.set_reserved_bytes(Uniform(0, gpu.hbm_bytes() / 2));
    if (!ValidateCluster(c.cluster).ok()) return std::nullopt;
    c.profile = Pick(std::vector<Profile>{PROFILE_MEMWALL, PROFILE_MEMWALL,
                                          PROFILE_MEGATRON, PROFILE_DEEPSPEED,
                                          PROFILE_ZERO, PROFILE_SEED});
    const TransformerSpec& s = c.model.transformer();
    ParallelLayout& l = c.layout;
    l.tp = Pick(std::vector<int64_t>{1, 1, 2, 4, 8});
    l.pp = Uniform(1, std::min<int64_t>(16, s.num_layers()));
    l.vpp = Uniform(0, 3) == 0 ? Pick(std::vector<int64_t>{2, 3, 4}) : 1;
    l.cp = Pick(std::vector<int64_t>{1, 1, 1, 2});
    l.dp = Pick(std::vector<int64_t>{1, 2, 4, 8, 64});
    l.ep = s.has_moe() ? Pick(std::vector<int64_t>{1, 2, 4, 8}) : 1;
    l.etp = l.tp;
    l.micro_batch = Pick(std::vector<int64_t>{1, 1, 2, 4});
    l.zero_stage = static_cast<int>(Uniform(0, 3));
    l.recompute = Pick(std::vector<Recompute>{
        RECOMPUTE_NONE, RECOMPUTE_SELECTIVE, RECOMPUTE_FULL});
    l.sequence_parallel = l.tp > 1 && Uniform(0, 1) == 1;
    l.flash_attention = Uniform(0, 1) == 1;
    const int64_t seq =
        Pick(std::vector<int64_t>{512, 1024, 2048, s.max_seq_len()});
    c.training.set_seq_len(seq > 0 ? seq : 512);
    c.training.set_global_batch(l.dp * l.micro_batch * l.pp *
                                Pick(std::vector<int64_t>{1, 2, 4}));
    c.training.set_dtype(Pick(std::vector<Dtype>{BF16, BF16, FP16, FP32}));
    c.training.set_optimizer(Pick(std::vector<Optimizer>{ADAM, ADAM, SGD}));
    c.text = absl::StrCat(
        name, " layers=", s.num_layers(), " cluster=", c.cluster.name(),
        " usable=", gpu.usable_fraction(), " reserved=", gpu.reserved_bytes(),
        " profile=", Profile_Name(c.profile), " dp=", l.dp, " tp=", l.tp,
        " pp=", l.pp, " vpp=", l.vpp, " cp=", l.cp, " ep=", l.ep,
        " mb=", l.micro_batch, " zero=", l.zero_stage,
        " recompute=", Recompute_Name(l.recompute), " sp=", l.sequence_parallel,
        " flash=", l.flash_attention, " seq=", c.training.seq_len(),
        " global_batch=", c.training.global_batch(),
        " dtype=", Dtype_Name(c.training.dtype()));
    return c;
  }

 private:
  double Unit() { return std::uniform_real_distribution<double>(0, 1)(rng_); }

  std::mt19937_64 rng_;
  std::vector<std::pair<std::string, ModelSpec>> models_;
  std::vector<ClusterSpec> clusters_;
};

std::optional<MemoryEvaluator> EvaluatorFor(const Case& c,
                                            const TrainingSpec& training,
                                            const ParallelLayout& layout) {
  absl::StatusOr<MemoryEvaluator> e =
      MemoryEvaluator::Create(c.model, training, c.profile, &c.cluster);
  if (!e.ok() || !e->CheckLayout(layout, layout.gpus()).ok())
    return std::nullopt;
  return *std::move(e);
}

int64_t States(const StageBreakdown& s) {
  return s.weights_bytes + s.gradients_bytes + s.optimizer_bytes;
}

int64_t MaxWeights(const MemoryBreakdown& m) {
  int64_t most = 0;
  for (int i = 0; i < m.num_stages; ++i)
    most = std::max(most, m.stages[i].weights_bytes);
  return most;
}

void ExpectFiniteNonNegative(const StepTime& t, const std::string& text) {
  for (double v :
       {t.forward_s, t.backward_s, t.recompute_s, t.tp_comm_s, t.cp_comm_s,
        t.ep_comm_s, t.pp_comm_s, t.bubble_s, t.dp_comm_s, t.dp_exposed_s,
        t.zero3_gather_s, t.zero3_exposed_s, t.optimizer_s, t.offload_s,
        t.overlap_slowdown_s, t.step_time_s, t.hardware_flops}) {
    ASSERT_TRUE(std::isfinite(v) && v >= 0) << v << " in " << text;
  }
  ASSERT_GT(t.step_time_s, 0) << text;
}

absl::StatusOr<StepContext> ContextFor(const Case& c,
                                       const TrainingSpec& training) {
  absl::StatusOr<TransformerShape> shape =
      ShapeFromModel(c.model, training.seq_len());
  if (!shape.ok()) return shape.status();
  absl::StatusOr<ClusterParams> params =
      ClusterParamsFromSpec(c.cluster, training.dtype());
  if (!params.ok()) return params.status();
  return MakeStepContext(*shape, *params, training);
}

TEST(PropertyTest, MemoryAndStepTimeInvariantsHoldOnRandomValidInputs) {
  const uint64_t seed = Seed();
  std::printf("property seed %llu (MEMWALL_PROPERTY_SEED replays it)\n",
              static_cast<unsigned long long>(seed));
  Generator gen(seed);
  int checked = 0, attempts = 0, step_checked = 0;
  int micro_batch_checked = 0, zero_checked = 0, degree_checked = 0;
  while (checked < kCases && attempts < 200 * kCases) {
    ++attempts;
    const std::optional<Case> maybe = gen.Next();
    if (!maybe) continue;
    const Case& c = *maybe;
    const std::optional<MemoryEvaluator> e =
        EvaluatorFor(c, c.training, c.layout);
    if (!e) continue;
    ++checked;
    const std::string& text = c.text;
    SCOPED_TRACE(absl::StrCat("seed ", seed, " case ", checked, ": ", text));
    const ParallelLayout& l = c.layout;
    const MemoryBreakdown m = e->Evaluate(l);

    // Every number non-negative; peak_bytes is the largest stage total; fits
    // agrees with peak <= capacity.
    ASSERT_EQ(m.num_stages, l.pp);
    int64_t peak = 0;
    for (int i = 0; i < m.num_stages; ++i) {
      const StageBreakdown& s = m.stages[i];
      for (int64_t v :
           {s.num_layers, s.params, s.weights_bytes, s.gradients_bytes,
            s.optimizer_bytes, s.activations_bytes, s.other_bytes,
            s.total_bytes, s.host_bytes, s.cuda_context_bytes,
            s.comm_buffer_bytes, s.zero3_gathered_bytes,
            s.allocator_headroom_bytes, s.transient_bytes}) {
        ASSERT_GE(v, 0) << "stage " << i;
      }
      ASSERT_TRUE(std::isfinite(s.in_flight_micro_batches));
      ASSERT_EQ(s.total_bytes, s.weights_bytes + s.gradients_bytes +
                                   s.optimizer_bytes + s.activations_bytes +
                                   s.other_bytes);
      peak = std::max(peak, s.total_bytes);
    }
    ASSERT_EQ(m.peak_bytes, peak);
    ASSERT_EQ(m.stages[m.peak_stage].total_bytes, peak);
    ASSERT_EQ(m.fits, m.capacity_bytes == 0 || peak <= m.capacity_bytes);

    // plan (EvaluatePeak, the search's path) reports what memory (Evaluate)
    // does.
    const PeakMemory p = e->EvaluatePeak(l);
    ASSERT_EQ(p.peak_bytes, m.peak_bytes);
    ASSERT_EQ(p.fits, m.fits);
    ASSERT_EQ(p.stage.total_bytes, m.stages[p.peak_stage].total_bytes);

    // Activations never fall when the micro-batch doubles (same global batch,
    // when the micro-batch still divides it).
    {
      ParallelLayout bigger = l;
      bigger.micro_batch *= 2;
      if (c.training.global_batch() % (bigger.micro_batch * l.dp) == 0) {
        if (const auto e2 = EvaluatorFor(c, c.training, bigger)) {
          const MemoryBreakdown m2 = e2->Evaluate(bigger);
          for (int i = 0; i < m.num_stages; ++i) {
            ASSERT_GE(m2.stages[i].activations_bytes,
                      m.stages[i].activations_bytes)
                << "stage " << i << " at micro_batch " << bigger.micro_batch;
          }
          ++micro_batch_checked;
        }
      }
    }
    // Model states never grow with the ZeRO stage.
    if (l.zero_stage < 3) {
      ParallelLayout more = l;
      more.zero_stage += 1;
      if (const auto e2 = EvaluatorFor(c, c.training, more)) {
        const MemoryBreakdown m2 = e2->Evaluate(more);
        for (int i = 0; i < m.num_stages; ++i) {
          ASSERT_LE(States(m2.stages[i]), States(m.stages[i]))
              << "stage " << i << " at zero " << more.zero_stage;
        }
        ++zero_checked;
      }
    }
    // Per-GPU weights never grow with TP or PP (ZeRO-0, so that DP does not
    // shard them; the GPU count grows with the degree).
    {
      ParallelLayout base = l;
      base.zero_stage = 0;
      base.vpp = 1;
      if (const auto e0 = EvaluatorFor(c, c.training, base)) {
        const int64_t weights = MaxWeights(e0->Evaluate(base));
        for (int dim = 0; dim < 2; ++dim) {
          ParallelLayout wider = base;
          (dim == 0 ? wider.tp : wider.pp) *= 2;
          wider.etp = wider.tp;
          TrainingSpec training = c.training;
          training.set_global_batch(wider.dp * wider.micro_batch * wider.pp);
          if (const auto e2 = EvaluatorFor(c, training, wider)) {
            ASSERT_LE(MaxWeights(e2->Evaluate(wider)), weights)
                << (dim == 0 ? "tp=" : "pp=")
                << (dim == 0 ? wider.tp : wider.pp);
            ++degree_checked;
          }
        }
      }
    }
    // Step time: finite, positive, and growing with the global batch at a
    // fixed layout (it needs a transformer shape the timing model covers).
    absl::StatusOr<StepContext> ctx = ContextFor(c, c.training);
    if (!ctx.ok()) continue;
    const StepTime t = EvaluateStepTime(*ctx, l);
    ExpectFiniteNonNegative(t, text);
    TrainingSpec doubled = c.training;
    doubled.set_global_batch(2 * c.training.global_batch());
    absl::StatusOr<StepContext> ctx2 = ContextFor(c, doubled);
    ASSERT_TRUE(ctx2.ok()) << ctx2.status();
    const StepTime t2 = EvaluateStepTime(*ctx2, l);
    ExpectFiniteNonNegative(t2, text);
    ASSERT_GE(t2.step_time_s, t.step_time_s) << "global batch doubled";
    ++step_checked;
  }
  std::printf(
      "%d valid cases out of %d drawn; step time checked on %d, micro-batch "
      "growth on %d, ZeRO growth on %d, TP/PP growth on %d\n",
      checked, attempts, step_checked, micro_batch_checked, zero_checked,
      degree_checked);
  // None of the invariants may pass by never being exercised.
  EXPECT_EQ(checked, kCases) << "the generator found too few valid cases";
  for (int exercised :
       {step_checked, micro_batch_checked, zero_checked, degree_checked}) {
    EXPECT_GE(exercised, kCases / 10);
  }
}

}  // namespace
}  // namespace memwall
