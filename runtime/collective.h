// What each synthetic collective is, in nccl-tests' terms (NVIDIA/nccl-tests
// src/<coll>.cu): the counts a size in bytes maps to, the bus-bandwidth factor,
// how it runs on a Communicator, and the exact result every element must have.
// One file per collective (runtime/collectives/*.cc).
//
// Size semantics (nccl-tests): for a swept size of B bytes, count = B / element
// size; collectives that split the buffer by rank use base = (count / n)
// rounded down to a multiple of 16 bytes. The printed size is max(send, recv)
// bytes and algbw = size / time, busbw = algbw * factor(n).
#ifndef MEMWALL_RUNTIME_COLLECTIVE_H_
#define MEMWALL_RUNTIME_COLLECTIVE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "planner/comm/collective.h"
#include "runtime/communicator.h"
#include "runtime/dtype.h"

namespace memwall::runtime {

// Element counts of one operation on a group of n ranks, per rank.
struct CollectiveCounts {
  int64_t send_count = 0;
  int64_t recv_count = 0;
  // The count argument of the call (nccl-tests' paramcount, printed in
  // "count").
  int64_t param_count = 0;
  // In place, send and receive point into one buffer of max(send, recv)
  // elements at these element offsets.
  int64_t in_place_send_offset = 0;
  int64_t in_place_recv_offset = 0;
};

// Everything a check needs to know about the element's position.
struct ElementContext {
  int rank = 0;
  int size = 1;
  int root = 0;
  DataType type = DataType::kFloat32;
  CollectiveCounts counts;
};

struct Collective {
  memwall::Collective op;  // the planner's collective (planner/comm)
  std::string name;        // its name, CollectiveName(op): all_reduce, ...
  bool reduces = false;    // prints "sum" in redop, else "none"
  bool rooted = false;     // prints the root, else -1
  // busbw = algbw * factor(n) (nccl-tests <Coll>GetBw).
  double (*bus_factor)(int n) = nullptr;
  CollectiveCounts (*counts)(int64_t bytes, int64_t element_size, int n,
                             int rank) = nullptr;
  absl::Status (*run)(Communicator& comm, const void* send, void* recv,
                      const CollectiveCounts& counts, DataType type,
                      int root) = nullptr;
  // The exact value of receive element `index`, or nullopt where nothing is
  // defined (the receive buffer of a non-root rank in reduce).
  std::optional<double> (*expected)(const ElementContext& context,
                                    int64_t index) = nullptr;
};

// The input value rank `rank` of `size` puts at send index `index`. Integer
// valued and small enough that any sum over the ranks is exact in `type` (see
// dtype.h), whatever the order.
double InputValue(DataType type, bool reduces, int size, int rank,
                  int64_t index);
// Sum of InputValue over all ranks at `index`.
double SumOverRanks(DataType type, int size, int64_t index);

// nccl-tests' base: (count / n) rounded down to a multiple of 16 bytes.
int64_t BlockCount(int64_t bytes, int64_t element_size, int n);

const Collective& AllReduceCollective();
const Collective& AllGatherCollective();
const Collective& ReduceScatterCollective();
const Collective& AllToAllCollective();
const Collective& BroadcastCollective();
const Collective& ReduceCollective();
const Collective& SendRecvCollective();

// Every collective, in nccl-tests' order of binaries.
std::vector<const Collective*> AllCollectives();
// By the planner's names (all_reduce, all_gather, reduce_scatter, all_to_all,
// broadcast, reduce, send_recv; nccl-tests' alltoall and sendrecv are
// aliases); InvalidArgument naming --op otherwise.
absl::StatusOr<std::vector<const Collective*>> ParseOps(
    const std::string& text);

}  // namespace memwall::runtime

#endif  // MEMWALL_RUNTIME_COLLECTIVE_H_
