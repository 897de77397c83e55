// GPT-3 175B on DGX A100 80 GB nodes at a given global batch: the step-time
// context and the search options carrying planner/memory's evaluator.
#ifndef MEMWALL_TESTS_SEARCH_GPT3_SETUP_H_
#define MEMWALL_TESTS_SEARCH_GPT3_SETUP_H_

#include <memory>

#include "planner/model/zoo.h"
#include "planner/search/search.h"

namespace memwall {

struct Gpt3Setup {
  StepContext ctx;
  std::shared_ptr<const MemoryEvaluator> memory;

  SearchOptions Options(int top_k = 5, int threads = 1) const {
    SearchOptions o;
    o.top_k = top_k;
    o.threads = threads;
    o.memory = memory;
    return o;
  }
};

inline Gpt3Setup MakeGpt3Setup(int64_t global_batch) {
  TrainingSpec training;
  training.set_global_batch(global_batch);
  training.set_seq_len(2048);
  training.set_dtype(BF16);
  training.set_optimizer(ADAM);
  const ModelSpec model = LoadModel("gpt3-175b").value();
  const ClusterSpec cluster = LoadCluster("dgx-a100-80g").value();
  Gpt3Setup s;
  s.ctx =
      MakeStepContext(ShapeFromModel(model, 2048).value(),
                      ClusterParamsFromSpec(cluster, BF16).value(), training)
          .value();
  s.memory = std::make_shared<const MemoryEvaluator>(
      MemoryEvaluator::Create(model, training, PROFILE_MEMWALL, &cluster)
          .value());
  return s;
}

}  // namespace memwall

#endif  // MEMWALL_TESTS_SEARCH_GPT3_SETUP_H_
