// The pipeline timeline of one plan candidate: each stage's forward,
// recompute, backward and exposed-communication blocks per micro-batch in the
// order of Megatron-LM's schedules (1F1B, Narayanan et al. 2021 Sec. 2.2;
// interleaved 1F1B with warm-up 2(p - r - 1) + (v - 1) p chunk micro-batches at
// rank r, Megatron-LM schedules.py), placed by a list-scheduling simulation: a
// block starts when its stage is free and the block it depends on (the previous
// chunk's forward, the next chunk's backward) has finished plus one pipeline
// send. Block times are the candidate's per-rank totals divided evenly
// (forward_s / (m v) per chunk micro-batch; TP/CP/EP exposed time in a block
// after each forward and each backward, half each; the send time is pp_comm_s /
// (2 (m v + p - 1))). The step's remainder (exposed DP reduction, ZeRO-3
// gathers, optimizer, offload, overlap slowdown) is one block after the flush.
// Idle time is the bubble.
#ifndef MEMWALL_PLANNER_REPORT_HTML_PIPELINE_TIMELINE_H_
#define MEMWALL_PLANNER_REPORT_HTML_PIPELINE_TIMELINE_H_

#include <cstdint>

#include "planner/report/svg/charts.h"
#include "proto/plan.pb.h"

namespace memwall {
namespace html {

struct PipelineTimeline {
  svg::Timeline chart;
  double makespan_s = 0;  // end of the last block
  double idle_s = 0;      // stage 0's idle time inside the pipeline part
  int64_t micro_batches = 0;
  int64_t drawn_micro_batches = 0;  // fewer when capped
};

// `global_batch` is the training's; at most `max_micro_batches` are drawn,
// and at most 3072 forward and backward blocks in all (interleaved: a
// multiple of p, at least p); the rest of a long step repeats the steady
// state, and deep plans stay small.
PipelineTimeline BuildPipelineTimeline(const Candidate& candidate,
                                       int64_t global_batch,
                                       int64_t max_micro_batches = 64);

}  // namespace html
}  // namespace memwall

#endif  // MEMWALL_PLANNER_REPORT_HTML_PIPELINE_TIMELINE_H_
