#include "planner/search/search.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "absl/strings/str_cat.h"

namespace memwall {
namespace {

struct DegreeTuple {
  int64_t tp, cp, pp, dp, ep;
  uint64_t index;
};

std::vector<int64_t> Divisors(int64_t n) {
  std::vector<int64_t> out;
  for (int64_t d = 1; d * d <= n; ++d) {
    if (n % d != 0) continue;
    out.push_back(d);
    if (d != n / d) out.push_back(n / d);
  }
  std::sort(out.begin(), out.end());
  return out;
}

template <typename T>
bool Allowed(const std::optional<T>& fixed, T value) {
  return !fixed.has_value() || *fixed == value;
}

template <typename T>
std::vector<T> Filter(std::vector<T> values, const std::optional<T>& fixed) {
  if (!fixed.has_value()) return values;
  std::vector<T> out;
  for (const T& v : values) {
    if (v == *fixed) out.push_back(v);
  }
  return out;
}

// The top K by (step time, enumeration index).
class TopK {
 public:
  explicit TopK(int k) : k_(static_cast<size_t>(std::max(1, k))) {
    items_.reserve(k_ + 1);
  }
  bool Accepts(double time) const {
    return items_.size() < k_ || time < items_.back().time.step_time_s;
  }
  void Add(const ScoredLayout& s) {
    // A layout that differs only by a switch with no effect (same time and
    // memory) adds nothing to the list; the earlier one in enumeration order
    // stays.
    for (ScoredLayout& o : items_) {
      if (o.time.step_time_s == s.time.step_time_s &&
          o.memory.peak_bytes == s.memory.peak_bytes) {
        if (s.index < o.index) o = s;
        return;
      }
    }
    auto pos = std::upper_bound(items_.begin(), items_.end(), s, Less);
    items_.insert(pos, s);
    if (items_.size() > k_) items_.pop_back();
  }
  static bool Less(const ScoredLayout& a, const ScoredLayout& b) {
    if (a.time.step_time_s != b.time.step_time_s) {
      return a.time.step_time_s < b.time.step_time_s;
    }
    return a.index < b.index;
  }
  std::vector<ScoredLayout>& items() { return items_; }

 private:
  size_t k_;
  std::vector<ScoredLayout> items_;
};

// A fixed permutation of 64-bit integers (splitmix64's finalizer, Steele et
// al., "Fast splittable pseudorandom number generators", OOPSLA 2014), so the
// layouts with the smallest hashes are a uniform sample.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// The k points with the smallest hashes (a bottom-k sketch): a max-heap.
class Sample {
 public:
  explicit Sample(int k) : k_(static_cast<size_t>(std::max(0, k))) {}
  bool enabled() const { return k_ > 0; }
  bool Accepts(uint64_t hash) const {
    return k_ > 0 && (heap_.size() < k_ || hash < heap_.front().hash);
  }
  void Add(const SampledLayout& p) {
    heap_.push_back(p);
    std::push_heap(heap_.begin(), heap_.end(), Less);
    if (heap_.size() > k_) {
      std::pop_heap(heap_.begin(), heap_.end(), Less);
      heap_.pop_back();
    }
  }
  std::vector<SampledLayout> Sorted() const {
    std::vector<SampledLayout> out = heap_;
    std::sort(out.begin(), out.end(), Less);
    return out;
  }

 private:
  static bool Less(const SampledLayout& a, const SampledLayout& b) {
    return a.hash < b.hash;
  }
  size_t k_;
  std::vector<SampledLayout> heap_;
};

struct Worker {
  const StepContext* ctx;
  const LayoutLimits* limits;
  const SearchConstraints* c;
  const MemoryEvaluator* memory = nullptr;  // decides fit
  int top_k;
  SearchResult result;
  TopK best{1};
  Sample landscape{0};

