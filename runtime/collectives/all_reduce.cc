// AllReduce: every rank ends with the sum of all inputs. busbw factor 2(n-1)/n
// (nccl-tests src/all_reduce.cu, AllReduceGetBw).
#include "runtime/collective.h"

namespace memwall::runtime {
namespace {

CollectiveCounts Counts(int64_t bytes, int64_t element_size, int, int) {
  const int64_t count = bytes / element_size;
  return {count, count, count, 0, 0};
}

absl::Status Run(Communicator& comm, const void* send, void* recv,
                 const CollectiveCounts& counts, DataType type, int) {
  return comm.AllReduce(send, recv, counts.param_count, type);
}

std::optional<double> Expected(const ElementContext& c, int64_t index) {
  return SumOverRanks(c.type, c.size, index);
}

}  // namespace

const Collective& AllReduceCollective() {
  static const Collective c{memwall::Collective::kAllReduce,
                            CollectiveName(memwall::Collective::kAllReduce),
                            true,
                            false,
                            [](int n) { return 2.0 * (n - 1) / n; },
                            Counts,
                            Run,
                            Expected};
  return c;
}

}  // namespace memwall::runtime
