// Buffers of one collective call and the exactness check the sweep and the
// replay share: inputs are InputValue per rank and index, everything else a
// sentinel no result can equal, and each received element is compared with the
// collective's exact expected value.
#ifndef MEMWALL_RUNTIME_OP_BUFFERS_H_
#define MEMWALL_RUNTIME_OP_BUFFERS_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "runtime/collective.h"
#include "runtime/communicator.h"

namespace memwall::runtime {

// Device buffers, freed on scope exit.
class Buffers {
 public:
  explicit Buffers(Communicator& comm) : comm_(comm) {}
  ~Buffers();
  Buffers(const Buffers&) = delete;
  Buffers& operator=(const Buffers&) = delete;
  absl::StatusOr<char*> Make(int64_t bytes);

 private:
  Communicator& comm_;
  std::vector<void*> owned_;
};

struct Pointers {
  const void* send;
  void* recv;
  char* recv_base;  // start of the receive data
  char* buffer;     // the whole buffer to fill
  int64_t buffer_count;
  int64_t send_offset;  // element offset of the send data in `buffer`
};

// Sentinel everywhere in p.buffer, then this rank's input at the send offset
// (counts.send_count elements; none with default counts).
absl::Status FillInputs(Communicator& comm, const Collective& collective,
                        DataType type, const Pointers& p,
                        const CollectiveCounts& counts);

// Received elements that differ from the exact expected result.
absl::StatusOr<int64_t> CountWrong(Communicator& comm,
                                   const Collective& collective, DataType type,
                                   const Pointers& p,
                                   const CollectiveCounts& counts, int root);

}  // namespace memwall::runtime

#endif  // MEMWALL_RUNTIME_OP_BUFFERS_H_
