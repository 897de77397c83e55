#include "planner/model/stage_split.h"

#include <algorithm>

namespace memwall {

LayerRange StageLayers(int64_t layers, int64_t pp, int64_t stage) {
  const int64_t base = layers / pp;
  const int64_t shorts =
      pp - layers % pp;  // stages with `base` layers; the rest base + 1
  // Short stages from the edges inwards: 0, p-1, 1, p-2, ...
  const int64_t front = (shorts + 1) / 2, back = shorts / 2;
  const auto shorts_before = [&](int64_t i) {
    return std::min(i, front) + std::max<int64_t>(0, i - (pp - back));
  };
  const bool is_short = stage < front || stage >= pp - back;
  LayerRange r;
  r.first = stage * base + (stage - shorts_before(stage));
  r.count = base + (is_short ? 0 : 1);
  return r;
}

}  // namespace memwall
