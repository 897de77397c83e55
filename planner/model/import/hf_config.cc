// Hugging Face config.json import (see hf_config.h). Field meanings follow the
// transformers configuration classes and modeling files of each model_type
// (configuration_llama.py, modeling_deepseek_v3.py, modeling_gpt_oss.py, ...);
// docs/import.md lists the mapping.
#include "planner/model/import/hf_config.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status.h"
#include "planner/model/import/json_fields.h"
#include "planner/model/validate_transformer.h"

namespace memwall {
namespace {

using Importer = absl::Status (*)(const JsonFields&, TransformerSpec*);

absl::Status Unsupported(const JsonFields& j, const std::string& field,
                         const std::string& value, const std::string& why) {
  return absl::UnimplementedError(
      absl::StrCat(j.source(), ": ", field, "=", value, " ", why));
}

// Maps an activation name onto memwall's kinds: gated families (Llama-like
// MLPs with a gate projection) take SwiGLU or GeGLU, others GeLU or ReLU.
absl::Status Activation(const JsonFields& j, const std::string& key,
                        const std::string& fallback, bool gated,
                        TransformerSpec* t) {
  MEMWALL_ASSIGN_OR_RETURN(const std::string act,
                           j.OptionalString(key, fallback));
  const bool silu = act == "silu" || act == "swish";
  const bool gelu = act == "gelu" || act == "gelu_new" ||
                    act == "gelu_pytorch_tanh" || act == "gelu_fast" ||
                    act == "quick_gelu";
  if (gated && silu) {
    t->set_activation(SWIGLU);
  } else if (gated && gelu) {
    t->set_activation(GEGLU);
  } else if (!gated && gelu) {
    t->set_activation(GELU);
  } else if (!gated && act == "relu") {
    t->set_activation(RELU);
  } else {
    return Unsupported(j, key, absl::StrCat("\"", act, "\""),
                       gated ? "is not a gated activation memwall knows (silu, "
                               "gelu, gelu_pytorch_tanh)"
                             : "is not an activation memwall knows (gelu, "
                               "gelu_new, relu)");
  }
  return absl::OkStatus();
}

// Fields shared by the Llama-like decoders (RMSNorm, rotary, gated MLP).
absl::Status Decoder(const JsonFields& j, bool tied_default,
                     TransformerSpec* t) {
  MEMWALL_ASSIGN_OR_RETURN(const int64_t layers,
                           j.RequiredInt("num_hidden_layers"));
  MEMWALL_ASSIGN_OR_RETURN(const int64_t hidden, j.RequiredInt("hidden_size"));
  MEMWALL_ASSIGN_OR_RETURN(const int64_t heads,
                           j.RequiredInt("num_attention_heads"));
  MEMWALL_ASSIGN_OR_RETURN(const auto kv_heads,
                           j.OptionalInt("num_key_value_heads"));
  MEMWALL_ASSIGN_OR_RETURN(const auto head_dim, j.OptionalInt("head_dim"));
  MEMWALL_ASSIGN_OR_RETURN(const int64_t ffn,
                           j.RequiredInt("intermediate_size"));
  MEMWALL_ASSIGN_OR_RETURN(const int64_t vocab, j.RequiredInt("vocab_size"));
  MEMWALL_ASSIGN_OR_RETURN(const int64_t positions,
                           j.RequiredInt("max_position_embeddings"));
  MEMWALL_ASSIGN_OR_RETURN(const bool tied,
                           j.OptionalBool("tie_word_embeddings", tied_default));
  MEMWALL_ASSIGN_OR_RETURN(const double dropout,
                           j.OptionalNumber("attention_dropout", 0));
  t->set_num_layers(layers);
  t->set_hidden_size(hidden);
  t->set_num_heads(heads);
  if (kv_heads.has_value()) t->set_num_kv_heads(*kv_heads);
  // head_dim only matters when it differs from hidden / heads (Gemma, Qwen3).
  if (head_dim.has_value() &&
      (hidden % heads != 0 || *head_dim != hidden / heads)) {
    t->set_head_dim(*head_dim);
  }
  t->set_ffn_hidden_size(ffn);
  t->set_vocab_size(vocab);
  t->set_max_seq_len(positions);
  t->set_tied_embeddings(tied);
  t->set_norm(RMS_NORM);
  t->set_causal(true);
  t->set_final_norm(true);
  t->set_dropout(dropout > 0);
  return Activation(j, "hidden_act", "silu", true, t);
}

// attention_bias / mlp_bias (Llama): memwall's linear_bias puts biases on both.
absl::Status LlamaBiases(const JsonFields& j, TransformerSpec* t) {
  MEMWALL_ASSIGN_OR_RETURN(const bool attn,
                           j.OptionalBool("attention_bias", false));
  MEMWALL_ASSIGN_OR_RETURN(const bool mlp, j.OptionalBool("mlp_bias", false));
  if (attn != mlp) {
    return Unsupported(j, "attention_bias", attn ? "true" : "false",
                       absl::StrCat("with mlp_bias=", mlp ? "true" : "false",
                                    " is not supported (biases go on both or "
                                    "neither)"));
  }
  t->set_linear_bias(attn);
  return absl::OkStatus();
}

// The sliding-window layer pattern: layer_types when given (transformers >=
// 4.53), else every layer, or every other layer from the first (Gemma 2).
absl::Status SlidingWindow(const JsonFields& j, bool alternate,
                           TransformerSpec* t) {
  MEMWALL_ASSIGN_OR_RETURN(const auto window,
                           j.OptionalInt("sliding_window", 1));
  MEMWALL_ASSIGN_OR_RETURN(const std::vector<std::string> types,
                           j.StringList("layer_types"));
  if (!window.has_value()) return absl::OkStatus();
  int64_t every = alternate ? 2 : 0;
  if (!types.empty()) {
    if (static_cast<int64_t>(types.size()) != t->num_layers()) {
      return absl::InvalidArgumentError(
          absl::StrCat(j.source(), ": layer_types has ", types.size(),
                       " entries, num_hidden_layers=", t->num_layers()));
    }
    std::vector<bool> full;
    for (const std::string& type : types) {
      if (type != "full_attention" && type != "sliding_attention") {
        return Unsupported(j, "layer_types", absl::StrCat("[\"", type, "\"]"),
                           "(full_attention or sliding_attention expected)");
      }
      full.push_back(type == "full_attention");
    }
    const auto first_full = std::find(full.begin(), full.end(), true);
    if (first_full == full.begin() &&
        std::all_of(full.begin(), full.end(), [](bool f) { return f; })) {
      return absl::OkStatus();  // no sliding layer
    }
    every = first_full == full.end() ? 0 : (first_full - full.begin()) + 1;
    for (size_t i = 0; i < full.size(); ++i) {
      const bool expect =
          every > 0 && static_cast<int64_t>(i) % every == every - 1;
      if (full[i] != expect) {
        return Unsupported(j, "layer_types",
                           absl::StrCat("[", i, "]=", types[i]),
                           "breaks the pattern every n-th layer full, the "
                           "rest sliding");
      }
    }
  }
  t->set_sliding_window(*window);
  t->set_full_attention_every(every);
  return absl::OkStatus();
}

// Qwen2/Qwen3: sliding windows only with use_sliding_window, on the layers at
// or above max_window_layers, a pattern memwall does not represent.
absl::Status QwenNoSlidingWindow(const JsonFields& j) {
  MEMWALL_ASSIGN_OR_RETURN(const bool use,
                           j.OptionalBool("use_sliding_window", false));
  if (use) {
    return Unsupported(j, "use_sliding_window", "true",
                       "is not supported (windows on layers >= "
                       "max_window_layers)");
  }
  j.Ignore("sliding_window");
  j.Ignore("max_window_layers");
  j.Ignore("layer_types");
  return absl::OkStatus();
}

absl::Status NoMlpOnlyLayers(const JsonFields& j) {
  MEMWALL_ASSIGN_OR_RETURN(const std::vector<int64_t> dense,
                           j.IntList("mlp_only_layers"));
  if (!dense.empty()) {
    return Unsupported(j, "mlp_only_layers",
                       absl::StrCat("[", dense[0], ",...]"),
                       "is not supported (use decoder_sparse_step)");
  }
  return absl::OkStatus();
}

absl::Status Experts(const JsonFields& j, const std::string& count_key,
                     const std::string& ffn_key, TransformerSpec* t) {
  MoeSpec* moe = t->mutable_moe();
  MEMWALL_ASSIGN_OR_RETURN(const int64_t experts, j.RequiredInt(count_key));
  // gpt-oss's first configs name the routing width experts_per_token.
  const std::string top_k_key =
      j.Has("num_experts_per_tok") || !j.Has("experts_per_token")
          ? "num_experts_per_tok"
          : "experts_per_token";
  MEMWALL_ASSIGN_OR_RETURN(const int64_t top_k, j.RequiredInt(top_k_key));
  if (top_k_key == "num_experts_per_tok") j.Ignore("experts_per_token");
  MEMWALL_ASSIGN_OR_RETURN(const int64_t ffn, j.RequiredInt(ffn_key));
  moe->set_num_experts(experts);
  moe->set_top_k(top_k);
  moe->set_expert_ffn_hidden_size(ffn);
  moe->set_layer_freq(1);
  return absl::OkStatus();
}

absl::Status Llama(const JsonFields& j, TransformerSpec* t) {
  MEMWALL_RETURN_IF_ERROR(Decoder(j, false, t));
  return LlamaBiases(j, t);
}

absl::Status Mistral(const JsonFields& j, TransformerSpec* t) {
  MEMWALL_RETURN_IF_ERROR(Decoder(j, false, t));
  return SlidingWindow(j, false, t);
}

absl::Status Mixtral(const JsonFields& j, TransformerSpec* t) {
  MEMWALL_RETURN_IF_ERROR(Mistral(j, t));
  return Experts(j, "num_local_experts", "intermediate_size", t);
}

absl::Status Qwen2(const JsonFields& j, TransformerSpec* t) {
  MEMWALL_RETURN_IF_ERROR(Decoder(j, false, t));
  t->set_qkv_bias(true);  // Qwen2Attention: bias on q, k and v projections
  return QwenNoSlidingWindow(j);
}

absl::Status Qwen2Moe(const JsonFields& j, TransformerSpec* t) {
  MEMWALL_RETURN_IF_ERROR(Qwen2(j, t));
  MEMWALL_RETURN_IF_ERROR(
      Experts(j, "num_experts", "moe_intermediate_size", t));
  MEMWALL_ASSIGN_OR_RETURN(const auto shared,
                           j.OptionalInt("shared_expert_intermediate_size", 0));
  MEMWALL_ASSIGN_OR_RETURN(const auto step,
                           j.OptionalInt("decoder_sparse_step"));
  t->mutable_moe()->set_shared_expert_ffn_hidden_size(shared.value_or(0));
  t->mutable_moe()->set_shared_expert_gate(shared.value_or(0) > 0);
  t->mutable_moe()->set_layer_freq(step.value_or(1));
  return NoMlpOnlyLayers(j);
}

absl::Status Qwen3(const JsonFields& j, TransformerSpec* t) {
  MEMWALL_RETURN_IF_ERROR(Decoder(j, false, t));
  MEMWALL_RETURN_IF_ERROR(LlamaBiases(j, t));
  t->set_qk_norm(true);  // Qwen3Attention: q_norm and k_norm of head_dim
  return QwenNoSlidingWindow(j);
}

absl::Status Qwen3Moe(const JsonFields& j, TransformerSpec* t) {
  MEMWALL_RETURN_IF_ERROR(Qwen3(j, t));
  MEMWALL_RETURN_IF_ERROR(
      Experts(j, "num_experts", "moe_intermediate_size", t));
  MEMWALL_ASSIGN_OR_RETURN(const auto step,
                           j.OptionalInt("decoder_sparse_step"));
  t->mutable_moe()->set_layer_freq(step.value_or(1));
  return NoMlpOnlyLayers(j);
}

absl::Status Gemma(const JsonFields& j, TransformerSpec* t) {
  MEMWALL_RETURN_IF_ERROR(Decoder(j, true, t));
  MEMWALL_RETURN_IF_ERROR(LlamaBiases(j, t));
  // Gemma names the MLP activation hidden_activation (hidden_act is legacy).
  if (j.Has("hidden_activation")) {
    MEMWALL_RETURN_IF_ERROR(
        Activation(j, "hidden_activation", "gelu_pytorch_tanh", true, t));
  } else {
    MEMWALL_RETURN_IF_ERROR(Activation(j, "hidden_act", "gelu", true, t));
  }
  return absl::OkStatus();
}

absl::Status Gemma2(const JsonFields& j, TransformerSpec* t) {
  MEMWALL_RETURN_IF_ERROR(Gemma(j, t));
  t->set_post_norms(true);  // post_attention / post_feedforward layernorms
  return SlidingWindow(j, true, t);
}

absl::Status Phi3(const JsonFields& j, TransformerSpec* t) {
  MEMWALL_RETURN_IF_ERROR(Decoder(j, false, t));
  return SlidingWindow(j, false, t);
}

absl::Status DeepseekV3(const JsonFields& j, TransformerSpec* t) {
  MEMWALL_RETURN_IF_ERROR(Decoder(j, false, t));
  MEMWALL_ASSIGN_OR_RETURN(const bool bias,
                           j.OptionalBool("attention_bias", false));
  if (bias) {
    return Unsupported(j, "attention_bias", "true",
                       "is not supported for deepseek_v3");
  }
  // MLA gives every head its own widths: num_key_value_heads and head_dim
  // do not apply.
  t->clear_num_kv_heads();
  t->clear_head_dim();
  MlaSpec* mla = t->mutable_mla();
  MEMWALL_ASSIGN_OR_RETURN(const auto q_lora, j.OptionalInt("q_lora_rank"));
  MEMWALL_ASSIGN_OR_RETURN(const int64_t kv_lora,
                           j.RequiredInt("kv_lora_rank"));
  MEMWALL_ASSIGN_OR_RETURN(const int64_t nope,
                           j.RequiredInt("qk_nope_head_dim", 0));
  MEMWALL_ASSIGN_OR_RETURN(const int64_t rope,
                           j.RequiredInt("qk_rope_head_dim", 0));
  MEMWALL_ASSIGN_OR_RETURN(const int64_t v, j.RequiredInt("v_head_dim"));
  mla->set_q_lora_rank(q_lora.value_or(0));
  mla->set_kv_lora_rank(kv_lora);
  mla->set_qk_nope_head_dim(nope);
  mla->set_qk_rope_head_dim(rope);
  mla->set_v_head_dim(v);

  MEMWALL_RETURN_IF_ERROR(
      Experts(j, "n_routed_experts", "moe_intermediate_size", t));
  MoeSpec* moe = t->mutable_moe();
  MEMWALL_ASSIGN_OR_RETURN(const auto shared,
                           j.OptionalInt("n_shared_experts", 0));
  MEMWALL_ASSIGN_OR_RETURN(const auto dense,
                           j.OptionalInt("first_k_dense_replace", 0));
  MEMWALL_ASSIGN_OR_RETURN(const auto freq, j.OptionalInt("moe_layer_freq"));
  MEMWALL_ASSIGN_OR_RETURN(const std::string topk_method,
                           j.OptionalString("topk_method", "noaux_tc"));
  MEMWALL_ASSIGN_OR_RETURN(const auto mtp,
                           j.OptionalInt("num_nextn_predict_layers", 0));
  if (freq.value_or(1) != 1) {
    return Unsupported(j, "moe_layer_freq", absl::StrCat(*freq),
                       "is not supported (1 expected)");
  }
  moe->set_shared_expert_ffn_hidden_size(shared.value_or(0) *
                                         moe->expert_ffn_hidden_size());
  moe->set_first_dense_layers(dense.value_or(0));
  // noaux_tc routing keeps e_score_correction_bias (n_routed_experts) in the
  // checkpoint.
  moe->set_router_bias(topk_method == "noaux_tc");
  if (mtp.value_or(0) > 0) {
    // The released checkpoint holds each module's own embedding and head.
    t->mutable_mtp()->set_num_modules(*mtp);
    t->mutable_mtp()->set_own_embeddings(true);
  }
  return absl::OkStatus();
}

absl::Status GptOss(const JsonFields& j, TransformerSpec* t) {
  MEMWALL_RETURN_IF_ERROR(Decoder(j, false, t));
  MEMWALL_ASSIGN_OR_RETURN(const bool bias,
                           j.OptionalBool("attention_bias", true));
  if (!bias) {
    return Unsupported(j, "attention_bias", "false",
                       "is not supported for gpt_oss (experts keep biases)");
  }
  // Attention and expert projections carry biases; the router has one; each
  // head has a learned sink logit (modeling_gpt_oss.py).
  t->set_linear_bias(true);
  t->set_attention_sinks(true);
  const std::string count_key =
      j.Has("num_local_experts") ? "num_local_experts" : "num_experts";
  MEMWALL_RETURN_IF_ERROR(Experts(j, count_key, "intermediate_size", t));
  t->mutable_moe()->set_router_bias(true);
  return SlidingWindow(j, false, t);
}

absl::Status Gpt2(const JsonFields& j, TransformerSpec* t) {
  MEMWALL_ASSIGN_OR_RETURN(const int64_t layers, j.RequiredInt("n_layer"));
  MEMWALL_ASSIGN_OR_RETURN(const int64_t hidden, j.RequiredInt("n_embd"));
  MEMWALL_ASSIGN_OR_RETURN(const int64_t heads, j.RequiredInt("n_head"));
  MEMWALL_ASSIGN_OR_RETURN(const auto inner, j.OptionalInt("n_inner"));
  MEMWALL_ASSIGN_OR_RETURN(const int64_t vocab, j.RequiredInt("vocab_size"));
  MEMWALL_ASSIGN_OR_RETURN(const int64_t positions,
                           j.RequiredInt("n_positions"));
  MEMWALL_ASSIGN_OR_RETURN(const bool tied,
                           j.OptionalBool("tie_word_embeddings", true));
  MEMWALL_ASSIGN_OR_RETURN(const double dropout,
                           j.OptionalNumber("resid_pdrop", 0.1));
  t->set_num_layers(layers);
  t->set_hidden_size(hidden);
  t->set_num_heads(heads);
  t->set_ffn_hidden_size(inner.value_or(4 * hidden));
  t->set_vocab_size(vocab);
  t->set_max_seq_len(positions);
  t->set_tied_embeddings(tied);
  t->set_learned_positions(true);
  t->set_linear_bias(true);
  t->set_norm(LAYER_NORM);
  t->set_causal(true);
  t->set_final_norm(true);
  t->set_dropout(dropout > 0);
  return Activation(j, "activation_function", "gelu_new", false, t);
}

absl::Status GptNeox(const JsonFields& j, TransformerSpec* t) {
  MEMWALL_RETURN_IF_ERROR(Decoder(j, false, t));
  MEMWALL_ASSIGN_OR_RETURN(const bool bias,
                           j.OptionalBool("attention_bias", true));
  if (!bias) {
    return Unsupported(j, "attention_bias", "false",
                       "is not supported for gpt_neox (the MLP keeps biases)");
  }
  MEMWALL_ASSIGN_OR_RETURN(const double dropout,
                           j.OptionalNumber("hidden_dropout", 0));
  t->set_linear_bias(true);
  t->set_norm(LAYER_NORM);
  t->set_dropout(t->dropout() || dropout > 0);
  return Activation(j, "hidden_act", "gelu", false, t);
}

// BERT and RoBERTa: post-norm encoders with learned positions, token types,
// pooler and the masked-LM head (BertForPreTraining's MLM part).
absl::Status Bert(const JsonFields& j, TransformerSpec* t) {
  MEMWALL_ASSIGN_OR_RETURN(const int64_t layers,
                           j.RequiredInt("num_hidden_layers"));
  MEMWALL_ASSIGN_OR_RETURN(const int64_t hidden, j.RequiredInt("hidden_size"));
  MEMWALL_ASSIGN_OR_RETURN(const int64_t heads,
                           j.RequiredInt("num_attention_heads"));
  MEMWALL_ASSIGN_OR_RETURN(const int64_t ffn,
                           j.RequiredInt("intermediate_size"));
  MEMWALL_ASSIGN_OR_RETURN(const int64_t vocab, j.RequiredInt("vocab_size"));
  MEMWALL_ASSIGN_OR_RETURN(const int64_t positions,
                           j.RequiredInt("max_position_embeddings"));
  MEMWALL_ASSIGN_OR_RETURN(const auto types,
                           j.OptionalInt("type_vocab_size", 0));
  MEMWALL_ASSIGN_OR_RETURN(const double dropout,
                           j.OptionalNumber("hidden_dropout_prob", 0.1));
  MEMWALL_ASSIGN_OR_RETURN(const bool tied,
                           j.OptionalBool("tie_word_embeddings", true));
  MEMWALL_ASSIGN_OR_RETURN(
      const std::string positions_kind,
      j.OptionalString("position_embedding_type", "absolute"));
  if (positions_kind != "absolute") {
    return Unsupported(j, "position_embedding_type",
                       absl::StrCat("\"", positions_kind, "\""),
                       "is not supported (absolute expected)");
  }
  t->set_num_layers(layers);
  t->set_hidden_size(hidden);
  t->set_num_heads(heads);
  t->set_ffn_hidden_size(ffn);
  t->set_vocab_size(vocab);
  t->set_max_seq_len(positions);
  t->set_type_vocab_size(types.value_or(2));
  t->set_tied_embeddings(tied);
  t->set_learned_positions(true);
  t->set_linear_bias(true);
  t->set_norm(LAYER_NORM);
  t->set_causal(false);
  t->set_dropout(dropout > 0);
  t->set_embedding_norm(true);
  t->set_pooler(true);
  t->set_mlm_head_transform(true);
  return Activation(j, "hidden_act", "gelu", false, t);
}

const std::map<std::string, Importer>& Importers() {
  static const auto* importers = new std::map<std::string, Importer>{
      {"bert", Bert},          {"deepseek_v3", DeepseekV3},
      {"gemma", Gemma},        {"gemma2", Gemma2},
      {"gpt2", Gpt2},          {"gpt_neox", GptNeox},
      {"gpt_oss", GptOss},     {"llama", Llama},
      {"mistral", Mistral},    {"mixtral", Mixtral},
      {"phi3", Phi3},          {"qwen2", Qwen2},
      {"qwen2_moe", Qwen2Moe}, {"qwen3", Qwen3},
      {"qwen3_moe", Qwen3Moe}, {"roberta", Bert},
  };
  return *importers;
}

}  // namespace

std::vector<std::string> HfModelTypes() {
  std::vector<std::string> types;
  for (const auto& [type, importer] : Importers()) types.push_back(type);
  return types;
}

absl::StatusOr<HfImport> ImportHfConfig(const std::string& json,
                                        const std::string& source) {
  MEMWALL_ASSIGN_OR_RETURN(const JsonFields j, JsonFields::Parse(json, source));
  MEMWALL_ASSIGN_OR_RETURN(const std::string type,
                           j.RequiredString("model_type"));
  const auto it = Importers().find(type);
  if (it == Importers().end()) {
    return absl::InvalidArgumentError(absl::StrCat(
        source, ": model_type=\"", type.substr(0, 40), "\" is not supported (",
        absl::StrJoin(HfModelTypes(), ", "), ")"));
  }
  HfImport out;
  TransformerSpec* t = out.model.mutable_transformer();
  MEMWALL_RETURN_IF_ERROR(it->second(j, t));
  // Heads must split the width unless head_dim (or MLA) sets it apart; named
  // here by the file's own fields.
  if (!t->has_head_dim() && t->mla().kv_lora_rank() == 0 &&
      t->hidden_size() % t->num_heads() != 0) {
    const bool gpt2 = type == "gpt2";
    return absl::InvalidArgumentError(absl::StrCat(
        source, ": ", gpt2 ? "n_head" : "num_attention_heads", "=",
        t->num_heads(), " must divide ", gpt2 ? "n_embd" : "hidden_size", "=",
        t->hidden_size(), " (or give head_dim)"));
  }
  if (absl::Status valid = ValidateTransformer(*t); !valid.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": ", valid.message()));
  }
  MEMWALL_ASSIGN_OR_RETURN(const std::string name,
                           j.OptionalString("_name_or_path", ""));
  out.model.set_name(name.empty() ? source : name);
  out.model.set_source(
      absl::StrCat("Hugging Face config.json (", type, "): ", source));
  out.model.set_domain("nlp");
  out.ignored = j.Unread();
  if (!out.ignored.empty()) {
    out.model.set_notes(
        absl::StrCat("config.json fields that change no count: ",
                     absl::StrJoin(out.ignored, ", ")));
  }
  return out;
}

}  // namespace memwall
