// Start-up check that every rank was started with the same arguments (a
// mistyped per-node command line under a hand-written launcher would otherwise
// deadlock or compare apples with oranges). Collective over `world`.
#ifndef MEMWALL_RUNTIME_ARGS_CHECK_H_
#define MEMWALL_RUNTIME_ARGS_CHECK_H_

#include <mpi.h>

#include <string>

#include "absl/status/status.h"

namespace memwall::runtime {

// InvalidArgument on every rank when any rank's `arguments` differ from rank
// 0's; the message names the first differing rank and both argument lists.
absl::Status CheckSameArguments(MPI_Comm world, const std::string& arguments);

}  // namespace memwall::runtime

#endif  // MEMWALL_RUNTIME_ARGS_CHECK_H_
