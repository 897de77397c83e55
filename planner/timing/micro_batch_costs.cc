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
// FlashAttention-2 backward does 2.5x the forward matmul work (it recomputes
// the scores).
constexpr double kFlashBackwardRatio = 2.5;

double MemTime(const ClusterParams& c, double bytes) {
  return bytes / (c.hbm_bandwidth_bytes_per_s * c.hbm_efficiency);
}

struct LayerParts {
  double gemm_s = 0;       // forward GEMMs outside the attention core
  double core_gemm_s = 0;  // QK^T and AV forward
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
  p.gemm_s =
      GemmTime(c, tokens, (q + 2 * kv) / t, h) + GemmTime(c, tokens, h, q / t);
  // Scores for every (query, key) pair; flash attention skips the masked half
  // of a causal mask, the unfused path computes it all (Megatron's fused
  // softmax masks afterwards).
  const double causal_share = (k.flash_attention && s.causal) ? 0.5 : 1.0;
  const double batch = b * heads;
  p.core_gemm_s = causal_share * (GemmTime(c, sq, s.seq, s.head_dim, batch) +
                                  GemmTime(c, sq, s.head_dim, s.seq, batch));
  p.core_flops = causal_share * 4.0 * batch * sq * s.seq * s.head_dim;
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
  return GemmTime(c, tokens, up, s.hidden) +
         GemmTime(c, tokens, s.hidden, ffn / t);
}

}  // namespace

double GemmEfficiency(const ClusterParams& c, double m, double n, double k) {
  auto fill = [](double x) { return x / (x + kGemmTileDim); };
  return c.gemm_efficiency * fill(m) * fill(n) * fill(k);
}

double GemmTime(const ClusterParams& c, double m, double n, double k,
                double batch) {
  if (m <= 0 || n <= 0 || k <= 0 || batch <= 0) return 0.0;
  return 2.0 * m * n * k * batch / (c.peak_flops * GemmEfficiency(c, m, n, k));
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
      (k.flash_attention ? kFlashBackwardRatio : 2.0) * attn.core_gemm_s;
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
  out.dense_forward_s = attn_forward + dense_mlp + dense_elem;
  out.dense_backward_s = attn_backward + 2 * dense_mlp + 2 * dense_elem;
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
    out.moe_forward_s = attn_forward + experts + elem + router;
    out.moe_backward_s = attn_backward + 2 * (experts + elem + router);
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
  }

  if (k.cp > 1) {
    // Ring attention: cp-1 steps, each passing this rank's K and V chunk to the
    // next rank, overlapped with the attention of the chunk in hand; backward
    // also passes dK, dV.
    // The ring's slowest hop paces it: when the group spans nodes, a hop
    // between neighbours on different nodes.
    const bool across = SpanOf(c.network, groups.cp).top_level > 0;
    const double chunk =
        b * (s.seq / static_cast<double>(k.cp)) * 2 * s.kv_dim() / t * kAct;
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
  out.logits_forward_s = logits_gemm + loss;
  out.logits_backward_s = 2 * logits_gemm + loss;
  // Narayanan Sec. 4.1 scatter/gather: each TP rank sends 1/t of the boundary
  // activation.
  out.pp_message_bytes = tokens * h * kAct / t;
  return out;
}

}  // namespace memwall
