// Reduce: the sum of every rank's count elements lands on the root. busbw
// factor 1 (nccl-tests src/reduce.cu).
#include "runtime/collective.h"

namespace memwall::runtime {
namespace {

CollectiveCounts Counts(int64_t bytes, int64_t element_size, int, int) {
  const int64_t count = bytes / element_size;
  return {count, count, count, 0, 0};
}

absl::Status Run(Communicator& comm, const void* send, void* recv,
                 const CollectiveCounts& counts, DataType type, int root) {
  return comm.Reduce(send, recv, counts.param_count, type, root);
}

std::optional<double> Expected(const ElementContext& c, int64_t index) {
  if (c.rank != c.root) return std::nullopt;
  return SumOverRanks(c.type, c.size, index);
}

}  // namespace

const Collective& ReduceCollective() {
  static const Collective c{memwall::Collective::kReduce,
                            CollectiveName(memwall::Collective::kReduce),
                            true,
                            true,
                            [](int) { return 1.0; },
                            Counts,
                            Run,
                            Expected};
  return c;
}

}  // namespace memwall::runtime
