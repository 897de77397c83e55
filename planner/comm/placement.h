// Where a communication group sits on the cluster. Global ranks are ordered
// from the innermost parallel dimension to the outermost (default tp, cp, ep,
// dp, pp: Megatron-LM's order, "tp-cp-ep-dp-pp"); consecutive ranks fill a
// node, then the next node. A group is `size` ranks spaced `stride` apart in
// that order; of them, members_per_domain[l] share one domain of network level
// l (min(size, max(1, domain_size / stride))).
#ifndef MEMWALL_PLANNER_COMM_PLACEMENT_H_
#define MEMWALL_PLANNER_COMM_PLACEMENT_H_

#include <array>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "planner/comm/network_model.h"

namespace memwall {

struct GroupShape {
  int64_t size = 1;
  int64_t stride = 1;
};

struct GroupSpan {
  // members_per_domain[l]: group members inside one domain of level l (m_l).
  // Equal to size from `top_level` up.
  std::array<int64_t, kMaxNetworkLevels> members_per_domain{};
  // Highest level the group's traffic crosses: 0 = inside one node; -1 = a
  // group of one.
  int top_level = -1;
};

// Pure arithmetic, no allocation (hot path).
GroupSpan SpanOf(const NetworkModel& net, GroupShape group);

enum class ParallelDim : uint8_t { kTp, kCp, kEp, kDp, kPp };
inline constexpr int kNumParallelDims = 5;

// Innermost first.
struct RankOrder {
  std::array<ParallelDim, kNumParallelDims> inner_to_outer = {
      ParallelDim::kTp, ParallelDim::kCp, ParallelDim::kEp, ParallelDim::kDp,
      ParallelDim::kPp};
};

// "tp-cp-ep-dp-pp" (every dimension exactly once); "" = the default.
// InvalidArgument naming `field` otherwise.
absl::StatusOr<RankOrder> ParseRankOrder(
    const std::string& order, const std::string& field = "layout.order");

// Sizes of the factors of the rank grid (planner/layout/layout_groups.h fills
// them for the dense and the expert grid).
struct GridSizes {
  std::array<int64_t, kNumParallelDims> size = {1, 1, 1, 1,
                                                1};  // indexed by ParallelDim
  int64_t& operator[](ParallelDim d) { return size[static_cast<int>(d)]; }
  int64_t operator[](ParallelDim d) const { return size[static_cast<int>(d)]; }
};

// The group of one dimension: its size and the product of the sizes inside it.
GroupShape GroupOf(const RankOrder& order, const GridSizes& sizes,
                   ParallelDim dim);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_COMM_PLACEMENT_H_
