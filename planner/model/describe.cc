#include "planner/model/describe.h"

#include "absl/strings/str_cat.h"

namespace memwall {

absl::StatusOr<DescribeReport> Describe(const ModelSpec& model,
                                        const DescribeOptions& options) {
  if (model.has_transformer()) return DescribeTransformer(model, options);
  if (model.has_graph()) return DescribeGraph(model, options);
  return absl::InvalidArgumentError(absl::StrCat(
      "model '", model.name(), "' has neither a transformer nor a graph"));
}

}  // namespace memwall
