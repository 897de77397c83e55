#include "runtime/calibrate.h"

#include <cmath>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status.h"
#include "common/textproto.h"
#include "planner/comm/network_model.h"

namespace memwall::runtime {

absl::StatusOr<AlphaBeta> FitAlphaBeta(const std::vector<SizeTime>& points) {
  std::set<double> sizes;
  for (const SizeTime& p : points) {
    if (!(p.time_s > 0) || !std::isfinite(p.time_s) || p.bytes < 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("measured time ", p.time_s, " s at ", p.bytes,
                       " bytes is not usable"));
    }
    sizes.insert(p.bytes);
  }
  if (sizes.size() < 2) {
    return absl::FailedPreconditionError(
        "the fit needs at least two distinct sizes");
  }
  // Minimize sum w (alpha + g S - t)^2 with w = 1 / t^2: the 2x2 normal
  // equations.
  double sw = 0, ss = 0, sss = 0, st = 0, sst = 0;
  for (const SizeTime& p : points) {
    const double w = 1.0 / (p.time_s * p.time_s);
    sw += w;
    ss += w * p.bytes;
    sss += w * p.bytes * p.bytes;
    st += w * p.time_s;
    sst += w * p.bytes * p.time_s;
  }
  const double det = sw * sss - ss * ss;
  double alpha = (st * sss - ss * sst) / det;
  double g = (sw * sst - ss * st) / det;
  if (alpha < 0) {  // no latency: the line through the origin
    alpha = 0;
    g = sst / sss;
  }
  if (!(g > 0) || !std::isfinite(g)) {
    return absl::FailedPreconditionError(
        "no positive bandwidth fits the measurements (times do not grow with "
        "size: raise --max_bytes or --iters)");
  }
  AlphaBeta fit;
  fit.latency_s = alpha;
  fit.bandwidth_bytes_per_s = 1.0 / g;
  for (const SizeTime& p : points) {
    fit.max_relative_error =
        std::max(fit.max_relative_error,
                 std::abs((alpha + g * p.bytes) / p.time_s - 1.0));
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
      "bandwidth_bytes_per_s, least squares on relative error).\n",
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
          "  # measured %s: %s; the fit is within %.1f%% of every point\n"
          "  bandwidth_bytes_per_s: %.6g\n"
          "  # measured %s: intercept of the same fit\n"
          "  latency_s: %.6g\n"
          "  oversubscription: 1\n",
          c.when, m->how, 100 * m->fit.max_relative_error,
          l.bandwidth_bytes_per_s(), c.when, l.latency_s());
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
