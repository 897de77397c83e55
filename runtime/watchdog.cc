#include "runtime/watchdog.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status.h"

namespace memwall::runtime {
namespace {

constexpr int kMaxAddresses = 4;
constexpr uint32_t kMagic = 0x6d776872;  // "mwhr"

struct Endpoint {
  char host[64];
  int32_t pid;
  uint16_t port;
  int32_t num_addresses;
  uint32_t addresses[kMaxAddresses];  // IPv4, network order
};

struct Beat {
  uint32_t magic;
  int32_t rank;
  int32_t done;  // 1: the sender has finished and stops beating
};

double Now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct State {
  int rank = 0;
  int size = 1;
  double timeout_s = 0;
  int socket = -1;
  std::vector<Endpoint> endpoints;
  std::vector<int> neighbours;
  std::vector<double> last_seen;  // by rank
  std::vector<char> done;         // by rank: said it finished
  std::atomic<bool> stop{false};
  std::thread thread;
  std::mutex mutex;
  std::string operation;
  double operation_start = 0;
};

State* state = nullptr;

[[noreturn]] void Fail(const std::string& message) {
  std::fprintf(stderr, "memwall-run: rank %d (%s, pid %d): %s\n", state->rank,
               state->endpoints[state->rank].host, static_cast<int>(getpid()),
               message.c_str());
  std::fflush(stderr);
  std::fflush(stdout);
  _exit(1);
}

void SendBeats(bool done = false) {
  const Endpoint& me = state->endpoints[state->rank];
  Beat beat{kMagic, state->rank, done ? 1 : 0};
  for (int peer : state->neighbours) {
    const Endpoint& e = state->endpoints[peer];
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(e.port);
    if (std::strcmp(e.host, me.host) == 0) {
      to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      sendto(state->socket, &beat, sizeof(beat), 0,
             reinterpret_cast<sockaddr*>(&to), sizeof(to));
      continue;
    }
    for (int i = 0; i < e.num_addresses; ++i) {
      to.sin_addr.s_addr = e.addresses[i];
      sendto(state->socket, &beat, sizeof(beat), 0,
             reinterpret_cast<sockaddr*>(&to), sizeof(to));
    }
  }
}

void Loop() {
  double last_loop = Now();
  double started = 0;
  while (!state->stop.load()) {
    SendBeats();
    const double until = Now() + 0.2;
    for (double now = Now(); now < until; now = Now()) {
      pollfd fd{state->socket, POLLIN, 0};
      if (poll(&fd, 1, static_cast<int>((until - now) * 1000) + 1) <= 0)
        continue;
      Beat beat{};
      if (recv(state->socket, &beat, sizeof(beat), 0) == sizeof(beat) &&
          beat.magic == kMagic && beat.rank >= 0 && beat.rank < state->size) {
        state->last_seen[beat.rank] = Now();
        if (beat.done == 1) state->done[beat.rank] = 1;
      }
    }
    if (state->stop.load()) break;
    const double now = Now();
    // This rank itself was frozen (SIGSTOP, swapped out): its view of the
    // others is stale.
    if (now - last_loop > 1.0) {
      std::fill(state->last_seen.begin(), state->last_seen.end(), now);
      started = now;
    }
    last_loop = now;
    std::string operation;
    {
      std::lock_guard<std::mutex> lock(state->mutex);
      operation = state->operation;
      started = std::max(started, state->operation_start);
    }
    const std::string during =
        operation.empty() ? "" : absl::StrCat(" during ", operation);
    for (int peer : state->neighbours) {
      if (state->done[peer]) continue;
      const double silent = now - state->last_seen[peer];
      if (silent > state->timeout_s / 2) {
        const Endpoint& e = state->endpoints[peer];
        Fail(absl::StrFormat(
            "rank %d (%s, pid %d) stopped responding: no heartbeat for %.1f s "
            "(--timeout_s=%g)%s; ending the job",
            peer, e.host, e.pid, silent, state->timeout_s, during));
      }
    }
    if (!operation.empty() && now - started > state->timeout_s) {
      Fail(
          absl::StrFormat("%s did not complete within --timeout_s=%g although "
                          "its neighbours still respond; "
                          "ending the job",
                          operation, state->timeout_s));
    }
  }
}

Endpoint LocalEndpoint(uint16_t port) {
  Endpoint e{};
  gethostname(e.host, sizeof(e.host) - 1);
  e.pid = getpid();
  e.port = port;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) == 0) {
    for (ifaddrs* a = list; a != nullptr && e.num_addresses < kMaxAddresses;
         a = a->ifa_next) {
      if (a->ifa_addr == nullptr || a->ifa_addr->sa_family != AF_INET) continue;
      if ((a->ifa_flags & IFF_UP) == 0 || (a->ifa_flags & IFF_LOOPBACK) != 0)
        continue;
      e.addresses[e.num_addresses++] =
          reinterpret_cast<const sockaddr_in*>(a->ifa_addr)->sin_addr.s_addr;
    }
    freeifaddrs(list);
  }
  return e;
}

}  // namespace

absl::StatusOr<double> ParseTimeout(const Flags& flags) {
  MEMWALL_ASSIGN_OR_RETURN(const double timeout_s,
                           flags.GetDouble("timeout_s", 300));
  if (!(timeout_s >= kMinTimeoutS && timeout_s <= kMaxTimeoutS)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--timeout_s=", timeout_s, " must be in [", kMinTimeoutS, ", ",
        kMaxTimeoutS, "] seconds (heartbeats go every 0.2 s)"));
  }
  return timeout_s;
}

