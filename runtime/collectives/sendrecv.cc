// SendRecv on a ring: every rank sends count elements to rank+1 and receives as
// many from rank-1 at the same time. busbw factor 1 (nccl-tests
// src/sendrecv.cu).
#include "runtime/collective.h"

namespace memwall::runtime {
namespace {

CollectiveCounts Counts(int64_t bytes, int64_t element_size, int, int) {
  const int64_t count = bytes / element_size;
  return {count, count, count, 0, 0};
}

absl::Status Run(Communicator& comm, const void* send, void* recv,
                 const CollectiveCounts& counts, DataType type, int) {
  return comm.SendRecvRing(send, recv, counts.param_count, type);
}

std::optional<double> Expected(const ElementContext& c, int64_t index) {
  const int previous = (c.rank + c.size - 1) % c.size;
  return InputValue(c.type, false, c.size, previous, index);
}

}  // namespace

const Collective& SendRecvCollective() {
  static const Collective c{memwall::Collective::kSendRecv,
                            CollectiveName(memwall::Collective::kSendRecv),
                            false,
                            false,
                            [](int) { return 1.0; },
                            Counts,
                            Run,
                            Expected};
  return c;
}

}  // namespace memwall::runtime
