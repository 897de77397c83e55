#include "planner/validation/calibrate.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status.h"
#include "planner/layout/parallel_layout.h"
#include "planner/timing/cluster_params.h"
#include "planner/timing/step_time.h"
#include "planner/validation/evaluate_run.h"
#include "planner/validation/measured.h"

namespace memwall {
namespace {

enum ParamIndex { kGemm, kAttention, kHbm, kFp8Gemm, kKernel, kOverlap };

struct Row {
  const LoadedRun* run;
  StepContext ctx;
  ParallelLayout layout;
  ScheduleOptions options;
  double measured_s = 0;
};

void Apply(const std::vector<double>& x, ClusterParams& p) {
  p.gemm_efficiency = x[kGemm];
  p.attention_efficiency = x[kAttention];
  p.hbm_efficiency = x[kHbm];
  p.fp8_gemm_efficiency = x[kFp8Gemm];
  p.kernel_s = x[kKernel];
  p.overlap_efficiency = x[kOverlap];
}

double Predict(const Row& row, const std::vector<double>& x) {
  StepContext ctx = row.ctx;
  Apply(x, ctx.cluster);
  return EvaluateStepTime(ctx, row.layout, row.options).step_time_s;
}

double Objective(const std::vector<Row>& rows, const std::vector<double>& x,
                 int skip) {
  double sum = 0;
  for (int i = 0; i < static_cast<int>(rows.size()); ++i) {
    if (i == skip) continue;
    sum += RobustLoss(std::log(Predict(rows[i], x) / rows[i].measured_s));
  }
  return sum;
}

// Golden-section search of one factor inside its bounds, the others fixed.
void SearchOne(const std::vector<Row>& rows, std::vector<double>& x, int i,
               const CalibrationParam& param, int skip) {
  constexpr double kInvPhi = 0.6180339887498949;
  double a = param.lo;
  double b = param.hi;
  auto f = [&](double v) {
    std::vector<double> y = x;
    y[i] = v;
    return Objective(rows, y, skip);
  };
  double c = b - kInvPhi * (b - a);
  double d = a + kInvPhi * (b - a);
  double fc = f(c);
  double fd = f(d);
  for (int it = 0; it < 30; ++it) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - kInvPhi * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + kInvPhi * (b - a);
      fd = f(d);
    }
  }
  const double best = (a + b) / 2;
  if (f(best) < f(x[i])) x[i] = best;
}

std::vector<double> Fit(const std::vector<Row>& rows, std::vector<double> x,
                        const std::vector<int>& free, int sweeps, int skip) {
  const auto& params = CalibrationParams();
  for (int s = 0; s < sweeps; ++s) {
    for (int i : free) SearchOne(rows, x, i, params[i], skip);
  }
  return x;
}

}  // namespace

const std::vector<CalibrationParam>& CalibrationParams() {
  static const auto* params = new std::vector<CalibrationParam>{
      {"gemm", 0.3, 0.95},     {"attention", 0.1, 0.95}, {"hbm", 0.3, 0.95},
      {"fp8_gemm", 0.1, 0.95}, {"kernel_s", 0.0, 5e-5},  {"overlap", 0.0, 1.0},
  };
  return *params;
}

double RobustLoss(double r) {
  const double z = r / 0.05;
  return 2 * (std::sqrt(1 + z * z) - 1);
}

