#include "planner/validation/runs.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/embedded.h"
#include "common/status.h"
#include "common/textproto.h"
#include "common/zoo.h"
#include "planner/layout/parallel_layout.h"
#include "planner/layout/validate_layout.h"
#include "planner/model/zoo.h"

namespace memwall {

extern const EmbeddedFile kValidationZoo[];
extern const int kValidationZoo_count;

namespace {

const TextZoo& ValidationTextZoo() {
  static const TextZoo zoo{kValidationZoo, kValidationZoo_count, "validation/"};
  return zoo;
}

std::string StemOf(const std::string& file) {
  std::string stem = std::filesystem::path(file).stem().string();
  return stem;
}

absl::Status RowError(const LoadedRun& r, const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat(RowLabel(r), ": ", what));
}

// Prefixes an error of a check with the row's label, keeping its code.
absl::Status InRow(const LoadedRun& r, const absl::Status& s) {
  if (s.ok()) return s;
  return absl::Status(s.code(), absl::StrCat(RowLabel(r), ": ", s.message()));
}

int CountMeasured(const Measured& m) {
  return (m.step_time_s() != 0) + (m.tokens_per_s() != 0) +
         (m.tokens_per_s_per_gpu() != 0) + (m.tflops_per_gpu() != 0);
}

absl::Status CheckMeasured(const LoadedRun& r) {
  const Measured& m = r.run.measured();
  if (CountMeasured(m) != 1) {
    return RowError(r,
                    "measured must give exactly one of step_time_s, "
                    "tokens_per_s, tokens_per_s_per_gpu, tflops_per_gpu");
  }
  for (const auto& [field, value] :
       {std::pair<const char*, double>{"step_time_s", m.step_time_s()},
        {"tokens_per_s", m.tokens_per_s()},
        {"tokens_per_s_per_gpu", m.tokens_per_s_per_gpu()},
        {"tflops_per_gpu", m.tflops_per_gpu()},
        {"num_params", m.num_params()},
        {"mfu", m.mfu()},
        {"peak_flops_per_gpu", m.peak_flops_per_gpu()}}) {
    if (!std::isfinite(value) || value < 0) {
      return RowError(r, absl::StrCat("measured.", field, "=", value,
                                      " must be a finite, positive number"));
    }
  }
  if (m.mfu() > 1) {
    return RowError(r, absl::StrCat("measured.mfu=", m.mfu(),
                                    " must be a fraction (at most 1)"));
  }
  if (m.tflops_per_gpu() > 0) {
    if (m.flop_formula() == FLOP_FORMULA_UNSPECIFIED) {
      return RowError(r,
                      "measured.flop_formula must be set with tflops_per_gpu "
                      "(how the source counts FLOPs)");
    }
    if (m.flop_formula() == FLOPS_6N_PLUS_ATTENTION && m.num_params() <= 0) {
      return RowError(r,
                      "measured.num_params must be positive with "
                      "flop_formula FLOPS_6N_PLUS_ATTENTION");
    }
  }
  return absl::OkStatus();
}

absl::Status ResolveModel(LoadedRun& r) {
  const bool named = !r.run.model().empty();
  const bool inline_spec = r.run.has_model_spec();
  if (named == inline_spec) {
    return RowError(r,
                    "give exactly one of model (a zoo name or path) and "
                    "model_spec (inline)");
  }
  if (inline_spec) {
    r.model = r.run.model_spec();
    return absl::OkStatus();
  }
  absl::StatusOr<ModelSpec> model = LoadModel(r.run.model());
  if (!model.ok()) {
    return InRow(
        r, absl::InvalidArgumentError(absl::StrCat(
               "model=\"", r.run.model(), "\": ", model.status().message())));
  }
  r.model = *std::move(model);
  return absl::OkStatus();
}

// One configuration as text, for finding the same run measured twice.
std::string ConfigKey(const LoadedRun& r) {
  ValidationRun key;
  *key.mutable_model_spec() = r.model;
  key.set_cluster(r.run.cluster());
  key.set_gpus(r.run.gpus());
  *key.mutable_training() = r.run.training();
  *key.mutable_layout() = ToProto(FromProto(r.run.layout()));
  key.set_stack(r.run.stack());
  key.set_tp_overlap(r.run.tp_overlap());
  return ToTextProto(key);
}

// Seconds per step a row's figure implies when it is not given in FLOPs (the
// only figures two rows of one configuration can be compared by without a
// model).
double DirectStepTime(const ValidationRun& r) {
  const Measured& m = r.measured();
  const double tokens = static_cast<double>(r.training().global_batch()) *
                        static_cast<double>(r.training().seq_len());
  if (m.step_time_s() > 0) return m.step_time_s();
  if (m.tokens_per_s() > 0) return tokens / m.tokens_per_s();
  if (m.tokens_per_s_per_gpu() > 0) {
    return tokens / (m.tokens_per_s_per_gpu() * static_cast<double>(r.gpus()));
  }
  return 1.0 / m.tflops_per_gpu();  // comparable between rows of one formula
}

}  // namespace

