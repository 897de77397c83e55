// The eager convention, tensor by tensor (eager_activations.h; the table in
// docs/memory.md gives each term with its measured figure).
#include "planner/model/eager_activations.h"

#include "absl/strings/str_cat.h"

namespace memwall {
namespace {

// The residual stream, embeddings and norm statistics are fp32: parameters are
// fp32 in both supported modes, and autocast leaves additions and norms in the
// dtype of their fp32 input.
constexpr double kFp32 = 4;

double HeadDim(const TransformerSpec& s) {
  return static_cast<double>(
      s.has_head_dim() ? s.head_dim() : s.hidden_size() / s.num_heads());
}
bool Gated(const TransformerSpec& s) {
  return s.activation() == SWIGLU || s.activation() == GEGLU;
}
// Bytes of a matmul's output and of the inputs linears save: 2 under autocast.
double Compute(const EagerConvention& k) { return k.autocast ? 2 : kFp32; }
// A dropout mask over elements of `dtype_bytes`: bool on CUDA (native_dropout),
// the input's dtype on CPU (`input * bernoulli(1 - p) / (1 - p)`).
double Mask(const EagerConvention& k, double dtype_bytes) {
  return k.cpu ? dtype_bytes : 1;
}

// One norm, per token. LayerNorm keeps its input and fp32 mean and rstd;
// RMSNorm in Hugging Face's form keeps x (cast to fp32), x^2, rsqrt and
// x*rsqrt.
double Norm(const TransformerSpec& s) {
  const double h = static_cast<double>(s.hidden_size());
  if (s.norm() == RMS_NORM) return kFp32 * 3 * h + kFp32;
  return kFp32 * h + 2 * kFp32;
}

// The input of `consumers` linears reading one tensor: one fp32 tensor, or
// under autocast one 16-bit copy per linear (the cast is not cached for
// non-leaf tensors).
double LinearInput(const TransformerSpec& s, const EagerConvention& k,
                   int consumers) {
  const double h = static_cast<double>(s.hidden_size());
  return k.autocast ? 2 * h * consumers : kFp32 * h;
}

}  // namespace

EagerConvention EagerConventionOf(const TrainingSpec& t) {
  EagerConvention k;
  k.autocast = t.mixed_precision() == MIXED_PRECISION_AUTOCAST;
  k.cpu = t.kernel_device() == KERNEL_DEVICE_CPU;
  return k;
}

ActivationCoefficients EagerLayerCoefficients(const TransformerSpec& s,
                                              const EagerConvention& k) {
  ActivationCoefficients c;
  const double h = static_cast<double>(s.hidden_size());
  const double q = static_cast<double>(s.num_heads()) * HeadDim(s);
  const double kv = static_cast<double>(s.has_num_kv_heads() ? s.num_kv_heads()
                                                             : s.num_heads()) *
                    HeadDim(s);
  const double f = static_cast<double>(s.ffn_hidden_size());
  const double e = Compute(k);
  const double mask = s.dropout() ? Mask(k, e) * h : 0;
  c.layer_input_bytes_per_token = kFp32 * h;
  // Attention: norm, QKV input(s), Q and K and V at every head (repeat_kv, or
  // matmul's contiguous copy of the transposed heads), output-projection input,
  // output dropout mask.
  double per_token = Norm(s) + LinearInput(s, k, s.fused_qkv_linear() ? 1 : 3) +
                     3 * e * q + e * q + mask;
  // MLP: norm, up (and gate) input(s), GeLU input and down input, or gate,
  // silu(gate), up and their product; output dropout mask.
  per_token += Norm(s) + LinearInput(s, k, Gated(s) ? 2 : 1) +
               (Gated(s) ? 4 : 2) * e * f + mask;
  c.replicated_bytes_per_token = per_token;
  // Scores under autocast are fp32 where an fp32 mask is added (causal models)
  // and on CUDA, whose autocast runs softmax in fp32 (PyTorch AMP op
  // reference); CPU autocast (1.13) keeps an unmasked softmax in 16 bits.
  // Softmax keeps its output, dropout its mask, and the AV matmul its input
  // (the dropout output, or a 16-bit copy of fp32 probabilities).
  const double score = k.autocast && k.cpu && !s.causal() ? 2 : kFp32;
  c.score_bytes_per_token_pair = score + (s.dropout() ? Mask(k, score) : 0) +
                                 (s.dropout() || score != e ? e : 0);
  if (k.autocast) {
    // A 16-bit copy of every linear weight, cached by autocast and saved by its
    // matmul until backward (biases are cast but not saved); each micro-batch's
    // graph keeps the copy of its own autocast region.
    const double ups = Gated(s) ? 2 : 1;
    c.fixed_bytes = 2 * (2 * h * q + 2 * h * kv + (ups + 1) * h * f);
  }
  return c;
}

double EagerEmbeddingBytes(const TransformerSpec& s, const EagerConvention& k,
                           double tokens, double seq) {
  const double h = static_cast<double>(s.hidden_size());
  // int64 token ids; position ids (one row shared by the batch); token types.
  double bytes = 8 * tokens;
  if (s.learned_positions()) bytes += 8 * seq;
  if (s.type_vocab_size() > 0) bytes += 8 * tokens;
  // The embedding sum is fp32 (embeddings are not autocast).
  if (s.embedding_norm()) bytes += tokens * (kFp32 * h + 2 * kFp32);
  if (s.dropout()) bytes += tokens * Mask(k, kFp32) * h;
  if (!s.learned_positions() && s.relative_attention_buckets() == 0) {
    // Rotary positions: fp32 cos and sin tables, seq x head_dim each.
    bytes += 2 * kFp32 * seq * HeadDim(s);
  }
  return bytes;
}

double EagerHeadBytes(const TransformerSpec& s, const EagerConvention& k,
                      double tokens) {
  const double h = static_cast<double>(s.hidden_size());
  const double v = static_cast<double>(s.vocab_size());
  const double e = Compute(k);
  double per_token = s.final_norm() ? Norm(s) : 0;
  double fixed = 0;
  if (s.mlm_head_transform()) {
    // Dense input, GeLU input, then the norm of the GeLU output in fp32.
    per_token += LinearInput(s, k, 1) + e * h + kFp32 * h + 2 * kFp32;
    if (k.autocast) fixed += 2 * h * h;
  }
  // LM-head input, then the loss's fp32 log-softmax output.
  per_token += LinearInput(s, k, 1) + kFp32 * v;
  if (k.autocast) fixed += 2 * v * h;
  return tokens * per_token + fixed;
}

absl::Status CheckEagerModel(const ModelSpec& model,
                             const TrainingSpec& training, Profile profile) {
  if (profile != PROFILE_MEMWALL) {
    return absl::InvalidArgumentError(
        "training.kernels=eager applies to the memwall profile only; the "
        "other profiles reproduce their sources' own formulas");
  }
  const TransformerSpec& s = model.transformer();
  if (s.moe().num_experts() > 0 || s.num_decoder_layers() > 0 ||
      s.num_shared_layer_groups() > 0 || s.embedding_size() > 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "training.kernels=eager covers dense encoder-only and decoder-only "
        "models (GPT-2, BERT, LLaMA); model '",
        model.name(),
        "' has MoE, decoder, shared or factorized layers: use "
        "--kernels=fused"));
  }
  if (s.has_mla() || s.sliding_window() > 0 || s.attention_sinks() ||
      s.qk_norm() || s.post_norms() || s.mtp().num_modules() > 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "training.kernels=eager is measured for standard and grouped-query "
        "attention with pre- or post-norm layers; model '",
        model.name(),
        "' has latent or sliding-window attention, sinks, QK norms, extra "
        "norms or multi-token prediction: use --kernels=fused"));
  }
  if (training.dtype() != FP32 &&
      training.mixed_precision() != MIXED_PRECISION_AUTOCAST) {
    return absl::InvalidArgumentError(absl::StrCat(
        "training.kernels=eager with training.dtype=",
        Dtype_Name(training.dtype()),
        " needs training.mixed_precision=autocast (eager 16-bit training is "
        "measured under torch.autocast)"));
  }
  return absl::OkStatus();
}

}  // namespace memwall
