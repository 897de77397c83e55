// memwall memory: per-stage memory of one rank for one layout (docs/memory.md).
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/enum_names.h"
#include "common/status.h"
#include "common/units.h"
#include "planner/cli/commands.h"
#include "planner/cli/output.h"
#include "planner/cli/request.h"
#include "planner/memory/graph_memory.h"
#include "planner/memory/memory_report.h"
#include "planner/report/html/memory_page.h"
#include "planner/report/plan_report.h"

namespace memwall {
namespace {

// Each profile prints in its source's unit: Megatron "MB" = MiB, the ZeRO paper
// GB (1e9), the others GiB.
struct Unit {
  const char* name;
  double bytes;
};
Unit UnitFor(Profile profile) {
  if (profile == PROFILE_MEGATRON) return {"MiB", static_cast<double>(kMiB)};
  if (profile == PROFILE_ZERO) return {"GB", kGB};
  return {"GiB", static_cast<double>(kGiB)};
}

// The table's opening lines: model, layout, training.
std::string Header(const MemoryReport& r) {
  const Layout& l = r.layout();
  return absl::StrFormat(
      "model %s (%s params), profile %s, %d GPUs = dp %d x tp %d x pp %d x cp "
      "%d (vpp %d, ep %d)\n"
      "micro-batch %d, global batch %d, seq %d, %s, %s, ZeRO %d%s, recompute "
      "%s%s%s%s\n\n",
      r.model(), FormatCount(static_cast<double>(r.params())), r.profile(),
      r.gpus(), l.dp(), l.tp(), l.pp(), l.cp(), l.vpp(), l.ep(),
      l.micro_batch(), r.training().global_batch(), r.training().seq_len(),
      Dtype_Name(r.training().dtype()), EnumName(r.training().optimizer()),
      l.zero_stage(),
      r.training().distributed_optimizer() ? " (distributed optimizer)" : "",
      EnumName(l.recompute()),
      l.sequence_parallel() ? ", sequence parallel" : "",
      l.flash_attention() ? ", flash attention" : "",
      l.offload() == OFFLOAD_OPTIMIZER ? ", optimizer offloaded"
      : l.offload() == OFFLOAD_PARAMS  ? ", parameters and optimizer offloaded"
                                       : "");
}

std::string Table(const MemoryReport& r, Profile profile) {
  const Unit u = UnitFor(profile);
  const auto v = [&](int64_t bytes) {
    return absl::StrFormat("%.2f", static_cast<double>(bytes) / u.bytes);
  };
  std::string out = Header(r);
  absl::StrAppendFormat(
      &out, "%-6s %6s %9s %10s %10s %10s %11s %10s %10s %9s\n", "stage",
      "layers", "params", "weights", "grads", "optimizer", "activations",
      "other", "total", "in-flight");
  absl::StrAppendFormat(
      &out, "%-6s %6s %9s %10s %10s %10s %11s %10s %10s %9s\n", "", "", "",
      u.name, u.name, u.name, u.name, u.name, u.name, "mb");
  for (const StageMemory& s : r.stages()) {
    absl::StrAppendFormat(
        &out, "%-6s %6d %9s %10s %10s %10s %11s %10s %10s %9.2f\n",
        absl::StrCat(s.stage(), s.stage() == r.peak_stage() ? "*" : ""),
        s.num_layers(), FormatCount(static_cast<double>(s.params())),
        v(s.weights_bytes()), v(s.gradients_bytes()), v(s.optimizer_bytes()),
        v(s.activations_bytes()), v(s.other_bytes()), v(s.total_bytes()),
        s.in_flight_micro_batches());
  }
  const StageMemory& peak = r.stages(static_cast<int>(r.peak_stage()));
  if (!peak.other_items().empty()) {
    absl::StrAppend(&out, "\nother on stage ", r.peak_stage(), ":");
    for (const char* item : kOtherItemNames) {
      auto it = peak.other_items().find(item);
      if (it != peak.other_items().end()) {
        absl::StrAppend(&out, " ", item, " ", v(it->second), " ", u.name, ";");
      }
    }
    out.back() = '\n';
  }
  absl::StrAppendFormat(&out, "\npeak: stage %d, %s %s per GPU\n",
                        r.peak_stage(), v(r.peak_bytes()), u.name);
  if (r.host_bytes_per_node() > 0) {
    absl::StrAppendFormat(&out, "host memory: %s %s per node\n",
                          v(r.host_bytes_per_node()), u.name);
  }
  if (!r.cluster().empty()) {
    absl::StrAppendFormat(
        &out, "capacity: %s %s per GPU (%s): %s\n", v(r.capacity_bytes()),
        u.name, r.cluster(),
        r.fits() ? "fits"
                 : absl::StrCat("does not fit (",
                                v(r.peak_bytes() - r.capacity_bytes()), " ",
                                u.name, " over)"));
  }
  for (const std::string& note : r.notes())
    absl::StrAppend(&out, "note: ", note, "\n");
  if (r.layer_activations_size() > 0) {
    absl::StrAppendFormat(&out,
                          "\nsaved activations of one micro-batch (%d x %d "
                          "tokens, %s) per layer\n%-12s %14s %10s\n",
                          r.layout().micro_batch(), r.training().seq_len(),
                          Dtype_Name(r.training().dtype()), "part", "bytes",
                          "MiB");
    for (const PartActivations& p : r.layer_activations()) {
      absl::StrAppendFormat(&out, "%-12s %14d %10.3f\n", p.name(),
                            p.saved_bytes(),
                            static_cast<double>(p.saved_bytes()) / kMiB);
    }
  }
  return out;
}

absl::Status Print(const Request& request, const MemoryReport& report) {
  return PrintReport(
      request.format, report, Table(report, request.profile), [&] {
        const Unit u = UnitFor(request.profile);
        return html::MemoryPage(report, {u.name, u.bytes}, Header(report));
      });
}

}  // namespace

absl::Status RunMemory(const Flags& flags) {
  MEMWALL_ASSIGN_OR_RETURN(Request request, ParseRequest(flags));
  MEMWALL_ASSIGN_OR_RETURN(const std::string balance,
                           flags.GetString("balance", "compute"));
  MEMWALL_ASSIGN_OR_RETURN(const int64_t image_size,
                           flags.GetInt("image_size", 0));
  MEMWALL_ASSIGN_OR_RETURN(const bool layers, flags.GetBool("layers", false));
  MEMWALL_RETURN_IF_ERROR(flags.CheckNoUnknown("memory"));
  MEMWALL_ASSIGN_OR_RETURN(const ParallelLayout layout, ResolveLayout(request));
  if (request.model.has_graph()) {
    // Layer graphs already count PyTorch eager semantics; the device and
    // autocast conventions are not modelled for them.
    const TrainingSpec& t = request.training;
    if (t.kernel_device() == KERNEL_DEVICE_CPU ||
        t.mixed_precision() == MIXED_PRECISION_AUTOCAST) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--kernel_device and --mixed_precision=autocast apply to "
          "transformers; model '",
          request.model.name(), "' is a layer graph"));
    }
    if (layers) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--layers: model '", request.model.name(),
          "' is a layer graph; `memwall describe --layers` prints its saved "
          "bytes per layer"));
    }
    // Layer graphs (CNNs, LSTMs, embedding tables): DP, ZeRO and layer-split
    // pipelines.
    if (balance != "compute" && balance != "memory") {
      return absl::InvalidArgumentError(absl::StrCat(
          "--balance=", balance, " is not one of compute, memory"));
    }
    if (image_size < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("--image_size=", image_size, " must be positive"));
    }
    request.training.set_image_size(image_size);
    MEMWALL_ASSIGN_OR_RETURN(
        const MemoryReport report,
        BuildGraphMemoryReport(request.model, request.training, request.profile,
                               layout, request.cluster_or_null(),
                               balance == "memory" ? StageBalance::kMemory
                                                   : StageBalance::kCompute));
    MEMWALL_RETURN_IF_ERROR(Print(request, report));
    return absl::OkStatus();
  }
  MEMWALL_ASSIGN_OR_RETURN(
      const MemoryReport report,
      BuildMemoryReport(request.model, request.training, request.profile,
                        layout, request.cluster_or_null(), layers));
  MEMWALL_RETURN_IF_ERROR(Print(request, report));
  return absl::OkStatus();
}

}  // namespace memwall
