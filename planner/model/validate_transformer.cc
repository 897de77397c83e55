#include "planner/model/validate_transformer.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace memwall {
namespace {

// Sizes above 2^40 (1.1e12) could overflow int64 products such as V x h or s^2
// a b.
constexpr int64_t kMaxSize = int64_t{1} << 40;

absl::Status Bad(absl::string_view field, int64_t value,
                 absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("model.transformer.", field, "=", value, " ", why));
}

absl::Status Positive(absl::string_view field, int64_t value) {
  if (value <= 0) return Bad(field, value, "must be positive");
  if (value > kMaxSize)
    return Bad(field, value, absl::StrCat("exceeds ", kMaxSize));
  return absl::OkStatus();
}

absl::Status NonNegative(absl::string_view field, int64_t value) {
  if (value < 0) return Bad(field, value, "must not be negative");
  if (value > kMaxSize)
    return Bad(field, value, absl::StrCat("exceeds ", kMaxSize));
  return absl::OkStatus();
}

// Layers are held one by one (the layer sequence, per-kind prefix counts), so
// their number is bounded far more tightly: 2^16 is 500x the deepest model in
// the zoo (128 layers), and keeps a billion-layer typo from exhausting memory.
constexpr int64_t kMaxLayers = int64_t{1} << 16;

}  // namespace

