// The communicator a sweep runs its collectives on: one group of ranks (a TP or
// DP group of a layout, or the whole job) over one backend (MPI or NCCL).
// Buffers live where the backend wants them (host memory for MPI, GPU memory
// for NCCL); the harness moves data in and out only around the timed loops.
//
// Buffer semantics follow NCCL and nccl-tests: a call is in place when `recv`
// aliases `send` the way NCCL defines it (all_gather: send = recv + rank *
// count; reduce_scatter: recv = send + rank * recv_count; every other
// collective: send == recv).
#ifndef MEMWALL_RUNTIME_COMMUNICATOR_H_
#define MEMWALL_RUNTIME_COMMUNICATOR_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/dtype.h"

namespace memwall::runtime {

class Communicator {
 public:
  virtual ~Communicator() = default;

  virtual std::string backend() const = 0;
  // Rank within the group and group size.
  virtual int rank() const = 0;
  virtual int size() const = 0;

  // Device-side memory (host memory for MPI). Freed with Free().
  virtual absl::StatusOr<void*> Allocate(int64_t bytes) = 0;
  virtual void Free(void* buffer) = 0;
  virtual absl::Status CopyIn(void* device, const void* host,
                              int64_t bytes) = 0;
  virtual absl::Status CopyOut(void* host, const void* device,
                               int64_t bytes) = 0;

  // Collectives (sum reduction); counts are elements. Each may return before
  // the data has moved (NCCL enqueues on a stream); Synchronize() waits for
  // everything issued.
  virtual absl::Status AllReduce(const void* send, void* recv, int64_t count,
                                 DataType type) = 0;
  // `count` elements from every rank; recv holds count * size().
  virtual absl::Status AllGather(const void* send, void* recv, int64_t count,
                                 DataType type) = 0;
  // send holds recv_count * size(); each rank keeps its summed block.
  virtual absl::Status ReduceScatter(const void* send, void* recv,
                                     int64_t recv_count, DataType type) = 0;
  // `count` elements to and from every peer.
  virtual absl::Status AllToAll(const void* send, void* recv, int64_t count,
                                DataType type) = 0;
  virtual absl::Status Broadcast(const void* send, void* recv, int64_t count,
                                 DataType type, int root) = 0;
  virtual absl::Status Reduce(const void* send, void* recv, int64_t count,
                              DataType type, int root) = 0;
  // Sends `count` elements to rank+1 and receives from rank-1 (ring), at once.
  virtual absl::Status SendRecvRing(const void* send, void* recv, int64_t count,
                                    DataType type) = 0;

  virtual absl::Status Synchronize() = 0;

  // Point-to-point messages in a pipeline's schedule order, where the backend
  // has them (others say false and replay runs pipeline messages as
  // SendRecvRing). PostSend starts sending `count` elements to group rank
  // `peer` and returns without waiting; the buffer must stay unchanged until
  // WaitSends, which waits for every posted send. Recv returns once `count`
  // elements from `peer` are in `recv`.
  //
  // A backend whose sends complete only once matched and block what follows
  // them (NCCL: a send kernel holds its stream) holds posted sends back and
  // issues them together with the next Recv (one group: Megatron-LM's
  // batched send_forward_recv_backward), or alone and waited for at
  // FlushSends or WaitSends (Megatron's warm-up and cool-down sends). A
  // caller about to compute without receiving first calls FlushSends, so no
  // send waits behind compute; backends with sends in flight do nothing.
  virtual bool HasPointToPoint() const { return false; }
  // True for a backend that holds sends back (above). Replay then keeps the
  // schedule's order for 1F1B only: the interleaved schedule needs both
  // directions' messages in one group (Megatron-LM's
  // send_forward_backward_recv_forward_backward), and one receive a group
  // deadlocks it.
  virtual bool HoldsSends() const { return false; }
  virtual absl::Status PostSend(const void* /*send*/, int64_t /*count*/,
                                DataType /*type*/, int /*peer*/) {
    return absl::UnimplementedError("no point-to-point sends in this backend");
  }
  virtual absl::Status Recv(void* /*recv*/, int64_t /*count*/,
                            DataType /*type*/, int /*peer*/) {
    return absl::UnimplementedError("no point-to-point sends in this backend");
  }
  virtual absl::Status WaitSends() { return absl::OkStatus(); }
  virtual absl::Status FlushSends() { return absl::OkStatus(); }

  // Non-blocking collectives, where the backend has them (MPI:
  // MPI_Iallreduce, MPI_Iallgather, MPI_Ireduce_scatter_block; others say
  // false). While SetAsync(true), AllReduce, AllGather and ReduceScatter
  // (out of place) start the call and return; its buffers must stay unchanged
  // until WaitAsync, which waits for every started call. Progress lets
  // started calls advance (MPI moves them only inside MPI calls).
  virtual bool HasAsync() const { return false; }
  virtual void SetAsync(bool /*on*/) {}
  virtual absl::Status Progress() { return absl::OkStatus(); }
  virtual absl::Status WaitAsync() { return absl::OkStatus(); }
};

}  // namespace memwall::runtime

#endif  // MEMWALL_RUNTIME_COMMUNICATOR_H_
