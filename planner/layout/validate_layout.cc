#include "planner/layout/validate_layout.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/enum_names.h"
#include "common/status.h"

namespace memwall {
namespace {

absl::Status Bad(absl::string_view flag, int64_t value, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("--", flag, "=", value, " ", why));
}

absl::Status MustDivide(absl::string_view flag, int64_t value,
                        absl::string_view what, int64_t total) {
  if (total % value == 0) return absl::OkStatus();
  return Bad(flag, value, absl::StrCat("must divide ", what, "=", total));
}

// The pipeline split's rules (stage_split.h).
absl::Status CheckSplit(const LayoutLimits& m, int64_t pp, int64_t vpp,
                        int64_t first, int64_t last, bool embedding,
                        bool loss) {
  const int64_t chunks = pp * vpp;
  if (vpp > 1 && pp == 1) return Bad("vpp", vpp, "needs --pp > 1");
  if (first < 0)
    return Bad("first_stage_layers", first, "must not be negative");
  if (last < 0) return Bad("last_stage_layers", last, "must not be negative");
  const bool given = first > 0 || last > 0;
  if (given && (embedding || loss)) {
    return absl::InvalidArgumentError(
        "--first/last_stage_layers and --account_embedding/loss_in_split are "
        "two split rules; give one");
  }
  if (m.layers == 0 || !m.transformer) return absl::OkStatus();
  if (given) {
    const int64_t set = (first > 0 ? 1 : 0) + (last > 0 ? 1 : 0);
    if (pp < set + (first + last < m.layers ? 1 : 0) || pp < 2) {
      return Bad("pp", pp,
                 absl::StrCat("is too few stages for --first_stage_layers=",
                              first, " and --last_stage_layers=", last,
                              " of num_layers=", m.layers));
    }
    if (first % vpp != 0) {
      return Bad("first_stage_layers", first,
                 absl::StrCat("must be a multiple of --vpp=", vpp));
    }
    if (last % vpp != 0) {
      return Bad("last_stage_layers", last,
                 absl::StrCat("must be a multiple of --vpp=", vpp));
    }
    const int64_t rest = m.layers - first - last;
    const int64_t middle = (pp - set) * vpp;
    if (rest < 0 || (middle == 0 && rest != 0) ||
        (middle > 0 && (rest == 0 || rest % middle != 0))) {
      return absl::InvalidArgumentError(absl::StrCat(
          "num_layers=", m.layers, " - --first_stage_layers=", first,
          " - --last_stage_layers=", last, " = ", rest,
          " must split evenly (and non-empty) over the other ", pp - set,
          " stages x --vpp=", vpp));
    }
    return absl::OkStatus();
  }
  if (embedding || loss) {
    const int64_t counted = m.layers + (embedding ? 1 : 0) + (loss ? 1 : 0);
    if (counted % chunks != 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--pp=", pp, " x --vpp=", vpp, " = ", chunks,
          " must divide num_layers=", m.layers,
          " plus the embedding and loss counted as layers = ", counted));
    }
    return absl::OkStatus();
  }
  if (chunks > m.layers) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--pp=", pp, " x --vpp=", vpp, " = ", chunks, " exceeds num_layers=",
        m.layers, " (every model chunk needs a layer)"));
  }
  return absl::OkStatus();
}

// The fixed degrees among dp, tp, pp and cp must divide the GPUs (equal them
// when all four are fixed). 128-bit: each is below 2^24.
absl::Status CheckGpus(const LayoutChoice& c, int64_t gpus) {
  __int128 product = 1;
  std::string named;
  int fixed = 0;
  for (const auto& [flag, value] :
       {std::pair<absl::string_view, std::optional<int64_t>>{"dp", c.dp},
        {"tp", c.tp},
        {"pp", c.pp},
        {"cp", c.cp}}) {
    if (!value) continue;
    ++fixed;
    product *= *value;
    absl::StrAppend(&named, named.empty() ? "" : " x ", "--", flag, "=",
                    *value);
  }
  if (fixed > 0) {
    const std::string shown =
        fixed > 1 ? absl::StrCat(named, " = ",
                                 static_cast<int64_t>(std::min<__int128>(
                                     product, __int128{1} << 62)))
                  : named;
    if (product > (__int128{1} << 40)) {
      return absl::InvalidArgumentError(
          absl::StrCat(shown, " exceeds 2^40 GPUs"));
    }
    if (gpus > 0 && fixed == 4 && product != gpus) {
      return absl::InvalidArgumentError(
          absl::StrCat(shown, " must equal --gpus=", gpus));
    }
    if (gpus > 0 && gpus % static_cast<int64_t>(product) != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(shown, " must divide --gpus=", gpus));
    }
  }
  return absl::OkStatus();
}

