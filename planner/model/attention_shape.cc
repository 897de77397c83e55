// Attention shapes (see attention_shape.h). MLA follows DeepSeek-V2 (arXiv
// 2405.04434) §2.1 and the DeepSeek-V3 reference modeling_deepseek.py:
// q_a_proj h x r_q, q_a_layernorm r_q, q_b_proj r_q x a (d_n + d_r),
// kv_a_proj_with_mqa h x (r_kv + d_r), kv_a_layernorm r_kv,
// kv_b_proj r_kv x a (d_n + d_v), o_proj a d_v x h.
#include "planner/model/attention_shape.h"

namespace memwall {

AttentionShape SelfAttentionShape(const TransformerSpec& s, bool count_biases) {
  AttentionShape a;
  const bool bias = count_biases && s.linear_bias();
  const int64_t h = s.hidden_size();
  a.heads = s.num_heads();
  a.sinks = s.attention_sinks() ? a.heads : 0;
  const MlaSpec& mla = s.mla();
  if (mla.kv_lora_rank() > 0) {
    const int64_t rq = mla.q_lora_rank();
    const int64_t rkv = mla.kv_lora_rank();
    const int64_t dn = mla.qk_nope_head_dim();
    const int64_t dr = mla.qk_rope_head_dim();
    a.kv_heads = a.heads;
    a.qk_head_dim = dn + dr;
    a.v_head_dim = mla.v_head_dim();
    const int64_t q_width = a.q_width();
    const int64_t q_weights = rq > 0 ? h * rq + rq * q_width : h * q_width;
    a.weights = q_weights + h * (rkv + dr) +
                rkv * a.heads * (dn + a.v_head_dim) +
                a.heads * a.v_head_dim * h;
    // Biases (when the model has them) on the query input projection, the
    // key/value down projection and the output projection.
    if (bias) a.biases = (rq > 0 ? rq : q_width) + rkv + dr + h;
    a.norm_units = (rq > 0 ? rq : 0) + rkv;
    a.latent_saved_width = 2 * (rq + rkv) + dr;
    return a;
  }
  a.kv_heads = s.has_num_kv_heads() ? s.num_kv_heads() : s.num_heads();
  a.qk_head_dim = s.has_head_dim() ? s.head_dim() : h / s.num_heads();
  a.v_head_dim = a.qk_head_dim;
  const int64_t q = a.q_width();
  const int64_t kv = a.k_width();
  a.weights = 2 * h * q + 2 * h * kv;
  if (bias) {
    a.biases = q + 2 * kv + h;
  } else if (count_biases && s.qkv_bias()) {
    a.biases = q + 2 * kv;  // Qwen2: Q, K and V only
  }
  if (s.qk_norm()) a.norm_units = 2 * a.qk_head_dim;
  return a;
}

}  // namespace memwall
