// The layout search calls CollectiveTime millions of times: it must not touch
// the heap. This program replaces the global allocation functions to count
// calls.
#include <atomic>
#include <cstdlib>
#include <new>

#include "gtest/gtest.h"
#include "planner/comm/cost.h"
#include "planner/comm/network_model.h"
#include "planner/model/zoo.h"

namespace {
std::atomic<long> allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  ++allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace memwall {
namespace {

TEST(NoAllocationTest, CollectiveTimeDoesNotAllocate) {
  absl::StatusOr<ClusterSpec> cluster = LoadCluster("dgx-h100");
  ASSERT_TRUE(cluster.ok()) << cluster.status();
  absl::StatusOr<NetworkModel> net = BuildNetworkModel(*cluster);
  ASSERT_TRUE(net.ok()) << net.status();
  // The counter sees allocations (so the check below can fail).
  const long probe = allocations.load();
  ::operator delete(::operator new(16));
  ASSERT_EQ(allocations.load() - probe, 1);

  const long before = allocations.load();
  double sink = 0;
  for (int op = 0; op < kNumCollectives; ++op) {
    for (int a = 0; a <= static_cast<int>(Algorithm::kDirect); ++a) {
      for (const GroupShape g :
           {GroupShape{1, 1}, GroupShape{8, 1}, GroupShape{64, 8},
            GroupShape{128, 1}, GroupShape{16, 2}}) {
        for (double bytes : {0.0, 1e3, 1e6, 1e9, 1e13}) {
          sink += CollectiveTime(*net, static_cast<Collective>(op), bytes, g,
                                 static_cast<Algorithm>(a))
                      .busbw_bytes_per_s;
        }
      }
    }
  }
  EXPECT_EQ(allocations.load() - before, 0);
  EXPECT_GT(sink, 0);
}

}  // namespace
}  // namespace memwall