// Then the batch and the sequence: the global batch splits into micro-batches
// of every data-parallel rank; CP splits the sequence.
absl::Status CheckGpusAndBatch(const LayoutLimits& m, const LayoutChoice& c,
                               int64_t gpus) {
  MEMWALL_RETURN_IF_ERROR(CheckGpus(c, gpus));
  if (m.global_batch > 0) {
    if (c.dp && c.micro_batch &&
        m.global_batch % (*c.dp * *c.micro_batch) != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("--global_batch=", m.global_batch,
                       " must be a multiple of --micro_batch=", *c.micro_batch,
                       " x --dp=", *c.dp, " = ", *c.dp * *c.micro_batch));
    }
    if (c.dp)
      MEMWALL_RETURN_IF_ERROR(
          MustDivide("dp", *c.dp, "--global_batch", m.global_batch));
    if (c.micro_batch) {
      MEMWALL_RETURN_IF_ERROR(MustDivide("micro_batch", *c.micro_batch,
                                         "--global_batch", m.global_batch));
    }
    // Megatron-LM's interleaved schedule runs micro-batches in groups of pp.
    if (c.dp && c.micro_batch && c.pp && c.vpp && *c.vpp > 1 &&
        (m.global_batch / (*c.dp * *c.micro_batch)) % *c.pp != 0) {
      return Bad("vpp", *c.vpp,
                 absl::StrCat("needs micro-batches per step (",
                              m.global_batch / (*c.dp * *c.micro_batch),
                              ") divisible by --pp=", *c.pp));
    }
  }
  if (c.cp && m.seq_len > 0) {
    MEMWALL_RETURN_IF_ERROR(MustDivide("cp", *c.cp, "--seq_len", m.seq_len));
  }
  return absl::OkStatus();
}

}  // namespace

LayoutLimits LimitsOf(const ModelSpec& model, const TrainingSpec& training,
                      const ClusterSpec* cluster) {
  LayoutLimits m;
  m.transformer = model.has_transformer();
  if (m.transformer) {
    const TransformerSpec& s = model.transformer();
    m.heads = s.num_heads();
    m.kv_heads = s.has_num_kv_heads() ? s.num_kv_heads() : s.num_heads();
    m.layers = s.num_layers() + s.num_decoder_layers();
    m.experts = s.moe().num_experts();
  }
  m.seq_len = training.seq_len();
  m.global_batch = training.global_batch();
  m.eager_kernels = training.kernels() == KERNELS_EAGER;
  if (cluster != nullptr) {
    m.gpus_per_node = cluster->gpus_per_node();
    m.host_offload = cluster->host_bandwidth_bytes_per_s() > 0 &&
                     cluster->host_memory_bandwidth_bytes_per_s() > 0;
  }
  return m;
}