std::string RowLabel(const LoadedRun& r) {
  return absl::StrCat(
      r.file, ": runs[", r.index, "]",
      r.run.name().empty() ? "" : absl::StrCat(" (", r.run.name(), ")"));
}

absl::Status CheckRun(const LoadedRun& r) {
  if (r.run.name().empty()) return RowError(r, "name must be set");
  if (r.run.cluster().empty()) {
    return RowError(r, "cluster must name a zoo cluster or a file");
  }
  if (r.run.gpus() <= 0) {
    return RowError(r,
                    absl::StrCat("gpus=", r.run.gpus(), " must be positive"));
  }
  const TrainingSpec& t = r.run.training();
  if (t.global_batch() <= 0) {
    return RowError(r, absl::StrCat("training.global_batch=", t.global_batch(),
                                    " must be positive"));
  }
  if (t.seq_len() <= 0) {
    return RowError(
        r, absl::StrCat("training.seq_len=", t.seq_len(), " must be positive"));
  }
  if (t.dtype() == DTYPE_UNSPECIFIED) {
    return RowError(r, "training.dtype must be set (BF16, FP16, FP8, FP32)");
  }
  if (r.run.stack() == STACK_UNSPECIFIED) {
    return RowError(r,
                    "stack must be set (STACK_MEGATRON, STACK_FSDP, "
                    "STACK_DEEPSPEED)");
  }
  if (t.stack() != STACK_UNSPECIFIED && t.stack() != r.run.stack()) {
    return RowError(
        r, absl::StrCat("training.stack=", Stack_Name(t.stack()),
                        " contradicts stack=", Stack_Name(r.run.stack())));
  }
  MEMWALL_RETURN_IF_ERROR(CheckMeasured(r));
  const ParallelLayout layout = FromProto(r.run.layout());
  if (layout.micro_batch > 0 &&
      t.global_batch() % (layout.micro_batch * layout.dp) != 0) {
    return RowError(
        r, absl::StrCat("training.global_batch=", t.global_batch(),
                        " must be a multiple of layout.dp x micro_batch = ",
                        layout.dp * layout.micro_batch));
  }
  ScheduleOptions schedule;
  schedule.tp_overlap = r.run.tp_overlap();
  return InRow(
      r, ValidateLayout(LimitsOf(r.model, t), layout, r.run.gpus(), schedule));
}

absl::StatusOr<std::vector<LoadedRun>> ParseRuns(const std::string& text,
                                                 const std::string& file) {
  ValidationRuns parsed;
  MEMWALL_RETURN_IF_ERROR(MergeTextProto(text, file, &parsed));
  std::vector<LoadedRun> out;
  for (int i = 0; i < parsed.runs_size(); ++i) {
    LoadedRun r;
    r.run = parsed.runs(i);
    r.file = file;
    r.index = i;
    r.source_key =
        r.run.source_key().empty() ? StemOf(file) : r.run.source_key();
    MEMWALL_RETURN_IF_ERROR(ResolveModel(r));
    MEMWALL_RETURN_IF_ERROR(CheckRun(r));
    // The row's stack is the training's (what the step-time model reads).
    r.run.mutable_training()->set_stack(r.run.stack());
    out.push_back(std::move(r));
  }
  return out;
}

