// The eager convention against saved-for-backward bytes measured in PyTorch
// 1.13.1 (Debian python3-torch) on CPU by tests/torch/measure.py: one Adam step
// of the tests/torch/models.py models, saved tensors de-duplicated by storage,
// parameters excluded. Measured figures include one 0-dim tensor per layer
// that memwall leaves out (the attention scale `/ math.sqrt(d)`, 8 bytes) and
// the loss's 4-byte total weight in the head; hence the 8-byte tolerance.
#include <string>
#include <vector>

#include "common/textproto.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "planner/memory/evaluator.h"
#include "planner/model/zoo.h"

namespace memwall {
namespace {

using ::testing::HasSubstr;

ModelSpec Model(const std::string& text) {
  ModelSpec m;
  EXPECT_TRUE(MergeTextProto(text, "test", &m).ok());
  return m;
}

// tests/torch/models.py Config(family, 2 layers, h 48, 4 heads, f 160,
// vocab 1000, seq 24), batch 3.
ModelSpec Gpt2(bool dropout) {
  return Model(std::string(R"pb(
                 name: "gpt2"
                 transformer { num_layers: 2 hidden_size: 48 num_heads: 4
                               ffn_hidden_size: 160
                               vocab_size: 1000
                               max_seq_len: 24
                               activation: GELU
                               norm: LAYER_NORM
                               tied_embeddings: true
                               learned_positions: true
                               linear_bias: true
                               causal: true
                               final_norm: true
                               fused_qkv_linear: true
                               dropout:)pb") +
               (dropout ? "true }" : "false }"));
}
ModelSpec Bert() {
  return Model(R"pb(
    name: "bert"
    transformer {
      num_layers: 2
      hidden_size: 48
      num_heads: 4
      ffn_hidden_size: 160
      vocab_size: 1000
      max_seq_len: 24
      activation: GELU
      norm: LAYER_NORM
      tied_embeddings: true
      learned_positions: true
      linear_bias: true
      type_vocab_size: 2
      mlm_head_transform: true
      embedding_norm: true
      dropout: true
    })pb");
}
ModelSpec Llama() {
  return Model(R"pb(
    name: "llama"
    transformer {
      num_layers: 2
      hidden_size: 48
      num_heads: 4
      num_kv_heads: 2
      ffn_hidden_size: 160
      vocab_size: 1000
      max_seq_len: 24
      activation: SWIGLU
      norm: RMS_NORM
      causal: true
      final_norm: true
    })pb");
}

TrainingSpec Training(bool autocast) {
  TrainingSpec t;
  t.set_global_batch(3);
  t.set_seq_len(24);
  t.set_optimizer(ADAM);
  t.set_kernels(KERNELS_EAGER);
  t.set_kernel_device(KERNEL_DEVICE_CPU);
  t.set_dtype(autocast ? BF16 : FP32);
  if (autocast) t.set_mixed_precision(MIXED_PRECISION_AUTOCAST);
  return t;
}

struct Measured {
  int64_t embedding, layer, head;
};

void ExpectMeasured(const ModelSpec& model, bool autocast, const Measured& m) {
  auto e = MemoryEvaluator::Create(model, Training(autocast), PROFILE_MEMWALL,
                                   nullptr);
  ASSERT_TRUE(e.ok()) << e.status();
  ParallelLayout l;
  l.micro_batch = 3;
  ASSERT_TRUE(e->CheckLayout(l).ok());
  const std::vector<PartBytes> parts = e->LayerActivations(l);
  ASSERT_EQ(parts.size(), 4u);
  EXPECT_EQ(parts[0].bytes, m.embedding);
  // The last layer: LLaMA's rotary tables are saved by every layer and
  // measured once, under the embedding by tests/torch's rule.
  EXPECT_NEAR(parts[2].bytes, m.layer, 8);
  EXPECT_NEAR(parts[3].bytes, m.head, 4);
}

// Measured (bytes; embedding, last layer, head), batch 3 x 24 tokens.
TEST(EagerConvention, Gpt2MatchesTorch) {
  ExpectMeasured(Gpt2(true), false, {14592, 314504, 316228});
  ExpectMeasured(Gpt2(true), true, {14592, 248456, 405316});
}

TEST(EagerConvention, BertMatchesTorch) {
  ExpectMeasured(Bert(), false, {29568, 314504, 343876});
  ExpectMeasured(Bert(), true, {29568, 234632, 423748});
}

TEST(EagerConvention, LlamaMatchesTorch) {
  ExpectMeasured(Llama(), false, {2880, 378440, 343588});
  ExpectMeasured(Llama(), true, {2880, 339272, 432676});
}

// The fused convention is the default: an unset kernels field and
// KERNELS_FUSED give the same bytes, and GPT-3's layer is Korthikanti's.
TEST(EagerConvention, FusedIsTheDefault) {
  auto model = LoadModel("gpt3-175b");
  ASSERT_TRUE(model.ok());
  TrainingSpec t;
  t.set_global_batch(1);
  t.set_seq_len(2048);
  t.set_dtype(BF16);
  t.set_optimizer(ADAM);
  TrainingSpec fused = t;
  fused.set_kernels(KERNELS_FUSED);
  auto a = MemoryEvaluator::Create(*model, t, PROFILE_MEMWALL, nullptr);
  auto b = MemoryEvaluator::Create(*model, fused, PROFILE_MEMWALL, nullptr);
  ASSERT_TRUE(a.ok() && b.ok());
  ParallelLayout l;
  EXPECT_EQ(a->Evaluate(l).peak_bytes, b->Evaluate(l).peak_bytes);
  // sbh (34 + 5as/h), s 2048, b 1, h 12288, a 96.
  const double sbh = 2048.0 * 12288;
  EXPECT_NEAR(static_cast<double>(a->LayerActivations(l)[1].bytes),
              sbh * (34 + 5.0 * 96 * 2048 / 12288), 1);
}

// Autocast prices states as fp32 training does: 4 + 4 + 8 bytes per parameter
// with Adam (torch.optim.Adam's exp_avg and exp_avg_sq), against Megatron's
// 2 + 4 + 12.
TEST(EagerConvention, AutocastStatesAreSixteenBytes) {
  auto e = MemoryEvaluator::Create(Llama(), Training(true), PROFILE_MEMWALL,
                                   nullptr);
  ASSERT_TRUE(e.ok());
  const StageBreakdown s = e->Evaluate(ParallelLayout{}).stages[0];
  EXPECT_EQ(s.weights_bytes, 4 * e->params());
  EXPECT_EQ(s.gradients_bytes, 4 * e->params());
  EXPECT_EQ(s.optimizer_bytes, 8 * e->params());
}

absl::Status CreateStatus(const ModelSpec& m, const TrainingSpec& t,
                          Profile profile = PROFILE_MEMWALL) {
  return MemoryEvaluator::Create(m, t, profile, nullptr).status();
}

TEST(EagerConvention, RefusesWhatItCannotDescribe) {
  EXPECT_THAT(
      CreateStatus(Llama(), Training(false), PROFILE_MEGATRON).message(),
      HasSubstr("memwall profile only"));
  TrainingSpec bf16 = Training(false);
  bf16.set_dtype(BF16);
  EXPECT_THAT(CreateStatus(Llama(), bf16).message(),
              HasSubstr("needs training.mixed_precision=autocast"));
  TrainingSpec fp32_autocast = Training(false);
  fp32_autocast.set_mixed_precision(MIXED_PRECISION_AUTOCAST);
  EXPECT_THAT(CreateStatus(Llama(), fp32_autocast).message(),
              HasSubstr("needs a 16-bit training.dtype"));
  TrainingSpec cpu_fused = Training(false);
  cpu_fused.set_kernels(KERNELS_FUSED);
  EXPECT_THAT(CreateStatus(Llama(), cpu_fused).message(),
              HasSubstr("kernel_device=cpu changes eager kernels only"));
  auto mixtral = LoadModel("mixtral-8x7b");
  ASSERT_TRUE(mixtral.ok());
  const absl::Status moe = CreateStatus(*mixtral, Training(true));
  EXPECT_EQ(moe.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(moe.message(), HasSubstr("use --kernels=fused"));
  ModelSpec windowed = Llama();
  windowed.mutable_transformer()->set_sliding_window(8);
  EXPECT_THAT(CreateStatus(windowed, Training(false)).message(),
              HasSubstr("sliding-window attention"));

  auto e = MemoryEvaluator::Create(Llama(), Training(false), PROFILE_MEMWALL,
                                   nullptr);
  ASSERT_TRUE(e.ok());
  ParallelLayout l;
  l.recompute = RECOMPUTE_FULL;
  EXPECT_THAT(std::string(e->CheckLayout(l).message()),
              HasSubstr("--recompute=full needs --kernels=fused"));
  l = ParallelLayout{};
  l.flash_attention = true;
  EXPECT_EQ(e->CheckLayout(l).code(), absl::StatusCode::kInvalidArgument);
  l = ParallelLayout{};
  l.tp = 2;
  l.dp = 1;
  EXPECT_THAT(std::string(e->CheckLayout(l).message()),
              HasSubstr("--tp=2 needs --kernels=fused"));
}

}  // namespace
}  // namespace memwall
