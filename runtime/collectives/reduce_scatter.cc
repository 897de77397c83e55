// ReduceScatter: the sum of base * n input elements, each rank keeping its
// block of base. Size = base * n elements (the input buffer); busbw factor
// (n-1)/n (nccl-tests src/reduce_scatter.cu).
#include "runtime/collective.h"

namespace memwall::runtime {
namespace {

CollectiveCounts Counts(int64_t bytes, int64_t element_size, int n, int rank) {
  const int64_t base = BlockCount(bytes, element_size, n);
  return {base * n, base, base, 0, rank * base};
}

absl::Status Run(Communicator& comm, const void* send, void* recv,
                 const CollectiveCounts& counts, DataType type, int) {
  return comm.ReduceScatter(send, recv, counts.param_count, type);
}

std::optional<double> Expected(const ElementContext& c, int64_t index) {
  return SumOverRanks(c.type, c.size, c.rank * c.counts.param_count + index);
}

}  // namespace

const Collective& ReduceScatterCollective() {
  static const Collective c{memwall::Collective::kReduceScatter,
                            CollectiveName(memwall::Collective::kReduceScatter),
                            true,
                            false,
                            [](int n) { return (n - 1.0) / n; },
                            Counts,
                            Run,
                            Expected};
  return c;
}

}  // namespace memwall::runtime
