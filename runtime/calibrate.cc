#include "runtime/calibrate.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status.h"
#include "common/textproto.h"
#include "planner/comm/network_model.h"

namespace memwall::runtime {

namespace {

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// The slope g = 1 / beta that minimizes sum_i ((alpha + g s_i) / t_i - 1)^2
// for a given alpha: the normal equation of that least-squares problem,
// g = sum (s_i / t_i)(1 - alpha / t_i) / sum (s_i / t_i)^2.
double RelativeSlope(const std::vector<SizeTime>& points, double alpha) {
  double num = 0, den = 0;
  for (const SizeTime& p : points) {
    const double x = p.bytes / p.time_s;
    num += x * (1 - alpha / p.time_s);
    den += x * x;
  }
  return den > 0 ? num / den : 0;
}

}  // namespace

absl::StatusOr<AlphaBeta> FitAlphaBeta(const std::vector<SizeTime>& points) {
  std::vector<SizeTime> sorted = points;
  for (const SizeTime& p : sorted) {
    if (!(p.time_s > 0) || !std::isfinite(p.time_s) || p.bytes < 0 ||
        !std::isfinite(p.bytes)) {
      return absl::FailedPreconditionError(
          absl::StrCat("measured time ", p.time_s, " s at ", p.bytes,
                       " bytes is not usable"));
    }
  }
  std::sort(
      sorted.begin(), sorted.end(),
      [](const SizeTime& a, const SizeTime& b) { return a.bytes < b.bytes; });
  std::vector<double> sizes;
  for (const SizeTime& p : sorted) {
    if (sizes.empty() || sizes.back() != p.bytes) sizes.push_back(p.bytes);
  }
  if (sizes.size() < 2) {
    return absl::FailedPreconditionError(
        "the fit needs at least two distinct sizes");
  }
  // The latency floor: the median time of the (up to) three smallest sizes,
  // so that one disturbed measurement does not move it.
  const double third = sizes[std::min<size_t>(2, sizes.size() - 1)];
  std::vector<double> smallest;
  for (const SizeTime& p : sorted) {
    if (p.bytes <= third) smallest.push_back(p.time_s);
  }
  const double floor_s = Median(smallest);
  // Bandwidth regime: every point from the first size in the upper half of
  // the sizes (log scale) that takes at least kBandwidthRegime x the floor;
  // the two largest sizes when fewer than two sizes qualify.
  const double middle =
      std::sqrt(std::max(1.0, sizes.front()) * std::max(1.0, sizes.back()));
  double regime = -1;
  for (const SizeTime& p : sorted) {
    if (p.bytes >= middle && p.time_s >= kBandwidthRegime * floor_s) {
      regime = p.bytes;
      break;
    }
  }
  if (regime < 0 || regime == sizes.back()) regime = sizes[sizes.size() - 2];
  // The latency-bound points: those of the three smallest sizes below the
  // regime (larger ones may travel by another protocol, a token bucket's
  // burst).
  std::vector<SizeTime> large, small;
  for (const SizeTime& p : sorted) {
    if (p.bytes >= regime) {
      large.push_back(p);
    } else if (p.bytes <= third) {
      small.push_back(p);
    }
  }

  // The relative least-squares line through the regime with both free: its
  // intercept is the latency of the protocol the large sizes travel by
  // (rendezvous: a handshake before the data), at least 0.
  double a = 0, b = 0, c = 0, d = 0, e = 0;
  for (const SizeTime& p : large) {
    const double x0 = 1 / p.time_s, x1 = p.bytes / p.time_s;
    a += x0 * x0;
    b += x0 * x1;
    c += x1 * x1;
    d += x0;
    e += x1;
  }
  const double det = a * c - b * b;
  const double intercept = det > 0 ? std::max(0.0, (d * c - e * b) / det) : 0;
  double alpha = intercept;
  double g = RelativeSlope(large, alpha);
  double eager = 0;
  if (!small.empty()) {
    // The small sizes' latency: the median over the latency-bound points of
    // their time beyond their transfer. No protocol is faster than that, so
    // when the regime's intercept falls below it (a burst allowance lets the
    // regime's first sizes through faster than beta), the latency is the
    // small sizes' and the slope is refitted for it; the two settle in turn
    // (a latency-bound size's transfer is a small part of its time).
    std::vector<double> beyond;
    const auto small_latency = [&](double slope) {
      beyond.clear();
      for (const SizeTime& p : small)
        beyond.push_back(p.time_s - std::max(0.0, slope) * p.bytes);
      return std::max(0.0, Median(beyond));
    };
    eager = small_latency(g);
    if (eager > alpha) {
      alpha = eager;
      for (int round = 0; round < 100; ++round) {
        g = RelativeSlope(large, alpha);
        const double next = small_latency(g);
        const bool settled = std::abs(next - alpha) <= 1e-12 * next;
        alpha = next;
        if (settled) break;
      }
      g = RelativeSlope(large, alpha);
      eager = alpha;
    }
  }
  if (!(g > 0) || !std::isfinite(g)) {
    return absl::FailedPreconditionError(
        "no positive bandwidth fits the measurements (times do not grow with "
        "size: raise --max_bytes or --iters)");
  }
  AlphaBeta fit;
  fit.bandwidth_bytes_per_s = 1.0 / g;
  fit.latency_s = alpha;
  fit.small_latency_s = eager;
  fit.regime_bytes = regime;
  for (const SizeTime& p : large) {
    fit.max_relative_error =
        std::max(fit.max_relative_error,
                 std::abs((fit.latency_s + g * p.bytes) / p.time_s - 1.0));
  }
  return fit;
}

namespace {

std::string Quoted(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"";
}

}  // namespace

absl::StatusOr<std::string> CalibratedClusterText(const ClusterSpec& base,
                                                  const Calibration& c) {
  ClusterSpec spec = base;
  spec.set_name(c.name);
  spec.set_source(absl::StrCat("memwall-run calibrate ", c.when, " (backend ",
                               c.backend, ", ", c.nodes, " node(s) x ",
                               c.ranks_per_node,
                               " rank(s)); GPU, node and "
                               "efficiency fields from ",
                               base.name()));
  spec.set_gpus_per_node(c.ranks_per_node);
  if (spec.num_nodes() > 0 && spec.num_nodes() < c.nodes)
    spec.set_num_nodes(c.nodes);
  if (c.ranks_per_nic > 0 && c.ranks_per_node % c.ranks_per_nic == 0) {
    spec.set_nics_per_node(c.ranks_per_node / c.ranks_per_nic);
  } else if (spec.nics_per_node() > c.ranks_per_node) {
    spec.set_nics_per_node(c.ranks_per_node);
  }
  // Over MPI the levels are host paths, not the base's NVLink or NVSwitch.
  if (c.backend == "mpi") spec.set_nvswitch(false);
  spec.mutable_efficiency()->set_network(1.0);

  // Levels: the base's, with the measured ones replaced. Level 0's domain is
  // the measured node.
  std::vector<NetworkLevel> levels(base.levels().begin(), base.levels().end());
  if (levels.empty()) levels.resize(1);
  levels[0].set_domain_size(c.ranks_per_node);
  std::vector<const MeasuredLevel*> measured(levels.size(), nullptr);
  for (const MeasuredLevel& m : c.levels) {
    if (m.level < 0 || m.level > 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("calibrated level ", m.level, " must be 0 or 1"));
    }
    if (m.level >= static_cast<int>(levels.size())) {
      levels.resize(m.level + 1);
      measured.resize(m.level + 1, nullptr);
      levels[m.level].set_domain_size(0);
    }
    NetworkLevel& l = levels[m.level];
    if (l.name().empty()) l.set_name(m.level == 0 ? "node" : "network");
    if (c.backend == "mpi") {
      l.set_name(m.level == 0 ? "shared-memory" : "network");
      l.set_kind(m.level == 0 ? SHARED_MEMORY : NETWORK);
      l.set_line_rate_bytes_per_s(0);
    } else if (l.kind() == LINK_KIND_UNSPECIFIED) {
      l.set_kind(m.level == 0 ? NVLINK : NETWORK);
    }
    l.set_bandwidth_bytes_per_s(m.fit.bandwidth_bytes_per_s);
    l.set_latency_s(m.fit.latency_s);
    l.set_oversubscription(1);
    // Figures measured through the switch on a CPU path say nothing of it.
    l.set_in_network_reduction(false);
    l.set_in_network_busbw_bytes_per_s(0);
    l.set_source(absl::StrCat("memwall-run calibrate ", c.when, ": ", m.how));
    measured[m.level] = &m;
  }

