// The MPI backend: collectives on host memory through the MPI library's own
// algorithms (Open MPI's tuned/han components pick them; --mca options pin
// them). float16 and bfloat16 have no MPI type: they travel as 2-byte
// contiguous types with a user sum.
#ifndef MEMWALL_RUNTIME_MPI_COMMUNICATOR_H_
#define MEMWALL_RUNTIME_MPI_COMMUNICATOR_H_

#include <mpi.h>

#include <memory>

#include "runtime/communicator.h"

namespace memwall::runtime {

// A communicator over `comm` (not owned; must outlive the result). With
// `grouped_sends` its point-to-point sends behave as NCCL's do
// (communicator.h): held back, then issued as synchronous sends (MPI_Issend,
// complete only once matched) with the next receive or at FlushSends /
// WaitSends, and waited for there; replay's `--pipeline_sends=grouped` runs the
// NCCL backend's order on MPI so that order is tested without a GPU.
std::unique_ptr<Communicator> MakeMpiCommunicator(MPI_Comm comm,
                                                  bool grouped_sends = false);

// The MPI datatype and sum operation for `type` (created on first use).
MPI_Datatype MpiType(DataType type);
MPI_Op MpiSum(DataType type);

}  // namespace memwall::runtime

#endif  // MEMWALL_RUNTIME_MPI_COMMUNICATOR_H_
