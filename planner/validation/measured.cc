#include "planner/validation/measured.h"

namespace memwall {

double SourceFlopsPerStep(const ValidationRun& run,
                          const TransformerShape& shape) {
  const double b = static_cast<double>(run.training().global_batch());
  const double s = static_cast<double>(run.training().seq_len());
  const double l = static_cast<double>(shape.layers);
  const double h = static_cast<double>(shape.hidden);
  switch (run.measured().flop_formula()) {
    case FLOPS_NARAYANAN_RECOMPUTE: {
      // Narayanan 2021 App. A: 96 B s l h^2 (1 + s/6h + V/16lh), on the
      // vocabulary as the paper states it (unpadded).
      const double v = static_cast<double>(
          run.has_model_spec() ? run.model_spec().transformer().vocab_size()
                               : shape.vocab);
      return 96.0 * b * s * l * h * h * (1 + s / (6 * h) + v / (16 * l * h));
    }
    case FLOPS_6N_PLUS_ATTENTION:
      // llm-foundry benchmarking README: (6 N + 12 l h s) per token.
      return (6.0 * run.measured().num_params() + 12.0 * l * h * s) * b * s;
    default:
      return ModelFlopsPerStep(shape, b);
  }
}

double MeasuredStepTime(const ValidationRun& run,
                        const TransformerShape& shape) {
  const Measured& m = run.measured();
  const double tokens = static_cast<double>(run.training().global_batch()) *
                        static_cast<double>(run.training().seq_len());
  const double gpus = static_cast<double>(run.gpus());
  if (m.step_time_s() > 0) return m.step_time_s();
  if (m.tokens_per_s() > 0) return tokens / m.tokens_per_s();
  if (m.tokens_per_s_per_gpu() > 0) {
    return tokens / (m.tokens_per_s_per_gpu() * gpus);
  }
  return SourceFlopsPerStep(run, shape) / (gpus * m.tflops_per_gpu() * 1e12);
}

}  // namespace memwall
