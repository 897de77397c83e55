// Hugging Face config.json import: real public configurations (tests/data/hf)
// give their checkpoints' exact parameter totals; FLOPs against an independent
// count; bad files are refused naming the field.
#include "planner/model/import/hf_config.h"

#include <cmath>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "planner/model/transformer.h"
#include "planner/model/zoo.h"

namespace memwall {
namespace {

using ::testing::HasSubstr;

std::string DataPath(const std::string& file) {
  return std::string(MEMWALL_HF_DATA) + "/" + file;
}

ModelSpec Load(const std::string& file) {
  auto model = LoadModel(DataPath(file));
  EXPECT_TRUE(model.ok()) << file << ": " << model.status();
  return model.ok() ? *model : ModelSpec();
}

struct Checkpoint {
  const char* file;
  int64_t params;
  const char* source;
};

// Totals of the released checkpoints. Every figure equals the independent
// count of tests/data/hf/independent_counts.py (tensor shapes of the
// checkpoint's safetensors names) and rounds to the total its publisher
// states.
TEST(HfImport, ParameterCountsEqualTheCheckpoints) {
  const Checkpoint cases[] = {
      {"llama3.1-8b.json", 8030261248, "Llama 3.1 8B, 8B (model card)"},
      {"mistral-7b-v0.1.json", 7241732096, "Mistral 7B (arXiv 2310.06825)"},
      {"mixtral-8x7b-v0.1.json", 46702792704,
       "Mixtral 8x7B, 46.7B (arXiv 2401.04088)"},
      {"qwen2-7b.json", 7615616512, "Qwen2-7B, 7.62B (hub)"},
      {"qwen1.5-moe-a2.7b.json", 14315784192, "Qwen1.5-MoE-A2.7B, 14.3B"},
      {"qwen3-8b.json", 8190735360, "Qwen3-8B, 8.2B (model card)"},
      {"qwen3-30b-a3b.json", 30532122624, "Qwen3-30B-A3B, 30.5B (model card)"},
      {"qwen3-235b-a22b.json", 235093634560,
       "Qwen3-235B-A22B, 235B (model card)"},
      {"gemma-7b.json", 8537680896, "Gemma 7B, 8.5B (model card)"},
      {"gemma-2-27b.json", 27227128320, "Gemma 2 27B, 27B (arXiv 2408.00118)"},
      {"phi-3-mini-4k.json", 3821079552, "Phi-3-mini, 3.8B (arXiv 2404.14219)"},
      {"gpt2.json", 124439808, "GPT-2 small, 124M"},
      {"pythia-160m.json", 162322944,
       "Pythia-160M, 162,322,944 (arXiv "
       "2304.01373 Table 1 rounds to 162M)"},
      {"gpt-oss-120b.json", 116829156672,
       "gpt-oss-120b, 116.83B (model card Table 1)"},
      // DeepSeek-V3: 671B main model + 14B MTP module with its own embedding
      // and head copies (the Hugging Face README's 685B).
      {"deepseek-v3.json", 684489845504, "DeepSeek-V3 checkpoint, 685B"},
  };
  for (const Checkpoint& c : cases) {
    const ModelSpec model = Load(c.file);
    EXPECT_EQ(CountParams(model.transformer()).total, c.params)
        << c.file << " (" << c.source << ")";
  }
}

// BertModel / RobertaModel (with pooler): 109,482,240 and 124,645,632; the
// import adds the masked-LM head (dense h^2 + h, LayerNorm 2h, output bias V).
TEST(HfImport, EncodersEqualTheBaseModelPlusTheMlmHead) {
  const struct {
    const char* file;
    int64_t base;
    int64_t vocab;
  } cases[] = {{"bert-base-uncased.json", 109482240, 30522},
               {"roberta-base.json", 124645632, 50265}};
  for (const auto& c : cases) {
    const TransformerParams p = CountParams(Load(c.file).transformer());
    EXPECT_EQ(p.total - p.mlm_head, c.base) << c.file;
    EXPECT_EQ(p.mlm_head, 768 * 768 + 768 + 2 * 768 + c.vocab) << c.file;
  }
}

// DeepSeek-V3 §2: 671B parameters in the main model. Without the MTP module
// the import counts exactly the main model.
TEST(HfImport, DeepseekV3MainModelAndStructure) {
  ModelSpec model = Load("deepseek-v3.json");
  const TransformerSpec& t = model.transformer();
  EXPECT_EQ(t.mla().q_lora_rank(), 1536);
  EXPECT_EQ(t.mla().kv_lora_rank(), 512);
  EXPECT_EQ(t.moe().first_dense_layers(), 3);
  EXPECT_EQ(t.moe().shared_expert_ffn_hidden_size(), 2048);
  const TransformerParams p = CountParams(t);
  EXPECT_EQ(p.num_layers[static_cast<int>(LayerKind::kDense)], 3);
  EXPECT_EQ(p.num_layers[static_cast<int>(LayerKind::kMoe)], 58);
  EXPECT_EQ(p.total - p.mtp - p.mtp_experts, 671026419200);
  model.mutable_transformer()->clear_mtp();
  EXPECT_EQ(CountParams(model.transformer()).total, 671026419200);
}

TEST(HfImport, SlidingWindowPatterns) {
  const TransformerSpec gemma2 = Load("gemma-2-27b.json").transformer();
  EXPECT_EQ(gemma2.sliding_window(), 4096);
  EXPECT_TRUE(IsSlidingLayer(gemma2, 0));  // modeling_gemma2: even layers
  EXPECT_FALSE(IsSlidingLayer(gemma2, 1));
  const TransformerSpec oss = Load("gpt-oss-120b.json").transformer();
  EXPECT_EQ(oss.sliding_window(), 128);
  EXPECT_EQ(oss.full_attention_every(), 2);  // layer_types alternate
  EXPECT_TRUE(oss.attention_sinks());
  const TransformerSpec mistral = Load("mistral-7b-v0.1.json").transformer();
  EXPECT_TRUE(IsSlidingLayer(mistral, 31));  // every layer
  EXPECT_EQ(Load("mixtral-8x7b-v0.1.json").transformer().sliding_window(), 0);
}

// Forward FLOPs of one 4096-token sequence (no causal halving) against the
// independent count of tests/data/hf/independent_counts.py: 2 FLOPs per
// active weight per token plus QK^T and AV over the keys each query sees.
TEST(HfImport, ForwardFlopsMatchAnIndependentCount) {
  FlopsOptions o;
  o.seq_len = 4096;
  const TransformerFlops ds =
      CountFlops(Load("deepseek-v3.json").transformer(), o);
  EXPECT_NEAR((ds.forward_flops - ds.mtp_forward_flops) / 383866460176384.0,
              1.0, 1e-12);
  const TransformerFlops oss =
      CountFlops(Load("gpt-oss-120b.json").transformer(), o);
  EXPECT_NEAR(oss.forward_flops / 47136393658368.0, 1.0, 1e-12);
}

// With causal halving a w-token window over s tokens attends to
// sum_{i=1..s} min(i, w) keys = s w - w (w - 1) / 2; memwall's continuous form
// s w - w^2 / 2 (s^2 / 2 at w = s, as for full attention).
TEST(HfImport, SlidingWindowScoresWithCausalHalving) {
  TransformerSpec t = Load("mistral-7b-v0.1.json").transformer();
  FlopsOptions o;
  o.seq_len = 16384;
  o.causal_halving = true;
  const double s = 16384, w = 4096, heads = 32, d = 128;
  const double per_layer = 2 * heads * (d + d) * (s * w - w * w / 2);
  EXPECT_NEAR(CountFlops(t, o).attention_score_forward_flops / (32 * per_layer),
              1.0, 1e-12);
  t.set_sliding_window(0);
  EXPECT_NEAR(CountFlops(t, o).attention_score_forward_flops /
                  (32 * 2 * heads * (d + d) * s * s / 2),
              1.0, 1e-12);
}

// DeepSeek-V3's MoE layer per token, tensor by tensor (docs/memory.md, the
// MLA and MoE tables), 2-byte activations with FlashAttention: attention
// replicated 2 e h + 2 e (r_q + r_kv) + e d_r, sharded 2 e a (d_n + d_r)
// + 2 e a d_v + 4 a; MoE replicated 2 e h + 4 E, shared 3 e f_s, experts
// k (e h + 3 e f_e).
TEST(HfImport, MlaAndMoeActivationsPerTensor) {
  const TransformerSpec t = Load("deepseek-v3.json").transformer();
  const ActivationCoefficients c = LayerActivationCoefficients(
      t, LayerKind::kMoe, /*flash_attention=*/true, RECOMPUTE_NONE, 2);
  EXPECT_DOUBLE_EQ(c.replicated_bytes_per_token,
                   (2 * 2 * 7168 + 2 * 2 * (1536 + 512) + 2 * 64) +
                       (2 * 2 * 7168 + 4 * 256));
  EXPECT_DOUBLE_EQ(
      c.sharded_bytes_per_token,
      (2 * 2 * 128 * 192 + 2 * 2 * 128 * 128 + 4 * 128) + 3 * 2 * 2048);
  EXPECT_DOUBLE_EQ(c.expert_bytes_per_token, 8 * (2 * 7168 + 3 * 2 * 2048));
  EXPECT_DOUBLE_EQ(c.score_bytes_per_token_pair, 0);
}

struct BadConfig {
  std::string json;
  const char* message;
};

TEST(HfImport, BadConfigsNameTheField) {
  const std::string llama =
      R"("model_type": "llama", "hidden_size": 4096, "intermediate_size": 11008,
         "vocab_size": 32000, "max_position_embeddings": 4096)";
  const BadConfig cases[] = {
      {"{\"model_type\": \"llama\",", "is not valid JSON"},
      {"[1, 2, 3]", "must hold a JSON object"},
      {"42", "must hold a JSON object"},
      {"{}", "required field model_type is missing"},
      {R"({"model_type": "falcon"})", "model_type=\"falcon\" is not supported"},
      {R"({"model_type": 7})", "model_type=7 must be a string"},
      {"{" + llama + R"(, "num_attention_heads": 32})",
       "required field num_hidden_layers is missing"},
      {"{" + llama +
           R"(, "num_hidden_layers": "32", "num_attention_heads": 32})",
       "num_hidden_layers=\"32\" must be a whole number"},
      {"{" + llama +
           R"(, "num_hidden_layers": 32.5, "num_attention_heads": 32})",
       "num_hidden_layers=32.5 must be a whole number"},
      {"{" + llama + R"(, "num_hidden_layers": -4, "num_attention_heads": 32})",
       "num_hidden_layers=-4 must be in [1, "},
      {"{" + llama + R"(, "num_hidden_layers": 0, "num_attention_heads": 32})",
       "num_hidden_layers=0 must be in [1, "},
      {"{" + llama +
           R"(, "num_hidden_layers": 1e30, "num_attention_heads": 32})",
       "num_hidden_layers=1e+30 must be in [1, "},
      {"{" + llama + R"(, "num_hidden_layers": 32, "num_attention_heads": 30})",
       "num_attention_heads=30 must divide hidden_size=4096"},
      {"{" + llama +
           R"(, "num_hidden_layers": 32, "num_attention_heads": 32,
              "num_key_value_heads": 5})",
       "model.transformer.num_kv_heads=5 must divide"},
      {"{" + llama +
           R"(, "num_hidden_layers": 32, "num_attention_heads": 32,
              "tie_word_embeddings": "yes"})",
       "tie_word_embeddings=\"yes\" must be true or false"},
      {"{" + llama +
           R"(, "num_hidden_layers": 32, "num_attention_heads": 32,
              "hidden_act": "tanh"})",
       "hidden_act=\"tanh\" is not a gated activation"},
      {"{" + llama +
           R"(, "num_hidden_layers": 32, "num_attention_heads": 32,
              "attention_bias": true})",
       "attention_bias=true with mlp_bias=false is not supported"},
      {R"({"model_type": "gpt_oss", "num_hidden_layers": 4,
           "hidden_size": 64, "num_attention_heads": 4, "intermediate_size": 64,
           "vocab_size": 100, "max_position_embeddings": 64,
           "num_local_experts": 4, "num_experts_per_tok": 2,
           "sliding_window": 16, "layer_types": ["sliding_attention"]})",
       "layer_types has 1 entries, num_hidden_layers=4"},
      {R"({"model_type": "gpt_oss", "num_hidden_layers": 2,
           "hidden_size": 64, "num_attention_heads": 4, "intermediate_size": 64,
           "vocab_size": 100, "max_position_embeddings": 64,
           "num_local_experts": 4, "num_experts_per_tok": 2,
           "sliding_window": 16, "layer_types": [1, 2]})",
       "layer_types=1 must be a list of strings"},
      {R"({"model_type": "mixtral", "num_hidden_layers": 2,
           "hidden_size": 64, "num_attention_heads": 4, "intermediate_size": 64,
           "vocab_size": 100, "max_position_embeddings": 64,
           "num_local_experts": 4, "num_experts_per_tok": 8})",
       "model.transformer.moe.top_k=8 must be in [1, "},
      {R"({"model_type": "qwen2", "num_hidden_layers": 2,
           "hidden_size": 64, "num_attention_heads": 4, "intermediate_size": 64,
           "vocab_size": 100, "max_position_embeddings": 64,
           "use_sliding_window": true})",
       "use_sliding_window=true is not supported"},
  };
  for (const BadConfig& c : cases) {
    auto imported = ImportHfConfig(c.json, "config.json");
    ASSERT_FALSE(imported.ok()) << c.json;
    EXPECT_THAT(std::string(imported.status().message()), HasSubstr(c.message))
        << c.json;
    EXPECT_THAT(std::string(imported.status().message()),
                HasSubstr("config.json"));
  }
}

