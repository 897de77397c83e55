#include "planner/report/html/memory_page.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "common/units.h"
#include "planner/memory/memory_report.h"
#include "planner/report/svg/charts.h"

namespace memwall {
namespace html {
namespace {

std::string V(int64_t bytes, const ByteUnit& u) {
  return absl::StrFormat("%.2f", static_cast<double>(bytes) / u.bytes);
}

// The chart's short category name for a part: "emb", "0", ..., "head".
std::string ShortPart(const std::string& name) {
  if (name == "embedding") return "emb";
  if (absl::StartsWith(name, "layer ")) return name.substr(6);
  return name;
}

}  // namespace

svg::Canvas LayerActivationChart(const MemoryReport& r) {
  svg::StackedBars c;
  c.title = "Saved activations of one micro-batch per layer (MiB)";
  c.x_label = "layer (emb = embedding, head = final norm, output layer, loss)";
  c.y_label = "saved activations (MiB)";
  c.unit = "MiB";
  c.series = {"saved activations"};
  int64_t largest = 0;
  std::string largest_name;
  for (const PartActivations& p : r.layer_activations()) {
    c.categories.push_back(ShortPart(p.name()));
    c.values.push_back({ToMiB(static_cast<double>(p.saved_bytes()))});
    if (p.saved_bytes() > largest) {
      largest = p.saved_bytes();
      largest_name = p.name();
    }
  }
  c.desc = absl::StrFormat(
      "%d parts (embedding, %d layers, head) for a micro-batch of %d x %d "
      "tokens; the largest is %s with %.3f MiB.",
      r.layer_activations_size(), std::max(0, r.layer_activations_size() - 2),
      r.layout().micro_batch(), r.training().seq_len(), largest_name,
      ToMiB(static_cast<double>(largest)));
  return svg::StackedBarChart(c);
}

Table LayerActivationTable(const MemoryReport& r) {
  Table t;
  t.id = "layers";
  t.caption = absl::StrFormat(
      "Saved activations of one micro-batch (%d x %d tokens, %s) per layer",
      r.layout().micro_batch(), r.training().seq_len(),
      Dtype_Name(r.training().dtype()));
  t.header = {"part", "bytes", "MiB"};
  t.units = {"", "B", "MiB"};
  for (const PartActivations& p : r.layer_activations()) {
    t.rows.push_back(
        {p.name(), absl::StrCat(p.saved_bytes()),
         absl::StrFormat("%.3f", ToMiB(static_cast<double>(p.saved_bytes())))});
    t.row_classes.push_back("");
  }
  return t;
}

svg::Canvas MemoryChart(const MemoryReport& r, const ByteUnit& u) {
  svg::StackedBars c;
  c.title = absl::StrCat("Memory per GPU by pipeline stage (", u.name, ")");
  c.x_label = "pipeline stage";
  c.y_label = absl::StrCat("memory per GPU (", u.name, ")");
  c.unit = u.name;
  c.series = {"weights", "gradients", "optimizer", "activations", "other"};
  for (const StageMemory& s : r.stages()) {
    c.categories.push_back(absl::StrCat(s.stage()));
    const double b = u.bytes;
    c.values.push_back({static_cast<double>(s.weights_bytes()) / b,
                        static_cast<double>(s.gradients_bytes()) / b,
                        static_cast<double>(s.optimizer_bytes()) / b,
                        static_cast<double>(s.activations_bytes()) / b,
                        static_cast<double>(s.other_bytes()) / b});
  }
  c.marked = static_cast<int>(r.peak_stage());
  if (r.capacity_bytes() > 0) {
    c.capacity = static_cast<double>(r.capacity_bytes()) / u.bytes;
    c.capacity_label = "capacity";
  }
  c.desc = absl::StrFormat(
      "%d stages; the peak is stage %d with %s %s per GPU%s.", r.stages_size(),
      r.peak_stage(), V(r.peak_bytes(), u), u.name,
      r.capacity_bytes() > 0
          ? absl::StrFormat(" against a capacity of %s %s (%s)",
                            V(r.capacity_bytes(), u), u.name,
                            r.fits() ? "fits" : "does not fit")
          : "");
  return svg::StackedBarChart(c);
}

Table StageTable(const MemoryReport& r, const ByteUnit& u) {
  Table t;
  t.id = "stages";
  t.caption = "Memory of one rank per pipeline stage (* = peak)";
  t.header = {"stage",     "layers",      "params", "weights", "grads",
              "optimizer", "activations", "other",  "total",   "in-flight"};
  t.units = {"", "", "", u.name, u.name, u.name, u.name, u.name, u.name, "mb"};
  for (const StageMemory& s : r.stages()) {
    t.rows.push_back(
        {absl::StrCat(s.stage(), s.stage() == r.peak_stage() ? "*" : ""),
         absl::StrCat(s.num_layers()),
         FormatCount(static_cast<double>(s.params())), V(s.weights_bytes(), u),
         V(s.gradients_bytes(), u), V(s.optimizer_bytes(), u),
         V(s.activations_bytes(), u), V(s.other_bytes(), u),
         V(s.total_bytes(), u),
         absl::StrFormat("%.2f", s.in_flight_micro_batches())});
    t.row_classes.push_back(s.stage() == r.peak_stage() ? "mark" : "");
  }
  return t;
}

std::string MemoryPage(const MemoryReport& r, const ByteUnit& u,
                       const std::string& header) {
  Page page(absl::StrCat("memwall memory: ", r.model()),
            absl::StrFormat(
                "profile %s, %d GPUs%s", r.profile(), r.gpus(),
                r.cluster().empty() ? "" : absl::StrCat(", ", r.cluster())));
  std::vector<std::string> lines;
  for (absl::string_view line :
       absl::StrSplit(header, '\n', absl::SkipEmpty())) {
    lines.emplace_back(line);
  }
  page.List(lines);
  std::string verdict =
      absl::StrFormat("peak: stage %d, %s %s per GPU", r.peak_stage(),
                      V(r.peak_bytes(), u), u.name);
  if (!r.cluster().empty()) {
    absl::StrAppendFormat(
        &verdict, "; capacity %s %s (%s): %s", V(r.capacity_bytes(), u), u.name,
        r.cluster(),
        r.fits() ? "fits"
                 : absl::StrCat("does not fit (",
                                V(r.peak_bytes() - r.capacity_bytes(), u), " ",
                                u.name, " over)"));
  }
  page.Heading("Memory per stage");
  page.Paragraph(verdict);
  page.Figure(MemoryChart(r, u),
              "Stacked bars: what one GPU of each pipeline stage holds at its "
              "peak; the dashed line is the GPU's usable capacity; the "
              "triangle marks the peak stage.");
  page.AddTable(StageTable(r, u));
  const StageMemory& peak = r.stages(static_cast<int>(r.peak_stage()));
  if (!peak.other_items().empty()) {
    Table other;
    other.id = "other";
    other.caption = absl::StrCat("\"other\" on stage ", r.peak_stage());
    other.header = {"item", u.name};
    for (const char* item : kOtherItemNames) {
      auto it = peak.other_items().find(item);
      if (it != peak.other_items().end()) {
        other.rows.push_back({item, V(it->second, u)});
      }
    }
    page.AddTable(other);
  }
  if (r.host_bytes_per_node() > 0) {
    page.Paragraph(absl::StrFormat("host memory: %s %s per node",
                                   V(r.host_bytes_per_node(), u), u.name));
  }
  if (r.layer_activations_size() > 0) {
    page.Heading("Saved activations per layer");
    page.Figure(LayerActivationChart(r),
                "Bars: the bytes each part of the model saves for the backward "
                "pass for one micro-batch on one rank, at the run's dtype; a "
                "stage holds the sum over its layers times its in-flight "
                "micro-batches.");
    page.AddTable(LayerActivationTable(r));
  }
  page.Notes({r.notes().begin(), r.notes().end()});
  return page.Render();
}

}  // namespace html
}  // namespace memwall
