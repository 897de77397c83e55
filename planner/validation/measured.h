// A row's measured figure as seconds per step. Step times are used as given;
// tokens/s become B s / (tokens/s); TFLOP/s per GPU go back through the
// source's own FLOP count (Narayanan 2021 App. A with the recompute pass;
// llm-foundry's 6N + 12 l h s per token; memwall's CountFlops), so that no
// row is re-scored under a convention its source did not use.
#ifndef MEMWALL_PLANNER_VALIDATION_MEASURED_H_
#define MEMWALL_PLANNER_VALIDATION_MEASURED_H_

#include "planner/timing/transformer_shape.h"
#include "proto/validation.pb.h"

namespace memwall {

// FLOPs of one step as the row's source counts them (flop_formula).
double SourceFlopsPerStep(const ValidationRun& run,
                          const TransformerShape& shape);

// Seconds per step implied by the measured figure (CheckRun must have passed).
double MeasuredStepTime(const ValidationRun& run,
                        const TransformerShape& shape);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_VALIDATION_MEASURED_H_
