#include "planner/timing/gradient_buckets.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace memwall {

double GradientBucketParams(Stack stack, int64_t dp, double layer_params,
                            bool overlap) {
  switch (stack) {
    case STACK_DEEPSPEED:
      return kDeepSpeedBucketParams;
    case STACK_FSDP:
      if (layer_params > 0) return layer_params;
      break;
    default:
      if (overlap) {
        return std::max(kMegatronBucketParams,
                        kMegatronBucketParamsPerDpRank *
                            static_cast<double>(std::max<int64_t>(dp, 1)));
      }
      break;
  }
  return std::numeric_limits<double>::infinity();
}

GradientBuckets SplitIntoBuckets(double params, double bucket_params) {
  GradientBuckets b;
  if (params <= 0) return b;
  if (!(bucket_params > 0) || bucket_params >= params) {
    b.bucket_params = params;
    b.full = 1;
    return b;
  }
  b.bucket_params = bucket_params;
  b.full = std::floor(params / bucket_params);
  b.last_params = params - b.full * bucket_params;
  // A remainder of rounding noise is no bucket.
  if (b.last_params <= 1e-9 * params) b.last_params = 0;
  return b;
}

}  // namespace memwall
