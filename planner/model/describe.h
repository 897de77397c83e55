// `memwall describe`: parameters, FLOPs and activation counts of one model.
#ifndef MEMWALL_PLANNER_MODEL_DESCRIBE_H_
#define MEMWALL_PLANNER_MODEL_DESCRIBE_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "proto/describe.pb.h"
#include "proto/model.pb.h"

namespace memwall {

struct DescribeOptions {
  // Sequence length (transformers) or input resolution (layer graphs); 0 = the
  // model's own.
  int64_t seq_len = 0;
  int64_t image_size = 0;
  // Fill the per-layer table.
  bool layers = false;
};

// Dispatches on the model's kind.
absl::StatusOr<DescribeReport> Describe(const ModelSpec& model,
                                        const DescribeOptions& options);

absl::StatusOr<DescribeReport> DescribeTransformer(
    const ModelSpec& model, const DescribeOptions& options);
absl::StatusOr<DescribeReport> DescribeGraph(const ModelSpec& model,
                                             const DescribeOptions& options);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_MODEL_DESCRIBE_H_
