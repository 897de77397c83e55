#include "runtime/startup_deadline.h"

#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

namespace memwall::runtime {
namespace {

struct Deadline {
  std::mutex mutex;
  std::condition_variable changed;
  bool armed = false;
  std::string phase;
  double timeout_s = 0;
  std::chrono::steady_clock::time_point until;
  bool started = false;
};

Deadline& State() {
  static Deadline* deadline = new Deadline();  // never destroyed: see Watch
  return *deadline;
}

// Runs for the life of the process (detached), so that no exit path has to
// join it.
void Watch() {
  Deadline& d = State();
  std::unique_lock<std::mutex> lock(d.mutex);
  for (;;) {
    if (!d.armed) {
      d.changed.wait(lock);
      continue;
    }
    if (d.changed.wait_until(lock, d.until) != std::cv_status::timeout)
      continue;
    if (!d.armed || std::chrono::steady_clock::now() < d.until) continue;
    // Before MPI_Init completes the rank is known only from the launcher's
    // environment (Open MPI and PMIx set these).
    const char* rank = std::getenv("OMPI_COMM_WORLD_RANK");
    if (rank == nullptr) rank = std::getenv("PMIX_RANK");
    char host[64] = {0};
    gethostname(host, sizeof(host) - 1);
    std::fprintf(stderr,
                 "memwall-run: rank %s (%s, pid %d): %s did not complete "
                 "within --timeout_s=%g: a rank of the job stopped or died "
                 "during start-up (MPI_Init waits for every rank and cannot "
                 "say which); ending the job\n",
                 rank == nullptr ? "?" : rank, host, static_cast<int>(getpid()),
                 d.phase.c_str(), d.timeout_s);
    std::fflush(stderr);
    _exit(1);
  }
}

}  // namespace

void ArmStartupDeadline(const std::string& phase, double timeout_s) {
  Deadline& d = State();
  {
    std::lock_guard<std::mutex> lock(d.mutex);
    d.armed = true;
    d.phase = phase;
    d.timeout_s = timeout_s;
    d.until = std::chrono::steady_clock::now() +
              std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                  std::chrono::duration<double>(timeout_s));
    if (!d.started) {
      d.started = true;
      std::thread(Watch).detach();
    }
  }
  d.changed.notify_all();
}

void DisarmStartupDeadline() {
  Deadline& d = State();
  {
    std::lock_guard<std::mutex> lock(d.mutex);
    d.armed = false;
  }
  d.changed.notify_all();
}

}  // namespace memwall::runtime
