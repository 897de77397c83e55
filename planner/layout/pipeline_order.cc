#include "planner/layout/pipeline_order.h"

#include <algorithm>

namespace memwall {

std::vector<PipelinePass> PipelineRankOrder(int64_t p, int64_t v, int64_t m,
                                            int64_t r) {
  const int64_t total = m * v;
  const int64_t warmup =
      std::min(total, v == 1 ? p - r - 1 : 2 * (p - r - 1) + (v - 1) * p);
  const auto pass = [&](int64_t k, bool forward) {
    const int64_t group = k % (p * v);
    int64_t chunk = group / p;
    if (!forward) chunk = v - 1 - chunk;
    const int64_t mb = v == 1 ? k : (k / (p * v)) * p + group % p;
    return PipelinePass{forward, chunk, mb};
  };
  std::vector<PipelinePass> out;
  out.reserve(static_cast<size_t>(2 * total));
  int64_t f = 0, b = 0;
  for (; f < warmup; ++f) out.push_back(pass(f, true));
  while (f < total) {
    out.push_back(pass(f++, true));
    out.push_back(pass(b++, false));
  }
  while (b < total) out.push_back(pass(b++, false));
  return out;
}

}  // namespace memwall
