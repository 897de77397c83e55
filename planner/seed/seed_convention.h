// The founding tables' counting conventions for transformers ("AI and Memory
// Wall" README, reconstructed by recomputation): inference FLOPs = 2 x
// multiply-accumulates of the layer GEMMs of one sequence (QKV/O projections,
// MLP, QK^T and AV; no embeddings, logits, softmax or norms), and #Features =
// elements of every matmul output of one sequence. Per layer, with s tokens, h
// hidden, a heads, f FFN width:
//   encoder / decoder-only layer:   MACs = s(4h^2 + 2hf) + 2 s^2 h,   features
//   = a s^2 + 6sh + fs decoder layer of an enc-dec:    MACs = s(8h^2 + 2hf) + 4
//   s^2 h,   features = 2a s^2 + 11sh + fs
// MoE layers use top_k x the expert FFN width for f (memwall's extension; the
// seed has no MoE values). Rounding: 2 significant figures; the rows of the
// first NLP table were rounded as MACs, doubled, and rounded again. See
// docs/seed-tables.md.
#ifndef MEMWALL_PLANNER_SEED_SEED_CONVENTION_H_
#define MEMWALL_PLANNER_SEED_SEED_CONVENTION_H_

#include <cstdint>

#include "proto/model.pb.h"

namespace memwall {

struct SeedTransformerCounts {
  double forward_flops = 0;  // 2 x MACs, one sequence
  double features = 0;       // matmul output elements, one sequence
};

SeedTransformerCounts SeedTransformerForward(const TransformerSpec& spec,
                                             int64_t seq_len);

// `value` rounded to `digits` significant figures.
double RoundSignificant(double value, int digits);

// Inference FLOPs as the seed printed them: 2 significant figures of the FLOPs,
// or, for rows of the first table version, 2 x (MACs rounded to 2 figures),
// rounded to 2 figures again.
double SeedRoundFlops(double flops, bool rounded_as_macs);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_SEED_SEED_CONVENTION_H_
