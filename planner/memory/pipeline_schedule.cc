#include "planner/memory/pipeline_schedule.h"

#include <algorithm>

namespace memwall {

double InFlightMicroBatches(int64_t pp, int64_t vpp, int64_t stage,
                            int64_t micro_batches) {
  if (vpp <= 1) return static_cast<double>(std::min(pp - stage, micro_batches));
  const int64_t chunks = 2 * (pp - stage - 1) + (vpp - 1) * pp + 1;
  return static_cast<double>(std::min(chunks, micro_batches * vpp)) /
         static_cast<double>(vpp);
}

}  // namespace memwall