namespace {

constexpr int kTagEndpoint = 7301, kTagTable = 7302;

// Waits for `requests` until `deadline` (on Now()). Returns the indices of the
// requests still pending then (empty: all done).
std::vector<int> WaitUntil(std::vector<MPI_Request>& requests,
                           double deadline) {
  for (;;) {
    int all = 0;
    MPI_Testall(static_cast<int>(requests.size()), requests.data(), &all,
                MPI_STATUSES_IGNORE);
    if (all) return {};
    if (Now() > deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::vector<int> pending;
  for (int i = 0; i < static_cast<int>(requests.size()); ++i) {
    if (requests[i] != MPI_REQUEST_NULL) pending.push_back(i);
  }
  return pending;
}

// Rank 0 gathers every endpoint and sends the table back. Point-to-point and
// non-blocking, so that a rank stopped or dead before this point is named
// rather than waited for.
void ExchangeEndpoints(MPI_Comm world, const Endpoint& me) {
  const int n = state->size;
  const double deadline = Now() + state->timeout_s;
  const int bytes = static_cast<int>(sizeof(Endpoint));
  state->endpoints.assign(n, Endpoint{});
  state->endpoints[state->rank] = me;
  if (n == 1) return;
  std::vector<MPI_Request> requests;
  if (state->rank == 0) {
    for (int r = 1; r < n; ++r) {
      requests.emplace_back();
      MPI_Irecv(&state->endpoints[r], bytes, MPI_BYTE, r, kTagEndpoint, world,
                &requests.back());
    }
    const std::vector<int> missing = WaitUntil(requests, deadline);
    if (!missing.empty()) {
      std::string ranks;
      for (int i : missing)
        absl::StrAppend(&ranks, ranks.empty() ? "" : ", ", i + 1);
      Fail(absl::StrFormat(
          "rank%s %s did not reach start-up within --timeout_s=%g (stopped, "
          "killed or not started); ending the job",
          missing.size() > 1 ? "s" : "", ranks, state->timeout_s));
    }
    requests.clear();
    for (int r = 1; r < n; ++r) {
      requests.emplace_back();
      MPI_Isend(state->endpoints.data(), bytes * n, MPI_BYTE, r, kTagTable,
                world, &requests.back());
    }
    const std::vector<int> stuck = WaitUntil(requests, deadline);
    if (!stuck.empty()) {
      Fail(absl::StrFormat(
          "rank %d stopped responding during start-up (it did not take the "
          "address table within --timeout_s=%g); ending the job",
          stuck.front() + 1, state->timeout_s));
    }
    return;
  }
  requests.resize(2);
  MPI_Isend(&me, bytes, MPI_BYTE, 0, kTagEndpoint, world, &requests[0]);
  MPI_Irecv(state->endpoints.data(), bytes * n, MPI_BYTE, 0, kTagTable, world,
            &requests[1]);
  if (!WaitUntil(requests, deadline).empty()) {
    Fail(absl::StrFormat(
        "rank 0 stopped responding during start-up (no address table within "
        "--timeout_s=%g); ending the job",
        state->timeout_s));
  }
}

}  // namespace

absl::Status StartWatchdog(MPI_Comm world, double timeout_s) {
  if (state != nullptr) return absl::OkStatus();
  state = new State();
  MPI_Comm_rank(world, &state->rank);
  MPI_Comm_size(world, &state->size);
  state->timeout_s = timeout_s;
  state->socket = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_ANY);
  socklen_t length = sizeof(address);
  const bool ok =
      state->socket >= 0 &&
      bind(state->socket, reinterpret_cast<sockaddr*>(&address),
           sizeof(address)) == 0 &&
      getsockname(state->socket, reinterpret_cast<sockaddr*>(&address),
                  &length) == 0;
  const std::string socket_error = ok ? "" : std::strerror(errno);
  // Port 0 in the table marks a rank without a heartbeat socket.
  const Endpoint me = LocalEndpoint(ok ? ntohs(address.sin_port) : 0);
  ExchangeEndpoints(world, me);
  for (int r = 0; r < state->size; ++r) {
    if (state->endpoints[r].port == 0) {
      return absl::InternalError(absl::StrCat(
          "rank ", r, " (", state->endpoints[r].host,
          ") cannot open the heartbeat socket",
          r == state->rank ? absl::StrCat(": ", socket_error) : ""));
    }
  }
  if (state->size > 1) {
    state->neighbours.push_back((state->rank + 1) % state->size);
    const int previous = (state->rank + state->size - 1) % state->size;
    if (previous != state->neighbours[0]) state->neighbours.push_back(previous);
  }
  state->last_seen.assign(state->size, Now());
  state->done.assign(state->size, 0);
  state->thread = std::thread(Loop);
  return absl::OkStatus();
}

void StopWatchdog() {
  if (state == nullptr) return;
  state->stop = true;
  state->thread.join();
  // UDP may drop one; three "done" beats make a false alarm unlikely.
  for (int i = 0; i < 3; ++i) SendBeats(true);
  close(state->socket);
  delete state;
  state = nullptr;
}

ScopedOperation::ScopedOperation(const std::string& label) {
  if (state == nullptr) return;
  std::lock_guard<std::mutex> lock(state->mutex);
  state->operation = label;
  state->operation_start = Now();
}

ScopedOperation::~ScopedOperation() {
  if (state == nullptr) return;
  std::lock_guard<std::mutex> lock(state->mutex);
  state->operation.clear();
}

}  // namespace memwall::runtime
