#include "planner/timing/collective_time.h"

#include <array>
#include <cstring>

#include "planner/comm/cost.h"

namespace memwall {
namespace {

struct CacheEntry {
  uint64_t cluster_id = 0;  // 0 = empty (ids start at 1)
  int64_t size = 0;
  int64_t stride = 0;
  double bytes = 0;
  Collective op = Collective::kAllReduce;
  double time_s = 0;
};

constexpr int kCacheBits = 10;
constexpr uint64_t kCacheMask = (uint64_t{1} << kCacheBits) - 1;

uint64_t Hash(uint64_t id, Collective op, int64_t size, int64_t stride,
              double bytes) {
  uint64_t b;
  std::memcpy(&b, &bytes, sizeof(b));
  uint64_t h = id * 0x9E3779B97F4A7C15ull;
  h ^= (static_cast<uint64_t>(op) + 1) * 0xC2B2AE3D27D4EB4Full;
  h ^= static_cast<uint64_t>(size) * 0x165667B19E3779F9ull;
  h ^= static_cast<uint64_t>(stride) * 0x27D4EB2F165667C5ull;
  h ^= b * 0x94D049BB133111EBull;
  h ^= h >> 29;
  return h;
}

}  // namespace

double CommTime(const ClusterParams& c, Collective op, GroupShape group,
                double bytes) {
  if (group.size <= 1) return 0.0;
  if (c.id == 0) return CollectiveTime(c.network, op, bytes, group).time_s;
  thread_local std::array<CacheEntry, kCacheMask + 1> cache;
  CacheEntry& e =
      cache[Hash(c.id, op, group.size, group.stride, bytes) & kCacheMask];
  if (e.cluster_id == c.id && e.op == op && e.size == group.size &&
      e.stride == group.stride && e.bytes == bytes) {
    return e.time_s;
  }
  e.cluster_id = c.id;
  e.op = op;
  e.size = group.size;
  e.stride = group.stride;
  e.bytes = bytes;
  e.time_s = CollectiveTime(c.network, op, bytes, group).time_s;
  return e.time_s;
}

}  // namespace memwall
