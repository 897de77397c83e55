#include "planner/model/zoo.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "common/embedded.h"
#include "common/names.h"
#include "common/status.h"
#include "common/textproto.h"
#include "common/zoo.h"
#include "planner/comm/cluster_validate.h"
#include "planner/model/import/hf_config.h"

namespace memwall {

extern const EmbeddedFile kModelZoo[];
extern const int kModelZoo_count;

const TextZoo& ModelTextZoo() {
  static const TextZoo zoo{kModelZoo, kModelZoo_count, "models/"};
  return zoo;
}

std::vector<std::string> ModelNames() {
  std::vector<std::string> names = TextZooNames(ModelTextZoo());
  for (const BuiltinModel& m : BuiltinModels()) names.push_back(m.name);
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> ClusterNames() {
  return TextZooNames(ClusterTextZoo());
}

absl::StatusOr<ModelSpec> LoadModel(const std::string& name_or_path,
                                    const std::vector<std::string>& sets) {
  ModelSpec model;
  if (absl::EndsWith(name_or_path, ".json")) {
    // A Hugging Face config.json, imported by its model_type.
    std::string json;
    MEMWALL_RETURN_IF_ERROR(ReadFile(name_or_path, &json));
    MEMWALL_ASSIGN_OR_RETURN(HfImport imported,
                             ImportHfConfig(json, name_or_path));
    model = std::move(imported.model);
    MEMWALL_RETURN_IF_ERROR(ApplyOverrides(sets, &model));
    return model;
  }
  const absl::Status loaded =
      LoadTextSpec(ModelTextZoo(), name_or_path, &model);
  if (absl::IsNotFound(loaded) && loaded.message().empty()) {
    const auto& builtins = BuiltinModels();
    auto it = std::find_if(
        builtins.begin(), builtins.end(),
        [&](const BuiltinModel& m) { return name_or_path == m.name; });
    if (it == builtins.end()) {
      return absl::NotFoundError(
          UnknownNameMessage("model", name_or_path, ModelNames()));
    }
    model = it->build();
  } else if (!loaded.ok()) {
    return loaded;
  }
  MEMWALL_RETURN_IF_ERROR(ApplyOverrides(sets, &model));
  return model;
}

absl::StatusOr<ClusterSpec> LoadCluster(const std::string& name_or_path,
                                        const std::vector<std::string>& sets) {
  ClusterSpec cluster;
  const absl::Status loaded =
      LoadTextSpec(ClusterTextZoo(), name_or_path, &cluster);
  if (absl::IsNotFound(loaded) && loaded.message().empty()) {
    return absl::NotFoundError(
        UnknownNameMessage("cluster", name_or_path, ClusterNames()));
  }
  MEMWALL_RETURN_IF_ERROR(loaded);
  MEMWALL_RETURN_IF_ERROR(ApplyOverrides(sets, &cluster));
  // One validator for every command, after the overrides.
  MEMWALL_RETURN_IF_ERROR(ValidateCluster(cluster));
  return cluster;
}

}  // namespace memwall
