// Hang detection. Each rank runs a thread that sends a UDP heartbeat every 200
// ms to its ring neighbours (rank-1 and rank+1 of the job) and listens for
// theirs, outside MPI, so it keeps beating while the main thread is blocked
// inside a collective. When a neighbour has been silent for timeout_s (stopped
// with SIGSTOP, frozen, or dead before mpirun noticed), or when one sweep step
// has not finished within timeout_s, the rank prints which rank stopped
// responding and exits 1; mpirun then ends the whole job.
#ifndef MEMWALL_RUNTIME_WATCHDOG_H_
#define MEMWALL_RUNTIME_WATCHDOG_H_

#include <mpi.h>

#include <string>

#include "absl/status/status.h"

namespace memwall::runtime {

// Collective over `world`: exchanges the heartbeat addresses, then starts the
// thread.
absl::Status StartWatchdog(MPI_Comm world, double timeout_s);
// Stops and joins the thread (call once every rank is past its last
// collective).
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
