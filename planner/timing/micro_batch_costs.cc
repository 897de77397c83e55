#include "planner/timing/micro_batch_costs.h"

#include <algorithm>

#include "planner/comm/placement.h"
#include "planner/layout/layout_groups.h"
#include "planner/timing/collective_time.h"

namespace memwall {
namespace {

// Bytes per activation element (16-bit training) and per dropout mask element.
constexpr double kAct = 2.0;
constexpr double kMask = 1.0;
// FlashAttention-2 backward does 2.5x the forward matmul work (five matmuls
// per block pair against two, the scores recomputed) but the same number of
// exponentials (P = exp(S - L) once per pair; Dao 2023, Algorithm 2).
constexpr double kFlashBackwardRatio = 2.5;

double MemTime(const ClusterParams& c, double bytes) {
  return bytes / (c.hbm_bandwidth_bytes_per_s * c.hbm_efficiency);
}

struct LayerParts {
  double gemm_s = 0;       // forward GEMMs outside the attention core
  double core_gemm_s = 0;  // QK^T and AV forward
  double core_exp_s = 0;   // of which the softmax exponentials (flash)
  double core_mem_s = 0;   // softmax / mask / dropout forward
  double mem_s = 0;        // other memory-bound kernels forward
  double core_flops = 0;
};

LayerParts AttentionParts(const TransformerShape& s, const ClusterParams& c,
                          const MicroBatchKey& k) {
  LayerParts p;
  const double t = static_cast<double>(k.tp);
  const double cp = static_cast<double>(k.cp);
  const double b = static_cast<double>(k.micro_batch);
  const double tokens = b * s.seq / cp;
  const double h = static_cast<double>(s.hidden);
  const double q = static_cast<double>(s.q_dim());
  const double kv = static_cast<double>(s.kv_dim());
  const double heads = s.heads / t;
  const double sq = s.seq / cp;  // local queries; keys arrive over the CP ring
  p.gemm_s = LinearTime(c, tokens, (q + 2 * kv) / t, h) +
             LinearTime(c, tokens, h, q / t);
  // Scores for every (query, key) pair; flash attention skips the masked half
  // of a causal mask, the unfused path computes it all (Megatron's fused
  // softmax masks afterwards).
  const double causal_share = (k.flash_attention && s.causal) ? 0.5 : 1.0;
  const double batch = b * heads;
  // Fused (flash) attention runs at its own efficiency of the 16-bit peak
  // (FlashAttention-2/3, cuDNN fused attention); the unfused path is two
  // batched 16-bit GEMMs.
  // Q.K^T runs over qk_head_dim and A.V over v_head_dim (they differ under
  // MLA: 192 and 128 for DeepSeek-V3); fused attention is priced at their
  // mean, which gives the same FLOPs.
  const double d = s.core_head_dim();
  const double core_gemms =
      k.flash_attention
          ? FlashAttentionTime(c, sq, s.seq, d, batch)
          : GemmTime(c, sq, s.seq, static_cast<double>(s.qk_head_dim), batch) +
                GemmTime(c, sq, static_cast<double>(s.v_head_dim), s.seq,
                         batch);
  p.core_gemm_s = causal_share * core_gemms;
  if (k.flash_attention) {
    // FlashAttentionTime prices the exponentials as d_exp more head
    // dimensions of matmul: their share of the time is d_exp / (d + d_exp).
    p.core_exp_s = p.core_gemm_s * c.attention_exp_head_dim /
                   (d + c.attention_exp_head_dim);
  }
  p.core_flops = causal_share * 4.0 * batch * sq * s.seq * d;
  if (!k.flash_attention) {
    // Fused scale-mask-softmax reads and writes the scores; dropout reads them
    // and writes its output and a mask (Korthikanti 2022 Sec. 4.1: 2as^2b +
    // as^2b + 2as^2b saved).
    const double scores = batch * sq * s.seq;
    const double bytes_per_score =
        2 * kAct + (s.dropout ? 2 * kAct + kMask : 0.0);
    p.core_mem_s = MemTime(c, scores * bytes_per_score);
  }
  (void)tokens;
  return p;
}

// Layer norms, bias-dropout-residual adds and the MLP activation, forward.
double ElementwiseTime(const TransformerShape& s, const ClusterParams& c,
                       const MicroBatchKey& k, double ffn, double tokens) {
  const double t = static_cast<double>(k.tp);
  const double hidden_elems =
      tokens * s.hidden / (k.sequence_parallel ? t : 1.0);
  const double norm_bytes = 2 * 2 * kAct * hidden_elems;
  const double residual_bytes =
      2 * (3 * kAct + (s.dropout ? kMask : 0.0)) * hidden_elems;
  const double act_bytes = (s.gated ? 3.0 : 2.0) * kAct * tokens * ffn / t;
  return MemTime(c, norm_bytes + residual_bytes + act_bytes);
}

double MlpGemmTime(const TransformerShape& s, const ClusterParams& c,
                   double tokens, double ffn, double t) {
  const double up = (s.gated ? 2.0 : 1.0) * ffn / t;
  return LinearTime(c, tokens, up, s.hidden) +
         LinearTime(c, tokens, s.hidden, ffn / t);
}

// Transformer Engine's FP8 casts around one linear layer (M x K input, K x N
// weight), bytes: forward quantizes the input (read 2, write 1 per element);
// backward quantizes the output gradient and transposes the FP8 input and
// weight for the weight and input gradients (read 1, write 1). The weight's
// own cast happens once per step (TE caches it across micro-batches), so it is
// left out. Forward, backward.
struct CastBytes {
  double forward = 0;
  double backward = 0;
};
CastBytes Fp8CastBytes(double m, double n, double k) {
  return {3 * m * k, 3 * m * n + 2 * m * k + 2 * k * n};
}

// Kernels of one layer's forward (backward) on one rank: 4 linear GEMMs (+ a
// cast each in FP8), the attention core (flash: 1 forward, 2 backward;
// unfused: 2 GEMMs, softmax, dropout forward and twice that backward), 2
// norms, 2 bias-dropout-residual adds and the activation; backward runs two
// GEMMs per linear and two kernels per element-wise one.
double LayerKernels(const ClusterParams& c, const MicroBatchKey& k,
                    bool backward) {
  const double linears = 4;
  const double casts = c.fp8 ? linears : 0.0;
  const double core =
      k.flash_attention ? (backward ? 2.0 : 1.0) : (backward ? 8.0 : 4.0);
  const double elementwise = 5;
  return backward ? 2 * linears + 2 * casts + core + 2 * elementwise
                  : linears + casts + core + elementwise;
}

}  // namespace

double GemmEfficiency(const ClusterParams& c, double m, double n, double k) {
  auto fill = [](double x) { return x / (x + kGemmTileDim); };
  return c.gemm_efficiency * fill(m) * fill(n) * fill(k);
}

double GemmTime(const ClusterParams& c, double m, double n, double k,
                double batch) {
  if (m <= 0 || n <= 0 || k <= 0 || batch <= 0) return 0.0;
  return 2.0 * m * n * k * batch /
         (c.peak_flops_16bit * GemmEfficiency(c, m, n, k));
}

double LinearTime(const ClusterParams& c, double m, double n, double k) {
  if (!c.fp8) return GemmTime(c, m, n, k);
  if (m <= 0 || n <= 0 || k <= 0) return 0.0;
  auto fill = [](double x) { return x / (x + kGemmTileDim); };
  return 2.0 * m * n * k /
         (c.peak_flops * c.fp8_gemm_efficiency * fill(m) * fill(n) * fill(k));
}

double FlashAttentionTime(const ClusterParams& c, double sq, double sk,
                          double head_dim, double batch) {
  if (sq <= 0 || sk <= 0 || head_dim <= 0 || batch <= 0) return 0.0;
  auto fill = [](double x) { return x / (x + kGemmTileDim); };
  // QK^T and AV: 4 sq sk d FLOPs per head; tiles along the queries and keys.
  // Each score's exponential runs on the special-function units, not the
  // tensor cores, and costs as much time as attention_exp_head_dim head
  // dimensions of matmul (FlashAttention-3, Shah et al. 2024, Sec. 3.1): the
  // head dimension fills as d / (d + d_exp).
  const double exp_fill = head_dim / (head_dim + c.attention_exp_head_dim);
  return 4.0 * sq * sk * head_dim * batch /
         (c.peak_flops_16bit * c.attention_efficiency * fill(sq) * fill(sk) *
          exp_fill);
}

MicroBatchCosts ComputeMicroBatchCosts(const TransformerShape& s,
                                       const ClusterParams& c,
                                       const MicroBatchKey& k) {
  MicroBatchCosts out;
  const double t = static_cast<double>(k.tp);
  const double b = static_cast<double>(k.micro_batch);
  const double tokens = b * s.seq / static_cast<double>(k.cp);
  const double h = static_cast<double>(s.hidden);
  const LayerParts attn = AttentionParts(s, c, k);
  // The key's TP, CP and EP groups (inner to DP and PP in every schedule
  // order, so their shape does not depend on it).
  ParallelLayout l;
  l.tp = k.tp;
  l.cp = k.cp;
  l.ep = k.ep;
  l.etp = k.etp;
  l.dp = k.ep * k.etp;
  const LayoutGroups groups = GroupsOf(l, ScheduleOrder(false));
  const double core_backward_gemm =
      k.flash_attention
          ? kFlashBackwardRatio * (attn.core_gemm_s - attn.core_exp_s) +
                attn.core_exp_s
          : 2.0 * attn.core_gemm_s;
  // Backward: GEMMs twice the forward work (input and weight gradients),
  // memory-bound kernels read the saved input and the incoming gradient and
  // write a gradient.
  const double attn_forward = attn.gemm_s + attn.core_gemm_s + attn.core_mem_s;
  const double attn_backward =
      2 * attn.gemm_s + core_backward_gemm + 2 * attn.core_mem_s;
  const double dense_mlp =
      MlpGemmTime(s, c, tokens, static_cast<double>(s.ffn), t);
  const double dense_elem =
      ElementwiseTime(s, c, k, static_cast<double>(s.ffn), tokens);
  // FP8 casts (Transformer Engine) of the four linear layers, and the fixed
  // cost of every kernel.
  double cast_forward = 0;
  double cast_backward = 0;
  if (c.fp8) {
    const double q = static_cast<double>(s.q_dim());
    const double kv = static_cast<double>(s.kv_dim());
    const double f = static_cast<double>(s.ffn);
    const double up = (s.gated ? 2.0 : 1.0) * f / t;
    for (const CastBytes& cb :
         {Fp8CastBytes(tokens, (q + 2 * kv) / t, h),
          Fp8CastBytes(tokens, h, q / t), Fp8CastBytes(tokens, up, h),
          Fp8CastBytes(tokens, h, f / t)}) {
      cast_forward += MemTime(c, cb.forward);
      cast_backward += MemTime(c, cb.backward);
    }
  }
  const double kernels_forward = c.kernel_s * LayerKernels(c, k, false);
  const double kernels_backward = c.kernel_s * LayerKernels(c, k, true);
  out.dense_forward_s =
      attn_forward + dense_mlp + dense_elem + cast_forward + kernels_forward;
  out.dense_backward_s = attn_backward + 2 * dense_mlp + 2 * dense_elem +
                         cast_backward + kernels_backward;
  out.attention_core_forward_s =
      k.flash_attention ? 0.0 : attn.core_gemm_s + attn.core_mem_s;
  out.attention_core_flops = attn.core_flops;

  if (s.experts > 0) {
    // Balanced routing: this rank's experts/ep experts receive tokens*top_k
    // tokens in all.
    const double local_experts = static_cast<double>(s.experts) / k.ep;
    const double expert_tokens = tokens * s.top_k / local_experts;
    const double experts =
        local_experts * MlpGemmTime(s, c, expert_tokens,
                                    static_cast<double>(s.expert_ffn),
                                    static_cast<double>(k.etp));
    const double elem = ElementwiseTime(
        s, c, k, s.expert_ffn * static_cast<double>(s.top_k), tokens);
    const double router =
        GemmTime(c, tokens, static_cast<double>(s.experts), h);
    out.moe_forward_s =
        attn_forward + experts + elem + router + kernels_forward;
    out.moe_backward_s =
        attn_backward + 2 * (experts + elem + router) + kernels_backward;
    if (k.ep > 1) {
      const GroupShape ep = groups.ep;
      const double bytes =
          tokens * s.top_k * h * kAct / (k.sequence_parallel ? t : 1.0);
      out.ep_message_bytes = bytes;
      out.ep_forward_s =
          2 * AllToAllTime(c, ep, bytes);  // dispatch and combine
      out.ep_backward_s = out.ep_forward_s;
    }
  }

  if (k.tp > 1) {
    const GroupShape tp = groups.tp;
    const double bytes = tokens * h * kAct;
    out.tp_message_bytes = bytes;
    // Two all-reduces per layer each way (Narayanan Sec. 2.3); with SP each
    // becomes an all-gather plus a reduce-scatter of the same volume
    // (Korthikanti Sec. 4.2.2).
    const double per_op =
        k.sequence_parallel
            ? AllGatherTime(c, tp, bytes) + ReduceScatterTime(c, tp, bytes)
            : AllReduceTime(c, tp, bytes);
    out.tp_forward_s = 2 * per_op;
    out.tp_backward_s = 2 * per_op;
    if (k.sequence_parallel) {
      // Transformer Engine userbuffers as NeMo configures them (its A100 and
      // H100 ub_cfg files): ring exchange for the all-gathers before QKV and
      // fc1 forward and before the projection's and fc2's input gradients,
      // the GEMM run in t chunks of T/t tokens; pipelined reduce-scatter
      // after the projection and fc2 forward, the GEMM in kTpOverlapSplits
      // chunks; bulk overlap (whole GEMMs) in the other backward GEMMs.
      const double q = static_cast<double>(s.q_dim());
      const double f = static_cast<double>(s.ffn);
      const double up = (s.gated ? 2.0 : 1.0) * f / t;
      const auto split = [&](double chunks, double n, double kk) {
        return chunks * LinearTime(c, tokens / chunks, n, kk) -
               LinearTime(c, tokens, n, kk) + (chunks - 1) * c.kernel_s;
      };
      const double qkv_n = (q + 2 * static_cast<double>(s.kv_dim())) / t;
      out.tp_overlap_moe_forward_split_s =
          split(t, qkv_n, h) + split(kTpOverlapSplits, h, q / t);
      out.tp_overlap_moe_backward_split_s = split(t, q / t, h);
      out.tp_overlap_forward_split_s = out.tp_overlap_moe_forward_split_s +
                                       split(t, up, h) +
                                       split(kTpOverlapSplits, h, f / t);
      out.tp_overlap_backward_split_s =
          out.tp_overlap_moe_backward_split_s + split(t, f / t, h);
      out.tp_overlap_tail_s =
          2 * ReduceScatterTime(c, tp, bytes) / kTpOverlapSplits;
    }
  }

  if (k.cp > 1) {
    // Ring attention: cp-1 steps, each passing this rank's K and V chunk to the
    // next rank, overlapped with the attention of the chunk in hand; backward
    // also passes dK, dV.
    // The ring's slowest hop paces it: when the group spans nodes, a hop
    // between neighbours on different nodes.
    const bool across = SpanOf(c.network, groups.cp).top_level > 0;
    const double kv_width = static_cast<double>(
        s.kv_heads * (s.qk_head_dim + s.v_head_dim));  // K and V per token
    const double chunk =
        b * (s.seq / static_cast<double>(k.cp)) * kv_width / t * kAct;
    out.cp_chunk_bytes = chunk;
    out.cp_hop_stride =
        across ? std::max(groups.cp.stride, c.gpus_per_node) : groups.cp.stride;
    const double step = SendRecvTime(c, out.cp_hop_stride, chunk);
    const double steps = static_cast<double>(k.cp - 1);
    const double core_step = attn.core_gemm_s / k.cp;
    out.cp_forward_s = steps * std::max(0.0, step - core_step);
    out.cp_backward_s =
        steps * std::max(0.0, 2 * step - core_backward_gemm / k.cp);
  }

  // Output layer (vocab sharded over TP) and the fp32 cross-entropy over the
  // logits.
  const double vocab = static_cast<double>(s.vocab);
  const double logits_gemm = GemmTime(c, tokens, vocab / t, h);
  const double loss = MemTime(c, tokens * vocab / t * (kAct + 2 * 4.0));
  // The output layer stays in 16 bits under FP8 (GemmTime). Kernels: the GEMM
  // and about three for the loss forward; two GEMMs and two backward.
  out.logits_forward_s = logits_gemm + loss + 4 * c.kernel_s;
  out.logits_backward_s = 2 * logits_gemm + loss + 4 * c.kernel_s;
  // Narayanan Sec. 4.1 scatter/gather: each TP rank sends 1/t of the boundary
  // activation.
  out.pp_message_bytes = tokens * h * kAct / t;
  return out;
}

}  // namespace memwall
