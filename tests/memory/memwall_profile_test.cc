// The memwall profile against hand-computed closed forms (Korthikanti et al.
// 2022 §4).
#include "common/units.h"
#include "gtest/gtest.h"
#include "planner/memory/evaluator.h"
#include "planner/model/zoo.h"

namespace memwall {
namespace {

TrainingSpec Training(int64_t global_batch, int64_t seq_len,
                      Dtype dtype = BF16) {
  TrainingSpec t;
  t.set_global_batch(global_batch);
  t.set_seq_len(seq_len);
  t.set_dtype(dtype);
  t.set_optimizer(ADAM);
  return t;
}

MemoryEvaluator Make(const char* name, const TrainingSpec& t, Profile profile) {
  auto model = LoadModel(name);
  EXPECT_TRUE(model.ok()) << model.status();
  auto e = MemoryEvaluator::Create(*model, t, profile, nullptr);
  EXPECT_TRUE(e.ok()) << e.status();
  return *std::move(e);
}

// Korthikanti §4.2.3: under 1F1B the first stage holds p micro-batches of L/p
// layers, i.e. L layers' worth: (s b h L / t) 34 with SP + selective, plus the
// embedding's int64 token ids and dropout mask for each in-flight micro-batch
// (8 s b + s b h / t).
TEST(MemwallProfile, FirstStageHoldsAllLayersWorth) {
  const MemoryEvaluator e =
      Make("gpt3-175b", Training(64, 2048), PROFILE_MEMWALL);
  ParallelLayout l;
  l.tp = 8;
  l.pp = 8;
  l.sequence_parallel = true;
  l.recompute = RECOMPUTE_SELECTIVE;
  const double s = 2048, b = 1, h = 12288, L = 96, t = 8, p = 8;
  const double expected =
      s * b * h * L * 34 / t + p * (8 * s * b + s * b * h / t);
  EXPECT_NEAR(static_cast<double>(e.EvaluateStage(l, 0).activations_bytes),
              expected, 1);
  // Interleaving with v = 4 multiplies the layer part by 1 + (p - 1)/(p v).
  l.vpp = 4;
  const double factor = 1 + (p - 1) / (p * 4);
  EXPECT_NEAR(static_cast<double>(e.EvaluateStage(l, 0).activations_bytes),
              expected * factor, 1);
}

// Context parallelism divides activations by c (Megatron context_parallel.md);
// the model states are sharded over DP x CP by the distributed optimizer.
TEST(MemwallProfile, ContextParallelShardsTokensAndStates) {
  const MemoryEvaluator e =
      Make("llama3-8b", Training(8, 8192), PROFILE_MEMWALL);
  ParallelLayout l;
  l.flash_attention = true;
  l.zero_stage = 1;
  const StageBreakdown one = e.EvaluateStage(l, 0);
  l.cp = 4;
  const StageBreakdown four = e.EvaluateStage(l, 0);
  EXPECT_NEAR(static_cast<double>(four.activations_bytes),
              static_cast<double>(one.activations_bytes) / 4, 4);
  EXPECT_NEAR(static_cast<double>(four.optimizer_bytes),
              static_cast<double>(one.optimizer_bytes) / 4, 4);
  EXPECT_EQ(four.weights_bytes, one.weights_bytes);
}

// With tied embeddings and p > 1 the last stage keeps its own copy of the word
// embedding (Megatron-LM); the first stage also holds the position table.
TEST(MemwallProfile, TiedEmbeddingCopyOnLastStage) {
  const MemoryEvaluator e = Make("gpt2-xl", Training(8, 1024), PROFILE_MEMWALL);
  ParallelLayout l;
  l.pp = 4;
  const MemoryBreakdown m = e.Evaluate(l);
  const TransformerParams& p = e.param_counts();
  const int64_t layer = p.layer[0].total();
  EXPECT_EQ(m.stages[0].params,
            12 * layer + p.word_embedding + p.position_embedding);
  EXPECT_EQ(m.stages[3].params, 12 * layer + p.word_embedding + p.final_norms);
  EXPECT_EQ(m.stages[1].params, 12 * layer);
}

// Offloading the optimizer moves 12 + 2 bytes per parameter to the host (fp32
// master, moments, fp32 gradient copy) and leaves 2-byte weights and gradients
// on the device.
TEST(MemwallProfile, OptimizerOffload) {
  const MemoryEvaluator e =
      Make("llama2-7b", Training(8, 4096), PROFILE_MEMWALL);
  ParallelLayout l;
  l.offload = OFFLOAD_OPTIMIZER;
  const StageBreakdown s = e.EvaluateStage(l, 0);
  const int64_t p = e.params();
  EXPECT_EQ(s.weights_bytes, 2 * p);
  EXPECT_EQ(s.gradients_bytes, 2 * p);
  EXPECT_EQ(s.optimizer_bytes, 0);
  EXPECT_EQ(s.host_bytes, 14 * p);
}

// The seed profile: fp32 weights, no gradients, Adam moments = 2 x weights.
TEST(MemwallProfile, SeedProfileStates) {
  const MemoryEvaluator e =
      Make("gpt2-xl", Training(1, 1024, FP32), PROFILE_SEED);
  const StageBreakdown s = e.EvaluateStage(ParallelLayout{}, 0);
  EXPECT_EQ(s.weights_bytes, 4 * e.params());
  EXPECT_EQ(s.gradients_bytes, 0);
  EXPECT_EQ(s.optimizer_bytes, 2 * s.weights_bytes);
  EXPECT_EQ(s.other_bytes, 0);
}

}  // namespace
}  // namespace memwall