// 10 MB of junk, and 10 MB of deep nesting: refused, never a crash.
TEST(HfImport, LargeJunkIsRefused) {
  const std::string junk(10 << 20, 'x');
  EXPECT_THAT(std::string(ImportHfConfig(junk, "junk.json").status().message()),
              HasSubstr("junk.json is not valid JSON"));
  const std::string nested =
      std::string(5 << 20, '[') + std::string(5 << 20, ']');
  EXPECT_THAT(
      std::string(ImportHfConfig(nested, "nested.json").status().message()),
      HasSubstr("nested.json nests more than 64 levels"));
  // Brackets inside strings do not count.
  const std::string quoted =
      "{\"model_type\": \"" + std::string(1000, '[') + "\"}";
  EXPECT_THAT(std::string(ImportHfConfig(quoted, "q.json").status().message()),
              HasSubstr("is not supported"));
}

// Fields that change no count are reported, those that do are not.
TEST(HfImport, IgnoredFieldsAreListed) {
  const std::string json =
      R"({"model_type": "llama", "num_hidden_layers": 2, "hidden_size": 64,
          "num_attention_heads": 4, "intermediate_size": 128,
          "vocab_size": 100, "max_position_embeddings": 64,
          "rope_theta": 10000.0, "bos_token_id": 1})";
  auto imported = ImportHfConfig(json, "config.json");
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_THAT(imported->ignored,
              ::testing::ElementsAre("bos_token_id", "rope_theta"));
}

}  // namespace
}  // namespace memwall
