#include "planner/model/validate_layout.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace memwall {
namespace {

absl::Status Bad(absl::string_view field, int64_t value,
                 absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("layout.", field, "=", value, " ", why));
}

absl::Status MustDivide(absl::string_view field, int64_t value,
                        absl::string_view other, int64_t other_value) {
  if (other_value % value == 0) return absl::OkStatus();
  return Bad(field, value,
             absl::StrCat("must divide ", other, "=", other_value));
}

}  // namespace

absl::Status ValidateLayout(const ModelSpec& model,
                            const TrainingSpec& training,
                            const ParallelLayout& l, int64_t gpus) {
  // Degrees up to 2^24 keep every product of them inside int64.
  constexpr int64_t kMaxDegree = int64_t{1} << 24;
  for (const auto& [name, value] :
       {std::pair<absl::string_view, int64_t>{"dp", l.dp},
        {"tp", l.tp},
        {"pp", l.pp},
        {"vpp", l.vpp},
        {"cp", l.cp},
        {"ep", l.ep},
        {"etp", l.etp},
        {"micro_batch", l.micro_batch}}) {
    if (value <= 0) return Bad(name, value, "must be positive");
    if (value > kMaxDegree)
      return Bad(name, value, absl::StrCat("exceeds ", kMaxDegree));
  }
  if (l.zero_stage < 0 || l.zero_stage > 3) {
    return Bad("zero_stage", l.zero_stage, "must be 0, 1, 2 or 3");
  }
  if (l.offload == OFFLOAD_PARAMS && l.zero_stage != 3) {
    return Bad("zero_stage", l.zero_stage,
               "must be 3 to offload parameters (--offload=params)");
  }
  if (l.pp > kMaxPipelineStages) {
    return Bad("pp", l.pp,
               absl::StrCat("exceeds ", kMaxPipelineStages, " stages"));
  }
  if (l.sequence_parallel && l.tp == 1) {
    return absl::InvalidArgumentError(
        "layout.sequence_parallel needs layout.tp > 1 (tp=1)");
  }
  // Each degree is below 2^24, so the product of four needs 128 bits.
  const __int128 wide = static_cast<__int128>(l.dp) * l.tp * l.pp * l.cp;
  if (wide > (static_cast<__int128>(1) << 40)) {
    return absl::InvalidArgumentError(
        absl::StrCat("layout.dp=", l.dp, " x tp=", l.tp, " x pp=", l.pp,
                     " x cp=", l.cp, " exceeds 2^40 GPUs"));
  }
  const int64_t product = static_cast<int64_t>(wide);
  if (gpus > 0 && product != gpus) {
    return absl::InvalidArgumentError(absl::StrCat(
        "layout.dp=", l.dp, " x tp=", l.tp, " x pp=", l.pp, " x cp=", l.cp,
        " = ", product, " must equal gpus=", gpus));
  }
  const int64_t per_step = l.micro_batch * l.dp;
  if (training.global_batch() % per_step != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "training.global_batch=", training.global_batch(),
        " must be a multiple of layout.micro_batch=", l.micro_batch,
        " x layout.dp=", l.dp, " = ", per_step));
  }
  if (training.seq_len() % l.cp != 0) {
    return MustDivide("cp", l.cp, "training.seq_len", training.seq_len());
  }
  if (!model.has_transformer()) return absl::OkStatus();
  const TransformerSpec& s = model.transformer();
  if (absl::Status st =
          MustDivide("tp", l.tp, "model.transformer.num_heads", s.num_heads());
      !st.ok()) {
    return st;
  }
  const int64_t kv = s.has_num_kv_heads() ? s.num_kv_heads() : s.num_heads();
  if (absl::Status st =
          MustDivide("tp", l.tp, "model.transformer.num_kv_heads", kv);
      !st.ok()) {
    return st;
  }
  const int64_t layers = s.num_layers() + s.num_decoder_layers();
  if (l.pp > layers) {
    return Bad(
        "pp", l.pp,
        absl::StrCat("exceeds the layers model.transformer.num_layers",
                     s.num_decoder_layers() > 0 ? "+num_decoder_layers" : "",
                     "=", layers));
  }
  if (l.vpp > 1 && layers % (l.pp * l.vpp) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("layout.pp=", l.pp, " x layout.vpp=", l.vpp,
                     " must divide the layers=", layers));
  }
  if (l.vpp > 1 && l.pp == 1) return Bad("vpp", l.vpp, "needs layout.pp > 1");
  const int64_t experts = s.moe().num_experts();
  if (experts > 0) {
    if (absl::Status st = MustDivide(
            "ep", l.ep, "model.transformer.moe.num_experts", experts);
        !st.ok()) {
      return st;
    }
    if ((l.dp * l.tp * l.cp) % (l.ep * l.etp) != 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "layout.ep=", l.ep, " x layout.etp=", l.etp,
          " must divide layout.dp x tp x cp=", l.dp * l.tp * l.cp));
    }
  } else if (l.ep > 1) {
    return Bad(
        "ep", l.ep,
        "needs a model with experts (model.transformer.moe.num_experts=0)");
  }
  return absl::OkStatus();
}

}  // namespace memwall
