#include "planner/memory/graph_split.h"

#include <algorithm>

namespace memwall {
namespace {

// Greedy cut with every run at most `bound`: how many runs it needs.
int RunsNeeded(const std::vector<double>& w, double bound) {
  int runs = 1;
  double current = 0;
  for (double x : w) {
    if (current + x > bound && current > 0) {
      ++runs;
      current = 0;
    }
    current += x;
  }
  return runs;
}

}  // namespace

std::vector<std::pair<int, int>> SplitStages(const std::vector<double>& weights,
                                             int stages) {
  const int n = static_cast<int>(weights.size());
  double lo = 0, hi = 0;
  for (double x : weights) {
    lo = std::max(lo, x);
    hi += x;
  }
  for (int i = 0; i < 100 && hi - lo > 1e-9 * hi; ++i) {
    const double mid = (lo + hi) / 2;
    if (RunsNeeded(weights, mid) <= stages) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  // Cut greedily under the bound, but leave at least one layer for each
  // remaining stage.
  std::vector<std::pair<int, int>> out;
  int first = 0;
  double current = 0;
  for (int i = 0; i < n; ++i) {
    const int stages_left = stages - static_cast<int>(out.size());
    // Cut before layer i when it would exceed the bound, or when the layers
    // left are just enough for the stages left.
    const bool forced = n - i <= stages_left - 1;
    if (i > first && stages_left > 1 && (current + weights[i] > hi || forced)) {
      out.emplace_back(first, i);
      first = i;
      current = 0;
    }
    current += weights[i];
  }
  out.emplace_back(first, n);
  // Too few runs (all weight in a few layers): split the longest runs until
  // there are enough.
  while (static_cast<int>(out.size()) < stages) {
    auto it = std::max_element(out.begin(), out.end(),
                               [](const auto& a, const auto& b) {
                                 return a.second - a.first < b.second - b.first;
                               });
    const int mid = it->first + (it->second - it->first) / 2;
    const std::pair<int, int> tail(mid, it->second);
    it->second = mid;
    out.insert(it + 1, tail);
  }
  return out;
}

}  // namespace memwall
