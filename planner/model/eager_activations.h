// Saved activations under the eager convention: PyTorch eager modules written
// as Hugging Face writes them (unfused LayerNorm with fp32 statistics, RMSNorm
// as `w * (x * rsqrt(mean(x^2) + eps))`, K and V expanded to every head by
// `repeat_kv` or by matmul's copy, materialised attention scores, SwiGLU as
// `down(silu(gate(x)) * up(x))`, the loss's fp32 log-softmax), optionally under
// torch.autocast (16-bit copies of every linear's input and weight, fp32
// residual stream, fp32 scores where an fp32 mask is added). Each term is one
// tensor autograd saves, measured by tests/torch; docs/memory.md lists them.
#ifndef MEMWALL_PLANNER_MODEL_EAGER_ACTIVATIONS_H_
#define MEMWALL_PLANNER_MODEL_EAGER_ACTIVATIONS_H_

#include "absl/status/status.h"
#include "planner/model/transformer.h"
#include "proto/model.pb.h"
#include "proto/training.pb.h"

namespace memwall {

struct EagerConvention {
  bool autocast = false;  // torch.autocast to 16 bits; else fp32 throughout
  bool cpu = false;       // CPU kernels: dropout masks in the input's dtype
};

// The convention of a training spec (kernels must be KERNELS_EAGER).
EagerConvention EagerConventionOf(const TrainingSpec& training);

// One dense layer: replicated_bytes_per_token (tp = 1), score bytes per head
// and (query, key) pair, and fixed_bytes (autocast's 16-bit weight copies, per
// micro-batch whatever its tokens).
ActivationCoefficients EagerLayerCoefficients(const TransformerSpec& spec,
                                              const EagerConvention& k);

// Before the first layer, one micro-batch of `tokens` = micro_batch x seq:
// token ids, position and token-type ids, the embedding norm and dropout mask,
// rotary tables.
double EagerEmbeddingBytes(const TransformerSpec& spec,
                           const EagerConvention& k, double tokens, double seq);

// After the last layer: final norm, BERT's MLM transform, the LM-head input
// (and its 16-bit weight copy under autocast) and the fp32 log-softmax.
double EagerHeadBytes(const TransformerSpec& spec, const EagerConvention& k,
                      double tokens);

// Whether the eager convention applies (InvalidArgument naming the field
// otherwise): the memwall profile; dense encoder-only or decoder-only layers;
// fp32, or 16-bit under autocast. The layout rules (one device, no recompute,
// no flash attention) are planner/layout's (LayoutLimits::eager_kernels).
absl::Status CheckEagerModel(const ModelSpec& model,
                             const TrainingSpec& training, Profile profile);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_MODEL_EAGER_ACTIVATIONS_H_