  ClusterSpec rest = spec;
  rest.clear_levels();
  std::string text = absl::StrCat(
      "# Calibrated by memwall-run calibrate at ", c.when, " on ", c.nodes,
      " node(s) x ", c.ranks_per_node, " rank(s), backend ", c.backend,
      ".\n# GPU, node and efficiency fields come from ", base.name(),
      "; the levels marked \"measured\" were fitted\n# (t = latency_s + S / "
      "bandwidth_bytes_per_s: the relative least squares over the larger "
      "sizes,\n# the latency at least the smallest sizes' own).\n",
      ToTextProto(rest));
  for (size_t i = 0; i < levels.size(); ++i) {
    const NetworkLevel& l = levels[i];
    const MeasuredLevel* m = measured[i];
    absl::StrAppend(&text, "levels {\n  name: ", Quoted(l.name()),
                    "\n  kind: ", LinkKind_Name(l.kind()),
                    "\n  domain_size: ", l.domain_size(), "\n");
    if (m != nullptr) {
      absl::StrAppendFormat(
          &text,
          "  # measured %s: %s; the fit is within %.1f%% of every size from "
          "%.0f B up\n"
          "  bandwidth_bytes_per_s: %.6g\n"
          "  # measured %s: the same fit's latency; the smallest sizes' own is "
          "%.3g s\n"
          "  latency_s: %.6g\n"
          "  oversubscription: 1\n",
          c.when, m->how, 100 * m->fit.max_relative_error, m->fit.regime_bytes,
          l.bandwidth_bytes_per_s(), c.when, m->fit.small_latency_s,
          l.latency_s());
    } else {
      absl::StrAppend(&text, "  # not measured: from ", base.name(), "\n");
      NetworkLevel copy = l;
      copy.clear_name();
      copy.clear_kind();
      copy.clear_domain_size();
      copy.clear_source();
      const std::string body = ToTextProto(copy);
      for (size_t at = 0; at < body.size();) {
        const size_t end = body.find('\n', at);
        absl::StrAppend(&text, "  ", body.substr(at, end - at), "\n");
        if (end == std::string::npos) break;
        at = end + 1;
      }
    }
    absl::StrAppend(&text, "  source: ", Quoted(l.source()), "\n}\n");
  }
  // What the planner will read: parse back and validate.
  ClusterSpec check;
  MEMWALL_RETURN_IF_ERROR(MergeTextProto(text, "calibrated cluster", &check));
  auto net = BuildNetworkModel(check);
  if (!net.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the calibrated cluster does not validate: ", net.status().message()));
  }
  return text;
}

}  // namespace memwall::runtime
