// The NCCL backend: one rank per GPU (device = local rank modulo the GPUs of
// the node), the ncclUniqueId made by the group's rank 0 and broadcast over
// MPI, collectives enqueued on one CUDA stream in GPU memory. Without a usable
// GPU (no driver, no device) it fails with Unavailable "no usable GPU: <CUDA's
// reason>" on every rank, before NCCL is initialized, so no rank waits for
// another (NVIDIA/nccl-tests' MPI bootstrap; NCCL documentation, "Creating a
// communicator").
#ifndef MEMWALL_RUNTIME_NCCL_COMMUNICATOR_H_
#define MEMWALL_RUNTIME_NCCL_COMMUNICATOR_H_

#include <mpi.h>

#include <memory>

#include "absl/status/statusor.h"
#include "runtime/communicator.h"

namespace memwall::runtime {

// True when this binary was built with the NCCL backend.
bool NcclAvailable();

// Collective over `world` (the GPU probe is agreed by every rank), then over
// `group`.
absl::StatusOr<std::unique_ptr<Communicator>> MakeNcclCommunicator(
    MPI_Comm group, MPI_Comm world);

}  // namespace memwall::runtime

#endif  // MEMWALL_RUNTIME_NCCL_COMMUNICATOR_H_