  void Run(const DegreeTuple& d);
};

void Worker::Run(const DegreeTuple& d) {
  const TransformerShape& s = ctx->shape;
  const ClusterParams& cl = ctx->cluster;
  // The model-states bound is a lower bound of the memory model that decides
  // fit, so it prunes against that model's capacity.
  const double capacity = static_cast<double>(memory->capacity_bytes());
  const int64_t local_batch = ctx->global_batch / d.dp;
  const std::vector<int64_t> mbs =
      Filter(Divisors(local_batch), c->micro_batch);
  // Model chunks per rank: the divisors of ceil(L / p), so that chunks split
  // the layers as evenly as stages do (126 layers on 16 ranks: 1, 2, 4 or 8
  // chunks); each checked against the split rules.
  std::vector<int64_t> vpps;
  for (int64_t v : Filter(d.pp > 1 ? Divisors((s.layers + d.pp - 1) / d.pp)
                                   : std::vector<int64_t>{1},
                          c->vpp)) {
    LayoutChoice split = *c;
    split.pp = d.pp;
    split.vpp = v;
    if (CheckLayoutChoice(*limits, split).ok()) vpps.push_back(v);
  }
  const std::vector<Recompute> recs =
      Filter(std::vector<Recompute>{RECOMPUTE_NONE, RECOMPUTE_SELECTIVE,
                                    RECOMPUTE_FULL},
             c->recompute);
  const std::vector<bool> sps =
      d.tp > 1 ? Filter(std::vector<bool>{false, true}, c->sequence_parallel)
               : std::vector<bool>{false};
  const std::vector<bool> flashes =
      Filter(std::vector<bool>{false, true}, c->flash_attention);
  const bool data_parallel = d.dp * d.cp > 1;
  const std::vector<int64_t> zeros =
      Filter(data_parallel ? std::vector<int64_t>{0, 1, 2, 3}
                           : std::vector<int64_t>{0},
             c->zero_stage);
  const std::vector<bool> dp_overlaps =
      data_parallel ? Filter(std::vector<bool>{true, false}, c->dp_overlap)
                    : std::vector<bool>{true};
  const std::vector<bool> orders =
      (d.pp > 1 && d.dp > 1)
          ? Filter(std::vector<bool>{false, true}, c->pp_inside_dp)
          : std::vector<bool>{false};
  if (mbs.empty() || vpps.empty() || recs.empty() || sps.empty() ||
      flashes.empty() || zeros.empty() || dp_overlaps.empty() ||
      orders.empty()) {
    return;
  }
  // Sub-layouts below one (sp) choice: flash x tp-overlap; the rest multiply.
  // Megatron's --tp-comm-overlap runs over NVLink user buffers: TP inside a
  // node only.
  const bool tp_in_node = d.tp <= cl.gpus_per_node;
  auto tp_overlaps_for = [&](bool sp) {
    return sp && tp_in_node
               ? Filter(std::vector<bool>{false, true}, c->tp_overlap)
               : Filter(std::vector<bool>{false}, c->tp_overlap);
  };
  int64_t per_mb_vpp_rec =
      0;  // layouts per (mb, vpp, recompute) for one zero/offload
  for (bool sp : sps) {
    per_mb_vpp_rec +=
        static_cast<int64_t>(flashes.size() * tp_overlaps_for(sp).size());
  }
  per_mb_vpp_rec *= static_cast<int64_t>(dp_overlaps.size() * orders.size());
  const int64_t per_zero_offload =
      per_mb_vpp_rec *
      static_cast<int64_t>(mbs.size() * vpps.size() * recs.size());

  // Micro-batch costs per (micro-batch, sp, flash), computed lazily once per
  // tuple.
  std::vector<MicroBatchCosts> costs(mbs.size() * 4);
  std::vector<bool> have(mbs.size() * 4, false);
  // Where layers and parameters sit, per model-chunk count, computed lazily.
  std::vector<StageLoad> loads(vpps.size());
  std::vector<bool> have_load(vpps.size(), false);

  ParallelLayout l;
  l.tp = d.tp;
  l.cp = d.cp;
  l.pp = d.pp;
  l.dp = d.dp;
  l.ep = d.ep;
  l.etp = c->etp.value_or(0);
  l.first_stage_layers = c->first_stage_layers.value_or(0);
  l.last_stage_layers = c->last_stage_layers.value_or(0);
  l.account_embedding = c->account_embedding.value_or(false);
  l.account_loss = c->account_loss.value_or(false);
  uint64_t counter = 0;
  for (int64_t zero : zeros) {
    std::vector<Offload> offloads{OFFLOAD_NONE, OFFLOAD_OPTIMIZER};
    if (zero == 3) offloads.push_back(OFFLOAD_PARAMS);
    for (Offload offload : Filter(offloads, c->offload)) {
      result.space_size += per_zero_offload;
      l.zero_stage = zero;
      l.offload = offload;
      l.micro_batch = 1;
      // Lower bound: model states alone, before any activation or time.
      if (ModelStatesBytes(*ctx, l) > capacity) {
        result.rejected[kRejectModelStates] += per_zero_offload;
        continue;
      }
      if (offload != OFFLOAD_NONE) {
        if (cl.host_bandwidth_bytes_per_s <= 0 ||
            cl.host_memory_bandwidth_bytes_per_s <= 0) {
          result.rejected[kRejectNoHostLink] += per_zero_offload;
          continue;
        }
        if (HostStateBytes(*ctx, l) > cl.host_bytes_per_gpu) {
          result.rejected[kRejectHostMemory] += per_zero_offload;
          continue;
        }
      }
      for (size_t mi = 0; mi < mbs.size(); ++mi) {
        l.micro_batch = mbs[mi];
        const int64_t m = local_batch / mbs[mi];
        for (bool sp : sps) {
          l.sequence_parallel = sp;
          const std::vector<bool> tp_overlaps = tp_overlaps_for(sp);
          for (bool flash : flashes) {
            l.flash_attention = flash;
            const size_t ci = mi * 4 + (sp ? 2 : 0) + (flash ? 1 : 0);
            if (!have[ci]) {
              costs[ci] = ComputeMicroBatchCosts(s, cl, KeyOf(l));
              have[ci] = true;
            }
            const int64_t per_rec = static_cast<int64_t>(
                tp_overlaps.size() * dp_overlaps.size() * orders.size());
            for (size_t vi = 0; vi < vpps.size(); ++vi) {
              const int64_t vpp = vpps[vi];
              l.vpp = vpp;
              if (vpp > 1 && m % d.pp != 0) {
                result.rejected[kRejectInterleave] +=
                    per_rec * static_cast<int64_t>(recs.size());
                continue;
              }
              for (Recompute rec : recs) {
                l.recompute = rec;
                const PeakMemory mem = memory->EvaluatePeak(l);
                result.evaluated += per_rec;
                if (!mem.fits) {
                  result.rejected[kRejectActivations] += per_rec;
                  continue;
                }
                for (bool tpo : tp_overlaps) {
                  for (bool dpo : dp_overlaps) {
                    for (bool order : orders) {
                      const ScheduleOptions o{tpo, dpo, order};
                      if (!have_load[vi]) {
                        loads[vi] = StageLoadOf(s, l);
                        have_load[vi] = true;
                      }
                      const StepTime t =
                          EvaluateStepTime(*ctx, costs[ci], l, o, loads[vi]);
                      ++result.feasible;
                      ++counter;
                      const uint64_t index = (d.index << 32) | counter;
                      if (best.Accepts(t.step_time_s)) {
                        best.Add(ScoredLayout{l, o, t, mem, index});
                      }
                      if (landscape.enabled()) {
                        const uint64_t h = Mix(index);
                        if (landscape.Accepts(h)) {
                          landscape.Add(SampledLayout{l, o, t.step_time_s,
                                                      mem.peak_bytes, h});
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}

}  // namespace

const char* RejectReasonName(RejectReason reason) {
  switch (reason) {
    case kRejectModelStates:
      return "model states exceed memory (pruned by lower bound)";
    case kRejectActivations:
      return "does not fit with activations";
    case kRejectInterleave:
      return "interleaving needs micro-batches divisible by pp";
    case kRejectNoHostLink:
      return "offload without host link or host memory bandwidth";
    case kRejectHostMemory:
      return "offloaded states exceed host memory";
    default:
      return "unknown";
  }
}

LayoutLimits LimitsOf(const StepContext& ctx) {
  LayoutLimits m;
  m.heads = ctx.shape.heads;
  m.kv_heads = ctx.shape.kv_heads;
  m.layers = ctx.shape.layers;
  m.experts = ctx.shape.experts;
  m.seq_len = ctx.shape.seq;
  m.global_batch = ctx.global_batch;
  m.gpus_per_node = ctx.cluster.gpus_per_node;
  m.host_offload = ctx.cluster.host_bandwidth_bytes_per_s > 0 &&
                   ctx.cluster.host_memory_bandwidth_bytes_per_s > 0;
  return m;
}

absl::Status CheckConstraints(const StepContext& ctx, int64_t gpus,
                              const SearchConstraints& c) {
  return CheckLayoutChoice(LimitsOf(ctx), c, gpus);
}

absl::StatusOr<ScoredLayout> ScoreLayout(const StepContext& ctx,
                                         const MemoryEvaluator& memory,
                                         const ParallelLayout& layout,
                                         const ScheduleOptions& options) {
  if (auto st = memory.CheckLayout(layout, layout.gpus()); !st.ok()) return st;
  if (auto st = ValidateLayout(LimitsOf(ctx), layout, layout.gpus(), options);
      !st.ok()) {
    return st;
  }
  return ScoredLayout{layout, options, EvaluateStepTime(ctx, layout, options),
                      memory.EvaluatePeak(layout), 0};
}

absl::StatusOr<SearchResult> SearchLayouts(const StepContext& ctx, int64_t gpus,
                                           const SearchConstraints& c,
                                           const SearchOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  if (gpus <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--gpus=", gpus, " must be positive"));
  }
  if (options.memory == nullptr || options.memory->capacity_bytes() <= 0) {
    return absl::InvalidArgumentError(
        "the layout search needs a memory evaluator with a cluster capacity");
  }
  const LayoutLimits limits = LimitsOf(ctx);
  if (auto st = CheckLayoutChoice(limits, c, gpus); !st.ok()) return st;
  const TransformerShape& s = ctx.shape;
  SearchResult total;
  std::vector<DegreeTuple> tuples;
  uint64_t index = 0;
  for (int64_t tp : Divisors(gpus)) {
    if (!Allowed(c.tp, tp)) continue;
    for (int64_t cp : Divisors(gpus / tp)) {
      if (!Allowed(c.cp, cp)) continue;
      for (int64_t pp : Divisors(gpus / (tp * cp))) {
        if (!Allowed(c.pp, pp)) continue;
        const int64_t dp = gpus / (tp * cp * pp);
        if (!Allowed(c.dp, dp)) continue;
        const std::vector<int64_t> eps =
            s.experts > 0 ? Divisors(dp * cp) : std::vector<int64_t>{1};
        for (int64_t ep : eps) {
          if (!Allowed(c.ep, ep)) continue;
          const DegreeTuple d{tp, cp, pp, dp, ep, index++};
          // The layout rules on this tuple's degrees (and the fixed flags).
          LayoutChoice tuple = c;
          tuple.tp = tp;
          tuple.cp = cp;
          tuple.pp = pp;
          tuple.dp = dp;
          tuple.ep = ep;
          if (CheckLayoutChoice(limits, tuple, gpus).ok()) {
            tuples.push_back(d);
          } else {
            ++total.indivisible_degree_tuples;
          }
        }
      }
    }
  }
  int threads = options.threads > 0
                    ? options.threads
                    : static_cast<int>(std::thread::hardware_concurrency());
  threads =
      std::max(1, std::min<int>(threads, static_cast<int>(tuples.size())));
  std::vector<Worker> workers(threads);
  std::atomic<size_t> next{0};
  std::atomic<int64_t> finished{0};
  const int64_t total_tuples = static_cast<int64_t>(tuples.size());
  auto work = [&](Worker* w) {
    for (size_t i = next++; i < tuples.size(); i = next++) {
      w->Run(tuples[i]);
      const int64_t done = ++finished;
      // The first worker alone reports, so the callback needs no lock.
      if (w == &workers[0] && options.on_progress) {
        options.on_progress(done, total_tuples);
      }
    }
  };
  for (Worker& w : workers) {
    w.ctx = &ctx;
    w.limits = &limits;
    w.c = &c;
    w.memory = options.memory.get();
    w.best = TopK(options.top_k);
    w.landscape = Sample(options.landscape_points);
  }
  if (threads == 1) {
    work(&workers[0]);
  } else {
    std::vector<std::thread> pool;
    for (Worker& w : workers) pool.emplace_back(work, &w);
    for (std::thread& t : pool) t.join();
  }
  // Deterministic merge: counts add up; candidates sort by (time, enumeration
  // index).
  TopK merged(options.top_k);
  Sample landscape(options.landscape_points);
  for (Worker& w : workers) {
    for (const SampledLayout& p : w.landscape.Sorted()) landscape.Add(p);
    total.space_size += w.result.space_size;
    total.evaluated += w.result.evaluated;
    total.feasible += w.result.feasible;
    for (int r = 0; r < kNumRejectReasons; ++r)
      total.rejected[r] += w.result.rejected[r];
    for (const ScoredLayout& sl : w.best.items()) {
      merged.Add(sl);
    }
  }
  total.best = merged.items();
  total.landscape = landscape.Sorted();
  total.threads = threads;
  total.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return total;
}

}  // namespace memwall
