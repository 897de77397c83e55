// Hang detection. Each rank runs a thread that sends a UDP heartbeat every 200
// ms to its ring neighbours (rank-1 and rank+1 of the job) and listens for
// theirs, outside MPI, so it keeps beating while the main thread is blocked
// inside a collective. When a neighbour has been silent for timeout_s / 2
// (stopped with SIGSTOP, frozen, or dead before mpirun noticed), or when one
// sweep step has not finished within timeout_s, the rank prints which rank
// stopped responding and exits 1; mpirun then ends the whole job. The thread
// starts right after MPI_Init (the address exchange itself names any rank
// that does not arrive within timeout_s) and runs through MPI_Finalize; a
// rank that finishes says so, so that its silence is not mistaken for a stop.
#ifndef MEMWALL_RUNTIME_WATCHDOG_H_
#define MEMWALL_RUNTIME_WATCHDOG_H_

#include <mpi.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/flags.h"

namespace memwall::runtime {

// Below this the 200 ms heartbeat leaves too little margin on a loaded machine
// (a healthy rank would be blamed).
inline constexpr double kMinTimeoutS = 2;
inline constexpr double kMaxTimeoutS = 86400;

// --timeout_s (default 300 s), in [kMinTimeoutS, kMaxTimeoutS].
absl::StatusOr<double> ParseTimeout(const Flags& flags);

// Collective over `world`: exchanges the heartbeat addresses through rank 0
// with non-blocking messages, so that a rank that does not arrive within
// timeout_s is named (by rank 0; the others name rank 0 when it is the one
// missing) and the job exits 1 instead of hanging; then starts the thread.
absl::Status StartWatchdog(MPI_Comm world, double timeout_s);
// Tells the neighbours this rank is done, then stops and joins the thread
// (call after MPI_Finalize).
void StopWatchdog();

// Marks the step the main thread is in, for the stuck-step check and the error
// message.
class ScopedOperation {
 public:
  explicit ScopedOperation(const std::string& label);
  ~ScopedOperation();
  ScopedOperation(const ScopedOperation&) = delete;
  ScopedOperation& operator=(const ScopedOperation&) = delete;
};

}  // namespace memwall::runtime

#endif  // MEMWALL_RUNTIME_WATCHDOG_H_
