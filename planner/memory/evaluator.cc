// Per-stage memory of one rank (see evaluator.h; formulas and sources in
// docs/memory.md).
#include "planner/memory/evaluator.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "common/checked.h"
#include "common/status.h"
#include "common/units.h"
#include "planner/memory/evaluator_terms.h"
#include "planner/memory/overheads.h"
#include "planner/memory/pipeline_schedule.h"
#include "planner/model/eager_activations.h"
#include "planner/model/validate_transformer.h"

namespace memwall {
namespace {

// Nearest integer for the byte counts here, saturated at kMaxCountedBytes
// (std::llround is a library call, and this runs millions of times in a
// search; it also wraps where this saturates).
inline int64_t Round(double bytes) { return BytesFromDouble(bytes); }

// The implementation conventions (kernels, kernel device, autocast) are
// memwall-profile choices; the other profiles reproduce their sources, so a
// convention there would be a silent no-op and is refused instead.
absl::Status CheckConventions(const ModelSpec& model,
                              const TrainingSpec& training, Profile profile) {
  const bool eager = training.kernels() == KERNELS_EAGER;
  if (training.kernel_device() == KERNEL_DEVICE_CPU && !eager) {
    return absl::InvalidArgumentError(
        "training.kernel_device=cpu changes eager kernels only; it needs "
        "training.kernels=eager");
  }
  if (training.mixed_precision() == MIXED_PRECISION_FSDP &&
      profile != PROFILE_MEMWALL) {
    return absl::InvalidArgumentError(
        "training.mixed_precision=fsdp applies to the memwall profile only");
  }
  if (training.mixed_precision() == MIXED_PRECISION_AUTOCAST) {
    if (profile != PROFILE_MEMWALL) {
      return absl::InvalidArgumentError(
          "training.mixed_precision=autocast applies to the memwall profile "
          "only");
    }
    if (training.dtype() == FP32) {
      return absl::InvalidArgumentError(
          "training.mixed_precision=autocast needs a 16-bit training.dtype, "
          "got FP32");
    }
  }
  const bool sixteen_bit = training.dtype() == BF16 || training.dtype() == FP8;
  const MixedPrecision m = training.mixed_precision();
  if (m == MIXED_PRECISION_PARAM_REMAINDERS) {
    if (profile != PROFILE_MEMWALL) {
      return absl::InvalidArgumentError(
          "training.mixed_precision=param_remainders applies to the memwall "
          "profile only");
    }
    if (!sixteen_bit) {
      return absl::InvalidArgumentError(absl::StrCat(
          "training.mixed_precision=param_remainders needs BF16 or FP8 "
          "training (bf16 weights), got ",
          Dtype_Name(training.dtype())));
    }
  }
  const Dtype g = training.main_grad_dtype();
  if (g != DTYPE_UNSPECIFIED && g != FP32 && g != BF16) {
    return absl::InvalidArgumentError(absl::StrCat(
        "training.main_grad_dtype=", Dtype_Name(g), " must be FP32 or BF16"));
  }
  if (g == BF16) {
    if (profile != PROFILE_MEMWALL) {
      return absl::InvalidArgumentError(
          "training.main_grad_dtype=BF16 applies to the memwall profile only");
    }
    if (!sixteen_bit || m == MIXED_PRECISION_FSDP ||
        m == MIXED_PRECISION_AUTOCAST ||
        (m == MIXED_PRECISION_UNSPECIFIED && training.stack() == STACK_FSDP)) {
      return absl::InvalidArgumentError(
          "training.main_grad_dtype=BF16 needs BF16 or FP8 training with "
          "master weights or parameter remainders (mixed_precision "
          "master_weights or param_remainders)");
    }
  }
  if (eager) return CheckEagerModel(model, training, profile);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<MemoryEvaluator> MemoryEvaluator::Create(
    const ModelSpec& model, const TrainingSpec& training, Profile profile,
    const ClusterSpec* cluster) {
  if (!model.has_transformer()) {
    return absl::UnimplementedError(
        absl::StrCat("model '", model.name(),
                     "' is a layer graph; its memory comes from graph_memory"));
  }
  MEMWALL_RETURN_IF_ERROR(ValidateModel(model));
  MEMWALL_RETURN_IF_ERROR(ValidateTraining(training));
  if (profile == PROFILE_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        "profile is unset (memwall, megatron, deepspeed, zero, seed)");
  }
  MEMWALL_RETURN_IF_ERROR(CheckConventions(model, training, profile));
  MemoryEvaluator e;
  e.model_ = model;
  e.training_ = training;
  e.profile_ = profile;
  const TransformerSpec& s = model.transformer();
  e.params_ = CountParams(s);
  ParamConvention megatron;
  megatron.linear_bias = false;
  megatron.learned_positions = false;
  e.stage_params_ = StageParamModel(s, e.params_);
  e.megatron_stage_params_ = StageParamModel(s, CountParams(s, megatron));
  const std::vector<LayerKind> sequence = LayerSequence(s);
  e.num_layers_ = static_cast<int64_t>(sequence.size());
  e.single_kind_ = true;
  for (LayerKind kind : sequence) e.single_kind_ &= kind == sequence.front();
  // The founding tables' NLP activations look like 16-bit activations
  // (the founding tables' NLP rows match 16-bit activations best).
  e.activation_bytes_ =
      profile == PROFILE_SEED ? 2 : ActivationBytes(training.dtype());
  e.eager_ = training.kernels() == KERNELS_EAGER;
  // Megatron's cross entropy saves fp32 logits (Korthikanti Sec. 4.3); a fused
  // 16-bit kernel keeps the 16-bit logits (its fp32 log-sum-exp per token is
  // negligible) and writes a 16-bit gradient.
  e.logit_bytes_ = training.cross_entropy() == CROSS_ENTROPY_FUSED_16BIT
                       ? e.activation_bytes_
                       : 4;
  // Transformer Engine's FP8 linear layers save the FP8 cast of their input
  // for the weight-gradient GEMM (memwall profile).
  const int linear_input_bytes =
      profile == PROFILE_MEMWALL && training.dtype() == FP8 ? 1 : 0;
  for (int k = 0; k < kNumLayerKinds; ++k) {
    for (int flash = 0; flash < 2; ++flash) {
      for (int r = 0; r < 3; ++r) {
        // Eager layouts are one device without recompute or flash
        // (ValidateLayout): every slot holds the one eager layer.
        e.coeff_[k][flash][r] =
            e.eager_ ? EagerLayerCoefficients(s, EagerConventionOf(training))
                     : LayerActivationCoefficients(
                           s, static_cast<LayerKind>(k), flash == 1,
                           static_cast<Recompute>(r + 1), e.activation_bytes_,
                           linear_input_bytes);
      }
    }
  }
  // The stack's state convention is the memwall profile's; the other profiles
  // reproduce their sources' own rules.
  e.state_dtype_ =
      profile == PROFILE_MEMWALL
          ? StatesDtype(training.dtype(), training.mixed_precision(),
                        training.stack())
          : training.dtype();
  ModelStateOptions states;
  states.profile = profile;
  states.dtype = e.state_dtype_;
  states.optimizer = training.optimizer();
  states.mixed_precision = training.mixed_precision();
  states.main_grad_dtype = training.main_grad_dtype();
  e.state_bytes_ = BytesPerParam(states);
  if (cluster != nullptr) {
    e.capacity_bytes_ = cluster->gpu().hbm_bytes();
    if (cluster->gpus_per_node() > 0)
      e.gpus_per_node_ = cluster->gpus_per_node();
  }
  e.overheads_ = MemwallOverheads::Of(cluster);
  e.overheads_.cuda_context_bytes = CapBytes(e.overheads_.cuda_context_bytes);
  e.limits_ = LimitsOf(model, training, cluster);
  return e;
}

absl::Status MemoryEvaluator::CheckLayout(const ParallelLayout& layout,
                                          int64_t gpus) const {
  MEMWALL_RETURN_IF_ERROR(ValidateLayout(limits_, layout, gpus));
  // Bytes are int64: reject a layout whose activations alone (in double) would
  // not fit.
  const LayoutTerms x = Prepare(layout);
  double act = x.act_first_per_micro_batch + x.act_last;
  for (int k = 0; k < kNumLayerKinds; ++k) {
    act += x.act_per_layer[k] * static_cast<double>(num_layers_);
  }
  act *= static_cast<double>(layout.pp) * 2 + 1;
  if (act > 1e18) {
    return absl::InvalidArgumentError(absl::StrCat(
        "layout needs about ", act,
        " bytes of activations per GPU, beyond what memwall counts "
        "(1e18); check training.seq_len=",
        training_.seq_len(), " and layout.micro_batch=", layout.micro_batch));
  }
  return absl::OkStatus();
}

MemoryEvaluator::LayoutTerms MemoryEvaluator::Prepare(
    const ParallelLayout& l) const {
  const TransformerSpec& s = model_.transformer();
  const double t = static_cast<double>(l.tp);
  const double pp = static_cast<double>(l.pp);
  const bool megatron = profile_ == PROFILE_MEGATRON;
  LayoutTerms x(PipelineSplit(num_layers_, l));

  // Parameters: where they sit comes from StageParamModel; Megatron's profile
  // replaces the embedding and output terms with its estimator's.
  const StageParamModel& placed =
      megatron ? megatron_stage_params_ : stage_params_;
  x.params = placed.Terms(l);
  if (megatron) {
    // Megatron HEAD: embedding h V_pad / t on the first stage (and the untied
    // output layer when p = 1); the final norm spread as final_norm / p over
    // the stages.
    const double v_pad = static_cast<double>(PaddedVocab(s.vocab_size(), l.tp));
    const double hv = static_cast<double>(s.hidden_size()) * v_pad;
    x.megatron_ends = true;
    x.dense_first = hv * ((!s.tied_embeddings() && l.pp == 1) ? 2 : 1) / t;
    x.dense_every =
        static_cast<double>(megatron_stage_params_.params().final_norms) / pp;
  }

  // Model states. Shard group: memwall shards over DP x CP (Megatron's
  // distributed optimizer does); the other profiles' sources use the
  // data-parallel degree.
  ModelStateOptions o;
  o.profile = profile_;
  o.dtype = state_dtype_;
  o.optimizer = training_.optimizer();
  o.zero_stage = l.zero_stage;
  o.distributed_optimizer = training_.distributed_optimizer();
  o.offload = l.offload;
  o.mixed_precision = training_.mixed_precision();
  o.main_grad_dtype = training_.main_grad_dtype();
  const int64_t dense_group = profile_ == PROFILE_MEMWALL ? l.dp * l.cp : l.dp;
  const int64_t expert_group = std::max<int64_t>(1, l.expert_dp());
  x.dense_bytes = ShardedBytesPerParam(o, dense_group);
  // NeMo marks the word and position embeddings and the output layer
  // `_with_fp32_optimizer`, and MegatronDistributedFusedAdam gives their
  // buckets an fp32 grad_sync_dtype (NeMo megatron_base_model.py,
  // distributed_adam.py): 2 bytes more than a bf16 buffer, unsharded below
  // ZeRO-2.
  if (profile_ == PROFILE_MEMWALL &&
      training_.mixed_precision() == MIXED_PRECISION_PARAM_REMAINDERS &&
      training_.main_grad_dtype() == BF16 && l.zero_stage < 2) {
    const double word = static_cast<double>(params_.word_embedding);
    const double out_layer = s.tied_embeddings()
                                 ? (l.pp > 1 ? word : 0.0)
                                 : static_cast<double>(params_.output_layer);
    x.end_grad_extra_first =
        2 * (word / t + static_cast<double>(params_.position_embedding));
    x.end_grad_extra_last = 2 * out_layer / t;
  }
  x.expert_bytes = ShardedBytesPerParam(o, expert_group);

  // Activations.
  const double seq = static_cast<double>(training_.seq_len());
  const double b = static_cast<double>(l.micro_batch);
  const double h = static_cast<double>(s.hidden_size());
  const double vocab = static_cast<double>(s.vocab_size());
  x.micro_batches = training_.global_batch() / (l.micro_batch * l.dp);
  if (megatron) {
    // theoretical_memory_usage.py: path A (SP + selective) or path B
    // (everything else).
    const double sb = seq * b;
    const double v_pad = static_cast<double>(PaddedVocab(s.vocab_size(), l.tp));
    if (l.sequence_parallel && l.recompute == RECOMPUTE_SELECTIVE) {
      const double f = static_cast<double>(s.ffn_hidden_size());
      x.act_per_layer.fill(sb * (18 * h + 4 * f) / t);
      x.act_first_per_micro_batch = (8 * sb + sb * h) / t;
      if (l.pp == 1) x.act_last = 4 * sb * h * (1 + v_pad / h) / t;
    } else {
      x.act_per_layer.fill(1.05 * sb * h * (10 + 24 / t));
      x.act_first_per_micro_batch = 1.05 * (8 * sb + sb * h);
      if (l.pp == 1) x.act_last = 1.05 * 2 * (sb * v_pad / t + sb * h);
    }
  } else if (profile_ == PROFILE_ZERO) {
    // ZeRO §3.2: 12 h b s elements per layer in 16-bit, one s h b checkpoint
    // per layer with activation checkpointing; model parallelism divides them.
    const double per_layer = l.recompute == RECOMPUTE_FULL ? 2 : 24;
    x.act_per_layer.fill(per_layer * seq / static_cast<double>(l.cp) * b * h /
                         t);
  } else if (profile_ !=
             PROFILE_DEEPSPEED) {  // DeepSpeed's estimators count states only
    const double tokens = seq / static_cast<double>(l.cp) * b;
    const double rep_div = l.sequence_parallel ? t : 1;
    const int flash = l.flash_attention ? 1 : 0;
    const int r =
        static_cast<int>(l.recompute == RECOMPUTE_UNSPECIFIED ? RECOMPUTE_NONE
                                                              : l.recompute) -
        1;
    const auto layer_bytes = [&](const ActivationCoefficients& c) {
      return tokens *
             (c.replicated_bytes_per_token / rep_div +
              c.sharded_bytes_per_token / t +
              c.expert_bytes_per_token / static_cast<double>(l.expert_tp()) +
              seq * static_cast<double>(s.num_heads()) *
                  c.score_bytes_per_token_pair / t);
    };
    for (int k = 0; k < kNumLayerKinds; ++k) {
      const ActivationCoefficients& c = coeff_[k][flash][r];
      x.act_per_layer[k] =
          l.recompute == RECOMPUTE_FULL
              ? tokens * c.layer_input_bytes_per_token / rep_div
              : layer_bytes(c);
      // Full recompute: the layer being recomputed holds its whole activations
      // for its backward.
      if (l.recompute == RECOMPUTE_FULL && profile_ == PROFILE_MEMWALL) {
        x.recompute_transient[k] = layer_bytes(coeff_[k][flash][0]);
      }
    }
    if (eager_) {
      const EagerConvention k = EagerConventionOf(training_);
      // Autocast's 16-bit weight copies are saved by each micro-batch's graph
      // (its own autocast region), so they count with the micro-batches in
      // flight.
      for (int kind = 0; kind < kNumLayerKinds; ++kind)
        x.act_per_layer[kind] += coeff_[kind][flash][r].fixed_bytes;
      x.act_first_per_micro_batch = EagerEmbeddingBytes(s, k, tokens, seq);
      x.act_last = EagerHeadBytes(s, k, tokens);
    } else {
      // Embedding: int64 token ids and the embedding-dropout mask (Korthikanti
      // §4.3).
      x.act_first_per_micro_batch =
          tokens * (8 + (s.dropout() ? h / rep_div : 0));
      // Final-norm input and output-layer input (16-bit), the logits of one
      // micro-batch as the cross-entropy kernel saves them.
      x.act_last = tokens * (2 * activation_bytes_ * h / rep_div +
                             logit_bytes_ * vocab / t);
      // Multi-token-prediction modules (DeepSeek-V3 §2.2) on the last stage,
      // per module: a layer of the last kind, the inputs of its two norms and
      // of the 2h x h projection (4 e h), its final-norm and head inputs (2 e
      // h), and its logits (as the cross-entropy kernel saves them).
      if (s.mtp().num_modules() > 0) {
        const int last_kind =
            static_cast<int>(MainLayerKind(s, s.num_layers() - 1));
        x.act_last += static_cast<double>(s.mtp().num_modules()) *
                      (x.act_per_layer[last_kind] +
                       tokens * (6 * activation_bytes_ * h / rep_div +
                                 logit_bytes_ * vocab / t));
      }
    }
    if (profile_ == PROFILE_MEMWALL)
      x.last_transient = tokens * logit_bytes_ * vocab / t;  // logits grad
  }

  // Other memory.
  if (profile_ == PROFILE_MEMWALL) {
    x.overheads = true;
    x.cuda_context_bytes = overheads_.cuda_context_bytes;
    double comm = MemwallOverheads::CommunicatorBytes(l);
    // Pipeline send/receive buffers of one micro-batch's boundary activation
    // each way.
    if (l.pp > 1) {
      comm += 2 * seq / static_cast<double>(l.cp) * b * h * activation_bytes_ /
              (l.sequence_parallel ? t : 1);
    }
    x.comm_buffer_bytes = Round(comm);
    const bool fp8 = training_.dtype() == FP8;
    for (int k = 0; k < kNumLayerKinds; ++k) {
      const double layer_params =
          x.params.dense_per_layer[k] + x.params.expert_per_layer[k];
      if (l.zero_stage == 3) {
        // Gathered layers cast to FP8 as they run: one layer's FP8 weight
        // and transpose at a time.
        x.zero3_gathered[k] =
            MemwallOverheads::Zero3GatheredBytes(
                layer_params, activation_bytes_, state_bytes_) +
            (fp8 ? kFp8WeightCacheBytesPerParam * layer_params : 0);
      } else if (fp8) {
        x.fp8_weights_per_layer[k] =
            kFp8WeightCacheBytesPerParam * layer_params;
      }
    }
  } else if (profile_ == PROFILE_DEEPSPEED && l.zero_stage == 3) {
    // stage3.py: 4 x largest layer (its gathered fp16 parameters and
    // gradients).
    x.zero3_gathered.fill(4 * static_cast<double>(params_.largest_module));
  }
  return x;
}

StageBreakdown MemoryEvaluator::Stage(const LayoutTerms& x,
                                      const ParallelLayout& l,
                                      int stage) const {
  const bool first = stage == 0, last = stage == l.pp - 1;
  const StageParamCounts placed =
      (x.megatron_ends ? megatron_stage_params_ : stage_params_)
          .Count(x.split, x.params, stage, !x.megatron_ends);
  StageBreakdown out;
  out.num_layers = placed.num_layers;
  double dense = placed.dense + x.dense_every + (first ? x.dense_first : 0);
  const double expert = placed.expert;
  double act = 0, transient = last ? x.last_transient : 0, gathered = 0;
  double fp8_weights = 0;
  for (int k = 0; k < kNumLayerKinds; ++k) {
    if (placed.layers[k] == 0) continue;
    act += static_cast<double>(placed.layers[k]) * x.act_per_layer[k];
    fp8_weights +=
        static_cast<double>(placed.layers[k]) * x.fp8_weights_per_layer[k];
    transient = std::max(
        transient, x.recompute_transient[k] + (last ? x.last_transient : 0));
    gathered = std::max(gathered, x.zero3_gathered[k]);
  }
  out.params = Round(dense + expert);
  out.weights_bytes =
      Round(dense * x.dense_bytes.weights + expert * x.expert_bytes.weights);
  out.gradients_bytes = Round(dense * x.dense_bytes.gradients +
                              expert * x.expert_bytes.gradients +
                              (first ? x.end_grad_extra_first : 0.0) +
                              (last ? x.end_grad_extra_last : 0.0));
  out.optimizer_bytes = Round(dense * x.dense_bytes.optimizer +
                              expert * x.expert_bytes.optimizer);
  out.host_bytes =
      Round(dense * x.dense_bytes.host + expert * x.expert_bytes.host);

  out.in_flight_micro_batches =
      InFlightMicroBatches(l.pp, l.vpp, stage, x.micro_batches);
  act = (act + (first ? x.act_first_per_micro_batch : 0)) *
            out.in_flight_micro_batches +
        (last ? x.act_last : 0);
  out.activations_bytes = Round(act);

  out.zero3_gathered_bytes = Round(gathered);
  if (x.overheads) {
    out.cuda_context_bytes = x.cuda_context_bytes;
    out.comm_buffer_bytes = x.comm_buffer_bytes;
    out.transient_bytes = Round(transient);
    out.fp8_weight_bytes = Round(fp8_weights);
    // Every term is in [0, kMaxCountedBytes] (Round, and the context capped
    // in Create): the sums below cannot overflow (common/checked.h).
    const double before = static_cast<double>(
        CapBytes(out.weights_bytes + out.gradients_bytes + out.optimizer_bytes +
                 out.activations_bytes + out.cuda_context_bytes) +
        CapBytes(out.comm_buffer_bytes + out.zero3_gathered_bytes +
                 out.transient_bytes) +
        out.fp8_weight_bytes);
    out.allocator_headroom_bytes = Round(overheads_.Headroom(before));
  }
  out.other_bytes =
      CapBytes(CapBytes(out.cuda_context_bytes + out.comm_buffer_bytes +
                        out.zero3_gathered_bytes +
                        out.allocator_headroom_bytes + out.transient_bytes) +
               out.fp8_weight_bytes);
  out.total_bytes =
      CapBytes(out.weights_bytes + out.gradients_bytes + out.optimizer_bytes +
               out.activations_bytes + out.other_bytes);
  return out;
}

std::vector<PartBytes> MemoryEvaluator::LayerActivations(
    const ParallelLayout& l) const {
  const LayoutTerms x = Prepare(l);
  const std::vector<LayerKind> sequence = LayerSequence(model_.transformer());
  std::vector<PartBytes> parts;
  parts.reserve(sequence.size() + 2);
  parts.push_back({"embedding", Round(x.act_first_per_micro_batch)});
  for (size_t i = 0; i < sequence.size(); ++i) {
    const int k = static_cast<int>(sequence[i]);
    parts.push_back({absl::StrCat("layer ", i), Round(x.act_per_layer[k])});
  }
  parts.push_back({"head", Round(x.act_last)});
  return parts;
}

StageBreakdown MemoryEvaluator::EvaluateStage(const ParallelLayout& l,
                                              int stage) const {
  return Stage(Prepare(l), l, stage);
}

MemoryBreakdown MemoryEvaluator::Evaluate(const ParallelLayout& l) const {
  MemoryBreakdown out;
  // Layouts must pass CheckLayout (pp <= kMaxPipelineStages); never write past
  // the array.
  out.num_stages =
      static_cast<int>(std::min<int64_t>(l.pp, kMaxPipelineStages));
  out.capacity_bytes = capacity_bytes_;
  const LayoutTerms terms = Prepare(l);
  for (int i = 0; i < out.num_stages; ++i) {
    out.stages[i] = Stage(terms, l, i);
    if (out.stages[i].total_bytes > out.peak_bytes) {
      out.peak_bytes = out.stages[i].total_bytes;
      out.peak_stage = i;
    }
  }
  out.fits = capacity_bytes_ == 0 || out.peak_bytes <= capacity_bytes_;
  return out;
}

PeakMemory MemoryEvaluator::EvaluatePeak(const ParallelLayout& l) const {
  PeakMemory out;
  const LayoutTerms terms = Prepare(l);
  const int pp = static_cast<int>(l.pp);
  const auto consider = [&](int i) {
    const StageBreakdown stage = Stage(terms, l, i);
    if (stage.total_bytes > out.peak_bytes ||
        (stage.total_bytes == out.peak_bytes && i < out.peak_stage)) {
      out.peak_bytes = stage.total_bytes;
      out.peak_stage = i;
      out.stage = stage;
    }
  };
  consider(0);
  if (single_kind_ && pp > 2) {
    // Interior stages of equal length hold the same states and per-micro-batch
    // activations, and the in-flight count (min(p - r, m) under 1F1B,
    // 2(p - r - 1) + (v - 1)p + 1 chunks interleaved) falls with r: the first
    // interior stage of each length is the largest of its length.
    int64_t candidates[3];
    const int n = terms.split.InteriorCandidates(candidates);
    for (int i = 0; i < n; ++i) consider(static_cast<int>(candidates[i]));
  } else {
    for (int i = 1; i < pp - 1; ++i) consider(i);
  }
  if (pp > 1) consider(pp - 1);
  out.fits = capacity_bytes_ == 0 || out.peak_bytes <= capacity_bytes_;
  return out;
}

}  // namespace memwall
