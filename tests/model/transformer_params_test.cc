// Parameter counts against published counts. Each case cites its source.
#include <cmath>
#include <string>

#include "gtest/gtest.h"
#include "planner/model/transformer.h"
#include "planner/model/zoo.h"

namespace memwall {
namespace {

TransformerSpec Gpt(int64_t layers, int64_t hidden, int64_t heads,
                    int64_t vocab) {
  TransformerSpec s;
  s.set_num_layers(layers);
  s.set_hidden_size(hidden);
  s.set_num_heads(heads);
  s.set_ffn_hidden_size(4 * hidden);
  s.set_activation(GELU);
  s.set_norm(LAYER_NORM);
  s.set_vocab_size(vocab);
  s.set_max_seq_len(2048);
  s.set_tied_embeddings(true);
  s.set_learned_positions(true);
  s.set_linear_bias(true);
  s.set_causal(true);
  s.set_final_norm(true);
  return s;
}

struct ZooCount {
  const char* model;
  int64_t params;
  const char* source;
};

// Exact counts of the released checkpoints.
TEST(TransformerParams, ZooModelsMatchReleasedCounts) {
  const ZooCount cases[] = {
      // Llama-2-7b-hf: 6,738,415,616 (the released
      // checkpoint).
      {"llama2-7b", 6738415616, "Llama-2-7b-hf safetensors"},
      // Hugging Face gpt2-xl: 1,557,611,200.
      {"gpt2-xl", 1557611200, "huggingface gpt2-xl num_parameters()"},
      // Hugging Face t5-3b: 2,851,598,336 (DeepSpeed's docs print 2851M).
      {"t5-3b", 2851598336, "huggingface t5-3b num_parameters()"},
      // Meta-Llama-3-8B: 8,030,261,248; Llama-3-70B: 70,553,706,496
      // (Megatron-LM theoretical_memory_usage.py:
      // 70.553B for the 70B shape).
      {"llama3-8b", 8030261248, "Meta-Llama-3-8B num_parameters()"},
      {"llama3-70b", 70553706496, "Meta-Llama-3-70B num_parameters()"},
      // Mixtral-8x7B-v0.1: 46,702,792,704.
      {"mixtral-8x7b", 46702792704, "Mixtral-8x7B-v0.1 num_parameters()"},
      // The following equal tests/data/hf/independent_counts.py (checkpoint
      // tensor shapes) and round to their publishers' totals.
      {"mixtral-8x22b", 140630071296, "Mixtral 8x22B: 141B"},
      {"qwen3-30b-a3b", 30532122624, "Qwen3-30B-A3B: 30.5B"},
      {"qwen3-235b-a22b", 235093634560, "Qwen3-235B-A22B: 235B"},
      {"gpt-oss-120b", 116829156672, "gpt-oss model card: 116.83B"},
      {"gemma2-27b", 27227128320, "Gemma 2 27B: 27.2B"},
      // 671,026,419,200 (DeepSeek-V3 §1: 671B) + the MTP module without its
      // embedding and head copies (11,610,068,224).
      {"deepseek-v3", 682636487424, "DeepSeek-V3: 671B + MTP"},
      {"llama3-405b", 405853388800, "Llama 3.1 405B: 405B"},
  };
  for (const ZooCount& c : cases) {
    auto model = LoadModel(c.model);
    ASSERT_TRUE(model.ok()) << model.status();
    EXPECT_EQ(CountParams(model->transformer()).total, c.params)
        << c.model << " (" << c.source << ")";
  }
}

// BertModel (no MLM head) has 335,141,888 parameters (Hugging Face
// bert-large-uncased); the MLM head adds h^2 + h (dense) + 2h (LayerNorm) + V
// (output bias).
TEST(TransformerParams, BertLargeComponents) {
  auto model = LoadModel("bert-large");
  ASSERT_TRUE(model.ok()) << model.status();
  const TransformerParams p = CountParams(model->transformer());
  EXPECT_EQ(p.total - p.mlm_head, 335141888);
  EXPECT_EQ(p.mlm_head, 1024 * 1024 + 1024 + 2 * 1024 + 30522);
  EXPECT_EQ(p.pooler, 1024 * 1024 + 1024);
  EXPECT_EQ(p.token_type_embedding, 2 * 1024);
}

// Megatron's convention (Megatron-LM
// theoretical_memory_usage.py): GPT-3 175B = 174.580B and the 22B model
// = 22.059B with the vocabulary padded to 51200.
TEST(TransformerParams, MegatronConvention) {
  ParamConvention megatron;
  megatron.linear_bias = false;
  megatron.learned_positions = false;
  megatron.vocab_size = PaddedVocab(50257, 8);
  EXPECT_EQ(megatron.vocab_size, 51200);
  EXPECT_EQ(CountParams(Gpt(96, 12288, 96, 50257), megatron).total,
            174580064256);
  EXPECT_EQ(CountParams(Gpt(48, 6144, 64, 50257), megatron).total, 22059036672);
}

// Megatron-LM vocab_size_with_padding: V = 128256 at t = 8 pads to 129024;
// 51200 stays 51200.
TEST(TransformerParams, PaddedVocab) {
  EXPECT_EQ(PaddedVocab(128256, 8), 129024);
  EXPECT_EQ(PaddedVocab(51200, 8), 51200);
}

// Narayanan et al. 2021 Table 1 parameter column (V = 51200, s =
// 2048): 1.7B, 18.4B, 145.6B; agreement within
// 0.05B.
TEST(TransformerParams, NarayananTable1) {
  struct Row {
    int64_t layers, hidden, heads;
    double billions;
  } rows[] = {
      {24, 2304, 24, 1.7}, {40, 6144, 48, 18.4}, {80, 12288, 96, 145.6}};
  for (const Row& r : rows) {
    const double p = static_cast<double>(
        CountParams(Gpt(r.layers, r.hidden, r.heads, 51200)).total);
    EXPECT_NEAR(p / 1e9, r.billions, 0.05) << r.hidden;
  }
}

// ALBERT-xxlarge shares one layer across 12 (Lan et al. 2020, Table 1: 235M
// with E = 128): the layers count once.
TEST(TransformerParams, AlbertSharingCountsLayersOnce) {
  TransformerSpec s = Gpt(12, 4096, 64, 30000);
  s.set_embedding_size(128);
  s.set_num_shared_layer_groups(1);
  const TransformerParams p = CountParams(s);
  EXPECT_EQ(p.layers_total, p.layer[0].total());
  EXPECT_EQ(p.word_embedding, 30000 * 128);
  EXPECT_EQ(p.embedding_projection, 128 * 4096 + 4096);
}

// Every other layer MoE (proto: layer i is MoE when i % freq == freq - 1).
TEST(TransformerParams, MoeLayerFrequency) {
  TransformerSpec s = Gpt(4, 64, 4, 100);
  s.mutable_moe()->set_num_experts(4);
  s.mutable_moe()->set_top_k(2);
  s.mutable_moe()->set_layer_freq(2);
  const std::vector<LayerKind> seq = LayerSequence(s);
  ASSERT_EQ(seq.size(), 4u);
  EXPECT_EQ(seq[0], LayerKind::kDense);
  EXPECT_EQ(seq[1], LayerKind::kMoe);
  EXPECT_EQ(seq[3], LayerKind::kMoe);
  const TransformerParams p = CountParams(s);
  // 4 experts of a biased 64 -> 256 -> 64 MLP, router 64 x 4.
  EXPECT_EQ(p.layer[1].experts, 4 * (2 * 64 * 256 + 256 + 64));
  EXPECT_EQ(p.layer[1].router, 64 * 4);
}

// 1e13 parameters do not overflow.
TEST(TransformerParams, TrillionScale) {
  const TransformerParams p = CountParams(Gpt(1000, 28000, 200, 256000));
  EXPECT_GT(p.total, int64_t{9} * 1000000000000);
  EXPECT_LT(p.total, int64_t{10} * 1000000000000);
}

}  // namespace
}  // namespace memwall
