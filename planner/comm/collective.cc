#include "planner/comm/collective.h"

#include "absl/strings/str_cat.h"

namespace memwall {
namespace {

constexpr const char* kNames[kNumCollectives] = {
    "all_reduce", "all_gather", "reduce_scatter", "all_to_all",
    "broadcast",  "reduce",     "send_recv"};

}  // namespace

const char* CollectiveName(Collective op) {
  return kNames[static_cast<int>(op)];
}

absl::StatusOr<Collective> ParseCollective(const std::string& name,
                                           const std::string& field) {
  for (int i = 0; i < kNumCollectives; ++i) {
    if (name == kNames[i]) return static_cast<Collective>(i);
  }
  // nccl-tests' spellings.
  if (name == "alltoall") return Collective::kAllToAll;
  if (name == "sendrecv") return Collective::kSendRecv;
  return absl::InvalidArgumentError(
      absl::StrCat(field, "=", name,
                   " is not a collective (all_reduce, all_gather, "
                   "reduce_scatter, all_to_all, "
                   "broadcast, reduce, send_recv)"));
}

}  // namespace memwall