absl::Status CheckLayoutChoice(const LayoutLimits& m, const LayoutChoice& c,
                               int64_t gpus) {
  for (const LayoutInt& f : kLayoutInts) {
    const std::optional<int64_t>& value = c.*f.choice;
    if (!value) continue;
    if (*value < f.min) {
      return Bad(f.flag, *value,
                 f.min == 1 ? "must be positive" : "must not be negative");
    }
    if (*value > kMaxDegree) {
      return Bad(f.flag, *value, absl::StrCat("exceeds ", kMaxDegree));
    }
  }
  if (c.zero_stage && (*c.zero_stage < 0 || *c.zero_stage > 3)) {
    return Bad("zero", *c.zero_stage, "must be 0, 1, 2 or 3");
  }
  if (c.offload == OFFLOAD_PARAMS && c.zero_stage && *c.zero_stage != 3) {
    return Bad("zero", *c.zero_stage,
               "must be 3 to offload parameters (--offload=params, "
               "ZeRO-Infinity)");
  }
  if (c.offload && *c.offload != OFFLOAD_NONE && !m.host_offload) {
    return absl::InvalidArgumentError(
        "--offload needs the cluster's host link and host memory bandwidth "
        "(cluster.host_bandwidth_bytes_per_s and "
        "host_memory_bandwidth_bytes_per_s)");
  }
  if (c.pp && *c.pp > kMaxPipelineStages) {
    return Bad(
        "pp", *c.pp,
        absl::StrCat("exceeds ", kMaxPipelineStages, " pipeline stages"));
  }
  if (c.sequence_parallel == true && c.tp == 1) {
    return absl::InvalidArgumentError("--sequence_parallel needs --tp > 1");
  }
  if (c.tp_overlap == true) {
    if (c.sequence_parallel == false) {
      return absl::InvalidArgumentError(
          "--tp_overlap needs --sequence_parallel");
    }
    if (c.tp && m.gpus_per_node > 0 && *c.tp > m.gpus_per_node) {
      return Bad("tp", *c.tp,
                 absl::StrCat("exceeds cluster.gpus_per_node=", m.gpus_per_node,
                              "; --tp_overlap needs the TP group inside a "
                              "node"));
    }
  }
  if (c.pp && m.layers > 0 && *c.pp > m.layers) {
    return Bad("pp", *c.pp, absl::StrCat("exceeds num_layers=", m.layers));
  }
  if (!m.transformer) {
    for (const auto& [flag, value] :
         {std::pair<absl::string_view, std::optional<int64_t>>{"tp", c.tp},
          {"cp", c.cp},
          {"ep", c.ep},
          {"vpp", c.vpp}}) {
      if (value && *value > 1) {
        return Bad(flag, *value,
                   "is not available for a layer-graph model (data, ZeRO and "
                   "pipeline parallelism only)");
      }
    }
    return CheckGpusAndBatch(m, c, gpus);
  }
  if (m.eager_kernels) {
    constexpr absl::string_view kEager =
        "needs --kernels=fused: --kernels=eager describes modules on one "
        "device without recompute or flash attention";
    for (const auto& [flag, value] :
         {std::pair<absl::string_view, std::optional<int64_t>>{"tp", c.tp},
          {"cp", c.cp},
          {"ep", c.ep}}) {
      if (value && *value > 1) return Bad(flag, *value, kEager);
    }
    if (c.sequence_parallel == true || c.flash_attention == true ||
        (c.recompute && *c.recompute != RECOMPUTE_NONE)) {
      return absl::InvalidArgumentError(
          absl::StrCat(c.sequence_parallel == true ? "--sequence_parallel "
                       : c.flash_attention == true
                           ? "--flash_attention "
                           : "--recompute=" + EnumName(*c.recompute) + " ",
                       kEager));
    }
  }
  if (c.tp && m.heads > 0) {
    MEMWALL_RETURN_IF_ERROR(MustDivide("tp", *c.tp, "num_heads", m.heads));
    MEMWALL_RETURN_IF_ERROR(
        MustDivide("tp", *c.tp, "num_kv_heads", m.kv_heads));
  }
  if (c.pp) {
    MEMWALL_RETURN_IF_ERROR(CheckSplit(
        m, *c.pp, c.vpp.value_or(1), c.first_stage_layers.value_or(0),
        c.last_stage_layers.value_or(0), c.account_embedding.value_or(false),
        c.account_loss.value_or(false)));
  }
  if (c.ep && *c.ep > 1 && m.experts == 0) {
    return Bad("ep", *c.ep, "needs a model with experts (moe.num_experts=0)");
  }
  if (c.ep && m.experts > 0) {
    MEMWALL_RETURN_IF_ERROR(
        MustDivide("ep", *c.ep, "moe.num_experts", m.experts));
  }
  if (c.ep && c.dp && c.tp && c.cp) {
    const int64_t etp = c.etp.value_or(*c.tp);
    const int64_t ranks = *c.dp * *c.tp * *c.cp;
    if (ranks % (*c.ep * etp) != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("--ep=", *c.ep, " x --etp=", etp,
                       " must divide --dp x --tp x --cp=", ranks));
    }
  }
  return CheckGpusAndBatch(m, c, gpus);
}

absl::Status ValidateLayout(const LayoutLimits& limits,
                            const ParallelLayout& layout, int64_t gpus,
                            const ScheduleOptions& schedule) {
  return CheckLayoutChoice(limits, FixAll(layout, schedule), gpus);
}

}  // namespace memwall
