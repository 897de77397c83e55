// Broadcast: the root's count elements reach every rank. busbw factor 1: the
// root's one link is the bottleneck (nccl-tests src/broadcast.cu).
#include "runtime/collective.h"

namespace memwall::runtime {
namespace {

CollectiveCounts Counts(int64_t bytes, int64_t element_size, int, int) {
  const int64_t count = bytes / element_size;
  return {count, count, count, 0, 0};
}

absl::Status Run(Communicator& comm, const void* send, void* recv,
                 const CollectiveCounts& counts, DataType type, int root) {
  return comm.Broadcast(send, recv, counts.param_count, type, root);
}

std::optional<double> Expected(const ElementContext& c, int64_t index) {
  return InputValue(c.type, false, c.size, c.root, index);
}

}  // namespace

const Collective& BroadcastCollective() {
  static const Collective c{memwall::Collective::kBroadcast,
                            CollectiveName(memwall::Collective::kBroadcast),
                            false,
                            true,
                            [](int) { return 1.0; },
                            Counts,
                            Run,
                            Expected};
  return c;
}

}  // namespace memwall::runtime
