// Per-stage memory of one rank (see evaluator.h; formulas and sources in
// docs/memory.md).
#include "planner/memory/evaluator.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "common/units.h"
#include "planner/memory/deepspeed_estimator.h"
#include "planner/memory/pipeline_schedule.h"
#include "planner/model/validate_transformer.h"

namespace memwall {
namespace {

// CUDA context and library workspaces when the cluster does not say
// (formulas.md §8: "about 0.3-2 GiB"; PyTorch + cuBLAS + NCCL on an A100
// measure about 1 GiB).
constexpr int64_t kDefaultCudaContextBytes = kGiB;
// NCCL buffers per communicator: NCCL_BUFFSIZE (4 MiB default, NCCL docs) x 16
// channels.
constexpr double kNcclBytesPerCommunicator = 16.0 * 4 * kMiB;
// Fraction of HBM the caching allocator can use before fragmentation fails an
// allocation when the cluster does not say.
constexpr double kDefaultUsableFraction = 0.95;

int64_t Round(double bytes) {
  return static_cast<int64_t>(std::llround(bytes));
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
  MemoryEvaluator e;
  e.model_ = model;
  e.training_ = training;
  e.profile_ = profile;
  const TransformerSpec& s = model.transformer();
  e.params_ = CountParams(s);
  ParamConvention megatron;
  megatron.linear_bias = false;
  megatron.learned_positions = false;
  e.megatron_params_ = CountParams(s, megatron);
  e.sequence_ = LayerSequence(s);
  for (int k = 0; k < kNumLayerKinds; ++k) {
    e.prefix_[k].assign(e.sequence_.size() + 1, 0);
    for (size_t i = 0; i < e.sequence_.size(); ++i) {
      e.prefix_[k][i + 1] =
          e.prefix_[k][i] + (static_cast<int>(e.sequence_[i]) == k ? 1 : 0);
    }
  }
  // The founding tables' NLP activations look like 16-bit activations
  // (seed-ground-truth §3.4).
  e.activation_bytes_ =
      profile == PROFILE_SEED ? 2 : ActivationBytes(training.dtype());
  for (int k = 0; k < kNumLayerKinds; ++k) {
    for (int flash = 0; flash < 2; ++flash) {
      for (int r = 0; r < 3; ++r) {
        e.coeff_[k][flash][r] = LayerActivationCoefficients(
            s, static_cast<LayerKind>(k), flash == 1,
            static_cast<Recompute>(r + 1), e.activation_bytes_);
      }
    }
  }
  e.state_bytes_ =
      BytesPerParam(profile, training.dtype(), training.optimizer());
  if (cluster != nullptr) {
    e.capacity_bytes_ = cluster->gpu().hbm_bytes();
    if (cluster->gpus_per_node() > 0)
      e.gpus_per_node_ = cluster->gpus_per_node();
    e.cuda_context_bytes_ = cluster->gpu().reserved_bytes();
    e.usable_fraction_ = cluster->gpu().usable_fraction();
  }
  if (e.cuda_context_bytes_ <= 0)
    e.cuda_context_bytes_ = kDefaultCudaContextBytes;
  if (e.usable_fraction_ <= 0 || e.usable_fraction_ > 1)
    e.usable_fraction_ = kDefaultUsableFraction;
  return e;
}

absl::Status MemoryEvaluator::CheckLayout(const ParallelLayout& layout,
                                          int64_t gpus) const {
  return ValidateLayout(model_, training_, layout, gpus);
}

std::array<int64_t, kNumLayerKinds> MemoryEvaluator::StageLayerCounts(
    const ParallelLayout& l, int stage) const {
  std::array<int64_t, kNumLayerKinds> counts{};
  const int64_t layers = static_cast<int64_t>(sequence_.size());
  const auto add = [&](int64_t first, int64_t count) {
    for (int k = 0; k < kNumLayerKinds; ++k) {
      counts[k] += prefix_[k][first + count] - prefix_[k][first];
    }
  };
  if (l.vpp <= 1) {
    const LayerRange r = StageLayers(layers, l.pp, stage);
    add(r.first, r.count);
  } else {
    const int64_t chunk = layers / (l.pp * l.vpp);
    for (int64_t j = 0; j < l.vpp; ++j) add((stage + j * l.pp) * chunk, chunk);
  }
  return counts;
}

StageBreakdown MemoryEvaluator::EvaluateStage(const ParallelLayout& l,
                                              int stage) const {
  const TransformerSpec& s = model_.transformer();
  const std::array<int64_t, kNumLayerKinds> counts = StageLayerCounts(l, stage);
  const bool first = stage == 0, last = stage == l.pp - 1;
  const double t = static_cast<double>(l.tp);
  const double pp = static_cast<double>(l.pp);
  const bool megatron = profile_ == PROFILE_MEGATRON;

  // Parameters held by this rank: TP-sharded, replicated, and expert (EP x ETP)
  // parts.
  const TransformerParams& p = megatron ? megatron_params_ : params_;
  double sharded = 0, replicated = 0, expert = 0;
  StageBreakdown out;
  for (int k = 0; k < kNumLayerKinds; ++k) {
    out.num_layers += counts[k];
    // ALBERT: a stage holds each shared parameter set once.
    const double held = static_cast<double>(
        s.num_shared_layer_groups() > 0
            ? std::min(counts[k], s.num_shared_layer_groups())
            : counts[k]);
    const LayerParams& lp = p.layer[k];
    sharded +=
        held * static_cast<double>(lp.attention + lp.cross_attention + lp.mlp);
    replicated += held * static_cast<double>(lp.norms + lp.router);
    expert += held * static_cast<double>(lp.experts);
  }
  if (megatron) {
    // Megatron HEAD: embedding h V_pad / t on the first stage (and the untied
    // output layer when p = 1); the final norm spread as final_norm / p over
    // the stages.
    const double v_pad = static_cast<double>(PaddedVocab(s.vocab_size(), l.tp));
    const double hv = static_cast<double>(s.hidden_size()) * v_pad;
    if (first) sharded += hv * ((!s.tied_embeddings() && l.pp == 1) ? 2 : 1);
    replicated += static_cast<double>(p.final_norms) / pp;
  } else {
    if (first) {
      sharded += static_cast<double>(p.word_embedding);
      replicated += static_cast<double>(
          p.embedding_projection + p.position_embedding +
          p.token_type_embedding + p.embedding_norm + p.relative_bias);
    }
    if (last) {
      // Tied embeddings: with p > 1 the last stage keeps its own copy of the
      // word embedding for the output layer (Megatron-LM, GPT-2/3 with
      // pipelining).
      const double out_layer =
          s.tied_embeddings()
              ? (l.pp > 1 ? static_cast<double>(p.word_embedding) : 0)
              : static_cast<double>(p.output_layer);
      sharded += out_layer + static_cast<double>(p.mlm_head);
      replicated += static_cast<double>(p.final_norms + p.pooler);
    }
  }
  const double dense_params = sharded / t + replicated;
  const double expert_params = expert / static_cast<double>(l.ep * l.etp);
  out.params = Round(dense_params + expert_params);

  // Model states. Shard group: memwall shards over DP x CP (Megatron's
  // distributed optimizer does); the other profiles' sources use the
  // data-parallel degree.
  ModelStateOptions o;
  o.profile = profile_;
  o.dtype = training_.dtype();
  o.optimizer = training_.optimizer();
  o.zero_stage = l.zero_stage;
  o.distributed_optimizer = training_.distributed_optimizer();
  o.offload = l.offload;
  const int64_t dense_group = profile_ == PROFILE_MEMWALL ? l.dp * l.cp : l.dp;
  const int64_t expert_group =
      std::max<int64_t>(1, l.dp * l.tp * l.cp / (l.ep * l.etp));
  const ShardedStateBytes d = ShardedBytesPerParam(o, dense_group);
  const ShardedStateBytes x = ShardedBytesPerParam(o, expert_group);
  out.weights_bytes =
      Round(dense_params * d.weights + expert_params * x.weights);
  out.gradients_bytes =
      Round(dense_params * d.gradients + expert_params * x.gradients);
  out.optimizer_bytes =
      Round(dense_params * d.optimizer + expert_params * x.optimizer);
  out.host_bytes = Round(dense_params * d.host + expert_params * x.host);

  // Activations.
  const double seq = static_cast<double>(training_.seq_len());
  const double b = static_cast<double>(l.micro_batch);
  const double h = static_cast<double>(s.hidden_size());
  const double vocab = static_cast<double>(s.vocab_size());
  const int64_t m = training_.global_batch() / (l.micro_batch * l.dp);
  out.in_flight_micro_batches = InFlightMicroBatches(l.pp, l.vpp, stage, m);
  const double in_flight = out.in_flight_micro_batches;
  const double layers = static_cast<double>(out.num_layers);
  double act = 0, transient = 0;
  if (megatron) {
    // theoretical_memory_usage.py: path A (SP + selective) or path B
    // (everything else).
    const double sb = seq * b;
    const double v_pad = static_cast<double>(PaddedVocab(s.vocab_size(), l.tp));
    const double embed = first ? 8 * sb + sb * h : 0;
    if (l.sequence_parallel && l.recompute == RECOMPUTE_SELECTIVE) {
      const double f = static_cast<double>(s.ffn_hidden_size());
      act = (sb * (18 * h + 4 * f) * layers + embed) * in_flight;
      if (l.pp == 1) act += 4 * sb * h * (1 + v_pad / h);
      act /= t;
    } else {
      act = (sb * h * (10 + 24 / t) * layers + embed) * in_flight;
      if (l.pp == 1) act += 2 * (sb * v_pad / t + sb * h);
      act *= 1.05;
    }
  } else if (profile_ == PROFILE_DEEPSPEED) {
    act = 0;  // the estimators count model states only
  } else if (profile_ == PROFILE_ZERO) {
    // ZeRO §3.2: 12 h b s elements per layer in 16-bit, one s h b checkpoint
    // per layer with activation checkpointing; model parallelism divides them.
    const double per_layer = l.recompute == RECOMPUTE_FULL ? 2 : 24;
    act = per_layer * seq / static_cast<double>(l.cp) * b * h * layers *
          in_flight / t;
  } else {
    const double tokens = seq / static_cast<double>(l.cp) * b;
    const double rep_div = l.sequence_parallel ? t : 1;
    const double e = activation_bytes_;
    const int flash = l.flash_attention ? 1 : 0;
    const int r =
        static_cast<int>(l.recompute == RECOMPUTE_UNSPECIFIED ? RECOMPUTE_NONE
                                                              : l.recompute) -
        1;
    double per_mb = 0, largest_layer = 0;
    for (int k = 0; k < kNumLayerKinds; ++k) {
      if (counts[k] == 0) continue;
      const auto layer_bytes = [&](const ActivationCoefficients& c) {
        return tokens * (c.replicated_bytes_per_token / rep_div +
                         c.sharded_bytes_per_token / t +
                         c.expert_bytes_per_token / static_cast<double>(l.etp) +
                         seq * static_cast<double>(s.num_heads()) *
                             c.score_bytes_per_token_pair / t);
      };
      const ActivationCoefficients& c = coeff_[k][flash][r];
      const double one = l.recompute == RECOMPUTE_FULL
                             ? tokens * c.layer_input_bytes_per_token / rep_div
                             : layer_bytes(c);
      per_mb += static_cast<double>(counts[k]) * one;
      // Full recompute: the layer being recomputed holds its whole activations
      // for its backward.
      largest_layer = std::max(largest_layer, layer_bytes(coeff_[k][flash][0]));
    }
    // Embedding: int64 token ids and the embedding-dropout mask (Korthikanti
    // §4.3).
    if (first) per_mb += tokens * (8 + (s.dropout() ? h / rep_div : 0));
    act = per_mb * in_flight;
    if (last) {
      // Final-norm input and output-layer input (16-bit), fp32 logits of one
      // micro-batch.
      act += tokens * (2 * e * h / rep_div + 4 * vocab / t);
    }
    if (profile_ == PROFILE_MEMWALL) {
      if (l.recompute == RECOMPUTE_FULL) transient += largest_layer;
      if (last)
        transient += tokens * 4 * vocab / t;  // gradient of the fp32 logits
    }
  }
  out.activations_bytes = Round(act);

  // Other memory.
  if (profile_ == PROFILE_MEMWALL) {
    out.cuda_context_bytes = cuda_context_bytes_;
    int communicators = 0;
    for (int64_t degree : {l.tp, l.cp, l.dp, l.pp, l.ep})
      communicators += degree > 1 ? 1 : 0;
    double comm = communicators * kNcclBytesPerCommunicator;
    // Pipeline send/receive buffers of one micro-batch's boundary activation
    // each way.
    if (l.pp > 1) {
      comm += 2 * seq / static_cast<double>(l.cp) * b * h * activation_bytes_ /
              (l.sequence_parallel ? t : 1);
    }
    out.comm_buffer_bytes = Round(comm);
    if (l.zero_stage == 3) {
      // ZeRO-3: the gathered layer, the prefetched next layer, and the
      // unsharded gradient of the layer being reduced.
      double largest = 0;
      for (int k = 0; k < kNumLayerKinds; ++k) {
        if (counts[k] == 0) continue;
        const LayerParams& lp = p.layer[k];
        largest = std::max(
            largest,
            static_cast<double>(lp.attention + lp.cross_attention + lp.mlp) /
                    t +
                static_cast<double>(lp.norms + lp.router) +
                static_cast<double>(lp.experts) /
                    static_cast<double>(l.ep * l.etp));
      }
      out.zero3_gathered_bytes =
          Round(largest * (2 * state_bytes_.weights + state_bytes_.gradients));
    }
    out.transient_bytes = Round(transient);
    const double before = static_cast<double>(
        out.weights_bytes + out.gradients_bytes + out.optimizer_bytes +
        out.activations_bytes + out.cuda_context_bytes + out.comm_buffer_bytes +
        out.zero3_gathered_bytes + out.transient_bytes);
    out.allocator_headroom_bytes = Round(before / usable_fraction_ - before);
  } else if (profile_ == PROFILE_DEEPSPEED && l.zero_stage == 3) {
    // stage3.py: 4 x largest layer (its gathered fp16 parameters and
    // gradients).
    out.zero3_gathered_bytes = 4 * params_.largest_module;
  }
  out.other_bytes = out.cuda_context_bytes + out.comm_buffer_bytes +
                    out.zero3_gathered_bytes + out.allocator_headroom_bytes +
                    out.transient_bytes;
  out.total_bytes = out.weights_bytes + out.gradients_bytes +
                    out.optimizer_bytes + out.activations_bytes +
                    out.other_bytes;
  return out;
}

MemoryBreakdown MemoryEvaluator::Evaluate(const ParallelLayout& l) const {
  MemoryBreakdown out;
  out.num_stages = static_cast<int>(l.pp);
  out.capacity_bytes = capacity_bytes_;
  for (int i = 0; i < out.num_stages; ++i) {
    out.stages[i] = EvaluateStage(l, i);
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
  for (int i = 0; i < static_cast<int>(l.pp); ++i) {
    const StageBreakdown stage = EvaluateStage(l, i);
    if (i == 0 || stage.total_bytes > out.peak_bytes) {
      out.peak_bytes = stage.total_bytes;
      out.peak_stage = i;
      out.stage = stage;
    }
  }
  out.fits = capacity_bytes_ == 0 || out.peak_bytes <= capacity_bytes_;
  return out;
}

}  // namespace memwall
