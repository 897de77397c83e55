#include "planner/report/html/pipeline_timeline.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "planner/layout/pipeline_order.h"

namespace memwall {
namespace html {

PipelineTimeline BuildPipelineTimeline(const Candidate& c, int64_t global_batch,
                                       int64_t max_micro_batches) {
  PipelineTimeline out;
  const Layout& l = c.layout();
  const TimeBreakdown& t = c.time();
  const int64_t p = std::max<int64_t>(1, l.pp());
  const int64_t v = std::max<int64_t>(1, l.vpp());
  const int64_t per =
      std::max<int64_t>(1, l.micro_batch()) * std::max<int64_t>(1, l.dp());
  const int64_t m = std::max<int64_t>(1, global_batch / per);
  out.micro_batches = m;
  // Interleaving needs m divisible by p: cap at a multiple of p.
  // At most max_micro_batches, and at most kMaxComputeBlocks forward and
  // backward blocks in all, so deep interleaved plans stay small.
  constexpr int64_t kMaxComputeBlocks = 3072;
  int64_t drawn =
      std::min({m, max_micro_batches,
                std::max<int64_t>(1, kMaxComputeBlocks / (2 * p * v))});
  if (v > 1) drawn = std::max<int64_t>(p, drawn / p * p);
  out.drawn_micro_batches = drawn;

  const double mv = static_cast<double>(m * v);
  // Exposed TP/CP/EP time, half after each forward and half after each
  // backward block.
  const double comm = (t.tp_comm_s() + t.cp_comm_s() + t.ep_comm_s()) / mv / 2;
  const double fwd_compute = t.forward_s() / mv;
  const double bwd_compute = t.backward_s() / mv;
  const double fwd = fwd_compute + comm;
  const double rec = t.recompute_s() / mv;
  const double bwd = bwd_compute + comm;
  const double send =
      p > 1 ? t.pp_comm_s() / (2.0 * (mv + static_cast<double>(p - 1))) : 0;

  // Finish times by (stage g = chunk * p + rank, micro-batch).
  const int64_t stages = p * v;
  std::vector<double> f_end(stages * drawn, -1), b_end(stages * drawn, -1);
  std::vector<std::vector<PipelinePass>> orders(p);
  std::vector<size_t> next(p, 0);
  std::vector<double> free_at(p, 0);
  for (int64_t r = 0; r < p; ++r) orders[r] = PipelineRankOrder(p, v, drawn, r);
  svg::Timeline& chart = out.chart;
  for (int64_t r = 0; r < p; ++r)
    chart.rows.push_back(absl::StrCat("stage ", r));
  chart.kinds = {"forward", "backward", "recompute", "after the flush",
                 "exposed TP/CP/EP communication"};
  const auto add_comm = [&](int64_t r, double at) {
    if (comm <= 0) return;
    chart.blocks.push_back(
        {static_cast<int>(r), at, comm, 4, "",
         absl::StrFormat("stage %d, exposed TP/CP/EP communication: %.4g s", r,
                         comm)});
  };
  // Each pass places every block whose dependency is done; the orders are
  // Megatron-LM's, which never deadlock.
  bool progress = true;
  while (progress) {
    progress = false;
    for (int64_t r = 0; r < p; ++r) {
      while (next[r] < orders[r].size()) {
        const PipelinePass& op = orders[r][next[r]];
        const int64_t g = op.chunk * p + r;
        double ready = 0;
        if (op.forward && g > 0) {
          ready = f_end[(g - 1) * drawn + op.micro_batch];
          if (ready < 0) break;
          ready += send;
        } else if (!op.forward && g < stages - 1) {
          ready = b_end[(g + 1) * drawn + op.micro_batch];
          if (ready < 0) break;
          ready += send;
        }
        double start = std::max(ready, free_at[r]);
        const std::string id =
            v > 1 ? absl::StrCat(op.micro_batch + 1, ".", op.chunk + 1)
                  : absl::StrCat(op.micro_batch + 1);
        if (op.forward) {
          chart.blocks.push_back(
              {static_cast<int>(r), start, fwd_compute, 0, id,
               absl::StrFormat(
                   "stage %d, forward of micro-batch %d%s: %.4g s", r,
                   op.micro_batch + 1,
                   v > 1 ? absl::StrCat(", chunk ", op.chunk + 1) : "",
                   fwd_compute)});
          add_comm(r, start + fwd_compute);
          f_end[g * drawn + op.micro_batch] = start + fwd;
          free_at[r] = start + fwd;
        } else {
          if (rec > 0) {
            chart.blocks.push_back(
                {static_cast<int>(r), start, rec, 2, "",
                 absl::StrFormat(
                     "stage %d, recompute of micro-batch %d: %.4g s", r,
                     op.micro_batch + 1, rec)});
            start += rec;
          }
          chart.blocks.push_back(
              {static_cast<int>(r), start, bwd_compute, 1, id,
               absl::StrFormat(
                   "stage %d, backward of micro-batch %d%s: %.4g s", r,
                   op.micro_batch + 1,
                   v > 1 ? absl::StrCat(", chunk ", op.chunk + 1) : "",
                   bwd_compute)});
          add_comm(r, start + bwd_compute);
          b_end[g * drawn + op.micro_batch] = start + bwd;
          free_at[r] = start + bwd;
        }
        ++next[r];
        progress = true;
      }
    }
  }
  const double flush = *std::max_element(free_at.begin(), free_at.end());
  const double after = t.dp_exposed_s() + t.zero3_exposed_s() +
                       t.optimizer_s() + t.offload_s() + t.overlap_slowdown_s();
  if (after > 0) {
    for (int64_t r = 0; r < p; ++r) {
      chart.blocks.push_back(
          {static_cast<int>(r), flush, after, 3, "",
           absl::StrFormat("stage %d, exposed DP reduction, ZeRO-3 gathers, "
                           "optimizer, offload and overlap slowdown: %.4g s",
                           r, after)});
    }
  }
  out.makespan_s = flush + after;
  chart.end = out.makespan_s;
  double busy0 = 0;
  for (const svg::TimelineBlock& b : chart.blocks) {
    if (b.row == 0 && b.kind != 3) busy0 += b.duration;
  }
  out.idle_s = flush - busy0;
  chart.x_label = "time (s)";
  chart.title = absl::StrFormat(
      "Pipeline timeline: %s, %d stages x %d micro-batches%s",
      v > 1 ? absl::StrFormat("interleaved 1F1B (%d chunks per stage)", v)
            : std::string("1F1B"),
      p, drawn, drawn < m ? absl::StrFormat(" (of %d)", m) : "");
  chart.desc = absl::StrFormat(
      "%d pipeline stages; forward %.4g s, backward %.4g s%s per micro-batch "
      "and chunk, each followed by %.4g s of exposed TP/CP/EP communication; "
      "the drawn schedule lasts %.4g s, of which stage 0 is idle %.4g s (the "
      "bubble).",
      p, fwd_compute, bwd_compute,
      rec > 0 ? absl::StrFormat(", recompute %.4g s", rec) : std::string(),
      comm, out.makespan_s, out.idle_s);
  return out;
}

}  // namespace html
}  // namespace memwall
