#include "planner/timing/validation_cases.h"

#include "absl/strings/str_cat.h"

namespace memwall {
namespace {

ParallelLayout Make(int64_t tp, int64_t pp, int64_t dp, int64_t micro_batch,
                    Recompute recompute, bool sp) {
  ParallelLayout l;
  l.tp = tp;
  l.pp = pp;
  l.dp = dp;
  l.micro_batch = micro_batch;
  l.recompute = recompute;
  l.sequence_parallel = sp;
  return l;
}

constexpr const char* kNarayanan =
    "Narayanan et al. 2021, arXiv 2104.04473, Table 1 (measured TFLOP/s per "
    "GPU)";
constexpr const char* kKorthikanti =
    "Korthikanti et al. 2022, arXiv 2205.05198, Table 5 (measured seconds per "
    "iteration)";
constexpr const char* kNarayananNote =
    "step time = 96 B s l h^2 (1 + s/6h + V/16lh) / (GPUs x TFLOP/s); full "
    "recomputation "
    "(the FLOP count includes it); micro-batch not published, 1 assumed";

}  // namespace

const std::vector<PublishedRun>& PublishedRuns() {
  static const auto* runs = new std::vector<PublishedRun>{
      // Step times from the published TFLOP/s: 1.5467e16 / (32 x 137e12)
      // = 3.528 s;
      // 3.2484e17 / (256 x 135e12) = 9.399 s; 5.6417e18 / (1536 x 148e12)
      // = 24.817 s.
      {"narayanan-1.7b", kNarayanan, 2304, 24, 24, 32, 512,
       Make(1, 1, 32, 1, RECOMPUTE_FULL, false), 3.528, 137, kNarayananNote},
      {"narayanan-18.4b", kNarayanan, 6144, 48, 40, 256, 1024,
       Make(8, 1, 32, 1, RECOMPUTE_FULL, false), 9.399, 135, kNarayananNote},
      {"narayanan-145.6b", kNarayanan, 12288, 96, 80, 1536, 2304,
       Make(8, 8, 24, 1, RECOMPUTE_FULL, false), 24.817, 148, kNarayananNote},
      {"korthikanti-22b-full", kKorthikanti, 6144, 64, 48, 8, 4,
       Make(8, 1, 1, 4, RECOMPUTE_FULL, false), 1.42, 0,
       "full recomputation, TP all-reduce (no SP)"},
      {"korthikanti-22b-sp-selective", kKorthikanti, 6144, 64, 48, 8, 4,
       Make(8, 1, 1, 4, RECOMPUTE_SELECTIVE, true), 1.10, 0,
       "sequence parallelism + selective recomputation"},
      {"korthikanti-175b-full", kKorthikanti, 12288, 96, 96, 64, 64,
       Make(8, 8, 1, 1, RECOMPUTE_FULL, false), 18.13, 0,
       "full recomputation, TP all-reduce (no SP)"},
      {"korthikanti-175b-sp-selective", kKorthikanti, 12288, 96, 96, 64, 64,
       Make(8, 8, 1, 1, RECOMPUTE_SELECTIVE, true), 13.75, 0,
       "sequence parallelism + selective recomputation"},
      {"korthikanti-530b-full", kKorthikanti, 20480, 128, 105, 280, 280,
       Make(8, 35, 1, 1, RECOMPUTE_FULL, false), 49.05, 0,
       "full recomputation, TP all-reduce (no SP)"},
      {"korthikanti-530b-sp-selective", kKorthikanti, 20480, 128, 105, 280, 280,
       Make(8, 35, 1, 1, RECOMPUTE_SELECTIVE, true), 37.83, 0,
       "sequence parallelism + selective recomputation"},
      {"korthikanti-1t-full", kKorthikanti, 25600, 160, 128, 512, 512,
       Make(8, 64, 1, 1, RECOMPUTE_FULL, false), 94.42, 0,
       "full recomputation, TP all-reduce (no SP)"},
      {"korthikanti-1t-sp-selective", kKorthikanti, 25600, 160, 128, 512, 512,
       Make(8, 64, 1, 1, RECOMPUTE_SELECTIVE, true), 71.49, 0,
       "sequence parallelism + selective recomputation"},
  };
  return *runs;
}

ModelSpec PublishedRunModel(const PublishedRun& run) {
  ModelSpec model;
  model.set_name(run.name);
  model.set_source(run.source);
  TransformerSpec* t = model.mutable_transformer();
  t->set_num_layers(run.layers);
  t->set_hidden_size(run.hidden);
  t->set_num_heads(run.heads);
  t->set_ffn_hidden_size(4 * run.hidden);
  t->set_activation(GELU);
  t->set_norm(LAYER_NORM);
  t->set_vocab_size(51200);
  t->set_max_seq_len(2048);
  t->set_tied_embeddings(true);
  t->set_learned_positions(true);
  t->set_linear_bias(true);
  t->set_causal(true);
  t->set_dropout(true);
  t->set_final_norm(true);
  return model;
}

TrainingSpec PublishedRunTraining(const PublishedRun& run) {
  TrainingSpec training;
  training.set_global_batch(run.global_batch);
  training.set_seq_len(2048);
  training.set_dtype(FP16);
  training.set_optimizer(ADAM);
  return training;
}

}  // namespace memwall
