// AllGather: each rank contributes base elements and receives base * n. Size =
// base * n elements (the gathered buffer); busbw factor (n-1)/n (nccl-tests
// src/all_gather.cu).
#include "runtime/collective.h"

namespace memwall::runtime {
namespace {

CollectiveCounts Counts(int64_t bytes, int64_t element_size, int n, int rank) {
  const int64_t base = BlockCount(bytes, element_size, n);
  return {base, base * n, base, rank * base, 0};
}

absl::Status Run(Communicator& comm, const void* send, void* recv,
                 const CollectiveCounts& counts, DataType type, int) {
  return comm.AllGather(send, recv, counts.param_count, type);
}

std::optional<double> Expected(const ElementContext& c, int64_t index) {
  const int64_t base = c.counts.param_count;
  const int source = static_cast<int>(index / base);
  return InputValue(c.type, false, c.size, source, index % base);
}

}  // namespace

const Collective& AllGatherCollective() {
  static const Collective c{memwall::Collective::kAllGather,
                            CollectiveName(memwall::Collective::kAllGather),
                            false,
                            false,
                            [](int n) { return (n - 1.0) / n; },
                            Counts,
                            Run,
                            Expected};
  return c;
}

}  // namespace memwall::runtime
