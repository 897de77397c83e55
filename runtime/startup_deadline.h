// A deadline for the part of a job that the heartbeat watchdog cannot watch:
// MPI_Init, before any rank knows where its neighbours listen. Open MPI's
// start-up exchange waits for every rank, so one rank stopped early would hang
// the others there forever; armed, this ends the process with exit status 1
// and a message naming the phase once timeout_s has passed.
#ifndef MEMWALL_RUNTIME_STARTUP_DEADLINE_H_
#define MEMWALL_RUNTIME_STARTUP_DEADLINE_H_

#include <string>

namespace memwall::runtime {

// Starts (or restarts) the countdown for `phase`.
void ArmStartupDeadline(const std::string& phase, double timeout_s);
// Stops the countdown; the process goes on.
void DisarmStartupDeadline();

}  // namespace memwall::runtime

#endif  // MEMWALL_RUNTIME_STARTUP_DEADLINE_H_
