#include "planner/comm/placement.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace memwall {
namespace {

constexpr const char* kDimNames[kNumParallelDims] = {"tp", "cp", "ep", "dp",
                                                     "pp"};

int64_t StrideOf(const RankOrder& order, const GridSizes& sizes,
                 ParallelDim dim) {
  int64_t stride = 1;
  for (int i = 0; i < kNumParallelDims && order.inner_to_outer[i] != dim; ++i) {
    stride *= sizes[order.inner_to_outer[i]];
  }
  return stride;
}

}  // namespace

GroupSpan SpanOf(const NetworkModel& net, GroupShape group) {
  GroupSpan span;
  const int64_t n = std::max<int64_t>(1, group.size);
  const int64_t stride = std::max<int64_t>(1, group.stride);
  for (int l = 0; l < kMaxNetworkLevels; ++l) {
    int64_t members = n;
    if (l < net.num_levels - 1) {
      members =
          std::min(n, std::max<int64_t>(1, net.levels[l].domain_size / stride));
    }
    span.members_per_domain[l] = members;
  }
  if (n <= 1) return span;
  span.top_level = 0;
  while (span.top_level < net.num_levels - 1 &&
         span.members_per_domain[span.top_level] < n) {
    ++span.top_level;
  }
  return span;
}

absl::StatusOr<RankOrder> ParseRankOrder(const std::string& order,
                                         const std::string& field) {
  RankOrder result;
  if (order.empty()) return result;
  const std::vector<std::string> parts = absl::StrSplit(order, '-');
  bool seen[kNumParallelDims] = {};
  if (parts.size() != kNumParallelDims) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, "=", order,
        " must name tp, cp, ep, dp and pp once each, e.g. tp-cp-ep-dp-pp"));
  }
  for (int i = 0; i < kNumParallelDims; ++i) {
    const auto* it =
        std::find(std::begin(kDimNames), std::end(kDimNames), parts[i]);
    const int d = static_cast<int>(it - std::begin(kDimNames));
    if (it == std::end(kDimNames) || seen[d]) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, "=", order, ": '", parts[i],
          "' is unknown or repeated; name tp, cp, ep, dp and pp once each"));
    }
    seen[d] = true;
    result.inner_to_outer[i] = static_cast<ParallelDim>(d);
  }
  return result;
}

GroupShape GroupOf(const RankOrder& order, const GridSizes& sizes,
                   ParallelDim dim) {
  return GroupShape{sizes[dim], StrideOf(order, sizes, dim)};
}

}  // namespace memwall
