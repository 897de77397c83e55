#include "runtime/args_check.h"

#include <climits>

#include "absl/strings/str_cat.h"

namespace memwall::runtime {

absl::Status CheckSameArguments(MPI_Comm world, const std::string& arguments) {
  int rank = 0;
  MPI_Comm_rank(world, &rank);
  long long length = static_cast<long long>(arguments.size());
  MPI_Bcast(&length, 1, MPI_LONG_LONG, 0, world);
  std::string reference = rank == 0 ? arguments : std::string(length, '\0');
  MPI_Bcast(reference.data(), static_cast<int>(length), MPI_CHAR, 0, world);
  // The smallest rank whose arguments differ, or INT_MAX.
  const int mine = reference == arguments ? INT_MAX : rank;
  int first = INT_MAX;
  MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, world);
  if (first == INT_MAX) return absl::OkStatus();
  // The differing rank sends its arguments to everyone so every rank can name
  // them.
  long long other_length = static_cast<long long>(arguments.size());
  MPI_Bcast(&other_length, 1, MPI_LONG_LONG, first, world);
  std::string other =
      rank == first ? arguments : std::string(other_length, '\0');
  MPI_Bcast(other.data(), static_cast<int>(other_length), MPI_CHAR, first,
            world);
  return absl::InvalidArgumentError(
      absl::StrCat("ranks were started with different arguments: rank ", first,
                   " got '", other, "' but rank 0 got '", reference, "'"));
}

}  // namespace memwall::runtime
