#include "planner/search/fit.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/enum_names.h"

namespace memwall {

namespace {

bool Valid(const StepContext& ctx, const ParallelLayout& l) {
  return ValidateLayout(LimitsOf(ctx), l, l.gpus()).ok();
}

}  // namespace

absl::StatusOr<MinGpusResult> MinimumGpus(const StepContext& ctx,
                                          int64_t gpus_per_node,
                                          int64_t max_nodes,
                                          const SearchConstraints& c,
                                          const SearchOptions& options) {
  MinGpusResult out;
  auto fits_at = [&](int64_t nodes) -> absl::StatusOr<bool> {
    ++out.node_counts_tried;
    const int64_t gpus = nodes * gpus_per_node;
    SearchConstraints cc = c;
    // Fixed degrees that do not divide this GPU count simply leave no layout
    // here.
    if (!CheckConstraints(ctx, gpus, cc).ok()) return false;
    auto r = SearchLayouts(ctx, gpus, cc, options);
    if (!r.ok()) return r.status();
    if (r->best.empty()) return false;
    out.gpus = gpus;
    out.search = *std::move(r);
    return true;
  };
  int64_t low = 0;  // largest node count known not to fit
  int64_t high = 0;
  for (int64_t nodes = 1; nodes <= max_nodes; nodes *= 2) {
    auto ok = fits_at(nodes);
    if (!ok.ok()) return ok.status();
    if (*ok) {
      high = nodes;
      break;
    }
    low = nodes;
  }
  if (high == 0) {
    if (low < max_nodes) {
      auto ok = fits_at(max_nodes);
      if (!ok.ok()) return ok.status();
      if (*ok) high = max_nodes;
    }
    if (high == 0) {
      out.gpus = 0;
      return out;
    }
  }
  for (int64_t nodes = low + 1; nodes < high; ++nodes) {
    auto ok = fits_at(nodes);
    if (!ok.ok()) return ok.status();
    if (*ok) return out;
  }
  if (out.gpus != high * gpus_per_node) {
    auto ok = fits_at(high);
    if (!ok.ok()) return ok.status();
  }
  return out;
}

absl::StatusOr<ParallelLayout> GivenLayout(const StepContext& ctx, int64_t gpus,
                                           const SearchConstraints& c) {
  const LayoutLimits limits = LimitsOf(ctx);
  if (auto st = CheckLayoutChoice(limits, c, gpus); !st.ok()) return st;
  const ParallelLayout l = CompleteLayout(c, gpus);
  if (auto st = ValidateLayout(limits, l, gpus, CompleteSchedule(c));
      !st.ok()) {
    return st;
  }
  return l;
}

std::vector<LayoutFix> SingleChangeFixes(const StepContext& ctx,
                                         const MemoryEvaluator& memory,
                                         const ParallelLayout& base) {
  std::vector<std::pair<std::string, ParallelLayout>> tries;
  auto add = [&](std::string name, ParallelLayout l) {
    tries.emplace_back(std::move(name), l);
  };
  ParallelLayout l = base;
  if (base.recompute != RECOMPUTE_SELECTIVE &&
      base.recompute != RECOMPUTE_FULL) {
    l = base;
    l.recompute = RECOMPUTE_SELECTIVE;
    add("--recompute=selective", l);
  }
  if (base.recompute != RECOMPUTE_FULL) {
    l = base;
    l.recompute = RECOMPUTE_FULL;
    add("--recompute=full", l);
  }
  if (!base.sequence_parallel && base.tp > 1) {
    l = base;
    l.sequence_parallel = true;
    add("--sequence_parallel", l);
  }
  if (!base.flash_attention) {
    l = base;
    l.flash_attention = true;
    add("--flash_attention", l);
  }
  for (int z = base.zero_stage + 1; z <= 3; ++z) {
    l = base;
    l.zero_stage = z;
    add(absl::StrCat("--zero=", z), l);
  }
  if (base.offload == OFFLOAD_NONE) {
    l = base;
    l.offload = OFFLOAD_OPTIMIZER;
    add("--offload=optimizer", l);
  }
  if (base.micro_batch > 1) {
    l = base;
    l.micro_batch = 1;
    add("--micro_batch=1", l);
  }
  for (int64_t f = 2; f <= 8; f *= 2) {
    if (base.dp % f != 0) break;
    l = base;
    l.tp = base.tp * f;
    l.dp = base.dp / f;
    add(absl::StrCat("--tp=", l.tp, " (dp=", l.dp, ")"), l);
    l = base;
    l.pp = base.pp * f;
    l.dp = base.dp / f;
    add(absl::StrCat("--pp=", l.pp, " (dp=", l.dp, ")"), l);
  }
  std::vector<LayoutFix> out;
  for (auto& [name, layout] : tries) {
    if (!Valid(ctx, layout) || !memory.CheckLayout(layout).ok()) continue;
    const PeakMemory mem = memory.EvaluatePeak(layout);
    if (mem.fits &&
        (layout.offload == OFFLOAD_NONE ||
         HostStateBytes(ctx, layout) <= ctx.cluster.host_bytes_per_gpu)) {
      out.push_back(LayoutFix{name, layout, mem});
    }
  }
  return out;
}

std::string LayoutDiff(const ParallelLayout& a, const ParallelLayout& b) {
  std::string out;
  auto add = [&out](const std::string& flag) {
    absl::StrAppend(&out, out.empty() ? "" : " ", flag);
  };
  if (a.tp != b.tp) add(absl::StrCat("--tp=", b.tp));
  if (a.pp != b.pp) add(absl::StrCat("--pp=", b.pp));
  if (a.dp != b.dp) add(absl::StrCat("--dp=", b.dp));
  if (a.cp != b.cp) add(absl::StrCat("--cp=", b.cp));
  if (a.ep != b.ep) add(absl::StrCat("--ep=", b.ep));
  if (a.vpp != b.vpp) add(absl::StrCat("--vpp=", b.vpp));
  if (a.micro_batch != b.micro_batch)
    add(absl::StrCat("--micro_batch=", b.micro_batch));
  if (a.zero_stage != b.zero_stage) add(absl::StrCat("--zero=", b.zero_stage));
  if (a.recompute != b.recompute) {
    add(absl::StrCat("--recompute=", EnumName(b.recompute)));
  }
  if (a.sequence_parallel != b.sequence_parallel) {
    add(absl::StrCat("--sequence_parallel=",
                     b.sequence_parallel ? "true" : "false"));
  }
  if (a.flash_attention != b.flash_attention) {
    add(absl::StrCat("--flash_attention=",
                     b.flash_attention ? "true" : "false"));
  }
  if (a.offload != b.offload) {
    add(absl::StrCat("--offload=", EnumName(b.offload)));
  }
  return out;
}

std::optional<LayoutFix> FewestChangesFix(const StepContext& ctx, int64_t gpus,
                                          const SearchConstraints& c,
                                          const ParallelLayout& given,
                                          SearchOptions options) {
  options.top_k = 500;
  auto r = SearchLayouts(ctx, gpus, c, options);
  if (!r.ok() || r->best.empty()) return std::nullopt;
  const ScoredLayout* pick = nullptr;
  size_t fewest = 0;
  for (const ScoredLayout& s : r->best) {
    const std::string diff = LayoutDiff(given, s.layout);
    const size_t changes =
        static_cast<size_t>(std::count(diff.begin(), diff.end(), '-')) / 2;
    if (pick == nullptr || changes < fewest) {
      pick = &s;
      fewest = changes;
    }
  }
  return LayoutFix{LayoutDiff(given, pick->layout), pick->layout, pick->memory};
}

}  // namespace memwall
