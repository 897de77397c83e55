// AlltoAll: base elements to and from every peer. Size = base * n elements (a
// rank's send buffer); busbw factor (n-1)/n (nccl-tests src/alltoall.cu).
#include "runtime/collective.h"

namespace memwall::runtime {
namespace {

CollectiveCounts Counts(int64_t bytes, int64_t element_size, int n, int) {
  const int64_t base = BlockCount(bytes, element_size, n);
  return {base * n, base * n, base, 0, 0};
}

absl::Status Run(Communicator& comm, const void* send, void* recv,
                 const CollectiveCounts& counts, DataType type, int) {
  return comm.AllToAll(send, recv, counts.param_count, type);
}

// Block `source` of the receive buffer is block `rank` of the source's send
// buffer.
std::optional<double> Expected(const ElementContext& c, int64_t index) {
  const int64_t base = c.counts.param_count;
  const int source = static_cast<int>(index / base);
  return InputValue(c.type, false, c.size, source,
                    c.rank * base + index % base);
}

}  // namespace

const Collective& AllToAllCollective() {
  static const Collective c{memwall::Collective::kAllToAll,
                            CollectiveName(memwall::Collective::kAllToAll),
                            false,
                            false,
                            [](int n) { return (n - 1.0) / n; },
                            Counts,
                            Run,
                            Expected};
  return c;
}

}  // namespace memwall::runtime