namespace memwall {
namespace {

// PyTorch FSDP's MixedPrecision keeps the sharded fp32 parameters as the master
// copy: 4 (weights) + 4 (gradients) + 8 (Adam m, v) = 16 bytes per parameter
// over the shard group, against Megatron's 2 + 4 + 12 = 18; the gathered
// layers are 16-bit either way (two layers' weights + the fp32 gradient of
// one: 2 x 2 + 4 = 8 bytes per layer parameter).
TEST(MemwallProfile, FsdpStackKeepsFp32ShardsOnly) {
  TrainingSpec t = Training(64, 2048);
  ParallelLayout l;
  l.dp = 8;
  l.zero_stage = 3;
  l.micro_batch = 1;
  l.flash_attention = true;
  const MemoryEvaluator megatron = Make("gpt2-xl", t, PROFILE_MEMWALL);
  t.set_stack(STACK_FSDP);
  const MemoryEvaluator fsdp = Make("gpt2-xl", t, PROFILE_MEMWALL);
  const StageBreakdown a = megatron.EvaluateStage(l, 0);
  const StageBreakdown b = fsdp.EvaluateStage(l, 0);
  const double p = static_cast<double>(a.params);
  const auto states = [](const StageBreakdown& s) {
    return static_cast<double>(s.weights_bytes + s.gradients_bytes +
                               s.optimizer_bytes);
  };
  EXPECT_NEAR(states(a), p * 18 / 8, 2);
  EXPECT_NEAR(states(b), p * 16 / 8, 2);
  EXPECT_EQ(a.zero3_gathered_bytes, b.zero3_gathered_bytes);
  // An explicit convention wins over the stack's default.
  t.set_mixed_precision(MIXED_PRECISION_MASTER_WEIGHTS);
  EXPECT_NEAR(states(Make("gpt2-xl", t, PROFILE_MEMWALL).EvaluateStage(l, 0)),
              p * 18 / 8, 2);
  // The other profiles reproduce their sources: the stack changes nothing.
  t.clear_mixed_precision();
  EXPECT_EQ(Make("gpt2-xl", t, PROFILE_ZERO).EvaluateStage(l, 0).total_bytes,
            Make("gpt2-xl", Training(64, 2048), PROFILE_ZERO)
                .EvaluateStage(l, 0)
                .total_bytes);
}

// A fused 16-bit cross entropy (flash-attn xentropy) saves the 16-bit logits
// and writes a 16-bit gradient: 2 V bytes per token each, against Megatron's
// fp32 logits and gradient (4 V each).
TEST(MemwallProfile, FusedCrossEntropyHalvesLogits) {
  TrainingSpec t = Training(8, 1024);
  ParallelLayout l;
  l.flash_attention = true;
  l.micro_batch = 2;
  const StageBreakdown fp32 =
      Make("gpt2-xl", t, PROFILE_MEMWALL).EvaluateStage(l, 0);
  t.set_cross_entropy(CROSS_ENTROPY_FUSED_16BIT);
  const StageBreakdown fused =
      Make("gpt2-xl", t, PROFILE_MEMWALL).EvaluateStage(l, 0);
  const double tokens = 2 * 1024, v = 50257;
  EXPECT_NEAR(
      static_cast<double>(fp32.activations_bytes - fused.activations_bytes),
      tokens * 2 * v, 2);
  EXPECT_NEAR(static_cast<double>(fp32.transient_bytes - fused.transient_bytes),
              tokens * 2 * v, 2);
}

// Transformer Engine FP8 keeps an FP8 copy of each layer's weights and its
// transpose (2 bytes per layer parameter) across the micro-batches; under
// ZeRO-3 only the running layer's.
// NeMo's apex distributed Adam (parameter remainders) with a bf16 gradient
// buffer: 2 + 2 + 10/d bytes per parameter, except that the embeddings and
// the output layer keep fp32 gradients (NeMo `_with_fp32_optimizer`). For
// Llama 2 7B on one stage (d = 8): against master weights with the same
// buffer, 2/8 B less optimizer state per parameter and 2 B more gradient per
// embedding and output-layer parameter (2 x 32000 x 4096).
TEST(MemwallProfile, ParamRemaindersWithBf16Gradients) {
  TrainingSpec t = Training(64, 4096);
  t.set_main_grad_dtype(BF16);
  t.set_mixed_precision(MIXED_PRECISION_MASTER_WEIGHTS);
  const MemoryEvaluator master = Make("llama2-7b", t, PROFILE_MEMWALL);
  t.set_mixed_precision(MIXED_PRECISION_PARAM_REMAINDERS);
  const MemoryEvaluator apex = Make("llama2-7b", t, PROFILE_MEMWALL);
  ParallelLayout l;
  l.dp = 8;
  l.zero_stage = 1;
  l.flash_attention = true;
  const StageBreakdown a = master.EvaluateStage(l, 0);
  const StageBreakdown b = apex.EvaluateStage(l, 0);
  const double params = 6738415616.0;
  EXPECT_NEAR(static_cast<double>(a.gradients_bytes), 2 * params, 1);
  EXPECT_NEAR(static_cast<double>(b.gradients_bytes),
              2 * params + 2 * (2 * 32000.0 * 4096), 1);
  EXPECT_NEAR(static_cast<double>(a.optimizer_bytes), 12 * params / 8, 1);
  EXPECT_NEAR(static_cast<double>(b.optimizer_bytes), 10 * params / 8, 1);
}

TEST(MemwallProfile, Fp8KeepsWeightCopies) {
  const MemoryEvaluator e =
      Make("llama2-7b", Training(8, 4096, FP8), PROFILE_MEMWALL);
  ParallelLayout l;
  l.tp = 2;
  l.dp = 4;
  l.zero_stage = 1;
  l.flash_attention = true;
  const StageBreakdown s = e.EvaluateStage(l, 0);
  // 32 layers of 4096^2 x 4 (attention) + 3 x 4096 x 11008 (SwiGLU) + 2 x
  // 4096 (norms), halved by TP 2 except the norms.
  const double h = 4096, f = 11008;
  const double per_layer = (4 * h * h + 3 * h * f) / 2 + 2 * h;
  EXPECT_NEAR(static_cast<double>(s.fp8_weight_bytes), 32 * 2 * per_layer,
              32 * 2 * 2 * h);
  const StageBreakdown bf16 =
      Make("llama2-7b", Training(8, 4096, BF16), PROFILE_MEMWALL)
          .EvaluateStage(l, 0);
  EXPECT_EQ(bf16.fp8_weight_bytes, 0);
  l.tp = 1;
  l.dp = 8;
  l.zero_stage = 3;
  const StageBreakdown z3 = e.EvaluateStage(l, 0);
  const StageBreakdown z3_bf16 =
      Make("llama2-7b", Training(8, 4096, BF16), PROFILE_MEMWALL)
          .EvaluateStage(l, 0);
  EXPECT_EQ(z3.fp8_weight_bytes, 0);
  EXPECT_NEAR(static_cast<double>(z3.zero3_gathered_bytes -
                                  z3_bf16.zero3_gathered_bytes),
              2 * (4 * h * h + 3 * h * f + 2 * h), 2 * 2 * h);
}

}  // namespace
}  // namespace memwall