absl::StatusOr<CalibrationResult> Calibrate(
    const std::vector<LoadedRun>& runs, const ClusterSpec& cluster, Stack stack,
    const std::vector<std::string>& only) {
  for (const std::string& name : only) {
    bool known = false;
    for (const CalibrationParam& p : CalibrationParams()) {
      known = known || name == p.name;
    }
    if (!known) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--params: unknown factor \"", name,
          "\" (gemm, attention, hbm, fp8_gemm, kernel_s, overlap)"));
    }
  }
  std::vector<Row> rows;
  std::set<Stack> stacks;
  bool flash = false;
  bool fp8 = false;
  for (const LoadedRun& r : runs) {
    if (stack != STACK_UNSPECIFIED && r.run.stack() != stack) continue;
    stacks.insert(r.run.stack());
    const TrainingSpec& training = r.run.training();
    auto in_row = [&](const absl::Status& s) {
      return absl::InvalidArgumentError(
          absl::StrCat(RowLabel(r), ": ", s.message()));
    };
    absl::StatusOr<TransformerShape> shape =
        ShapeFromModel(r.model, training.seq_len());
    if (!shape.ok()) return in_row(shape.status());
    // The row's own hardware with the target cluster's efficiencies.
    ClusterSpec hardware = cluster;
    if (absl::StatusOr<ClusterSpec> own = ClusterOfRun(r); own.ok()) {
      hardware = *std::move(own);
      *hardware.mutable_efficiency() = cluster.efficiency();
    }
    absl::StatusOr<ClusterParams> params =
        ClusterParamsFromSpec(hardware, training.dtype(), r.run.stack());
    if (!params.ok()) return in_row(params.status());
    absl::StatusOr<StepContext> ctx =
        MakeStepContext(*shape, *params, training);
    if (!ctx.ok()) return in_row(ctx.status());
    Row row{&r, *std::move(ctx), FromProto(r.run.layout()), ScheduleOf(r.run),
            MeasuredStepTime(r.run, *shape)};
    flash = flash || row.layout.flash_attention;
    fp8 = fp8 || training.dtype() == FP8;
    rows.push_back(std::move(row));
  }
  if (rows.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--stack=", Stack_Name(stack),
                     ": no runs of that stack to calibrate on"));
  }
  if (stack == STACK_UNSPECIFIED && stacks.size() > 1) {
    return absl::InvalidArgumentError(
        "the runs use more than one stack: give --stack= to fit one");
  }
  const ClusterParams& p0 = rows.front().ctx.cluster;
  const std::vector<double> x0 = {p0.gemm_efficiency, p0.attention_efficiency,
                                  p0.hbm_efficiency,  p0.fp8_gemm_efficiency,
                                  p0.kernel_s,        p0.overlap_efficiency};
  // Fit what the rows exercise: attention only with flash attention rows,
  // fp8_gemm only with FP8 rows; at most as many factors as rows.
  std::vector<int> free;
  const auto& all = CalibrationParams();
  for (int i = 0; i < static_cast<int>(all.size()); ++i) {
    if (i == kAttention && !flash) continue;
    if (i == kFp8Gemm && !fp8) continue;
    if (!only.empty() &&
        std::find(only.begin(), only.end(), all[i].name) == only.end()) {
      continue;
    }
    free.push_back(i);
  }
  if (free.size() > rows.size()) free.resize(rows.size());
  const std::vector<double> x = Fit(rows, x0, free, 6, -1);

  CalibrationResult out;
  const auto& params = CalibrationParams();
  for (int i : free) {
    out.fitted.push_back(params[i].name);
    out.before.push_back(x0[i]);
    out.after.push_back(x[i]);
  }
  const int n = static_cast<int>(rows.size());
  for (int i = 0; i < n; ++i) {
    CalibratedRow c;
    c.name = rows[i].run->run.name();
    c.measured_s = rows[i].measured_s;
    c.before_s = Predict(rows[i], x0);
    c.after_s = Predict(rows[i], x);
    c.leave_one_out_s =
        n > 1 ? Predict(rows[i], Fit(rows, x, free, 2, i)) : c.after_s;
    out.mean_abs_error_before += std::abs(c.before_s / c.measured_s - 1) / n;
    out.mean_abs_error_after += std::abs(c.after_s / c.measured_s - 1) / n;
    out.mean_abs_error_leave_one_out +=
        std::abs(c.leave_one_out_s / c.measured_s - 1) / n;
    out.rows.push_back(std::move(c));
  }

  // The cluster with the fitted factors: cluster-wide, or the stack's entry.
  out.cluster = cluster;
  Efficiency* e = out.cluster.mutable_efficiency();
  std::set<std::string> files;
  for (const Row& r : rows) files.insert(r.run->file);
  const std::string source = absl::StrCat(
      "memwall calibrate: ", absl::StrJoin(out.fitted, ", "), " fitted to ", n,
      " measured runs (", absl::StrJoin(files, ", "), ")");
  auto set = [&](auto* m) {
    for (int i : free) {
      switch (i) {
        case kGemm:
          m->set_gemm(x[i]);
          break;
        case kAttention:
          m->set_attention(x[i]);
          break;
        case kHbm:
          m->set_hbm(x[i]);
          break;
        case kFp8Gemm:
          m->set_fp8_gemm(x[i]);
          break;
        case kKernel:
          m->set_kernel_s(x[i]);
          break;
        default:
          m->set_overlap(x[i]);
      }
    }
    m->set_source(source);
  };
  if (stack == STACK_UNSPECIFIED) {
    set(e);
  } else {
    StackEfficiency* entry = nullptr;
    for (StackEfficiency& st : *e->mutable_stacks()) {
      if (st.stack() == stack) entry = &st;
    }
    if (entry == nullptr) {
      entry = e->add_stacks();
      entry->set_stack(stack);
    }
    set(entry);
  }
  return out;
}

}  // namespace memwall
