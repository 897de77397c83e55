// Saved activations against Korthikanti et al. 2022 Table 2, each row evaluated
// here from its closed form (sbh (34 + 5as/h) etc.) and compared with the
// tensor-by-tensor count.
#include "gtest/gtest.h"
#include "planner/model/transformer.h"

namespace memwall {
namespace {

// GPT-3 175B layer: s 2048, h 12288, a 96, f = 4h, dropout, LayerNorm.
TransformerSpec Gpt3Layer() {
  TransformerSpec s;
  s.set_num_layers(1);
  s.set_hidden_size(12288);
  s.set_num_heads(96);
  s.set_ffn_hidden_size(4 * 12288);
  s.set_activation(GELU);
  s.set_norm(LAYER_NORM);
  s.set_vocab_size(51200);
  s.set_max_seq_len(2048);
  s.set_dropout(true);
  s.set_causal(true);
  return s;
}

struct Row {
  const char* name;
  int64_t tp;
  bool sp;
  Recompute recompute;
  double expected;  // bytes, from Table 2's closed form
};

TEST(LayerActivations, KorthikantiTable2) {
  const double s = 2048, b = 2, h = 12288, a = 96, t = 8;
  const double sbh = s * b * h;
  const Row rows[] = {
      {"no parallelism", 1, false, RECOMPUTE_NONE, sbh * (34 + 5 * a * s / h)},
      {"TP", 8, false, RECOMPUTE_NONE,
       sbh * (10 + 24 / t + 5 * a * s / (h * t))},
      {"TP+SP", 8, true, RECOMPUTE_NONE, sbh * (34 / t + 5 * a * s / (h * t))},
      {"TP+selective", 8, false, RECOMPUTE_SELECTIVE, sbh * (10 + 24 / t)},
      {"TP+SP+selective", 8, true, RECOMPUTE_SELECTIVE, sbh * 34 / t},
      {"full recompute", 8, false, RECOMPUTE_FULL, 2 * sbh},
      {"full recompute+SP", 8, true, RECOMPUTE_FULL, 2 * sbh / t},
  };
  for (const Row& r : rows) {
    ActivationOptions o;
    o.seq_len = 2048;
    o.micro_batch = 2;
    o.tp = r.tp;
    o.sequence_parallel = r.sp;
    o.recompute = r.recompute;
    EXPECT_DOUBLE_EQ(LayerActivationBytes(Gpt3Layer(), LayerKind::kDense, o),
                     r.expected)
        << r.name;
  }
  // The closed-form helper agrees with the same rows.
  EXPECT_DOUBLE_EQ(
      KorthikantiLayerBytes(KorthikantiTechnique::kNone, s, b, h, a, 1),
      sbh * (34 + 5 * a * s / h));
}

// Korthikanti §4: selective recompute removes 70% of GPT-3's activations (5as/h
// = 80 vs 34).
TEST(LayerActivations, SelectiveSavesSeventyPercentForGpt3) {
  ActivationOptions o;
  o.seq_len = 2048;
  o.tp = 8;
  o.sequence_parallel = true;
  const double none = LayerActivationBytes(Gpt3Layer(), LayerKind::kDense, o);
  o.recompute = RECOMPUTE_SELECTIVE;
  const double selective =
      LayerActivationBytes(Gpt3Layer(), LayerKind::kDense, o);
  EXPECT_NEAR(1 - selective / none, 0.70, 0.005);
}

// FlashAttention drops the 5as^2b term and keeps a 4-byte log-sum-exp per head
// and token; selective recompute then saves nothing more (Megatron issues #464,
// #1886).
TEST(LayerActivations, FlashAttention) {
  ActivationOptions o;
  o.seq_len = 2048;
  o.flash_attention = true;
  const double sbh = 2048.0 * 12288;
  const double flash = LayerActivationBytes(Gpt3Layer(), LayerKind::kDense, o);
  EXPECT_DOUBLE_EQ(flash, sbh * 34 + 2048.0 * 4 * 96);
  o.recompute = RECOMPUTE_SELECTIVE;
  EXPECT_DOUBLE_EQ(LayerActivationBytes(Gpt3Layer(), LayerKind::kDense, o),
                   flash);
}

// Transformer Engine's FP8 linear layers save the FP8 cast of their inputs
// (1 byte) for the weight gradient, while FlashAttention keeps its 16-bit
// output. GPT layer with flash, per token, by hand: 16-bit replicated 10h
// (norm inputs 2h + 2h, QKV and fc1 inputs 2h + 2h, masks h + h), sharded
// 6h (Q, K, V) + 2h (projection input) + 16h (GeLU input, fc2 input) + 4a;
// FP8 replicated 2h + h + h + 2h + h + h = 8h, sharded 6h + (2h flash output
// + h FP8 projection input) + (8h GeLU input + 4h FP8 fc2 input) + 4a = 21h
// + 4a.
TEST(LayerActivations, Fp8LinearInputs) {
  const double h = 12288;
  const double a = 96;
  const ActivationCoefficients bf16 = LayerActivationCoefficients(
      Gpt3Layer(), LayerKind::kDense, true, RECOMPUTE_NONE, 2);
  EXPECT_DOUBLE_EQ(bf16.replicated_bytes_per_token, 10 * h);
  EXPECT_DOUBLE_EQ(bf16.sharded_bytes_per_token, 24 * h + 4 * a);
  const ActivationCoefficients fp8 = LayerActivationCoefficients(
      Gpt3Layer(), LayerKind::kDense, true, RECOMPUTE_NONE, 2, 1);
  EXPECT_DOUBLE_EQ(fp8.replicated_bytes_per_token, 8 * h);
  EXPECT_DOUBLE_EQ(fp8.sharded_bytes_per_token, 21 * h + 4 * a);
  // Without flash the projection input is not otherwise saved: 6h + h + 12h.
  const ActivationCoefficients unfused = LayerActivationCoefficients(
      Gpt3Layer(), LayerKind::kDense, false, RECOMPUTE_SELECTIVE, 2, 1);
  EXPECT_DOUBLE_EQ(unfused.sharded_bytes_per_token, 19 * h);
  // The full-recompute checkpoint stays 16-bit.
  EXPECT_DOUBLE_EQ(fp8.layer_input_bytes_per_token, 2 * h);
}

// Llama-style layer (no dropout, SwiGLU, GQA): derived from the saved tensors
// (docs/memory.md): replicated 4 e h, sharded e (2q + 2kv) + 3 e f, scores e a
// s.
TEST(LayerActivations, SwigluGqaNoDropout) {
  TransformerSpec s;
  s.set_num_layers(1);
  s.set_hidden_size(8192);
  s.set_num_heads(64);
  s.set_num_kv_heads(8);
  s.set_ffn_hidden_size(28672);
  s.set_activation(SWIGLU);
  s.set_norm(RMS_NORM);
  s.set_vocab_size(128256);
  s.set_max_seq_len(8192);
  ActivationOptions o;
  o.seq_len = 8192;
  const double e = 2, h = 8192, q = 8192, kv = 1024, f = 28672, a = 64,
               seq = 8192;
  const double expected =
      seq * (4 * e * h + e * (2 * q + 2 * kv) + 3 * e * f) + seq * seq * a * e;
  EXPECT_DOUBLE_EQ(LayerActivationBytes(s, LayerKind::kDense, o), expected);
  // Context parallelism shards the tokens (Megatron context_parallel.md).
  o.cp = 4;
  o.flash_attention = true;
  const double flash_tokens =
      seq / 4 * (4 * e * h + e * (2 * q + 2 * kv) + 3 * e * f + 4 * a);
  EXPECT_DOUBLE_EQ(LayerActivationBytes(s, LayerKind::kDense, o), flash_tokens);
}

}  // namespace
}  // namespace memwall
