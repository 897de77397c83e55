// Built instead of nccl_communicator.cc where CUDA or NCCL were not found.
#include "runtime/nccl_communicator.h"

namespace memwall::runtime {

bool NcclAvailable() { return false; }

absl::StatusOr<std::unique_ptr<Communicator>> MakeNcclCommunicator(MPI_Comm,
                                                                   MPI_Comm) {
  return absl::FailedPreconditionError(
      "--backend=nccl: this memwall-run was built without CUDA and NCCL");
}

}  // namespace memwall::runtime