absl::Status ValidateTransformer(const TransformerSpec& s) {
  for (const auto& [name, value] :
       {std::pair<absl::string_view, int64_t>{"num_layers", s.num_layers()},
        {"num_decoder_layers", s.num_decoder_layers()}}) {
    if (value > kMaxLayers)
      return Bad(name, value, absl::StrCat("exceeds ", kMaxLayers, " layers"));
  }
  for (const auto& [name, value] :
       {std::pair<absl::string_view, int64_t>{"num_layers", s.num_layers()},
        {"hidden_size", s.hidden_size()},
        {"num_heads", s.num_heads()},
        {"ffn_hidden_size", s.ffn_hidden_size()},
        {"vocab_size", s.vocab_size()},
        {"max_seq_len", s.max_seq_len()}}) {
    if (absl::Status st = Positive(name, value); !st.ok()) return st;
  }
  for (const auto& [name, value] :
       {std::pair<absl::string_view, int64_t>{"num_decoder_layers",
                                              s.num_decoder_layers()},
        {"embedding_size", s.embedding_size()},
        {"num_shared_layer_groups", s.num_shared_layer_groups()},
        {"type_vocab_size", s.type_vocab_size()},
        {"relative_attention_buckets", s.relative_attention_buckets()},
        {"moe.num_experts", s.moe().num_experts()},
        {"moe.top_k", s.moe().top_k()},
        {"moe.expert_ffn_hidden_size", s.moe().expert_ffn_hidden_size()},
        {"moe.layer_freq", s.moe().layer_freq()},
        {"moe.shared_expert_ffn_hidden_size",
         s.moe().shared_expert_ffn_hidden_size()},
        {"moe.first_dense_layers", s.moe().first_dense_layers()},
        {"mla.q_lora_rank", s.mla().q_lora_rank()},
        {"mla.kv_lora_rank", s.mla().kv_lora_rank()},
        {"mla.qk_nope_head_dim", s.mla().qk_nope_head_dim()},
        {"mla.qk_rope_head_dim", s.mla().qk_rope_head_dim()},
        {"mla.v_head_dim", s.mla().v_head_dim()},
        {"sliding_window", s.sliding_window()},
        {"full_attention_every", s.full_attention_every()},
        {"mtp.num_modules", s.mtp().num_modules()}}) {
    if (absl::Status st = NonNegative(name, value); !st.ok()) return st;
  }
  if (s.has_num_kv_heads()) {
    if (absl::Status st = Positive("num_kv_heads", s.num_kv_heads()); !st.ok())
      return st;
    if (s.num_heads() % s.num_kv_heads() != 0) {
      return Bad("num_kv_heads", s.num_kv_heads(),
                 absl::StrCat("must divide model.transformer.num_heads=",
                              s.num_heads()));
    }
  }
  const bool mla = s.mla().kv_lora_rank() > 0;
  if (mla) {
    // MLA sets every head width itself; head_dim and num_kv_heads do not apply.
    if (s.mla().qk_nope_head_dim() + s.mla().qk_rope_head_dim() <= 0) {
      return Bad(
          "mla.qk_nope_head_dim", s.mla().qk_nope_head_dim(),
          "plus model.transformer.mla.qk_rope_head_dim must be positive");
    }
    if (absl::Status st = Positive("mla.v_head_dim", s.mla().v_head_dim());
        !st.ok())
      return st;
    if (s.num_decoder_layers() > 0) {
      return Bad("num_decoder_layers", s.num_decoder_layers(),
                 "cannot be combined with mla (decoder-only models)");
    }
  } else if (s.has_head_dim()) {
    if (absl::Status st = Positive("head_dim", s.head_dim()); !st.ok())
      return st;
  } else if (s.hidden_size() % s.num_heads() != 0) {
    return Bad("num_heads", s.num_heads(),
               absl::StrCat("must divide model.transformer.hidden_size=",
                            s.hidden_size(), " (or set head_dim)"));
  }
  if (s.activation() == MLP_ACTIVATION_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        "model.transformer.activation is unset (GELU, RELU, SWIGLU or GEGLU)");
  }
  if (s.norm() == NORM_KIND_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        "model.transformer.norm is unset (LAYER_NORM or RMS_NORM)");
  }
  if (s.moe().num_experts() > 0) {
    if (s.moe().top_k() < 1 || s.moe().top_k() > s.moe().num_experts()) {
      return Bad(
          "moe.top_k", s.moe().top_k(),
          absl::StrCat("must be in [1, model.transformer.moe.num_experts=",
                       s.moe().num_experts(), "]"));
    }
  }
  // Parameter counts and byte totals are int64: reject models whose (double)
  // estimate leaves no room for 20+ bytes per parameter.
  const double h = static_cast<double>(s.hidden_size());
  const double width = static_cast<double>(
      s.has_head_dim() ? s.head_dim() * s.num_heads() : s.hidden_size());
  const double f = static_cast<double>(
      std::max(s.ffn_hidden_size(), s.moe().expert_ffn_hidden_size()));
  const double experts =
      static_cast<double>(std::max<int64_t>(1, s.moe().num_experts()));
  // MTP modules are a layer and an embedding-sized head each.
  const double mtp = static_cast<double>(s.mtp().num_modules());
  const double layers =
      static_cast<double>(s.num_layers() + s.num_decoder_layers()) + mtp;
  const double e = static_cast<double>(
      s.embedding_size() > 0 ? s.embedding_size() : s.hidden_size());
  // MLA's projections (attention_shape.cc), bounded term by term.
  const MlaSpec& m = s.mla();
  const double a = static_cast<double>(s.num_heads());
  const double mla_weights =
      (h +
       a * static_cast<double>(m.qk_nope_head_dim() + m.qk_rope_head_dim())) *
          static_cast<double>(m.q_lora_rank() + m.kv_lora_rank() + 1) +
      h * static_cast<double>(m.kv_lora_rank() + m.qk_rope_head_dim()) +
      a * static_cast<double>(m.v_head_dim()) *
          (h + static_cast<double>(m.kv_lora_rank()));
  const double estimate =
      layers *
          (8 * h * width + mla_weights + 3 * h * f * experts + h * experts) +
      static_cast<double>(s.vocab_size() + s.max_seq_len()) * (e + h) *
          (1 + 2 * mtp);
  constexpr double kMaxParams =
      7.2e16;  // 2^56: 128 bytes per parameter stay below 2^63
  if (estimate > kMaxParams) {
    return absl::InvalidArgumentError(absl::StrCat(
        "model.transformer has about ", estimate, " parameters, more than ",
        kMaxParams,
        " (check num_layers, hidden_size, ffn_hidden_size, mla, mtp, "
        "moe.num_experts, vocab_size)"));
  }
  if (s.moe().first_dense_layers() > s.num_layers()) {
    return Bad(
        "moe.first_dense_layers", s.moe().first_dense_layers(),
        absl::StrCat("exceeds model.transformer.num_layers=", s.num_layers()));
  }
  if (s.num_shared_layer_groups() > 0 && s.moe().num_experts() > 0) {
    return Bad("num_shared_layer_groups", s.num_shared_layer_groups(),
               "cannot be combined with MoE layers");
  }
  return absl::OkStatus();
}

absl::Status ValidateModel(const ModelSpec& model) {
  if (model.has_transformer()) return ValidateTransformer(model.transformer());
  if (model.has_graph()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "model '", model.name(), "' has neither a transformer nor a graph"));
}

absl::Status ValidateTraining(const TrainingSpec& t) {
  if (t.global_batch() <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "training.global_batch=", t.global_batch(), " must be positive"));
  }
  if (t.global_batch() > kMaxSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "training.global_batch=", t.global_batch(), " exceeds ", kMaxSize));
  }
  if (t.seq_len() <= 0 || t.seq_len() > kMaxSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "training.seq_len=", t.seq_len(), " must be in [1, ", kMaxSize, "]"));
  }
  if (t.dtype() == DTYPE_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        "training.dtype is unset (fp32, bf16, fp16 or fp8)");
  }
  if (t.optimizer() == OPTIMIZER_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        "training.optimizer is unset (adam, adamw, sgd or sgd_momentum)");
  }
  return absl::OkStatus();
}

}  // namespace memwall
