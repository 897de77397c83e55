#include "absl/strings/str_cat.h"
#include "planner/model/describe.h"

namespace memwall {

absl::StatusOr<DescribeReport> DescribeTransformer(const ModelSpec& model,
                                                   const DescribeOptions&) {
  return absl::UnimplementedError(absl::StrCat(
      "model '", model.name(), "': transformers are not described yet"));
}

}  // namespace memwall
