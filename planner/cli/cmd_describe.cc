// memwall describe: parameters, FLOPs, features and per-component counts of one
// model.
#include <iostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status.h"
#include "common/textproto.h"
#include "common/units.h"
#include "planner/cli/commands.h"
#include "planner/cli/megatron_args.h"
#include "planner/cli/output.h"
#include "planner/model/describe.h"
#include "planner/model/zoo.h"

namespace memwall {
namespace {

std::string Row(const ComponentCount& c) {
  return absl::StrFormat("%-22s %6d %10s %13s %12s %12s\n", c.name(), c.count(),
                         FormatCount(static_cast<double>(c.params())),
                         FormatFlops(c.forward_flops()),
                         FormatCount(c.features()), FormatGiB(c.saved_bytes()));
}

std::string Table(const DescribeReport& r) {
  std::string out = absl::StrFormat("model %s (%s)\n", r.model(), r.source());
  absl::StrAppendFormat(&out, "params                %s (%d)\n",
                        FormatCount(static_cast<double>(r.params())),
                        r.params());
  if (r.seq_len() > 0)
    absl::StrAppendFormat(&out, "sequence length       %d\n", r.seq_len());
  absl::StrAppendFormat(&out,
                        "inference FLOPs       %s (forward, one sample)\n",
                        FormatFlops(r.inference_flops()));
  absl::StrAppendFormat(
      &out, "features              %s (activation elements, one sample)\n",
      FormatCount(r.features()));
  if (r.training_flops() > 0) {
    absl::StrAppendFormat(
        &out, "training FLOPs        %s (model's own training setup)\n",
        FormatFlops(r.training_flops()));
  }
  absl::StrAppendFormat(&out, "\n%-22s %6s %10s %13s %12s %12s\n", "component",
                        "count", "params", "fwd FLOPs", "features",
                        "saved (bf16)");
  for (const ComponentCount& c : r.components()) out += Row(c);
  if (r.layers_size() > 0) {
    absl::StrAppend(&out, "\nper layer\n");
    for (const ComponentCount& c : r.layers()) {
      out += Row(c);
      // Layer graphs give each layer's output shape.
      if (!c.output_shape().empty()) {
        absl::StrAppendFormat(&out, "%-22s   -> %-16s saved %.1f KiB\n", "",
                              c.output_shape(), c.saved_bytes() / 1024);
      }
    }
  }
  return out;
}

}  // namespace

absl::Status RunDescribe(const Flags& flags) {
  MEMWALL_ASSIGN_OR_RETURN(const Format format, GetFormat(flags));
  // --model (a zoo name, a text proto or a config.json) or --megatron_args.
  std::string name;
  MEMWALL_ASSIGN_OR_RETURN(const ModelSpec model,
                           LoadModelFromFlags(flags, &name));
  DescribeOptions options;
  MEMWALL_ASSIGN_OR_RETURN(options.seq_len, flags.GetInt("seq_len", 0));
  MEMWALL_ASSIGN_OR_RETURN(options.image_size, flags.GetInt("image_size", 0));
  MEMWALL_ASSIGN_OR_RETURN(options.layers, flags.GetBool("layers", false));
  MEMWALL_ASSIGN_OR_RETURN(const bool verbose, flags.GetBool("verbose", false));
  MEMWALL_RETURN_IF_ERROR(flags.CheckNoUnknown("describe"));
  if (options.seq_len < 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("--seq_len=%d must be positive", options.seq_len));
  }
  if (model.has_graph() && format == Format::kTextproto) {
    // A layer graph prints as its own text proto (the model definition).
    std::cout << ToTextProto(model);
    return absl::OkStatus();
  }
  MEMWALL_ASSIGN_OR_RETURN(const DescribeReport report,
                           Describe(model, options));
  // --verbose: the model's notes (for a config.json, the fields that change
  // no count).
  std::string table = Table(report);
  if (verbose && !model.notes().empty())
    absl::StrAppend(&table, "\nnotes: ", model.notes(), "\n");
  MEMWALL_RETURN_IF_ERROR(PrintReport(format, report, table));
  return absl::OkStatus();
}

}  // namespace memwall
