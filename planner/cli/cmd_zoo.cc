// memwall models | clusters: list the zoos.
#include <iostream>

#include "absl/strings/str_format.h"
#include "common/status.h"
#include "common/units.h"
#include "planner/cli/commands.h"
#include "planner/cli/output.h"
#include "planner/model/zoo.h"
#include "proto/cluster.pb.h"
#include "proto/model.pb.h"
#include "proto/zoo.pb.h"

namespace memwall {

absl::Status RunModels(const Flags& flags) {
  MEMWALL_ASSIGN_OR_RETURN(const Format format, GetFormat(flags));
  // --file=PATH lists that one model (a text proto or a config.json) as the
  // zoo lists its own.
  MEMWALL_ASSIGN_OR_RETURN(const std::string file, flags.GetString("file", ""));
  MEMWALL_RETURN_IF_ERROR(flags.CheckNoUnknown("models"));
  ModelZoo zoo;
  std::string table = absl::StrFormat("%-20s %-7s %-12s %s\n", "model",
                                      "domain", "kind", "source");
  const std::vector<std::string> names =
      file.empty() ? ModelNames() : std::vector<std::string>{file};
  for (const std::string& name : names) {
    MEMWALL_ASSIGN_OR_RETURN(ModelSpec model, LoadModel(name));
    const char* kind = model.has_transformer() ? "transformer" : "layer graph";
    absl::StrAppendFormat(&table, "%-20s %-7s %-12s %s\n", name, model.domain(),
                          kind, model.source());
    ModelZoo::Entry* entry = zoo.add_models();
    entry->set_name(name);
    entry->set_domain(model.domain());
    entry->set_kind(kind);
    entry->set_source(model.source());
  }
  MEMWALL_RETURN_IF_ERROR(PrintReport(format, zoo, table));
  return absl::OkStatus();
}

absl::Status RunClusters(const Flags& flags) {
  MEMWALL_ASSIGN_OR_RETURN(const Format format, GetFormat(flags));
  MEMWALL_RETURN_IF_ERROR(flags.CheckNoUnknown("clusters"));
  ClusterZoo zoo;
  std::string table = absl::StrFormat("%-16s %-18s %9s %10s %s\n", "cluster",
                                      "gpu", "hbm", "gpus/node", "source");
  for (const std::string& name : ClusterNames()) {
    MEMWALL_ASSIGN_OR_RETURN(ClusterSpec cluster, LoadCluster(name));
    absl::StrAppendFormat(&table, "%-16s %-18s %9s %10d %s\n", name,
                          cluster.gpu().name(),
                          FormatGiB(cluster.gpu().hbm_bytes()),
                          cluster.gpus_per_node(), cluster.source());
    *zoo.add_clusters() = cluster;
  }
  MEMWALL_RETURN_IF_ERROR(PrintReport(format, zoo, table));
  return absl::OkStatus();
}

}  // namespace memwall