absl::Status CheckRuns(const std::vector<LoadedRun>& runs) {
  if (runs.empty()) {
    return absl::InvalidArgumentError(
        "no runs: a runs file needs at least one `runs { ... }` row");
  }
  std::map<std::string, const LoadedRun*> names;
  std::map<std::string, const LoadedRun*> configs;
  for (const LoadedRun& r : runs) {
    auto [it, added] = names.emplace(r.run.name(), &r);
    if (!added) {
      return RowError(
          r, absl::StrCat("name=\"", r.run.name(), "\" is already used by ",
                          RowLabel(*it->second)));
    }
    auto [same, fresh] = configs.emplace(ConfigKey(r), &r);
    if (!fresh) {
      const LoadedRun& o = *same->second;
      const bool comparable =
          (r.run.measured().tflops_per_gpu() > 0) ==
              (o.run.measured().tflops_per_gpu() > 0) &&
          r.run.measured().flop_formula() == o.run.measured().flop_formula();
      const double a = DirectStepTime(r.run);
      const double b = DirectStepTime(o.run);
      if (comparable && std::abs(a / b - 1) > 0.10) {
        return RowError(
            r, absl::StrCat("measured contradicts ", RowLabel(o),
                            ": the same configuration with step times ", a,
                            " s and ", b, " s (more than 10% apart)"));
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<LoadedRun>> LoadRuns(const std::string& path) {
  std::vector<LoadedRun> runs;
  auto append = [&](const std::string& text,
                    const std::string& file) -> absl::Status {
    MEMWALL_ASSIGN_OR_RETURN(std::vector<LoadedRun> rows,
                             ParseRuns(text, file));
    for (LoadedRun& r : rows) runs.push_back(std::move(r));
    return absl::OkStatus();
  };
  if (path.empty()) {
    for (const std::string& name : TextZooNames(ValidationTextZoo())) {
      MEMWALL_RETURN_IF_ERROR(
          append(FindTextZoo(ValidationTextZoo(), name),
                 absl::StrCat("validation/", name, ".textproto")));
    }
  } else {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      std::vector<std::string> files;
      for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
        if (entry.path().extension() == ".textproto") {
          files.push_back(entry.path().string());
        }
      }
      std::sort(files.begin(), files.end());
      if (files.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "--runs=", path, ": the directory has no .textproto files"));
      }
      for (const std::string& f : files) {
        std::string text;
        MEMWALL_RETURN_IF_ERROR(ReadFile(f, &text));
        MEMWALL_RETURN_IF_ERROR(append(text, f));
      }
    } else {
      std::string text;
      MEMWALL_RETURN_IF_ERROR(ReadFile(path, &text));
      MEMWALL_RETURN_IF_ERROR(append(text, path));
      if (runs.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(
            path,
            ": no runs (a runs file needs at least one `runs { ... }` "
            "row)"));
      }
    }
  }
  MEMWALL_RETURN_IF_ERROR(CheckRuns(runs));
  return runs;
}

absl::StatusOr<std::vector<LoadedRun>> FilterRuns(std::vector<LoadedRun> runs,
                                                  const std::string& source) {
  if (source.empty()) return runs;
  std::vector<LoadedRun> kept;
  std::vector<std::string> keys;
  for (LoadedRun& r : runs) {
    if (r.source_key == source || StemOf(r.file) == source) {
      kept.push_back(std::move(r));
    } else if (keys.empty() || keys.back() != r.source_key) {
      keys.push_back(r.source_key);
    }
  }
  if (kept.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--source=", source,
                     " matches no runs; sources: ", absl::StrJoin(keys, ", ")));
  }
  return kept;
}

}  // namespace memwall
