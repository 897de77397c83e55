#include "planner/seed/seed_convention.h"

#include <cmath>

namespace memwall {
namespace {

struct PerLayer {
  double macs = 0;
  double features = 0;
};

PerLayer SeedLayer(double s, double h, double a, double f,
                   bool cross_attention) {
  PerLayer p;
  if (cross_attention) {
    p.macs = s * (8 * h * h + 2 * h * f) + 4 * s * s * h;
    p.features = 2 * a * s * s + 11 * s * h + f * s;
  } else {
    p.macs = s * (4 * h * h + 2 * h * f) + 2 * s * s * h;
    p.features = a * s * s + 6 * s * h + f * s;
  }
  return p;
}

bool IsMoeLayer(const MoeSpec& moe, int64_t i) {
  if (moe.num_experts() <= 0) return false;
  const int64_t freq = moe.layer_freq() > 0 ? moe.layer_freq() : 1;
  return freq == 1 || i % freq == freq - 1;
}

}  // namespace

SeedTransformerCounts SeedTransformerForward(const TransformerSpec& spec,
                                             int64_t seq_len) {
  const double s =
      static_cast<double>(seq_len > 0 ? seq_len : spec.max_seq_len());
  const double h = static_cast<double>(spec.hidden_size());
  const double a = static_cast<double>(spec.num_heads());
  const MoeSpec& moe = spec.moe();
  const double moe_f = static_cast<double>(moe.top_k()) *
                       static_cast<double>(moe.expert_ffn_hidden_size() > 0
                                               ? moe.expert_ffn_hidden_size()
                                               : spec.ffn_hidden_size());
  SeedTransformerCounts c;
  auto add = [&](int64_t layers, bool cross) {
    for (int64_t i = 0; i < layers; ++i) {
      const double f = IsMoeLayer(moe, i)
                           ? moe_f
                           : static_cast<double>(spec.ffn_hidden_size());
      const PerLayer p = SeedLayer(s, h, a, f, cross);
      c.forward_flops += 2 * p.macs;
      c.features += p.features;
    }
  };
  add(spec.num_layers(), false);
  add(spec.num_decoder_layers(), true);
  return c;
}

double RoundSignificant(double value, int digits) {
  if (value == 0 || !std::isfinite(value)) return value;
  const double scale =
      std::pow(10.0, digits - 1 - std::floor(std::log10(std::fabs(value))));
  return std::round(value * scale) / scale;
}

double SeedRoundFlops(double flops, bool rounded_as_macs) {
  if (!rounded_as_macs) return RoundSignificant(flops, 2);
  return RoundSignificant(2 * RoundSignificant(flops / 2, 2), 2);
}

}  // namespace memwall
