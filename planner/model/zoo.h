// Model and cluster lookup: zoo names (text protos embedded in the binary, and
// models built in C++), or paths to text protos, then --set overrides.
#ifndef MEMWALL_PLANNER_MODEL_ZOO_H_
#define MEMWALL_PLANNER_MODEL_ZOO_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/zoo.h"
#include "proto/cluster.pb.h"
#include "proto/model.pb.h"

namespace memwall {

// A model defined in C++ (the layer-graph zoo: CNNs, LSTMs, embedding tables).
struct BuiltinModel {
  const char* name;
  ModelSpec (*build)();
};

// Every built-in model; defined in planner/model/builtin_models.cc.
const std::vector<BuiltinModel>& BuiltinModels();

// All model names (text zoo and built-ins), sorted.
// models/*.textproto, compiled into planner/model.
const TextZoo& ModelTextZoo();

std::vector<std::string> ModelNames();
std::vector<std::string> ClusterNames();

// Resolves a zoo name, a path to a text proto, or a path ending in .json (a
// Hugging Face config.json, planner/model/import/hf_config.h), then merges each
// --set text proto. An unknown name is NotFound with the nearest known name
// suggested. LoadCluster then runs ValidateCluster
// (planner/comm/cluster_validate.h), so a cluster is never returned
// unvalidated.
absl::StatusOr<ModelSpec> LoadModel(const std::string& name_or_path,
                                    const std::vector<std::string>& sets = {});
absl::StatusOr<ClusterSpec> LoadCluster(
    const std::string& name_or_path, const std::vector<std::string>& sets = {});

}  // namespace memwall

#endif  // MEMWALL_PLANNER_MODEL_ZOO_H_
