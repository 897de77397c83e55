#include "runtime/predict.h"

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "common/zoo.h"

namespace memwall::runtime {

absl::StatusOr<Predictor> Predictor::Make(const std::string& cluster,
                                          std::vector<int> members) {
  Predictor p;
  absl::Status loaded = LoadTextSpec(ZooKind::kCluster, cluster, &p.cluster_);
  if (absl::IsNotFound(loaded) && loaded.message().empty()) {
    return absl::NotFoundError(
        absl::StrCat("--cluster=", cluster,
                     " is neither a zoo cluster nor a readable file"));
  }
  MEMWALL_RETURN_IF_ERROR(loaded);
  p.members_ = std::move(members);
  return p;
}

absl::Status Predictor::Fill(const Collective&, SweepRow&) const {
  return absl::UnimplementedError("predictions need planner/comm");
}

}  // namespace memwall::runtime
