#include "runtime/collective.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace memwall::runtime {

double InputValue(DataType type, bool reduces, int size, int rank,
                  int64_t index) {
  if (!reduces) return static_cast<double>((rank * 7 + index * 13 + 1) % 251);
  const int64_t per_rank = std::min<int64_t>(8, ExactIntegerLimit(type) / size);
  if (per_rank < 1) return index % size == rank ? 1.0 : 0.0;
  return static_cast<double>((rank * 3 + index * 5) % (per_rank + 1));
}

double SumOverRanks(DataType type, int size, int64_t index) {
  double sum = 0;
  for (int r = 0; r < size; ++r) sum += InputValue(type, true, size, r, index);
  return sum;
}

int64_t BlockCount(int64_t bytes, int64_t element_size, int n) {
  const int64_t count = bytes / element_size;
  const int64_t align = 16 / element_size;
  return (count / n) & ~(align - 1);
}

std::vector<const Collective*> AllCollectives() {
  return {&AllReduceCollective(), &AllGatherCollective(),
          &BroadcastCollective(), &ReduceScatterCollective(),
          &ReduceCollective(),    &AllToAllCollective(),
          &SendRecvCollective()};
}

absl::StatusOr<std::vector<const Collective*>> ParseOps(
    const std::string& text) {
  if (text == "all") return AllCollectives();
  std::vector<const Collective*> ops;
  std::vector<std::string> names;
  for (const Collective* c : AllCollectives()) names.push_back(c->name);
  for (absl::string_view word : absl::StrSplit(text, ',')) {
    const Collective* found = nullptr;
    absl::StatusOr<memwall::Collective> op =
        ParseCollective(std::string(word), "--op");
    for (const Collective* c : AllCollectives()) {
      if (op.ok() && c->op == *op) found = c;
    }
    if (found == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("--op=", text, ": '", word, "' is not all or one of ",
                       absl::StrJoin(names, ", ")));
    }
    ops.push_back(found);
  }
  return ops;
}

}  // namespace memwall::runtime
